import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Offers through the gateway with the shipped flows and the example registry: who is
/// asked, what they see, and what happens on accept, decline, deadline and restart.
@Suite struct OfferTests {
    static let start = local(2026, 12, 1, 9)

    func harness(_ policy: MatchingPolicy = MatchingPolicy()) throws -> GatewayHarness {
        try GatewayHarness(flows: try shippedFlows(), now: Self.start, matching: policy)
    }

    @discardableResult
    func placeOrder(_ h: GatewayHarness, when: String = "ti 8.12. klo 14") async throws -> [(recipient: PersonID, text: String)] {
        try await h.placeOrder(when: when)
    }

    @Test func theBestCandidateIsOfferedTheTaskWithoutTheClientsIdentity() async throws {
        let h = try harness()
        let delivered = try await placeOrder(h)
        let offer = try #require(texts(delivered, to: "kalle").first)
        #expect(offer.contains("T-2026-0001"))
        #expect(offer.contains("Päihteet"))
        #expect(offer.contains("8.12.2026 klo 14.00"))
        // 24 hours of working time (8–21) from Tuesday 9.00: twelve on Tuesday, twelve on Wednesday.
        #expect(offer.contains("Vastaa viimeistään 2.12.2026 klo 20.00"))
        #expect(texts(delivered, to: "sanna").isEmpty)
        #expect(await h.state.conversations["kalle"]?.flowID == "offer")
    }

    @Test func theFirstToAcceptWinsAndTheOtherOfferIsWithdrawn() async throws {
        let h = try harness(MatchingPolicy(offersAtOnce: 2))
        let delivered = try await placeOrder(h)
        #expect(texts(delivered, to: "kalle").count == 1)
        #expect(texts(delivered, to: "sanna").count == 1)

        let accepted = try await h.send("sanna", "1")
        #expect(texts(accepted, to: "kalle").first?.contains("ehti jo toiselle") == true)
        let confirmation = try #require(texts(accepted, to: "anna").first)
        #expect(confirmation.contains("Kokemusasiantuntija S-07"))
        #expect(await h.state.conversations["kalle"] == nil)

        // Kalle's late "1" answers nothing: his offer is gone.
        let late = try await h.send("kalle", "1")
        #expect(texts(late, to: "anna").isEmpty)
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.assignedExpert == "sanna")
        #expect(order.offers.map(\.status) == [.withdrawn, .accepted])
    }

    func react(_ h: GatewayHarness, _ person: PersonID, _ gesture: InboundMessage.Gesture) async throws
        -> [(recipient: PersonID, text: String)]
    {
        try await h.gateway.receive(
            InboundMessage(
                id: UUID().uuidString, channel: .matrix, sender: person, text: "",
                receivedAt: h.clock.now(), gesture: gesture))
        await h.gateway.deliverOutbox()
        return h.transport.take()
    }

    @Test func aThumbsUpOnAnOfferTakesItAndAThumbsDownDeclinesIt() async throws {
        let h = try harness()
        try await placeOrder(h)
        let declined = try await react(h, "kalle", .no)
        #expect(texts(declined, to: "kalle").first?.contains("kiitos vastauksesta") == true)
        #expect(texts(declined, to: "sanna").first?.contains("T-2026-0001") == true)
        let accepted = try await react(h, "sanna", .yes)
        #expect(texts(accepted, to: "anna").first?.contains("Kokemusasiantuntija S-07") == true)
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == "sanna")
    }

    @Test func aReactionThatCannotAnswerTheQuestionGetsAHintAndNoneWithoutAQuestion() async throws {
        let h = try harness()
        try await placeOrder(h)
        // Kalle asks first; the question he is asked now is free text.
        try await h.send("kalle", "3")
        let hinted = try await react(h, "kalle", .yes)
        #expect(texts(hinted, to: "kalle").count == 1)
        #expect(texts(hinted, to: "kalle").first?.hasPrefix("Reaktio ei vastaa tähän kysymykseen.") == true)
        #expect(texts(hinted, to: "anna").isEmpty)
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == nil)
        // Anna has no question open: her 👍 (a thank-you) gets no answer.
        #expect(try await react(h, "anna", .yes).isEmpty)
    }

    @Test func aDeclineGoesToTheNextCandidate() async throws {
        let h = try harness()
        try await placeOrder(h)
        let declined = try await h.send("kalle", "2")
        #expect(texts(declined, to: "kalle").first?.contains("kiitos vastauksesta") == true)
        #expect(texts(declined, to: "sanna").first?.contains("T-2026-0001") == true)
    }

    @Test func anOfferWaitsWhileTheExpertIsBusyAndShowsWhenTheyAreDone() async throws {
        let h = try harness()
        try await placeOrder(h)
        // A second order comes while Kalle still has the first one in front of him.
        let second = try await placeOrder(h, when: "ke 9.12. klo 10")
        let notice = try #require(texts(second, to: "kalle").first)
        #expect(notice.contains("T-2026-0002"))
        #expect(notice.contains("Näytän sen, kun nykyinen asiasi on valmis"))
        // Declining the first shows the second at once.
        let next = try await h.send("kalle", "2")
        #expect(texts(next, to: "kalle").last?.contains("Sinulle tarjotaan tehtävää T-2026-0002") == true)
    }

    @Test func anExpertsStatusListsOffersBookingsAndHours() async throws {
        let h = try harness()
        try await placeOrder(h)
        let offered = try await h.reply("kalle", "tila")
        #expect(
            offered.contains(
                "Tarjouksia odottaa vastaustasi (tarjous):\n- T-2026-0001: 8.12.2026 klo 14.00, vastaa viimeistään 2.12.2026 klo 20.00"))
        #expect(!offered.contains("Sinulla ei ole tilauksia"), "an expert orders nothing")
        try await h.send("kalle", "1")
        let booked = try await h.reply("kalle", "tila")
        #expect(booked.contains("Tulevat tapaamisesi:\n- T-2026-0001: 8.12.2026 klo 14.00, 1 h 30 min, Yksilötyö asiakkaan kanssa, etänä"))
        _ = try await h.advance(to: local(2026, 12, 8, 16))
        try await h.send("kalle", "peruuta")
        #expect(try await h.reply("kalle", "tila").contains("Vahvistamattomia tunteja: 1 tapaaminen (kirjoita tunnit)."))
    }

    @Test func anAcceptanceAfterARestartBooksTheExpert() async throws {
        let h = try harness()
        try await placeOrder(h)
        try h.restart()
        let accepted = try await h.send("kalle", "1")
        #expect(texts(accepted, to: "anna").first?.contains("Kokemusasiantuntija K-12") == true)
        #expect(texts(accepted, to: "kalle").contains { $0.contains("on vahvistettu sinulle") })
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == "kalle")
    }

    @Test func anOfferLapsesAtItsDeadlineOnceEvenAcrossARestart() async throws {
        let h = try harness()
        try await placeOrder(h)
        // The deadline is 2.12. at 20.00 (24 working hours from 1.12. at 9.00); the reminder
        // is due four hours before it.
        #expect(try await h.advance(hours: 30.5).isEmpty)
        #expect(await h.gateway.nextDeadline() == local(2026, 12, 2, 16))
        let reminder = try await h.advance(hours: 0.5)
        #expect(texts(reminder, to: "kalle").first?.contains("Muistutus") == true)
        #expect(try await h.advance(hours: 3.5).isEmpty)
        try h.restart()
        let lapsed = try await h.advance(hours: 0.5)
        #expect(texts(lapsed, to: "kalle").first?.contains("vastausaika päättyi") == true)
        #expect(texts(lapsed, to: "sanna").first?.contains("T-2026-0001") == true)
        try h.restart()
        #expect(try await h.advance(hours: 0.1).isEmpty)
        #expect(await h.state.conversations["kalle"] == nil)
    }

    @Test func anOrderNobodyCanTakeIsReportedToTheCoordinatorAtOnce() async throws {
        let h = try harness()
        // Homelessness in Swedish: no expert of the example registry has both.
        for answer in ["tilaa", "1", "4", "1", "ti 8.12. klo 14", "1 h", "2", "svenska", "1", "Tarvitaan tukea asumiseen.", "1"] {
            try await h.send("anna", answer)
        }
        let delivered = try await h.send("anna", "kyllä")
        #expect(texts(delivered, to: "kaisa").contains { $0.contains("ei ole vielä löytynyt kokemusasiantuntijaa") })
        let candidates = try await h.reply("kaisa", "ehdokkaat T-2026-0001")
        #expect(candidates.contains("ei ole sopivia ehdokkaita"))
        #expect(candidates.contains("Sanna Lehtonen (sanna): ei kieltä"))
    }

    @Test func coordinatorToolsAreForCoordinatorsAndCommandWordsInAnswersStayAnswers() async throws {
        let h = try harness()
        #expect(try await h.reply("anna", "tilaukset").contains("koordinaattoreille"))
        for answer in ["tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1"] {
            try await h.send("anna", answer)
        }
        // "jatka ..." is an answer here, not the coordinator's resume command.
        try await h.send("anna", "jatka aiemmin aloitettua vertaistukea")
        let text = try await h.reply("anna", "1")
        #expect(text.contains("Tarkista tilaus"))
        #expect(text.contains("jatka aiemmin aloitettua vertaistukea"))
    }

    @Test func aPausedExpertGetsNoOffersAndTheirOfferIsWithdrawn() async throws {
        let h = try harness()
        try await placeOrder(h)
        let paused = try await h.send("kaisa", "tauko kalle")
        #expect(texts(paused, to: "kaisa").first?.contains("on tauolla") == true)
        #expect(texts(paused, to: "sanna").first?.contains("T-2026-0001") == true)
        #expect(await h.state.conversations["kalle"] == nil)
        #expect(await h.state.pausedExperts == ["kalle"])
    }
}
