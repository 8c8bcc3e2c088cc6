import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// What the mails the gateway starts are titled (issue 14): what the mail is, then the order,
/// its kind of task and day; answers to a person's own message carry none and go into
/// their thread.
@Suite struct MailSubjectLineTests {
    func subjects(_ h: GatewayHarness, to person: PersonID) -> [String?] {
        h.transport.takeSubjects().filter { $0.recipient == person }.map(\.subject)
    }

    @Test func mailsTheGatewayStartsSayWhatTheyAreAbout() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        var delivered = h.transport.takeSubjects()
        // Anna's own answers: untitled, into her thread.
        #expect(delivered.filter { $0.recipient == "anna" }.allSatisfy { $0.subject == nil })
        #expect(!delivered.filter { $0.recipient == "anna" }.isEmpty)
        #expect(
            delivered.first { $0.recipient == "kaisa" }?.subject == "Uusi tilaus: T-2026-0001, yksilötyö asiakkaan kanssa 8.12.")
        #expect(
            delivered.first { $0.recipient == "kalle" }?.subject
                == "Tehtävätarjous: T-2026-0001, yksilötyö asiakkaan kanssa 8.12.")

        // Kalle takes it: his confirmation carries the calendar, so it is titled even though it
        // answers him; the thanks is an answer. Anna's booking is the gateway's to start.
        try await h.send("kalle", "1")
        delivered = h.transport.takeSubjects()
        let kalles = delivered.filter { $0.recipient == "kalle" }
        #expect(kalles.contains { $0.subject == "Vahvistus: T-2026-0001, yksilötyö asiakkaan kanssa 8.12." })
        #expect(kalles.contains { $0.subject == nil })
        #expect(delivered.first { $0.recipient == "anna" }?.subject == "Vahvistus: T-2026-0001, yksilötyö asiakkaan kanssa 8.12.")

        // A relay is "Viesti" to its reader; the receipt is an answer to its writer.
        try await h.send("anna", "viesti T-2026-0001 Kiitos, nähdään!")
        delivered = h.transport.takeSubjects()
        #expect(delivered.first { $0.recipient == "kalle" }?.subject == "Viesti: T-2026-0001, yksilötyö asiakkaan kanssa 8.12.")
        #expect(delivered.filter { $0.recipient == "anna" }.allSatisfy { $0.subject == nil })

        // The reminder on the working day before (Monday 7.12. at 8.00).
        _ = try await h.advance(to: local(2026, 12, 7, 8))
        delivered = h.transport.takeSubjects()
        #expect(delivered.first { $0.recipient == "kalle" }?.subject == "Muistutus: T-2026-0001, yksilötyö asiakkaan kanssa 8.12.")

        // A move: both get the changed calendar entry, titled as a change, with the new day.
        try await h.send("anna", "siirrä T-2026-0001 10.12. klo 14")
        _ = h.transport.takeSubjects()
        try await h.send("kalle", "siirrä T-2026-0001 kyllä")
        delivered = h.transport.takeSubjects()
        #expect(delivered.contains { $0.recipient == "anna" && $0.subject == "Muutos: T-2026-0001, yksilötyö asiakkaan kanssa 10.12." })

        // A cancellation is titled so.
        try await h.send("anna", "peru T-2026-0001 Asiakas muutti pois.")
        delivered = h.transport.takeSubjects()
        #expect(delivered.contains { $0.recipient == "kalle" && ($0.subject ?? "").hasPrefix("Peruutus: T-2026-0001") })
    }

    /// An offer the gateway presents to someone just as they finish their own flow is no
    /// answer to them: it is titled, while their flow's last answer is not.
    @Test func anOfferPresentedToTheSenderIsTitled() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        try await h.placeOrder(when: "ke 9.12. klo 10")
        _ = h.transport.takeSubjects()
        // Kalle answers the first offer; the second waited for him and comes now, in his turn.
        try await h.send("kalle", "1")
        let kalles = h.transport.takeSubjects().filter { $0.recipient == "kalle" }
        #expect(kalles.contains { $0.subject == "Tehtävätarjous: T-2026-0002, yksilötyö asiakkaan kanssa 9.12." }, "\(kalles)")
        #expect(kalles.contains { $0.subject == nil && !$0.text.contains("T-2026-0002") })
    }

    /// A series: the offer names its first day, the hours after the first meeting name that
    /// meeting (not the next), the cancellation of the second names the second.
    @Test func theDayIsTheOneTheMailIsAbout() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee vertaistukea.", "5", "2"] {
            try await h.send("anna", answer)
        }
        try await h.send("anna", "kyllä")
        #expect(subjects(h, to: "kalle") == ["Tehtävätarjous: T-2026-0001, yksilötyö asiakkaan kanssa 8.12."])
        try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 12, 8, 15, 40))
        let afterFirst = subjects(h, to: "kalle")
        #expect(afterFirst.contains("Tuntien vahvistus: T-2026-0001, yksilötyö asiakkaan kanssa 8.12."), "\(afterFirst)")
        try await h.send("anna", "peru T-2026-0001 2 asiakas on lomalla")
        let cancelled = subjects(h, to: "kalle")
        #expect(cancelled.contains("Peruutus: T-2026-0001, yksilötyö asiakkaan kanssa 22.12."), "\(cancelled)")
    }

    /// A withdrawal names the order given up and its substitute: the calendar entry says which
    /// order the cancellation is.
    @Test func aCancelledEntryNamesItsOrderWhenTheTextNamesTwo() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        try await h.send("kalle", "1")
        _ = h.transport.takeSubjects()
        try await h.send("kalle", "luovu T-2026-0001 Perheessä sattui jotain.")
        let annas = subjects(h, to: "anna")
        #expect(annas.contains("Peruutus: T-2026-0001, yksilötyö asiakkaan kanssa 8.12."), "\(annas)")
    }

    @Test func anEnglishReaderGetsADayThatCannotBeMisread() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.send("kalle", "kieli englanti")
        try await h.placeOrder()
        #expect(subjects(h, to: "kalle").last == "Task offer: T-2026-0001, individual work with a client 8 Dec")
    }

    @Test func aSwedishReaderGetsASwedishSubject() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["beställ", "1", "3", "1", "15.12. kl 10", "1 h", "2", "svenska", "1", "Klienten önskar stöd.", "1"] {
            try await h.send("bengt", answer)
        }
        _ = h.transport.takeSubjects()
        try await h.send("bengt", "ja")
        let offer = h.transport.takeSubjects().first { $0.recipient == "johan" }
        #expect(offer?.subject == "Uppdragserbjudande: T-2026-0001, individuellt arbete med klient 15.12.")
    }

    @Test func theSubjectsShapes() {
        #expect(ConversationTurn.lowercasingFirst("Ryhmänohjaus") == "ryhmänohjaus")
        #expect(ConversationTurn.lowercasingFirst("EKA-ryhmä") == "EKA-ryhmä")
        #expect(ConversationTurn.lowercasingFirst("Recovery College") == "Recovery College")
        #expect(ConversationTurn.lowercasingFirst("") == "")
        #expect(
            Order.ids(in: "T-2026-0001 ja T-2026-0002, taas T-2026-0001; T-2026-000123").map(\.rawValue) == [
                "T-2026-0001", "T-2026-0002",
            ])
    }
}
