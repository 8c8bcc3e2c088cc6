import Foundation
import Testing

@testable import KokemusCore

/// Money, the fee rates file, and the domain's rule of what is paid.
@Suite struct FeeTests {
    let schedule: FeeSchedule = {
        do {
            return try FeeSchedule.load(file: repositoryRoot.appendingPathComponent("Config/fees.yaml"))
        } catch {
            fatalError("Config/fees.yaml does not load: \(error)")
        }
    }()

    @Test(
        "Amounts people write",
        arguments: [
            ("20", 2000), ("20.5", 2050), ("3,30", 330), ("1 250,00 €", 125_000),
            ("0", 0), ("0,05", 5), ("12 EUR", 1200),
        ])
    func amounts(text: String, cents: Int) {
        #expect(Money(parsing: text)?.cents == cents)
    }

    @Test("Amounts refused", arguments: ["", "abc", "-5", "3,305", "1.2.3", "+4", "3,", "٣"])
    func refused(text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test func amountsAsPeopleReadThem() {
        #expect(Money(cents: 125_030).text(.fi) == "1\u{00A0}250,30\u{00A0}€")
        #expect(Money(cents: 125_030).text(.en) == "€1,250.30")
        #expect(Money(cents: 5).plain == "0.05")
    }

    @Test func theShippedRatesPriceEveryTaskType() {
        for year in [2026, 2027] {
            for type in TaskType.allCases { #expect(schedule.rate(for: type, year: year) != nil) }
        }
        #expect(schedule.rate(for: .group, year: 2026) == FeeRate(basis: .session, amount: Money(cents: 4000)))
        // Verohallinto's tax-free kilometre allowance for 2026.
        #expect(schedule.kilometreRate(year: 2026) == Money(cents: 55))
    }

    @Test func aBrokenRatesFileIsReportedWithItsLines() {
        let text = """
            years:
              2026:
                kilometre_rate: lots
                individual: {per: minute, euros: 20}
                pair: {per: hour, euros: twenty}
                group: {per: session, euros: 40}
                lecture: {per: lecture, euros: 100}
            """
        #expect {
            try FeeSchedule.load(text: text, file: "fees.yaml")
        } throws: { error in
            let message = "\(error)"
            return message.contains("fees.yaml:3") && message.contains("kilometre_rate") && message.contains("fees.yaml:4")
                && message.contains("per must be one of hour, session, lecture") && message.contains("fees.yaml:5")
                && message.contains("twenty") && message.contains("development")
        }
    }

    /// A task of the catalogue with a rate of its own is paid by it, in offers and in fee
    /// reports; every other task by its kind's rate. Mistakes in the file are refused.
    @Test func aTaskWithARateOfItsOwnIsPaidByIt() throws {
        var panel = order(.development, [.held])
        panel.task = "client_panel"
        #expect(schedule.rate(for: panel, year: 2026) == FeeRate(basis: .session, amount: Money(cents: 3000)))
        #expect(schedule.rate(for: panel, year: 2027) == FeeRate(basis: .session, amount: Money(cents: 3150)))
        let calculator = FeeCalculator(schedule: schedule)
        #expect(calculator.line(for: panel.sessions[0], of: panel, now: local(2026, 12, 1))?.fee == Money(cents: 3000))
        var observation = panel
        observation.task = "day_in_life"
        #expect(calculator.line(for: observation.sessions[0], of: observation, now: local(2026, 12, 1))?.fee == Money(cents: 3000))
        #expect(schedule.rate(for: observation, year: 2026) == FeeRate(basis: .hour, amount: Money(cents: 2000)))

        let broken = """
            years:
              2026:
                individual: {per: hour, euros: 20}
                pair: {per: hour, euros: 20}
                group: {per: session, euros: 40}
                lecture: {per: lecture, euros: 100}
                development: {per: hour, euros: 20}
                tasks:
                  individual: {per: hour, euros: 25}
                  reception: {per: shift, euros: 60}
                  asiakasraati: {per: session, euros: 30}
            """
        #expect {
            try FeeSchedule.load(text: broken, file: "fees.yaml")
        } throws: { error in
            let message = "\(error)"
            return message.contains("fees.yaml:9") && message.contains("the kind's rate is years.2026.individual")
                && message.contains("fees.yaml:10") && message.contains("per must be one of")
        }
        let misspelt = try FeeSchedule.load(
            text: broken.replacingOccurrences(of: "      individual: {per: hour, euros: 25}\n", with: "")
                .replacingOccurrences(of: "shift", with: "hour"), file: "fees.yaml")
        let tasks = try TaskCatalogue.load(file: repositoryRoot.appendingPathComponent("Config/tasks.yaml"))
        #expect(misspelt.taskRateProblems(in: tasks) == ["years.2026.tasks.asiakasraati: no task 'asiakasraati' in the task catalogue"])
        // A task the county removed, which stored orders still name, keeps its rate.
        #expect(misspelt.taskRateProblems(in: tasks, stillUsed: ["asiakasraati"]).isEmpty)
        #expect(schedule.taskRateProblems(in: tasks).isEmpty && schedule.taskRateGaps().isEmpty)
        let gap = FeeSchedule(years: [
            2026: .init(
                rates: [:], kilometreRate: .zero, taskRates: ["client_panel": FeeRate(basis: .session, amount: Money(cents: 3000))]),
            2027: .init(rates: [:], kilometreRate: .zero),
        ])
        #expect(gap.taskRateGaps() == ["years.2027.tasks.client_panel"])
    }

    func order(
        _ type: TaskType, _ statuses: [Session.Status], start: Date = local(2026, 11, 10, 14),
        hours: SessionHours? = nil
    ) -> Order {
        var order = Order(
            id: OrderID(rawValue: "T-2026-0001"), orderer: "anna", unit: "mielenterveys-porvoo", taskType: type,
            topic: "substance_use", start: start, durationMinutes: 90,
            sessions: statuses.enumerated().map { index, status in
                Session(
                    index: index + 1, start: start + Double(index * 7 * 86_400), durationMinutes: 90,
                    status: status)
            },
            place: .remote, language: .fi, audience: .client, description: "", createdAt: start - 86_400)
        order.status = .assigned
        order.assignment = Assignment(expert: "kalle", status: .accepted, offeredAt: start - 86_400)
        if let hours { order.sessions[0].hours = hours }
        return order
    }

    @Test func whatIsPaidFollowsTheDomainRules() {
        let calculator = FeeCalculator(schedule: schedule)
        let group = order(
            .group,
            [
                .held, .cancelledPaid, .clientNoShow, .noParticipants, .cancelledFree, .expertIll,
                .groupStopped, .planned,
            ], start: local(2026, 10, 1, 14))
        let october = calculator.lines(in: Month(year: 2026, month: 10), orders: [group], now: local(2026, 12, 1))
        let lines = october["kalle"]?["mielenterveys-porvoo"] ?? []
        // 1.10. held, 8.10. late cancellation, 15.10. no-show, 22.10. no participants: paid.
        // 29.10. free cancellation: no fee. The ill, stopped and later sessions fall in November.
        #expect(lines.map(\.outcome) == [.held, .cancelledPaid, .clientNoShow, .noParticipants])
        #expect(lines.allSatisfy { $0.fee == Money(cents: 4000) })
        let november = calculator.lines(in: Month(year: 2026, month: 11), orders: [group], now: local(2026, 12, 1))
        // 5.11. ill, 12.11. stopped: nothing; 19.11. planned and past: held as planned.
        #expect(november["kalle"]?["mielenterveys-porvoo"]?.map(\.outcome) == [.held])
    }

    @Test func hourlyFeesUseTheConfirmedTimeAndTheYearsRates() {
        let calculator = FeeCalculator(schedule: schedule)
        let confirmed = SessionHours(minutes: 105, kilometres: 24, otherCosts: Money(cents: 330), confirmedAt: local(2026, 11, 10, 16))
        let line = calculator.line(
            for: order(.individual, [.held], hours: confirmed).sessions[0],
            of: order(.individual, [.held]), now: local(2026, 12, 1))
        #expect(line?.fee == Money(cents: 3500))
        #expect(line?.travel == Money(cents: 1320))
        #expect(line?.total == Money(cents: 5150))
        // 40 minutes at 20 €/h is 13.333… €, rounded to the cent; in 2027 the rate is 21 €/h.
        #expect(FeeRate(basis: .hour, amount: Money(cents: 2000)).fee(minutes: 40) == Money(cents: 1333))
        let january = order(.individual, [.planned], start: local(2027, 1, 12, 10))
        #expect(calculator.line(for: january.sessions[0], of: january, now: local(2027, 2, 1))?.fee == Money(cents: 3150))
        // A session still to come is not paid yet.
        #expect(calculator.line(for: january.sessions[0], of: january, now: local(2027, 1, 12, 11)) == nil)
    }
}

/// The payroll export's rows and warnings.
@Suite struct PayrollExportTests {
    @Test func onlyApprovedReportsGoAndMissingTaxCardsAreWarnedOf() throws {
        let registry = try RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example"))
        var state = GatewayState()
        let month = Month(year: 2026, month: 11)
        func report(_ expert: PersonID, _ status: FeeReport.Status) -> FeeReport {
            let line = FeeLine(
                order: OrderID(rawValue: "T-2026-0001"), session: 1, start: local(2026, 11, 10, 14),
                taskType: .individual, minutes: 90, outcome: .held, fee: Money(cents: 3000), kilometres: 0,
                travel: .zero, otherCosts: .zero)
            var report = FeeReport(
                expert: expert, unit: "mielenterveys-porvoo", month: "2026-11", lines: [line],
                createdAt: local(2026, 12, 1, 8), payday: PayrollSchedule().payday(for: month))
            report.status = status
            if status == .approved {
                report.approvedBy = "liisa"
                report.approvedAt = local(2026, 12, 9, 10)
            }
            return report
        }
        state.apply(.feeReportSaved(report("kalle", .approved)))
        state.apply(.feeReportSaved(report("maria", .approved)))  // maria's tax card is of 2025
        state.apply(.feeReportSaved(report("sanna", .awaitingApproval)))
        let export = PayrollExport(month: month, state: state, registry: registry)
        #expect(export.reportCount == 2)
        #expect(export.csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
        #expect(export.warnings.count == 2)
        // In the language of the person who sends the file.
        let catalog = try MessageCatalog.load(file: repositoryRoot.appendingPathComponent("Config/messages.yaml"))
        let english = export.warnings.map { $0.text(catalog, .en, registry: registry) }
        let finnish = export.warnings.map { $0.text(catalog, .fi, registry: registry) }
        #expect(english[0].contains("Maria") && english[0].contains("no tax card for 2026 (latest: 2025)"))
        #expect(finnish[0].contains("verokortti 2026 puuttuu (viimeisin 2025)"))
        #expect(
            english[1] == "1 report of 11/2026 not approved yet, left out: "
                + "P-2026-11-sanna-mielenterveys-porvoo (waiting for the approver Liisa Korhonen)")
        #expect(finnish[1].hasPrefix("Kuukaudelta 11/2026 1 ilmoitus ei ole vielä hyväksytty"))
        // A tax card confirmed in chat counts.
        state.apply(.taxCardConfirmed(expert: "maria", year: 2026))
        #expect(PayrollExport(month: month, state: state, registry: registry).warnings.count == 1)
    }
}

/// The coordinator's month and year reports.
@Suite struct ServiceReportsTests {
    @Test func aMonthsFeesPerUnitAndExpertAndAYearsMeasures() throws {
        let registry = try RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example"))
        let schedule = try FeeSchedule.load(file: repositoryRoot.appendingPathComponent("Config/fees.yaml"))
        var state = GatewayState()
        let start = local(2026, 11, 4, 14)
        var group = Order(
            id: OrderID(rawValue: "T-2026-0001"), orderer: "anna", unit: "mielenterveys-porvoo", taskType: .group,
            topic: "substance_use", start: start, durationMinutes: 90,
            sessions: (1...3).map { Session(index: $0, start: start + Double(($0 - 1) * 7 * 86_400), durationMinutes: 90) },
            place: .remote, language: .fi, audience: .clientGroup, description: "", createdAt: start - 86_400)
        group.status = .assigned
        group.assignment = Assignment(expert: "kalle", status: .accepted, offeredAt: start - 86_400)
        group.sessions[1].status = .expertIll
        group.feedback = [
            Feedback(source: .expert, by: "kalle", rating: 4, text: "-", at: local(2026, 11, 20)),
            Feedback(source: .employee, by: "anna", rating: 3, text: "-", at: local(2026, 11, 20)),
        ]
        state.apply(.orderCreated(group, year: 2026, number: 1))
        let fees = ServiceReports.fees(
            month: Month(year: 2026, month: 11), state: state, registry: registry,
            schedule: schedule, now: local(2026, 12, 1))
        #expect(
            fees[0].rows == [
                [
                    "Mielenterveys- ja päihdepalvelut, Porvoo", "4102", "Kalle Heikkinen", "2", "3", "80.00", "0.00", "80.00",
                    "no report yet",
                ],
                ["total", "", "", "", "", "", "", "80.00", ""],
            ])
        let year = ServiceReports.year(2026, state: state, registry: registry, schedule: schedule, now: local(2026, 12, 1))
        #expect(year[0].rows == [["group", "1", "2", "3", "80.00", "0.00"], ["all", "1", "2", "3", "80.00", "0.00"]])
        #expect(year[2].rows == [["expert", "1", "4.0"], ["employee", "1", "3.0"], ["client", "0", "–"]])
        #expect(year[2].markdown().contains("| client | 0 | – |"))

        // In the reader's language (`--language`): titles, headers, words and decimal commas.
        let catalog = try MessageCatalog.load(file: repositoryRoot.appendingPathComponent("Config/messages.yaml"))
        let swedish = ServiceReports.Reader(catalog: catalog, language: .sv, taskNames: ["group": LocalizedText([.sv: "Gruppledning"])])
        let svFees = ServiceReports.fees(
            month: Month(year: 2026, month: 11), state: state, registry: registry, schedule: schedule, now: local(2026, 12, 1),
            reader: swedish)
        #expect(svFees[0].title == "Arvoden 11/2026" && svFees[0].headers.first == "Enhet")
        #expect(svFees[0].rows[0].suffix(4) == ["80,00", "0,00", "80,00", "ingen anmälan ännu"])
        let svYear = ServiceReports.year(
            2026, state: state, registry: registry, schedule: schedule, now: local(2026, 12, 1), reader: swedish)
        #expect(svYear[0].rows == [["Gruppledning", "1", "2", "3", "80,00", "0,00"], ["Totalt", "1", "2", "3", "80,00", "0,00"]])
        #expect(svYear[2].rows[0] == ["Erfarenhetsexperter", "1", "4,0"])
        let english = ServiceReports.Reader(catalog: catalog, language: .en)
        let enYear = ServiceReports.year(
            2026, state: state, registry: registry, schedule: schedule, now: local(2026, 12, 1), reader: english)
        #expect(enYear[2].title == "Feedback 2026" && enYear[2].rows[1] == ["Employees", "1", "3.0"])
    }
}
