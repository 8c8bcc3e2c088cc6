import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Relays at night (the quiet hours of `reminders:`, 21–08) wait for the recipient's morning
/// unless the sender marks them urgent; the sender is told when it goes.
@Suite struct QuietHoursRelayTests {
    func booked() async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        return h
    }

    @Test func aRelayAtNightWaitsForTheMorningAndTheSenderIsToldWhen() async throws {
        let h = try await booked()
        _ = try await h.advance(to: local(2026, 12, 1, 22, 30))
        let sent = try await h.send("anna", "viesti T-2026-0001 Tuletko huomenna aiemmin?")
        #expect(texts(sent, to: "kalle").isEmpty, "not at night")
        #expect(
            texts(sent, to: "anna") == [
                "Viesti tallennettu (tilaus T-2026-0001). Nyt on hiljainen aika, joten se välitetään 2.12.2026 klo 8.00. "
                    + "Jos asia ei voi odottaa aamuun, lähetä se kiireellisenä: viesti kiire T-2026-0001 ja viesti "
                    + "(tämä välitetään silti aamulla)."
            ])
        #expect(try await h.advance(to: local(2026, 12, 2, 7, 59)).allSatisfy { $0.recipient != "kalle" })
        // As after a restart in the night: it still waits, then goes.
        try h.restart()
        #expect(try await h.advance(to: local(2026, 12, 2, 7, 59) + 30).allSatisfy { $0.recipient != "kalle" })
        let morning = try await h.advance(to: local(2026, 12, 2, 8))
        #expect(texts(morning, to: "kalle").first?.contains("Tuletko huomenna aiemmin?") == true)
        #expect(await h.state.outbox.isEmpty)
    }

    @Test func anUrgentRelayGoesAtOnceAndDoesNotWaitBehindAHeldOne() async throws {
        let h = try await booked()
        _ = try await h.advance(to: local(2026, 12, 1, 23))
        _ = try await h.send("anna", "viesti T-2026-0001 Huomisen asia, ei kiirettä.")
        let urgent = try await h.send("anna", "viesti T-2026-0001 kiire: Asiakas perui, älä lähde matkaan.")
        #expect(texts(urgent, to: "kalle").count == 1)
        #expect(texts(urgent, to: "kalle").first?.contains("KIIREELLINEN: Asiakas perui, älä lähde matkaan.") == true)
        #expect(texts(urgent, to: "anna") == ["Viesti välitetty (tilaus T-2026-0001)."])
        // The word may also come first, in any language the vocabulary knows.
        let first = try await h.send("kalle", "viesti urgent T-2026-0001 Selvä, kiitos.")
        #expect(texts(first, to: "anna").first?.contains("KIIREELLINEN: Selvä, kiitos.") == true)
        // The held one goes in the morning.
        let morning = try await h.advance(to: local(2026, 12, 2, 8))
        #expect(texts(morning, to: "kalle").first?.contains("Huomisen asia, ei kiirettä.") == true)
    }

    @Test func anUrgentWordInTheMessageItselfIsJustAWord() async throws {
        let h = try await booked()
        _ = try await h.advance(to: local(2026, 12, 1, 23))
        // "No hurry": held for the morning, and the word stays in the message.
        let calm = try await h.send("anna", "viesti T-2026-0001 Kiire ei ole, siirretään ensi viikkoon.")
        #expect(texts(calm, to: "kalle").isEmpty)
        let morning = try await h.advance(to: local(2026, 12, 2, 8))
        #expect(texts(morning, to: "kalle").first?.contains("Kiire ei ole, siirretään ensi viikkoon.") == true)
        #expect(texts(morning, to: "kalle").first?.contains("KIIREELLINEN") == false)
    }

    @Test func anUrgentRelayInTheMiddleOfAnotherQuestionIsARelay() async throws {
        let h = try await booked()
        _ = try await h.advance(to: local(2026, 12, 1, 23))
        for answer in ["tilaa", "1", "2", "1", "ke 16.12. klo 14", "1,5 h", "2", "suomi", "1"] { try await h.send("anna", answer) }
        // At the description: the urgent relay goes to Kalle, not into the new order.
        let sent = try await h.send("anna", "viesti kiire T-2026-0001 asiakas perui, älä lähde")
        #expect(texts(sent, to: "kalle").first?.contains("KIIREELLINEN: asiakas perui, älä lähde") == true)
        #expect(await h.state.conversations["anna"]?.slots["description"] == nil)
    }

    @Test func anEarlyMorningRelayWaitsOnlyUntilEightAndDaytimeRelaysGoAtOnce() async throws {
        let h = try await booked()
        _ = try await h.advance(to: local(2026, 12, 2, 6))
        let early = try await h.send("kalle", "viesti T-2026-0001 Olen paikalla ajoissa.")
        #expect(texts(early, to: "anna").isEmpty)
        #expect(texts(early, to: "kalle").first?.contains("2.12.2026 klo 8.00") == true)
        _ = try await h.advance(to: local(2026, 12, 2, 8))
        _ = try await h.advance(to: local(2026, 12, 2, 20, 59))
        let day = try await h.send("kalle", "viesti T-2026-0001 Vielä yksi asia.")
        #expect(texts(day, to: "anna").count == 1)
    }

    @Test func aCountyMayLetRelaysThroughAtNight() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let file = directory.appendingPathComponent("kokemus.yaml")
        try "reminders: {hold_relays_at_night: false}\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try KokemusConfig.load(file: file).reminders.holdRelaysAtNight == false)
        try "reminders: {quiet_from: \"21:00\"}\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try KokemusConfig.load(file: file).reminders.holdRelaysAtNight == true)
        let working = WorkingTime()
        #expect(working.endOfQuietHours(around: local(2026, 12, 5, 23)) == local(2026, 12, 6, 8), "weekends too")
        #expect(working.endOfQuietHours(around: local(2026, 12, 5, 12)) == nil)
        #expect(working.endOfQuietHours(around: local(2026, 12, 5, 21)) == local(2026, 12, 6, 8))
        #expect(working.endOfQuietHours(around: local(2026, 12, 5, 7, 59)) == local(2026, 12, 5, 8))
    }
}
