import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// A coordinator's announcement to experts (004: trainings, joint meetings): to all, or by
/// topic or language; each expert once; out of working time it waits for the morning.
@Suite struct AnnouncementTests {
    @Test func anAnnouncementReachesEveryExpertOnceInTheirLanguage() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 7, 10))
        let sent = try await h.send("kaisa", "tiedote: Koulutus ryhmänohjauksesta 14.1. klo 13 Porvoossa.")
        #expect(texts(sent, to: "kaisa") == ["Tiedote A-1 lähti 5 kokemusasiantuntijalle."])
        let reached = Set(sent.map(\.recipient)).subtracting(["kaisa"])
        // Maria's agreement has ended: not her.
        #expect(reached == ["kalle", "sanna", "johan", "pekka", "eeva"])
        #expect(
            texts(sent, to: "johan") == [
                "Hej Johan! Meddelande från koordinatorn (Kaisa Laine):\nKoulutus ryhmänohjauksesta 14.1. klo 13 Porvoossa."
            ])
        #expect(texts(sent, to: "eeva").first?.hasPrefix("Hi Eeva! A notice from the coordinator (Kaisa Laine):") == true)
        #expect(sent.filter { $0.recipient == "kalle" }.count == 1)
        // The same words again the same day: a slip.
        #expect(
            try await h.reply("kaisa", "tiedote: Koulutus ryhmänohjauksesta 14.1. klo 13 Porvoossa.")
                == "Sama tiedote lähti jo tänään (A-1), joten sitä ei lähetetty uudelleen.")
        // The same words to another audience are a second announcement.
        #expect(
            try await h.send("kaisa", "tiedote kieli ruotsi: Koulutus ryhmänohjauksesta 14.1. klo 13 Porvoossa.").contains {
                $0.recipient == "johan"
            })
        try h.restart()
        #expect(await h.state.announcements["A-1"]?.recipients == ["eeva", "johan", "kalle", "pekka", "sanna"])
    }

    @Test func byTopicOrLanguageAndOutOfWorkingTimeInTheMorning() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 5, 20))
        let swedish = try await h.send("kaisa", "tiedote kieli ruotsi: Utbildning på svenska 20.1. kl. 13.")
        #expect(texts(swedish, to: "kaisa") == ["Tiedote A-1 lähtee 1 kokemusasiantuntijalle työaikana, 7.12.2026 klo 8.00."])
        #expect(swedish.filter { $0.recipient != "kaisa" }.isEmpty, "Saturday evening: nothing yet")
        let housing = try await h.send("kaisa", "tiedote aihe asunnottomuus: Verkoston tapaaminen 3.2.")
        #expect(texts(housing, to: "kaisa").first?.hasPrefix("Tiedote A-2 lähtee 1 kokemusasiantuntijalle") == true)
        let morning = try await h.advance(to: local(2026, 12, 7, 8, 1))
        #expect(
            texts(morning, to: "johan") == ["Hej Johan! Meddelande från koordinatorn (Kaisa Laine):\nUtbildning på svenska 20.1. kl. 13."])
        #expect(texts(morning, to: "sanna") == ["Hei Sanna! Tiedote koordinaattorilta (Kaisa Laine):\nVerkoston tapaaminen 3.2."])
        #expect(Set(morning.map(\.recipient)) == ["johan", "sanna"])
    }

    @Test func onlyACoordinatorAnnouncesAndNoIdentityCodeGoesOut() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 7, 10))
        #expect(try await h.reply("anna", "tiedote: Hei kaikki") == "Tämä komento on koordinaattoreille.")
        #expect(try await h.reply("kalle", "tiedote: Hei kaikki") == "Tämä komento on koordinaattoreille.")
        let held = try await h.send("kaisa", "tiedote: Asiakas 131052-308T kysyi tästä.")
        #expect(held.map(\.recipient) == ["kaisa"])
        #expect(texts(held, to: "kaisa").first?.hasPrefix("Tekstissä on henkilötunnus") == true)
        #expect(try await h.reply("kaisa", "tiedote aihe avaruus: Testi").hasPrefix("Kenelläkään ei ole aihetta \"avaruus\"."))
        #expect(try await h.reply("kaisa", "tiedote ilman kaksoispistettä").hasPrefix("Kirjoita tiedote näin:"))
        #expect(try await h.reply("kaisa", "tiedote kieli klingon: x").hasPrefix("Kirjoita tiedote näin:"))
        let long = "tiedote: " + String(repeating: "a", count: 2001)
        #expect(try await h.reply("kaisa", long).contains("2001"))
        #expect(await h.state.announcements.isEmpty)
    }
}
