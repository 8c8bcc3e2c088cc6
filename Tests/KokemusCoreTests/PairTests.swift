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
                    : "Tehtävä: Työparityö, kokemusasiantuntijaparina (tarjotaan kahdelle kokemusasiantuntijalle; varaus vahvistuu, kun molemmat ovat ottaneet sen)\n"
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
        #expect(
            texts(placed, to: "anna").last?.hasPrefix("Kiitos! Tilaukset T-2026-0001, T-2026-0002 on tallennettu, yksi kummallekin") == true
        )
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
            texts(half, to: "kalle") == [
                "Kiitos, Kalle! Olet mukana tehtävässä T-2026-0001. Se tehdään kokemusasiantuntijaparina: vahvistus tulee omana viestinään, kun myös parin toinen kokemusasiantuntija on löytynyt."
            ])
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

    /// Each half of a pair is changed by itself; the expert of the other half hears of a
    /// change to a session they still share (without the reason for an illness), and the
    /// orderer gets the command for the other half too. A substitute joins the pair: the
    /// other expert hears who it is, is not confirmed again, and hears of its changes; the
    /// ill expert hears of none.
    @Test func aChangeToOneHalfOfAStandingPairIsToldToTheOther() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        try await standingPair(h)
        // Kalle falls ill: Sanna hears it, not why; Anna gets the command for Sanna's half.
        let ill = try await h.send("kalle", "sairas T-2026-0001 flunssa")
        let toSanna = try #require(texts(ill, to: "sanna").first)
        #expect(texts(ill, to: "sanna").count == 1)
        #expect(toSanna.contains("parin toisen tilauksen T-2026-0001 kokemusasiantuntija on estynyt"), "\(toSanna)")
        #expect(toSanna.contains("Sinun tehtäväsi T-2026-0002 (8.12.2026 klo 14.00) on ennallaan"), "\(toSanna)")
        #expect(!toSanna.contains("flunssa"))
        #expect(
            texts(ill, to: "anna").contains {
                $0.hasPrefix("Parin toinen tilaus T-2026-0002 on ennallaan") && $0.hasSuffix("peru T-2026-0002 syy")
            }, "\(ill)")
        // A substitute, offered by hand to Johan: paired with Sanna's half, never Sanna herself.
        _ = try await h.send("anna", "korvaaja T-2026-0001")
        let substitute = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0003")])
        #expect(substitute.pairedWith == OrderID(rawValue: "T-2026-0002") && substitute.excludedExperts == ["kalle"])
        _ = try await h.send("kaisa", "tarjoa T-2026-0003 johan")
        let joined = try await h.send("johan", "1")
        #expect(
            texts(joined, to: "sanna") == [
                "Sanna, työparisi on löytynyt: tehtävässä T-2026-0002 (8.12.2026 klo 14.00) kanssasi on Erfarenhetsexpert J-03 (tilaus T-2026-0003)."
            ], "\(joined)")
        #expect(!joined.contains { $0.recipient == "kalle" })
        // Anna moves Sanna's half; Sanna agrees. Johan hears it (in Swedish), Kalle does not.
        _ = try await h.send("anna", "siirrä T-2026-0002 9.12. klo 10")
        let moved = try await h.send("sanna", "siirrä T-2026-0002 kyllä")
        #expect(!moved.contains { $0.recipient == "kalle" })
        let toJohan = try #require(texts(moved, to: "johan").first, "\(moved)")
        #expect(
            toJohan.contains(
                "information om ditt arbetspar: träffen i parets andra beställning T-2026-0002 flyttades från 8.12.2026 kl. 14.00 till 9.12.2026 kl. 10.00"
            ), "\(toJohan)")
        // The command Anna is given moves Johan's half to the same time, as written.
        let hint = try #require(texts(moved, to: "anna").last, "\(moved)")
        #expect(hint.hasSuffix("siirrä T-2026-0003 9.12.2026 klo 10.00"), "\(hint)")
        let proposed = try await h.send("anna", "siirrä T-2026-0003 9.12.2026 klo 10.00")
        #expect(texts(proposed, to: "johan").count == 1, "\(proposed)")
        let both = try await h.send("johan", "flytta T-2026-0003 ja")
        // Sanna's session is at the new time already: nothing to tell her.
        #expect(!both.contains { $0.recipient == "sanna" }, "\(both)")
        let sanna = await h.state.orders[OrderID(rawValue: "T-2026-0002")]
        let johan = await h.state.orders[OrderID(rawValue: "T-2026-0003")]
        #expect(sanna?.sessions.first?.start == local(2026, 12, 9, 10) && johan?.sessions.first?.start == local(2026, 12, 9, 10))
        // Johan's session is cancelled: Sanna hears it.
        let cancelled = try await h.send("anna", "peru T-2026-0003 ei tarvita")
        #expect(
            texts(cancelled, to: "sanna").contains {
                $0.contains("parin toisen tilauksen T-2026-0003 kerta 9.12.2026 klo 10.00 peruttiin")
            }, "\(cancelled)")
    }

    /// A substitute taken for a half that was waiting: it waits for the other half in its
    /// place, and when that is taken both stand; the ill expert is not confirmed.
    @Test func aSubstituteForAWaitingHalfStandsWithTheOther() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        _ = try await orderPair(h, with: "2")
        _ = try await h.send("kalle", "1")
        // Before the pair stands, a half cannot be moved: the other is offered at the old time.
        #expect(try await h.reply("anna", "siirrä T-2026-0001 9.12. klo 10").contains("eikä pari ole vielä vahvistunut"))
        _ = try await h.send("kalle", "sairas T-2026-0001")
        _ = try await h.send("anna", "korvaaja T-2026-0001")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0003")]?.pairedWith == OrderID(rawValue: "T-2026-0002"))
        _ = try await h.send("kaisa", "tarjoa T-2026-0003 johan")
        let waiting = try await h.send("johan", "1")
        #expect(
            texts(waiting, to: "johan").last?.contains("bekräftelsen kommer i ett eget meddelande när också parets andra") == true,
            "\(waiting)")
        let stood = try await h.send("sanna", "1")
        #expect(texts(stood, to: "johan").contains { $0.hasPrefix("Uppdraget T-2026-0003 är bekräftat för dig") }, "\(stood)")
        #expect(texts(stood, to: "sanna").contains { $0.hasPrefix("Tehtävä T-2026-0002 on vahvistettu sinulle") })
        #expect(!stood.contains { $0.recipient == "kalle" }, "Kalle is ill: no confirmation")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0003")]?.pairStoodAt != nil)
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.pairStoodAt == nil)
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

    /// A half taken whose other half is never taken does not become a booking once the time
    /// has passed: it was never confirmed, and is not paid as if it had been.
    @Test func aHalfWhoseOtherIsNeverTakenIsNotConfirmedAfterwards() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        _ = try await orderPair(h, with: "2")
        _ = try await h.send("kalle", "1")
        _ = try await h.send("sanna", "2")
        let after = try await h.advance(to: local(2026, 12, 9, 9))
        #expect(!after.contains { $0.text.contains("yhden kokemusasiantuntijan voimin") }, "\(after)")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.pairStoodAt == nil)
    }

    /// In a pair process, a substitute for one meeting is paired only with a half doing that
    /// same meeting: with the other half's meeting cancelled since, it is offered and stands alone,
    /// and the other expert is not told of a partner on a meeting they do not do.
    @Test func aSubstituteIsPairedOnlyForTheMeetingItReplaces() async throws {
        let (h, directory) = try harness()
        defer { cleanUp(directory) }
        for answer in ["tilaa", "2", "2", "2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1", "Vertaistukea parina.", "2"] {
            try await h.send("anna", answer)
        }
        for answer in ["1", "kyllä"] { try await h.send("anna", answer) }
        _ = try await h.send("kalle", "1")
        _ = try await h.send("sanna", "1")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0002")]?.sessions.count == 2)
        _ = try await h.send("kalle", "sairas T-2026-0001 1")
        _ = try await h.send("anna", "korvaaja T-2026-0001")
        let substitute = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0003")])
        #expect(substitute.pairedWith == OrderID(rawValue: "T-2026-0002"))
        // Then Sanna's half of that meeting is cancelled; her second meeting stands.
        _ = try await h.send("anna", "peru T-2026-0002 1 ei tarvita")
        let offered = try await h.send("kaisa", "tarjoa T-2026-0003 johan")
        #expect(texts(offered, to: "johan").first.map { !$0.contains("erfarenhetsexpertpar") } == true, "\(offered)")
        // (Sanna, free at that time now, had been offered it too: hers is withdrawn.)
        let taken = try await h.send("johan", "1")
        #expect(!taken.contains { $0.recipient == "sanna" && $0.text.contains("työparisi") }, "\(taken)")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0003")]?.assignedExpert == "johan")
    }
}
