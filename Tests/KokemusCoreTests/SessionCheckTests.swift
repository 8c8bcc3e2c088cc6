import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// "Toteutuiko?" (002): a session no one marked is not paid silently. The orderer is asked
/// the working day after; her answer goes on the session; the fee report lists what no one
/// confirmed apart.
@Suite struct SessionCheckTests {
    /// Anna's order for Tuesday 10.11.2026 at 14, taken by Kalle, who then says nothing.
    func unconfirmedSession() async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9))
        try await h.placeOrder(when: "ti 10.11. klo 14")
        _ = try await h.send("kalle", "1")
        let ended = try await h.advance(to: local(2026, 11, 10, 15, 40))
        #expect(!texts(ended, to: "anna").contains { $0.contains("Toteutuiko") }, "not asked the same day")
        // Both leave the questions of the session's end (hours, feedback) unanswered.
        _ = try await h.send("kalle", "peruuta")
        _ = try await h.send("anna", "peruuta")
        return h
    }

    @Test func theOrdererIsAskedTheWorkingDayAfterAndHerYesIsRecorded() async throws {
        let h = try await unconfirmedSession()
        #expect(try await h.advance(to: local(2026, 11, 11, 7, 59)).allSatisfy { $0.recipient != "anna" })
        let asked = try await h.advance(to: local(2026, 11, 11, 8))
        let question = try #require(texts(asked, to: "anna").first)
        #expect(
            question.hasPrefix(
                "Hei Anna! Toteutuiko tapaaminen T-2026-0001 10.11.2026 klo 14.00 (Yksilötyö asiakkaan kanssa, Kokemusasiantuntija K-12)?"))
        #expect(!question.contains("Kalle Heikkinen"), "the orderer sees the expert by the handle only")
        #expect(try await h.reply("anna", "1") == "Kiitos, Anna! Kirjattu: Kyllä, suunnitellusti.")
        let session = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.sessions.first)
        #expect(session.check?.answer == .held && session.check?.by == "anna")
        #expect(session.isMarked)
        // Asked once: not again, and the report on the 1st has no unconfirmed line.
        #expect(try await h.advance(to: local(2026, 11, 12, 9)).allSatisfy { $0.recipient != "anna" })
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        let report = try #require(await h.state.feeReports["P-2026-11-kalle-mielenterveys-porvoo"])
        #expect(report.lines.map(\.unconfirmed) == [nil])
    }

    @Test func noAnswerLeavesTheSessionApartOnTheFeeReport() async throws {
        let h = try await unconfirmedSession()
        _ = try await h.advance(to: local(2026, 11, 11, 8))
        let first = try await h.advance(to: local(2026, 12, 1, 8))
        let report = try #require(await h.state.feeReports["P-2026-11-kalle-mielenterveys-porvoo"])
        #expect(report.lines.map(\.unconfirmed) == [true])
        #expect(report.total == Money(cents: 3000), "paid as planned, but not silently")
        let shown = try #require(texts(first, to: "kalle").first { $0.contains("Palkkioilmoituksesi") })
        #expect(
            shown.contains(
                "Tarkistettavat (kukaan ei ole vahvistanut näitä, tai tilaajan mukaan ne eivät toteutuneet; laskettu suunnitellun mukaan):\n- 10.11.2026 klo 14.00 T-2026-0001"
            ))
    }

    @Test func aClientWhoDidNotComeIsAPaidNoShowAndTheExpertIsTold() async throws {
        let h = try await unconfirmedSession()
        _ = try await h.advance(to: local(2026, 11, 11, 8))
        let answered = try await h.send("anna", "2")
        #expect(texts(answered, to: "anna") == ["Kiitos, Anna! Kirjattu: Asiakas ei saapunut."])
        #expect(texts(answered, to: "kalle").first?.contains("asiakas ei saapunut tapaamiseen T-2026-0001") == true)
        let session = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.sessions.first)
        #expect(session.status == .clientNoShow && session.decision?.by == "anna")
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        let report = try #require(await h.state.feeReports["P-2026-11-kalle-mielenterveys-porvoo"])
        #expect(report.lines.map(\.outcome) == [.clientNoShow])
        #expect(report.lines.map(\.unconfirmed) == [nil])
    }

    @Test func notHeldGoesToTheCoordinatorAndTheExpertAndIsMarkedForTheApprover() async throws {
        let h = try await unconfirmedSession()
        _ = try await h.advance(to: local(2026, 11, 11, 8))
        #expect(try await h.reply("anna", "3").hasPrefix("Mitä tapahtui?"))
        // An identity code in what happened is refused, as everywhere.
        #expect(try await h.reply("anna", "Asiakas 131052-308T ei tullut").contains("henkilötunnus"))
        let answered = try await h.send("anna", "Kokemusasiantuntija ei tullut paikalle.")
        #expect(texts(answered, to: "anna") == ["Kiitos, Anna! Kirjattu: Ei toteutunut."])
        let told = try #require(texts(answered, to: "kaisa").first)
        #expect(told.contains("Tilaaja Anna Virtanen kertoo, ettei tapaaminen T-2026-0001 10.11.2026 klo 14.00"))
        #expect(told.contains("Kokemusasiantuntija ei tullut paikalle."))
        #expect(texts(answered, to: "kalle").first?.contains("Jos se toteutui, vahvista sen tunnit") == true)
        // Kalle says it took place: his hours stand, and the approver still sees the note.
        _ = try await h.send("kalle", "tunnit")
        _ = try await h.send("kalle", "kyllä")
        _ = try await h.send("kalle", "0")
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        let report = try #require(await h.state.feeReports["P-2026-11-kalle-mielenterveys-porvoo"])
        #expect(report.lines.map(\.unconfirmed) == [true])
        let confirmed = try await h.send("kalle", "1")
        let shown = try #require(texts(confirmed, to: "liisa").first)
        #expect(shown.contains("tilaajan mukaan ei toteutunut: Kokemusasiantuntija ei tullut paikalle."), "\(shown)")
    }

    @Test func aSessionTheExpertConfirmedIsNeverAskedAbout() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9))
        try await h.placeOrder(when: "ti 10.11. klo 14")
        _ = try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 11, 10, 15, 40))
        _ = try await h.send("kalle", "kyllä")
        _ = try await h.send("kalle", "0")
        _ = try await h.send("anna", "peruuta")
        #expect(try await h.advance(to: local(2026, 11, 11, 8)).allSatisfy { $0.recipient != "anna" })
        #expect(try await h.reply("anna", "toteutuiko") == "Sinulla ei ole tapaamisia, joiden toteutumista kysytään.")
        // Someone else cannot answer for Anna's sessions.
        #expect(try await h.reply("bengt", "genomförd") == "Du har inga träffar som frågan gäller.")
    }

    @Test func aSessionOnFridayIsAskedAboutOnMonday() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9))
        try await h.placeOrder(when: "pe 13.11. klo 14")
        _ = try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 11, 13, 16))
        _ = try await h.send("kalle", "peruuta")
        _ = try await h.send("anna", "peruuta")
        #expect(try await h.advance(to: local(2026, 11, 15, 12)).allSatisfy { $0.recipient != "anna" }, "not on Sunday")
        #expect(texts(try await h.advance(to: local(2026, 11, 16, 8)), to: "anna").count == 1)
    }

    @Test func theCoordinatorReleasesASessionThatDidNotTakePlaceWhileItsReportIsOpen() async throws {
        let h = try await unconfirmedSession()
        _ = try await h.advance(to: local(2026, 11, 11, 8))
        _ = try await h.send("anna", "3")
        _ = try await h.send("anna", "Kokemusasiantuntija ei tullut paikalle.")
        // Without a reason the coordinator is shown how; with one it is recorded, unpaid.
        #expect(try await h.reply("kaisa", "vapauta T-2026-0001 1").contains("vapauta T-2026-0001"))
        let released = try await h.send("kaisa", "vapauta T-2026-0001 1 Selvitetty: tapaaminen ei toteutunut.")
        #expect(texts(released, to: "kalle").first?.contains("Siitä ei makseta palkkiota") == true)
        #expect(texts(released, to: "anna").first?.contains("ei toteutunut") == true)
        let session = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.sessions.first)
        #expect(session.status == .cancelledFree && session.decision?.by == "kaisa")
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        #expect(await h.state.feeReports.isEmpty, "nothing to pay for November")
    }

    @Test func aReleaseWaitsUntilTheApproverReturnsTheReport() async throws {
        let h = try await unconfirmedSession()
        _ = try await h.advance(to: local(2026, 11, 11, 8))
        _ = try await h.send("anna", "3")
        _ = try await h.send("anna", "Asiakas ei ollut paikalla eikä kokemusasiantuntijakaan.")
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        _ = try await h.send("kalle", "1")  // confirmed: with the approver
        let refused = try await h.reply("kaisa", "vapauta T-2026-0001 1 Ei toteutunut.")
        #expect(refused.contains("P-2026-11-kalle-mielenterveys-porvoo") && refused.contains("palauttamaan"), "\(refused)")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.sessions.first?.status == .held)
    }

    @Test func theOrdererIsNotAskedWhileTheExpertsNoShowWaitsForHer() async throws {
        let h = try await unconfirmedSession()
        let claimed = try await h.send("kalle", "poissa T-2026-0001 asiakas ei tullut")
        #expect(!texts(claimed, to: "anna").isEmpty, "Anna is asked to confirm the no-show")
        #expect(try await h.advance(to: local(2026, 11, 11, 8)).allSatisfy { !$0.text.contains("Toteutuiko") })
    }
}
