import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// An expert gives up a booked task for any reason (`luovu`; 004, 000 §6.1): no fee; the
/// orderer is told at once (never the reason), the coordinators with the reason and whether it
/// was late; the sessions still far enough ahead go to others as a new order, never to them.
@Suite struct WithdrawalTests {
    func booked() async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        _ = h.transport.takeCalendars()
        return h
    }

    @Test func aSessionGivenUpGoesToTheNextExpertAndTheReasonOnlyToTheCoordinator() async throws {
        let h = try await booked()
        let given = try await h.send("kalle", "luovu T-2026-0001 Lapsen päiväkoti on suljettu.")
        let toKalle = texts(given, to: "kalle")
        #expect(
            toKalle.first
                == "Kirjattu, Kalle: luovuit tehtävästä T-2026-0001 (8.12.2026 klo 14.00). Palkkiota ei makseta, ja tilaajalle ja "
                + "koordinaattorille on kerrottu. Tehtävä tarjotaan muille tilauksena T-2026-0002.")
        let toAnna = try #require(texts(given, to: "anna").first)
        #expect(toAnna.hasPrefix("Hei Anna! Kokemusasiantuntija K-12 ei voi tehdä tehtävää T-2026-0001 (8.12.2026 klo 14.00)"))
        #expect(toAnna.contains("tilauksena T-2026-0002; saat viestin"))
        #expect(!toAnna.contains("päiväkoti"), "the reason is the expert's own")
        let toKaisa = try #require(texts(given, to: "kaisa").first)
        #expect(
            toKaisa.contains("Kalle Heikkinen (kalle) luopui tehtävästä T-2026-0001")
                && toKaisa.contains("Syy: Lapsen päiväkoti on suljettu."))
        #expect(!toKaisa.contains("Myöhään"), "a week ahead is in time")
        // The calendar entries are called off for both.
        let calendars = h.transport.takeCalendars().filter { $0.invite.method == .cancel }.map(\.recipient)
        #expect(Set(calendars) == ["kalle", "anna"])
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.sessions.map(\.status) == [.expertWithdrew])
        #expect(order.sessions[0].decision?.by == "kalle")
        #expect(!order.sessions[0].status.feeDue)
        let substitute = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0002")])
        #expect(substitute.replaces == order.id && substitute.excludedExperts == ["kalle"])
        #expect(substitute.pendingOffers.map(\.expert) == ["sanna"])
        #expect(texts(given, to: "sanna").first?.hasPrefix("Hei Sanna! Sinulle tarjotaan tehtävää T-2026-0002") == true)
        // Given up once: a second try finds no session to give up.
        #expect(try await h.reply("kalle", "luovu T-2026-0001").hasPrefix("Tilaukseen T-2026-0001 ei voi enää tehdä muutoksia"))
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0003")] == nil)
    }

    @Test func aLateWithdrawalIsFlaggedAndOneTooCloseIsLeftToTheCoordinator() async throws {
        let h = try await booked()
        _ = try await h.advance(to: local(2026, 12, 7, 16))
        let late = try await h.send("kalle", "luovu T-2026-0001")
        #expect(texts(late, to: "kaisa").first?.contains("Myöhään: vapaan perumisen raja 7.12.2026 klo 15.00 oli jo ohi.") == true)
        #expect(texts(late, to: "kaisa").first?.contains("Syy: -") == true)
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0002")] != nil, "still time to offer it")

        let h2 = try await booked()
        _ = try await h2.advance(to: local(2026, 12, 8, 13, 50))
        let close = try await h2.send("kalle", "luovu T-2026-0001 flunssa")
        #expect(
            texts(close, to: "anna").first?.hasSuffix("Aikaa on liian vähän tarjota sitä muille; koordinaattori on saanut tiedon.") == true)
        #expect(texts(close, to: "kaisa").first?.contains("sovi tilaajan kanssa, miten tapaamisen käy") == true)
        #expect(await h2.state.orders[OrderID(rawValue: "T-2026-0002")] == nil)
        // A session that has begun cannot be given up.
        _ = try await h2.advance(to: local(2026, 12, 8, 14, 10))
        let h3 = try await booked()
        _ = try await h3.advance(to: local(2026, 12, 8, 14, 10))
        #expect(
            try await h3.reply("kalle", "luovu T-2026-0001").hasPrefix("Tapaaminen T-2026-0001 8.12.2026 klo 14.00 on jo alkanut tai ohi"))
        #expect(await h3.state.orders[OrderID(rawValue: "T-2026-0001")]?.sessions.first?.status == .planned)
    }

    @Test func everySessionToComeOfAProcessGoesAsOneNewOrder() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1", "Vertaistukea.", "3", "1"] {
            try await h.send("anna", answer)
        }
        try await h.send("anna", "kyllä")
        _ = try await h.send("kalle", "1")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.sessions.count == 3)
        _ = try await h.advance(to: local(2026, 12, 9, 9))
        let given = try await h.send("kalle", "luovu T-2026-0001 kaikki Muutan toiselle paikkakunnalle.")
        #expect(texts(given, to: "kalle").first?.contains("(15.12.2026 klo 14.00, 22.12.2026 klo 14.00)") == true)
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.sessions.map(\.status) == [.planned, .expertWithdrew, .expertWithdrew], "the first is over, not given up")
        let substitute = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0002")])
        #expect(substitute.sessions.map(\.index) == [1, 2])
        #expect(substitute.sessions.map(\.start) == [local(2026, 12, 15, 14), local(2026, 12, 22, 14)])
    }

    @Test func onlyTheExpertGivesATaskUpAndAnIdentityCodeIsNotKept() async throws {
        let h = try await booked()
        #expect(try await h.reply("anna", "luovu T-2026-0001").hasPrefix("Et voi tehdä tätä muutosta tilaukseen T-2026-0001"))
        #expect(try await h.reply("sanna", "luovu T-2026-0001").hasPrefix("Tilausta T-2026-0001 ei löydy"))
        let held = try await h.reply("kalle", "luovu T-2026-0001 asiakas 131052-308T ei ole minulle sopiva")
        #expect(held.contains("henkilötunnus"))
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.sessions.first?.status == .planned)
    }

    @Test func aTaskGivenUpIsClosedItsCalendarChangedAndNoDebriefOrPlanningIsPaid() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1", "Vertaistukea.", "3", "1"] {
            try await h.send("anna", answer)
        }
        try await h.send("anna", "kyllä")
        _ = try await h.send("kalle", "1")
        _ = h.transport.takeCalendars()
        _ = try await h.send("kalle", "luovu T-2026-0001 kaikki")
        // Every session given up: the order is closed, and both calendars are changed.
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.status == .cancelled && order.sessions.allSatisfy { $0.status == .expertWithdrew })
        #expect(Set(h.transport.takeCalendars().map(\.recipient)) == ["kalle", "anna"])
        #expect(!order.hasWorkDone(by: local(2026, 12, 30, 9)))
        // No work done: no debrief to ask for, and none paid.
        _ = try await h.advance(to: local(2026, 12, 9, 9))
        #expect(try await h.reply("kalle", "purku T-2026-0001").hasPrefix("Tehtävässä T-2026-0001 ei ole vielä tehty työtä"))
    }

    @Test func aGroupGivenUpBeforeItBeganTakesItsPlanningToTheNewOrder() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in [
            "tilaa", "3", "3", "2", "1", "ke 9.12. klo 14", "1,5 h", "2", "suomi", "2", "Vertaisryhmä päihteistä toipuville.", "ei",
            "kyllä", "2 h", "1",
        ] {
            try await h.send("anna", answer)
        }
        try await h.send("anna", "kyllä")
        let group = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        try #require(group.taskType == .group && group.planningMinutes == 120)
        _ = try await h.send("kalle", "1")
        _ = try await h.send("kalle", "luovu T-2026-0001 kaikki")
        let schedule = try FeeSchedule.load(file: repositoryRoot.appendingPathComponent("Config/fees.yaml"))
        let given = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(FeeCalculator(schedule: schedule).planningLine(of: given, now: local(2026, 12, 31, 9)) == nil)
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0002")]?.planningMinutes == 120)
    }

    @Test func whoGaveAPairsSessionUpIsNeverOfferedItsSubstitute() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "2", "2", "2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1", "Vertaistukea parina.", "1"] {
            try await h.send("anna", answer)
        }
        try await h.send("anna", "kyllä")
        _ = try await h.send("kalle", "1")
        _ = try await h.send("sanna", "1")
        // Kalle gives his half up: the substitute T-2026-0003 goes to someone else than Sanna.
        _ = try await h.send("kalle", "luovu T-2026-0001")
        let substitute = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0003")])
        #expect(substitute.excludedExperts.contains("kalle"))
        // Sanna gives hers up too: the open substitute is never offered to her.
        let after = try await h.send("sanna", "luovu T-2026-0002")
        #expect(texts(after, to: "sanna").allSatisfy { !$0.contains("Sinulle tarjotaan tehtävää T-2026-0003") })
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0003")]?.excludedExperts.contains("sanna") == true)
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0003")]?.pendingOffers.contains { $0.expert == "sanna" } == false)
    }
}
