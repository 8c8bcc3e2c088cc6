import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The last mile to payroll (000 §6.3, 002, 004): paydays on banking days, the handover to
/// the payroll role on the 10th without anyone running a command, late reports told to the
/// coordinator, and a report approved after the handover paid on the next payday.
@Suite struct PayrollTests {
    let schedule = PayrollSchedule()
    let working = WorkingTime(time: .helsinki, dayStartMinute: 8 * 60, dayEndMinute: 21 * 60)

    @Test func feesArePaidOnTheLastBankingDayOfTheFollowingMonth() {
        #expect(schedule.payday(for: Month(year: 2026, month: 11)) == LocalDay(year: 2026, month: 12, day: 31))
        // 31.1.2027 is a Sunday: paid on Friday the 29th.
        #expect(schedule.payday(for: Month(year: 2026, month: 12)) == LocalDay(year: 2027, month: 1, day: 29))
        // 31.10.2026 is a Saturday.
        #expect(schedule.payday(for: Month(year: 2026, month: 9)) == LocalDay(year: 2026, month: 10, day: 30))
        #expect(schedule.payday(for: Month(year: 2028, month: 1)) == LocalDay(year: 2028, month: 2, day: 29))
        // Bank holidays are no banking days, whatever the weekday.
        #expect(!PayrollSchedule.isBankingDay(LocalDay(year: 2026, month: 12, day: 24)))
        #expect(!PayrollSchedule.isBankingDay(LocalDay(year: 2027, month: 1, day: 6)))
        #expect(PayrollSchedule.isBankingDay(LocalDay(year: 2026, month: 12, day: 31)))
    }

    @Test func aReportApprovedAfterItsHandoverIsPaidOnTheNextPayday() {
        let november = Month(year: 2026, month: 11)
        #expect(
            schedule.payday(for: november, approvedAt: local(2026, 12, 9, 17), working: working)
                == LocalDay(year: 2026, month: 12, day: 31))
        #expect(
            schedule.payday(for: november, approvedAt: local(2026, 12, 10, 7, 59), working: working)
                == LocalDay(year: 2026, month: 12, day: 31))
        #expect(
            schedule.payday(for: november, approvedAt: local(2026, 12, 10, 8), working: working)
                == LocalDay(year: 2027, month: 1, day: 29), "the handover starts at 8.00 on the 10th")
        #expect(
            schedule.payday(for: november, approvedAt: local(2027, 3, 2, 12), working: working)
                == LocalDay(year: 2027, month: 3, day: 31), "months late: the next handover still to come")
        // 10.1.2027 is a Sunday: the handover runs on Monday the 11th at 8.00, and a report
        // approved on the Sunday still goes with it.
        #expect(schedule.handoverDue(in: Month(year: 2027, month: 1), working: working) == local(2027, 1, 11, 8))
        #expect(
            schedule.payday(for: Month(year: 2026, month: 12), approvedAt: local(2027, 1, 10, 10), working: working)
                == LocalDay(year: 2027, month: 1, day: 29))
        // Absurdly late approvals end too.
        _ = schedule.payday(for: november, approvedAt: Date.distantFuture, working: working)
    }

    @Test func aHandoverTakesEachReportOnceAndNoneOfAnEarlierPayday() {
        func report(_ expert: PersonID, payday: LocalDay, mode: PaymentMode?, handed: Bool = false) -> FeeReport {
            var report = FeeReport(
                expert: expert, unit: "mielenterveys-porvoo", month: "2026-11", lines: [], createdAt: local(2026, 12, 1, 8),
                payday: payday)
            report.status = .approved
            report.paymentMode = mode
            if handed { report.handedToPayrollAt = local(2026, 12, 10, 8) }
            return report
        }
        let reports = [
            report("kalle", payday: LocalDay(year: 2026, month: 12, day: 31), mode: .fee),
            // Made by the build before payment modes, approved since: paid like any other.
            report("sanna", payday: LocalDay(year: 2026, month: 12, day: 31), mode: nil),
            report("maria", payday: LocalDay(year: 2026, month: 12, day: 31), mode: .fee, handed: true),
            // Approved late: January's; an older build's unmoved payday (a Sunday) is January's too.
            report("johan", payday: LocalDay(year: 2027, month: 1, day: 31), mode: .fee),
            // A handover missed while the gateway was down goes with the next one.
            report("eeva", payday: LocalDay(year: 2026, month: 11, day: 30), mode: .volunteer),
            // Paid long ago, by hand: never again.
            report("pekka", payday: LocalDay(year: 2026, month: 9, day: 30), mode: .businessIncome),
        ]
        #expect(
            PayrollHandover.reportsDue(reports, handoverMonth: Month(year: 2026, month: 12)).map(\.expert) == [
                "eeva", "kalle", "sanna",
            ])
        #expect(
            PayrollHandover.reportsDue(reports, handoverMonth: Month(year: 2027, month: 1)).map(\.expert) == [
                "johan", "kalle", "sanna",
            ])
    }

    @Test func theConfigNamesItsDaysAndRefusesImpossibleOnes() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let file = directory.appendingPathComponent("kokemus.yaml")
        try "payroll: {deadline_day: 8, handover_day: 12}\n".write(to: file, atomically: true, encoding: .utf8)
        let config = try KokemusConfig.load(file: file)
        #expect(config.payroll == PayrollSchedule(deadlineDay: 8, handoverDay: 12))
        for (text, message) in [
            ("payroll: {handover_day: 31}\n", "payroll.handover_day must be a day from 1 to 20"),
            ("payroll: {handover_day: 27}\n", "payroll.handover_day must be a day from 1 to 20"),
            ("payroll: {deadline_day: 10, handover_day: 9}\n", "must come after deadline_day"),
            ("payroll: {handover_day: 99999999999999999999}\n", "must be a whole number"),
            ("payroll: {automatic_handover: maybe}\n", "must be true or false"),
        ] {
            try text.write(to: file, atomically: true, encoding: .utf8)
            #expect(throws: (any Error).self) { try KokemusConfig.load(file: file) }
            do {
                _ = try KokemusConfig.load(file: file)
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    // MARK: Through the gateway

    /// Kalle's session on 10.11.2026 held and confirmed; November's report reaches him on 1.12.
    func heldInNovember(payroll: PayrollSchedule = PayrollSchedule()) async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9), payroll: payroll)
        try await h.placeOrder(when: "ti 10.11. klo 14")
        _ = try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 11, 10, 15, 40))
        _ = try await h.send("kalle", "kyllä")
        _ = try await h.send("kalle", "0")
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        return h
    }

    @Test func theTenthHandsTheApprovedReportsToPayrollOnceWithTheirFiles() async throws {
        let h = try await heldInNovember()
        _ = try await h.send("kalle", "1")  // confirms the report
        let approved = try await h.send("liisa", "1")
        #expect(texts(approved, to: "kalle").first?.contains("31.12.2026") == true)
        #expect(try await h.advance(to: local(2026, 12, 9, 20)).allSatisfy { $0.recipient != "palkat" })
        let tenth = try await h.advance(to: local(2026, 12, 10, 8))
        let message = try #require(texts(tenth, to: "palkat").first)
        #expect(message.contains("P-2026-11-kalle-mielenterveys-porvoo: Kalle Heikkinen, "))
        #expect(message.contains("maksupäivä 31.12.2026"))
        #expect(message.contains("palkkio – ilmoituksia 1, yhteensä 30,00\u{00A0}€"))
        #expect(texts(tenth, to: "kaisa").isEmpty, "nothing is late")
        let files = h.transport.takeAttachments()
        #expect(files.map(\.attachment.filename) == ["payroll-2026-12-10-fee.csv"])
        let csv = try #require(files.first?.attachment.text)
        #expect(csv.hasPrefix(PayrollExport.header.joined(separator: ",") + "\r\n"))
        #expect(csv.contains("P-2026-11-kalle-mielenterveys-porvoo,2026-11,2026-12-31,kalle,Kalle Heikkinen,"))
        #expect(csv.hasSuffix(",2026,fee,,2026-12-10T08:00\r\n"))
        let report = try #require(await h.state.feeReports["P-2026-11-kalle-mielenterveys-porvoo"])
        #expect(report.handedToPayrollAt == local(2026, 12, 10, 8))
        // Once: not again that day, nor after a restart, nor next month.
        try h.restart()
        #expect(try await h.advance(to: local(2026, 12, 10, 14)).allSatisfy { $0.recipient != "palkat" })
        #expect(try await h.advance(to: local(2027, 1, 11, 9)).allSatisfy { $0.recipient != "palkat" })
    }

    @Test func payrollsFilesSurviveACrashBeforeTheyAreDelivered() async throws {
        let h = try await heldInNovember()
        _ = try await h.send("kalle", "1")
        _ = try await h.send("liisa", "1")
        h.transport.failing = true
        _ = try await h.advance(to: local(2026, 12, 10, 8))
        #expect(await h.state.outbox.contains { $0.recipient == "palkat" })
        // As after a kill: the journal is read again, the files with the message.
        try h.restart()
        h.transport.failing = false
        await h.gateway.deliverOutbox()
        #expect(texts(h.transport.take(), to: "palkat").count == 1)
        let files = h.transport.takeAttachments()
        #expect(files.map(\.attachment.filename) == ["payroll-2026-12-10-fee.csv"])
        #expect(files.first?.attachment.text.contains("P-2026-11-kalle-mielenterveys-porvoo,2026-11,2026-12-31,") == true)
    }

    @Test func lateReportsAreToldToTheCoordinatorAndPaidOnTheNextPayday() async throws {
        let h = try await heldInNovember()
        _ = try await h.send("kalle", "peruuta")  // leaves the report for now
        let tenth = try await h.advance(to: local(2026, 12, 10, 8))
        #expect(texts(tenth, to: "palkat").isEmpty, "nothing approved to hand over")
        let late = try #require(texts(tenth, to: "kaisa").first)
        #expect(late.contains("P-2026-11-kalle-mielenterveys-porvoo (11/2026): Kalle Heikkinen"))
        #expect(late.contains("kokemusasiantuntija ei ole vahvistanut sitä"))
        #expect(late.contains("29.1.2027"))
        // Kalle confirms on the 11th, Liisa approves: paid at the end of January, and he is told so.
        _ = try await h.advance(to: local(2026, 12, 11, 9))
        _ = try await h.send("kalle", "palkkioilmoitus")
        _ = try await h.send("kalle", "1")
        let approved = try await h.send("liisa", "1")
        #expect(texts(approved, to: "kalle").first?.contains("29.1.2027") == true)
        #expect(try await h.reply("kalle", "palkkio").contains("29.1.2027"))
        #expect(try await h.advance(to: local(2026, 12, 28, 9)).allSatisfy { $0.recipient != "palkat" })
        // 10.1.2027 is a Sunday: the handover waits for Monday's working time.
        #expect(try await h.advance(to: local(2027, 1, 10, 12)).allSatisfy { $0.recipient != "palkat" })
        let handover = try await h.advance(to: local(2027, 1, 11, 8))
        let message = try #require(texts(handover, to: "palkat").first)
        // The month of the work is named, as is what payroll must check: a payday in 2027
        // needs Kalle's tax card for 2027.
        #expect(message.contains("P-2026-11-kalle-mielenterveys-porvoo") && message.contains("(11/2026, verokortti 2027 puuttuu)"))
        #expect(message.contains("maksupäivä 29.1.2027"))
    }

    @Test func theRemindersFollowTheDeadlineDay() async throws {
        let h = try await heldInNovember(payroll: PayrollSchedule(deadlineDay: 6, handoverDay: 7))
        _ = try await h.send("kalle", "peruuta")
        // Four days before the 6th: Wednesday the 2nd.
        let reminded = try await h.advance(to: local(2026, 12, 2, 8))
        #expect(texts(reminded, to: "kalle").first?.contains("6.12.2026 mennessä") == true, "\(reminded)")
    }

    @Test func withoutAutomaticHandoverNothingGoesToPayroll() async throws {
        let h = try await heldInNovember(payroll: PayrollSchedule(automaticHandover: false))
        _ = try await h.send("kalle", "1")
        _ = try await h.send("liisa", "1")
        let tenth = try await h.advance(to: local(2026, 12, 10, 8))
        #expect(texts(tenth, to: "palkat").isEmpty)
        #expect(await h.state.feeReports.values.allSatisfy { $0.handedToPayrollAt == nil })
    }
}
