import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Reminders through the gateway with the shipped flows and the example registry: they go
/// out once (also across restarts), only in working time, and catch up as one message.
@Suite struct ReminderTests {
    func harness(at start: Date = local(2026, 12, 1, 9)) throws -> GatewayHarness {
        try GatewayHarness(flows: try shippedFlows(), now: start)
    }

    /// An order for `when`, accepted by Kalle.
    func book(_ h: GatewayHarness, when: String) async throws {
        try await h.placeOrder(when: when)
        let accepted = try await h.send("kalle", "1")
        #expect(texts(accepted, to: "kalle").contains { $0.contains("on vahvistettu sinulle") })
    }

    @Test func aSessionTomorrowIsRemindedOnceToBothEvenAcrossARestart() async throws {
        let h = try harness()
        try await book(h, when: "ti 8.12. klo 14")
        #expect(try await h.advance(to: local(2026, 12, 7, 7, 59)).isEmpty, "not before 8.00 on the day before")
        let due = try await h.advance(to: local(2026, 12, 7, 8, 0))
        #expect(due.map(\.recipient).sorted() == ["anna", "kalle"])
        #expect(
            texts(due, to: "kalle").first
                == "Muistutus, Kalle: tehtävä T-2026-0001 (Yksilötyö asiakkaan kanssa) on 8.12.2026 klo 14.00, 1 h 30 min. Paikka: etänä.")
        let annas = try #require(texts(due, to: "anna").first)
        #expect(annas.contains("Kokemusasiantuntija: Kokemusasiantuntija K-12"))
        #expect(!annas.contains("kalle"), "the employee's reminder names the expert only by the handle")
        // As after a kill -9: the store is opened again and the timers run from it.
        try h.restart()
        #expect(try await h.advance(to: local(2026, 12, 7, 8, 1)).isEmpty)
        #expect(try await h.advance(to: local(2026, 12, 8, 9)).isEmpty)
    }

    @Test func aReminderDueOnFridayWaitsOutTheWeekendAndTheNight() async throws {
        let h = try harness()
        try await book(h, when: "ma 14.12. klo 10")
        // Due on Friday 11.12. at 8.00; the gateway is down from Thursday to Saturday night.
        #expect(try await h.advance(to: local(2026, 12, 10, 20)).isEmpty)
        #expect(try await h.advance(to: local(2026, 12, 12, 23)).isEmpty, "not on a Saturday night")
        #expect(try await h.advance(to: local(2026, 12, 13, 12)).isEmpty, "not on a Sunday")
        #expect(try await h.advance(to: local(2026, 12, 14, 7, 30)).isEmpty, "not before 8.00")
        let due = try await h.advance(to: local(2026, 12, 14, 8))
        #expect(due.map(\.recipient).sorted() == ["anna", "kalle"])
        // Once the session has started, a missed reminder is pointless and is not sent.
    }

    @Test func aMissedReminderIsDroppedOnceTheSessionHasStarted() async throws {
        let h = try harness()
        try await book(h, when: "ma 14.12. klo 10")
        #expect(try await h.advance(to: local(2026, 12, 14, 10, 30)).isEmpty)
    }

    @Test func aHolidayIsSkippedAndDueRemindersCatchUpAsOneMessage() async throws {
        let h = try harness(at: local(2026, 12, 28, 9))
        // Thursday 7.1.2027; Wednesday 6.1. is Epiphany, so the working day before is Tuesday 5.1.
        try await book(h, when: "to 7.1.2027 klo 10")
        #expect(try await h.advance(to: local(2027, 1, 1, 12)).isEmpty, "New Year's Day")
        // Down from New Year until Tuesday: the tax card reminder of Monday 4.1. and the session
        // reminder of Tuesday reach Kalle as one message.
        let due = try await h.advance(to: local(2027, 1, 5, 8, 15))
        let kalles = texts(due, to: "kalle")
        try #require(kalles.count == 1)
        #expect(kalles[0].hasPrefix("Muistutuksia, Kalle:\n- Hei Kalle! Toimitathan vuoden 2027 verokortin"))
        #expect(kalles[0].contains("\n- Muistutus, Kalle: tehtävä T-2026-0001"))
        #expect(texts(due, to: "anna").count == 1)
        // Every expert without a 2027 tax card got theirs; none twice.
        #expect(texts(due, to: "sanna").count == 1)
        try h.restart()
        #expect(try await h.advance(to: local(2027, 1, 5, 9)).isEmpty)
    }

    @Test func aConfirmedTaxCardStopsItsReminder() async throws {
        let h = try harness(at: local(2026, 12, 31, 12))
        let confirmed = try await h.reply("kalle", "verokortti 2027")
        #expect(confirmed == "Kiitos, Kalle! Merkitsin vuoden 2027 verokortin toimitetuksi.")
        #expect(try await h.reply("anna", "verokortti") == "Verokortin kuittaus koskee vain kokemusasiantuntijoita.")
        let january = try await h.advance(to: local(2027, 1, 4, 8))
        #expect(texts(january, to: "kalle").isEmpty)
        #expect(texts(january, to: "sanna").first?.contains("vuoden 2027 verokortin") == true)
    }

    @Test func anAgreementEndingIn30DaysIsToldToTheExpertAndTheCoordinator() async throws {
        // Johan's agreement ends on 28.2.2027: 30 days before is Friday 29.1.
        let h = try harness(at: local(2027, 1, 28, 12))
        _ = try await h.reply("johan", "skattekort")
        // (Others get January's tax card reminder, late but before its month is out.)
        let early = try await h.advance(to: local(2027, 1, 28, 20))
        #expect(texts(early, to: "johan").isEmpty && texts(early, to: "kaisa").isEmpty)
        let due = try await h.advance(to: local(2027, 1, 29, 8))
        #expect(
            texts(due, to: "johan") == [
                "Hej Johan! Ditt uppdragsavtal gäller till och med 28.2.2027. Kontakta koordinatorn om du vill fortsätta."
            ])
        #expect(texts(due, to: "kaisa").first?.contains("Johan Sjöberg (johan)") == true)
        #expect(try await h.advance(to: local(2027, 2, 1, 8)).isEmpty)
    }

    @Test func sentReminderKeysAreForgottenLongAfterTheyCanMatter() {
        var state = GatewayState()
        state.apply(.remindersSent(keys: ["session:old"], at: local(2026, 1, 5, 8)))
        state.apply(.remindersSent(keys: ["session:recent"], at: local(2026, 12, 1, 8)))
        #expect(state.sentReminders.keys.sorted() == ["session:old", "session:recent"])
        state.apply(.remindersSent(keys: ["session:new"], at: local(2027, 2, 10, 8)))
        #expect(state.sentReminders.keys.sorted() == ["session:new", "session:recent"])
    }
}
