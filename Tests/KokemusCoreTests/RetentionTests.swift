import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Retention: what the county keeps no longer goes once a day, from the snapshot and the
/// journal too (a byte search of the state directory), and nothing else does.
@Suite struct RetentionTests {
    func stateBytes(_ h: GatewayHarness) throws -> String {
        let directory = h.config.stateDirectory
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().compactMap { name in
            FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
        }.map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    /// Anna's order held on 8.12. and Kalle's feedback given: the need, then the comment.
    func heldTask() async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 12, 8, 15, 40))
        _ = try await h.send("kalle", "kyllä")
        _ = try await h.send("kalle", "0")
        for answer in ["palaute", "5", "Hyvä keskustelu, asiakas oli valmistautunut."] { _ = try await h.send("kalle", answer) }
        // December's fee report, made on the first working day of January.
        _ = try await h.advance(to: local(2027, 1, 4, 10))
        return h
    }

    @Test func aTasksNeedGoesNinetyDaysAfterItFromEveryFile() async throws {
        let h = try await heldTask()
        let need = "Asiakas tarvitsee vertaistukea."
        #expect(try stateBytes(h).contains(need))
        let order = OrderID(rawValue: "T-2026-0001")
        // 89 days after the session: kept.
        _ = try await h.advance(to: local(2027, 3, 7, 4))
        #expect(await h.state.orders[order]?.description.text == need)
        _ = try await h.advance(to: local(2027, 3, 9, 4))
        let after = try #require(await h.state.orders[order])
        #expect(after.description.text == "" && after.assignedExpert == "kalle" && after.sessions.count == 1)
        #expect(await h.state.retentionAppliedOn == LocalDay(year: 2027, month: 3, day: 9))
        // Compacted: no copy in the journal or an older snapshot.
        #expect(try !stateBytes(h).contains(need))
        // The fee report stays, with its sums.
        let reports = await h.state.feeReports.values
        #expect(reports.contains { $0.expert == "kalle" && $0.total > .zero })
    }

    @Test func onceADayFromItsHourAndNotBefore() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 2, 30))
        _ = try await h.advance(hours: 0.1)
        #expect(await h.state.retentionAppliedOn == nil, "before 3.00")
        _ = try await h.advance(to: local(2026, 12, 1, 3, 1))
        #expect(await h.state.retentionAppliedOn == LocalDay(year: 2026, month: 12, day: 1))
        let journal = try Data(contentsOf: h.config.stateDirectory.appendingPathComponent("journal")).count
        _ = try await h.advance(hours: 5)
        #expect(try Data(contentsOf: h.config.stateDirectory.appendingPathComponent("journal")).count == journal, "once a day")
    }

    @Test func anUnansweredConversationGoesAfterThirtyDays() async throws {
        var h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        h.retention.unfinishedDays = 10
        try h.restart()
        try await h.send("anna", "tilaa")
        try await h.send("anna", "1")
        let started = await h.state
        #expect(started.conversations["anna"] != nil || started.drafts["anna"] != nil)
        // Put aside as a draft when its question gives up, then kept 10 days from then.
        _ = try await h.advance(to: local(2026, 12, 5, 10))
        #expect(await h.state.drafts["anna"] != nil)
        _ = try await h.advance(to: local(2026, 12, 16, 4))
        let later = await h.state
        #expect(later.conversations["anna"] == nil && later.drafts["anna"] == nil, "\(String(describing: later.drafts["anna"]))")
    }

    @Test func feedbackCommentsGoAfterTheYearlyReportAndRecordsAfterSixYears() async throws {
        let h = try await heldTask()
        let order = OrderID(rawValue: "T-2026-0001")
        let given = try #require(await h.state.orders[order]?.feedback.first)
        #expect(given.text.text == "Hyvä keskustelu, asiakas oli valmistautunut.", "\(given)")
        _ = try await h.advance(to: local(2027, 2, 28, 4))
        #expect(await h.state.orders[order]?.feedback.first?.text.isEmpty == false, "until 1 March")
        _ = try await h.advance(to: local(2027, 3, 1, 4))
        let kept = try #require(await h.state.orders[order]?.feedback.first)
        #expect(kept.text.isEmpty && kept.rating == 5)
        #expect(try !stateBytes(h).contains("asiakas oli valmistautunut"))

        // An access logged now, to see it dropped two years on.
        _ = try await h.reply("kaisa", "tilaukset")
        // 2032 ends; the records of 2026 are kept through it.
        _ = try await h.advance(to: local(2032, 12, 31, 4))
        let before = await h.state
        #expect(before.orders[order] != nil && !before.feeReports.isEmpty)
        let log = AuditLog(directory: h.config.stateDirectory)
        _ = try await h.advance(to: local(2033, 1, 1, 4))
        let after = await h.state
        #expect(after.orders[order] == nil && after.feeReports.isEmpty)
        let bytes = try stateBytes(h)
        let found = bytes.firstRange(of: "T-2026-0001").map { String(bytes[..<$0.upperBound].suffix(200)) }
        #expect(found == nil, "\(found ?? "")")
        let verification = try log.verify()
        #expect(verification.isWhole && verification.entries == 0 && verification.dropped > 0, "\(verification)")
    }

    @Test func theConfigurationIsReadWithBounds() throws {
        let root = temporaryDirectory("kokemus-retention")
        defer { cleanUp(root) }
        let file = root.appendingPathComponent("kokemus.yaml")
        try "retention:\n  task_texts_days: 30\n  audit_log_years: 5\n".write(to: file, atomically: true, encoding: .utf8)
        let config = try KokemusConfig.load(file: file)
        #expect(config.retention.taskTextDays == 30 && config.retention.auditLogYears == 5 && config.retention.unfinishedDays == 30)
        try "retention:\n  task_texts_days: 99999999999999999\n  fee_records_years: 0\n  forever: yes\n".write(
            to: file, atomically: true, encoding: .utf8)
        #expect {
            try KokemusConfig.load(file: file)
        } throws: { error in
            let text = "\(error)"
            return text.contains("kokemus.yaml:") && text.contains("fee_records_years must be from 1 to 50") && text.contains("forever")
        }
    }
}
