import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Pair work (000 §4.3, 004): an expert pair is two linked orders, offered to two people,
/// booked when both have taken it and paid apart; or an expert with a named professional.
@Suite struct PairTests {
    /// The example registry: Kalle and Sanna both take pair work.
    func harness() throws -> (GatewayHarness, URL) {
        let directory = try exampleRegistry()
        return (try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: directory), directory)
    }

    func orderPair(_ h: GatewayHarness, with other: String) async throws -> [(recipient: PersonID, text: String)] {
        for answer in ["tilaa", "2"] { try await h.send("anna", answer) }
        let asked = try await h.reply("anna", other)
        if other == "1" {
            #expect(asked.hasPrefix("Kuka ammattilainen toimii työparina?"))
            try await h.send("anna", "Anna Virtanen, sairaanhoitaja")
        }
        for answer in ["2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1", "Vertaistukea parina."] {
            try await h.send("anna", answer)
        }
        // The confirmation names the pair before anything is sent.
        let confirmation = try await h.reply("anna", "1")
        #expect(
            confirmation.contains(
                other == "1"
                    ? "Tehtävä: Työparityö, työparina ammattilainen Anna Virtanen, sairaanhoitaja\n"
                    : "Tehtävä: Työparityö, kokemusasiantuntijaparina (tarjotaan kahdelle; varaus vahvistuu, kun molemmat ovat ottaneet sen)\n"
            ), "\(confirmation)")
        return try await h.send("anna", "kyllä")
    }

    /// Both orders taken: a standing pair of Kalle (T-2026-0001) and Sanna (T-2026-0002).
    func standingPair(_ h: GatewayHarness) async throws {
        _ = try await orderPair(h, with: "2")
        _ = try await h.send("kalle", "1")
        _ = try await h.send("sanna", "1")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0002")]?.pairStoodAt != nil)
    }

    @Test func anExpertPairIsTwoOrdersBookedWhenBothHaveTakenIt() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        let placed = try await orderPair(h, with: "2")
        let first = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        let second = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0002")])
        #expect(first.pairedWith == second.id && second.pairedWith == first.id)
        #expect(first.taskType == .pair && second.durationMinutes == first.durationMinutes)
        // Two people: Kalle is offered one, Sanna the other, never one person both.
        let kalles = try #require(texts(placed, to: "kalle").first)
        #expect(kalles.contains("T-2026-0001") && kalles.contains("toinen kokemusasiantuntija tilauksessa T-2026-0002"))
        #expect(texts(placed, to: "sanna").first?.contains("T-2026-0002") == true)
        #expect(second.pendingOffers.map(\.expert) == ["sanna"])
        // Kalle takes his: not yet a booking.
        let half = try await h.send("kalle", "1")
        // Remote work: no travel to agree, and Kalle is told the confirmation waits for the pair.
        #expect(
            texts(half, to: "kalle").last
                == "Kiitos, Kalle! Vahvistus tulee omana viestinään, kun parin toinen kokemusasiantuntija on löytynyt.")
        #expect(texts(half, to: "kalle").first?.contains("vahvistus tulee, kun myös parin toinen") == true)
        #expect(texts(half, to: "anna").first?.contains("Varaus vahvistuu, kun myös parin toinen") == true)
        #expect(h.transport.takeCalendars().isEmpty, "no invitation before the pair stands")
        // Sanna takes the other: both are confirmed, to everyone, with invitations.
        let whole = try await h.send("sanna", "1")
        #expect(texts(whole, to: "anna").count == 2)
        #expect(texts(whole, to: "kalle").contains { $0.contains("on vahvistettu sinulle") })
        #expect(texts(whole, to: "sanna").contains { $0.contains("on vahvistettu sinulle") })
        #expect(h.transport.takeCalendars().count == 4)
        // The ranking says why Kalle is not for the other order.
        let ranking = try await h.reply("kaisa", "ehdokkaat T-2026-0002")
        #expect(ranking.contains("Kalle Heikkinen (kalle): ") && ranking.contains("parin toisessa tilauksessa"), "\(ranking)")
    }

    @Test func pairWorkWithAProfessionalNamesThemInTheOffer() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        let placed = try await orderPair(h, with: "1")
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.pairedWith == nil && order.secondFacilitator?.text == "Anna Virtanen, sairaanhoitaja")
        #expect(await h.state.orders.count == 1)
        #expect(texts(placed, to: "kalle").first?.contains("Työparina ammattilainen: Anna Virtanen, sairaanhoitaja.") == true)
    }

    @Test func halfAPairIsNoBookingUntilItStandsAndStandsAloneIfTheOtherIsCancelled() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        _ = try await orderPair(h, with: "2")
        _ = try await h.send("kalle", "1")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.waitsForPair == true)
        // Sanna declines; no one else fits T-2026-0002. Kalle gets no reminder for a booking
        // that does not stand.
        _ = try await h.send("sanna", "2")
        let dayBefore = try await h.advance(to: local(2026, 12, 7, 8))
        #expect(texts(dayBefore, to: "kalle").allSatisfy { !$0.hasPrefix("Muistutus") }, "\(dayBefore)")
        // Anna cancels the other order: Kalle's stands alone, and both are told.
        let cancelled = try await h.send("anna", "peru T-2026-0002 toinen ei tarpeen")
        #expect(texts(cancelled, to: "kalle").contains { $0.contains("tehdään yhden kokemusasiantuntijan voimin") })
        #expect(texts(cancelled, to: "anna").contains { $0.contains("Varaus on nyt vahvistettu") })
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.waitsForPair == false)
    }

    /// Each order of a pair is changed by itself; the other expert hears of a change to their
    /// partner's order (without the reason for an illness), and the orderer how to change the
    /// other order too. A second order changed the same way tells the first expert likewise.
    @Test func aChangeToOneOrderOfAStandingPairIsToldToTheOther() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        try await standingPair(h)
        // Kalle falls ill: Sanna hears it, not why; Anna is reminded that T-2026-0002 stands.
        let ill = try await h.send("kalle", "sairas T-2026-0001 flunssa")
        let toSanna = try #require(texts(ill, to: "sanna").first)
        #expect(texts(ill, to: "sanna").count == 1)
        #expect(toSanna.contains("parin toisen tilauksen T-2026-0001 kokemusasiantuntija on estynyt"), "\(toSanna)")
        #expect(toSanna.contains("Sinun tehtäväsi T-2026-0002 (8.12.2026 klo 14.00) on ennallaan"), "\(toSanna)")
        #expect(!toSanna.contains("flunssa"))
        #expect(texts(ill, to: "anna").contains { $0.contains("Tilauksen T-2026-0001 pari, tilaus T-2026-0002, on ennallaan") })
        // Anna moves Sanna's session and Sanna agrees: Kalle's order, with its ill session, is
        // not standing with a planned session, yet Kalle still hears of it.
        _ = try await h.send("anna", "siirrä T-2026-0002 9.12. klo 10")
        let moved = try await h.send("sanna", "siirrä T-2026-0002 kyllä")
        let toKalle = try #require(texts(moved, to: "kalle").first, "\(moved)")
        #expect(toKalle.contains("kerta siirtyi ajasta 8.12.2026 klo 14.00 aikaan 9.12.2026 klo 10.00"), "\(toKalle)")
        #expect(toKalle.contains("Sinun tehtäväsi T-2026-0001 (-)"), "\(toKalle)")
        // Anna cancels Sanna's session: Kalle hears it.
        let cancelled = try await h.send("anna", "peru T-2026-0002 ei tarvita")
        #expect(
            texts(cancelled, to: "kalle").contains { $0.contains("parin toisen tilauksen T-2026-0002 kerta 9.12.2026 klo 10.00 peruttiin") }
        )
        #expect(texts(cancelled, to: "anna").contains { $0.contains("Tilauksen T-2026-0002 pari, tilaus T-2026-0001, on ennallaan") })
    }

    /// A pair with a professional, or an order that is no pair, tells no one else of a change.
    @Test func aChangeToAnOrderThatIsNoExpertPairTellsNoPartner() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        _ = try await orderPair(h, with: "1")
        _ = try await h.send("kalle", "1")
        let cancelled = try await h.send("anna", "peru T-2026-0001 ei tarvita")
        #expect(Set(cancelled.map(\.recipient)) == ["anna", "kalle"], "\(cancelled)")
        #expect(!cancelled.contains { $0.text.contains("ennallaan") })
    }
}
