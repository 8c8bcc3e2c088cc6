import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Supervision (työnohjaus, 000 §3, §4; 003; 004) for experts who do client work: announced by
/// a coordinator, signed up for in chat, reminded of, its attendance recorded.
@Suite struct SupervisionTests {
    /// Kaisa announces TO-1 for 14.1. at 13, two hours, two seats.
    func announced() async throws -> (GatewayHarness, [(recipient: PersonID, text: String)]) {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 7, 10))
        for answer in ["työnohjaus", "14.1. klo 13", "2 h", "Vanha kirjasto, Porvoo", "2"] { try await h.send("kaisa", answer) }
        return (h, try await h.send("kaisa", "kyllä"))
    }

    @Test func aSessionIsAnnouncedToExpertsWhoDoClientWork() async throws {
        let (h, sent) = try await announced()
        #expect(texts(sent, to: "kaisa").first?.hasPrefix("Työnohjauksen TO-1 kutsu lähti 5 kokemusasiantuntijalle.") == true)
        // Maria's agreement has ended; everyone else does individual, pair or group work.
        #expect(Set(sent.map(\.recipient)).subtracting(["kaisa"]) == ["kalle", "sanna", "johan", "pekka", "eeva"])
        #expect(
            texts(sent, to: "kalle")
                == [
                    "Hei Kalle! Työnohjaus TO-1: 14.1.2027 klo 13.00, 2 h, Vanha kirjasto, Porvoo. Paikkoja 2. Ilmoittaudu kirjoittamalla ilmoittaudu TO-1."
                ])
        #expect(texts(sent, to: "johan").first?.hasPrefix("Hej Johan! Arbetshandledning TO-1: 14.1.2027 kl. 13.00") == true)
        let supervision = try #require(await h.state.supervisions["TO-1"])
        #expect(supervision.seats == 2 && supervision.durationMinutes == 120 && supervision.start == local(2027, 1, 14, 13))
    }

    @Test func expertsSignUpUntilItIsFullAndOffAgain() async throws {
        let (h, _) = try await announced()
        let kalle = try await h.send("kalle", "ilmoittaudu TO-1")
        #expect(texts(kalle, to: "kalle").first?.hasPrefix("Kiitos, Kalle! Olet ilmoittautunut työnohjaukseen TO-1") == true)
        #expect(texts(kalle, to: "kaisa") == ["Kalle Heikkinen (kalle) ilmoittautui työnohjaukseen TO-1 (1/2)."])
        #expect(try await h.reply("kalle", "ilmoittaudu to-1").hasPrefix("Kalle, olet jo ilmoittautunut"))
        try await h.send("sanna", "ilmoittaudu TO-1")
        #expect(try await h.reply("johan", "anmäl TO-1") == "Arbetshandledningen TO-1 är full. Fråga koordinatorn om nästa.")
        let off = try await h.send("kalle", "ilmoittaudu TO-1 pois")
        #expect(texts(off, to: "kalle") == ["Selvä, Kalle: ilmoittautumisesi työnohjaukseen TO-1 on peruttu."])
        #expect(texts(off, to: "kaisa") == ["Kalle Heikkinen (kalle) perui ilmoittautumisensa työnohjaukseen TO-1 (1/2)."])
        #expect(texts(try await h.send("johan", "anmäl TO-1"), to: "johan").first?.hasPrefix("Tack, Johan!") == true)
        #expect(await h.state.supervisions["TO-1"]?.signedUp == ["sanna", "johan"])
        // Not an expert, not invited, not a session.
        #expect(try await h.reply("maria", "ilmoittaudu TO-1").hasPrefix("Työnohjaus TO-1 on tarkoitettu"))
        #expect(try await h.reply("kalle", "ilmoittaudu TO-99").hasPrefix("Työnohjausta \"TO-99\" ei löydy."))
        try h.restart()
        #expect(await h.state.supervisions["TO-1"]?.signedUp == ["sanna", "johan"])
    }

    @Test func theSignedUpAreRemindedAndTheCoordinatorRecordsWhoCame() async throws {
        let (h, _) = try await announced()
        try await h.send("kalle", "ilmoittaudu TO-1")
        try await h.send("sanna", "ilmoittaudu TO-1")
        #expect(try await h.reply("kaisa", "läsnä TO-1 kalle").hasPrefix("Työnohjaus TO-1 on 14.1.2027 klo 13.00; osallistujat kirjataan"))
        let dayBefore = try await h.advance(to: local(2027, 1, 13, 8, 1))
        #expect(texts(dayBefore, to: "kalle").contains { $0.contains("Muistutus, Kalle: työnohjaus TO-1 14.1.2027 klo 13.00") })
        #expect(texts(dayBefore, to: "johan").allSatisfy { !$0.contains("TO-1") }, "not signed up")
        _ = try await h.advance(to: local(2027, 1, 14, 15, 30))
        #expect(try await h.reply("kaisa", "läsnä TO-1 kalle zorro").hasPrefix("Kirjaa osallistujat näin:"))
        #expect(try await h.reply("kalle", "läsnä TO-1 kalle") == "Tämä komento on koordinaattoreille.")
        let recorded = try await h.reply("kaisa", "läsnä TO-1 kalle, eeva")
        #expect(
            recorded
                == "Kirjattu: työnohjauksessa TO-1 oli 2 osallistujaa: Eeva Rantanen, Kalle Heikkinen. Ilmoittautuneista poissa: Sanna Lehtonen."
        )
        #expect(await h.state.supervisions["TO-1"]?.attended == ["eeva", "kalle"])
        #expect(try await h.reply("kalle", "ilmoittaudu TO-1") == "Työnohjaus TO-1 on jo alkanut tai ohi.")
    }

    @Test func onlyACoordinatorAnnouncesAndNoPastTime() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 7, 10))
        #expect(try await h.reply("anna", "työnohjaus").hasPrefix("Toiminto \"Työnohjaus\" ei ole käytössäsi."))
        try await h.send("kaisa", "työnohjaus")
        #expect(try await h.reply("kaisa", "7.12. klo 9").contains("Milloin työnohjaus on?"), "an hour ago")
        for answer in ["14.1. klo 13", "2 h", "Vanha kirjasto", "99"] { try await h.send("kaisa", answer) }
        #expect(await h.state.conversations["kaisa"]?.stepID == "seats", "99 seats is refused")
        try await h.send("kaisa", "8")
        #expect(try await h.reply("kaisa", "ei") == "Selvä, kutsua ei lähetetty.")
        #expect(await h.state.supervisions.isEmpty)
    }

    @Test func outOfWorkingTimeTheInvitationWaitsAndALateSignUpIsNotRemindedAtOnce() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 5, 23, 30))
        for answer in ["työnohjaus", "ke 9.12. klo 10", "2 h", "Vanha kirjasto", "8"] { try await h.send("kaisa", answer) }
        let sent = try await h.send("kaisa", "kyllä")
        #expect(sent.map(\.recipient) == ["kaisa"], "Saturday night: the experts hear on Monday")
        let monday = try await h.advance(to: local(2026, 12, 7, 8, 1))
        #expect(texts(monday, to: "kalle").first?.hasPrefix("Hei Kalle! Työnohjaus TO-1") == true)
        // Signed up after the reminder's time (8.12. at 8): told nothing will follow, and nothing does.
        _ = try await h.advance(to: local(2026, 12, 8, 12))
        let signed = try await h.send("kalle", "ilmoittaudu TO-1")
        #expect(texts(signed, to: "kalle").first?.contains("Muistutan") == false)
        let soon = try await h.advance(to: local(2026, 12, 8, 12, 10))
        #expect(texts(soon, to: "kalle").allSatisfy { !$0.contains("Muistutus, Kalle: työnohjaus") })
    }

    @Test func attendanceIsAddedToAndNamesAreSaidBackPlainly() async throws {
        let (h, _) = try await announced()
        _ = try await h.advance(to: local(2027, 1, 14, 15, 30))
        try await h.send("kaisa", "läsnä TO-1 kalle")
        #expect(try await h.reply("kaisa", "läsnä TO-1 eeva").hasPrefix("Kirjattu: työnohjauksessa TO-1 oli 2 osallistujaa"))
        #expect(await h.state.supervisions["TO-1"]?.attended == ["eeva", "kalle"])
        #expect(try await h.reply("kaisa", "läsnä TO-1").hasSuffix("Tuntemattomia: -"))
        let escaped = try await h.reply("kaisa", "läsnä TO-1 zo\u{1B}[2Jrro")
        #expect(escaped.hasSuffix("Tuntemattomia: zo2Jrro"))
    }
}
