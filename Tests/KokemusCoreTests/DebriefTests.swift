import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Debriefs after client work (000 §3, §4, §4.3): asked by the expert, arranged by the orderer,
/// recorded held with its length and paid where the fee table says so; offered after demanding
/// tasks; a debrief left waiting a week is told to the coordinators.
@Suite struct DebriefTests {
    /// Kalle takes Anna's individual work on 8.12. at 14, which is then over.
    func afterTheTask() async throws -> (GatewayHarness, [(recipient: PersonID, text: String)]) {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        #expect(try await h.reply("kalle", "purku T-2026-0001").hasPrefix("Tehtävässä T-2026-0001 ei ole vielä tehty työtä"))
        let after = try await h.advance(to: local(2026, 12, 8, 15, 40))
        return (h, after)
    }

    @Test func aDebriefIsAskedArrangedRecordedAndPaid() async throws {
        let (h, after) = try await afterTheTask()
        // Individual client work is demanding (the catalogue's `debrief: offer`): offered.
        #expect(
            texts(after, to: "kalle").contains(
                "Kalle, tehtävä T-2026-0001 on takana. Jos haluat purkaa sitä tilaajan tai työryhmän kanssa, kirjoita purku T-2026-0001."))
        let asked = try await h.send("kalle", "purku T-2026-0001")
        #expect(
            texts(asked, to: "kalle").first?.hasPrefix(
                "Kiitos, Kalle! Pyyntösi purkukeskustelusta (tehtävä T-2026-0001) on välitetty: Anna Virtanen") == true)
        let toAnna = try #require(texts(asked, to: "anna").first)
        #expect(toAnna.hasPrefix("Hei Anna! Kokemusasiantuntija K-12 pyytää purkukeskustelua tehtävästä T-2026-0001"))
        #expect(!toAnna.contains("Heikkinen"))
        #expect(try await h.reply("kalle", "purku T-2026-0001").hasPrefix("Pyysit jo purkukeskustelua tehtävästä T-2026-0001"))
        // Only the orderer's side records it, within bounds.
        #expect(try await h.reply("kalle", "purku T-2026-0001 pidetty 45 min").hasPrefix("Purkukeskustelua pyydetään näin"))
        #expect(try await h.reply("anna", "purku T-2026-0001 pidetty 99999999999 min").hasPrefix("Purkukeskustelua pyydetään näin"))
        // Without its unit "4" is no length at all (not four hours).
        #expect(try await h.reply("anna", "purku T-2026-0001 pidetty 4").hasPrefix("Purkukeskustelua pyydetään näin"))
        #expect(try await h.reply("sanna", "purku T-2026-0001").hasPrefix("Tilausta T-2026-0001 ei löydy"))
        let held = try await h.send("anna", "purku T-2026-0001 pidetty 45 min")
        #expect(texts(held, to: "anna") == ["Kirjattu: tehtävän T-2026-0001 purkukeskustelu pidetty, 45 min."])
        #expect(texts(held, to: "kalle").first?.hasSuffix("siitä maksetaan palkkio kuukauden palkkioilmoituksella.") == true)
        #expect(
            try await h.reply("anna", "purku T-2026-0001 pidetty 30 min").hasPrefix("Tehtävän T-2026-0001 purkukeskustelu on jo kirjattu"))
        // Paid by the fee table's debrief rate (20 €/h in 2026): a line of its own.
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.debrief?.minutes == 45 && order.debrief?.heldBy == "anna")
        let schedule = try FeeSchedule.load(file: repositoryRoot.appendingPathComponent("Config/fees.yaml"))
        let lines = FeeCalculator(schedule: schedule).lines(in: Month(year: 2026, month: 12), orders: [order], now: local(2026, 12, 9, 9))
        let debrief = try #require(lines["kalle"]?["mielenterveys-porvoo"]?.first { $0.debrief == true })
        #expect(debrief.minutes == 45 && debrief.fee == Money(cents: 1500))
        #expect(lines["kalle"]?["mielenterveys-porvoo"]?.filter(\.isSession).count == 1)
        // Without a rate in the table, recorded but not paid.
        var unpriced = schedule
        unpriced.years[2026]?.debriefRate = nil
        #expect(FeeCalculator(schedule: unpriced).debriefLine(of: order) == nil)
    }

    @Test func aDebriefLeftWaitingAWeekIsToldToTheCoordinators() async throws {
        let (h, _) = try await afterTheTask()
        try await h.send("kalle", "purku T-2026-0001")
        let sixDays = try await h.advance(to: local(2026, 12, 14, 15))
        #expect(texts(sixDays, to: "kaisa").allSatisfy { !$0.contains("Purkukeskustelu odottaa") })
        let week = try await h.advance(to: local(2026, 12, 15, 16))
        #expect(
            texts(week, to: "kaisa").contains { $0.contains("Purkukeskustelu odottaa: Kalle Heikkinen pyysi sitä tehtävästä T-2026-0001") })
        try h.restart()
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.debrief?.requestedBy == "kalle")
    }

    @Test func aLectureIsNotOfferedOneButMayBeAsked() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "4", "1", "1", "ti 8.12. klo 14", "1 h", "2", "suomi", "3", "Luento toipumisesta henkilöstölle.", "kyllä"] {
            try await h.send("anna", answer)
        }
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.taskType == .lecture)
        _ = try await h.send("kalle", "1")
        let after = try await h.advance(to: local(2026, 12, 8, 15, 40))
        #expect(texts(after, to: "kalle").allSatisfy { !$0.contains("purku T-2026-0001") })
        #expect(texts(try await h.send("kalle", "purku T-2026-0001"), to: "anna").first?.contains("pyytää purkukeskustelua") == true)
    }

    @Test func aVolunteersDebriefIsRecordedAndNotPaid() async throws {
        let anchor = "      work_phone: \"+358 40 000 0909\"\n"
        let directory = try exampleRegistry { $0.replacingOccurrences(of: anchor, with: anchor + "      payment: volunteer\n") }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: directory)
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 12, 8, 15, 40))
        try await h.send("kalle", "purku T-2026-0001")
        let held = try await h.send("anna", "purku T-2026-0001 pidetty 30 min")
        #expect(texts(held, to: "kalle") == ["Kalle, tehtävän T-2026-0001 purkukeskustelu (30 min) on kirjattu pidetyksi."])
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        let schedule = try FeeSchedule.load(file: repositoryRoot.appendingPathComponent("Config/fees.yaml"))
        #expect(FeeCalculator(schedule: schedule, volunteers: ["kalle"]).debriefLine(of: order)?.fee == .zero)
    }
}
