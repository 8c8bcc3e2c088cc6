import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// A person's data (GDPR Art. 15, 20): theirs, all of it, and no one else's.
@Suite struct PersonDataTests {
    @Test func eachPersonGetsTheirOwnPartOfAnOrder() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), matching: MatchingPolicy(offersAtOnce: 2))
        try await h.placeOrder()
        try await h.send("sanna", "1")
        try await h.send("sanna", "viesti T-2026-0001 Tulen ajoissa.")
        let state = await h.state
        let registry = await h.gateway.registry
        let now = local(2026, 12, 2)

        let sanna = PersonData(of: "sanna", state: state, registry: registry, now: now)
        #expect(sanna.registryEntry?.name == "Sanna Lehtonen")
        #expect(sanna.orders.map(\.roles) == [["expert"]])
        #expect(sanna.orders[0].description == "Asiakas tarvitsee vertaistukea." && sanna.orders[0].sessions.count == 1)
        #expect(sanna.orders[0].offers.map(\.expert) == ["sanna"])
        #expect(!sanna.recentRelayEnds.isEmpty)

        // Kalle was offered it too and did not take it: his offer, not the need or Sanna's.
        let kalle = PersonData(of: "kalle", state: state, registry: registry, now: now)
        #expect(kalle.orders.map(\.roles) == [["offered"]])
        #expect(kalle.orders[0].description == nil && kalle.orders[0].sessions.isEmpty)
        #expect(kalle.orders[0].offers.map(\.expert) == ["kalle"] && kalle.orders[0].offers[0].status == .withdrawn)
        let kalles = try kalle.json()
        #expect(!kalles.contains("Sanna") && !kalles.contains("sanna") && !kalles.contains("vertaistukea"))

        let anna = PersonData(of: "anna", state: state, registry: registry, now: now)
        #expect(anna.orders.map(\.roles) == [["orderer"]] && anna.orders[0].offers.isEmpty)
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(try anna.json().utf8)) as? [String: Any])
        #expect(parsed["exportedAt"] as? String == "2026-12-01T22:00:00Z")

        let nobody = PersonData(of: "nobody", state: state, registry: registry, now: now)
        #expect(nobody.registryEntry == nil && nobody.isEmpty)
    }

    /// `omat tiedot` in chat: what is stored, in the person's language, and whom to ask to
    /// correct it; `tietosuoja`: the privacy notice.
    @Test func aPersonSeesTheirOwnDataInChat() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        try await h.send("kalle", "1")
        let kalles = try await h.reply("kalle", "omat tiedot")
        #expect(kalles.hasPrefix("Kalle, tästä palvelusta on tallennettu sinusta:\n- Nimi Kalle Heikkinen, kieli suomi"), "\(kalles)")
        #expect(kalles.contains("- Tilaukset: T-2026-0001\n") && kalles.contains("aiheet Mielenterveys, Päihteet"))
        #expect(kalles.contains("kerro koordinaattorille (Kaisa Laine)"))
        let johans = try await h.reply("johan", "mina uppgifter")
        #expect(johans.hasPrefix("Johan, tjänsten har sparat om dig:") && johans.contains("- Beställningar: inga"))
        #expect(try await h.reply("anna", "tietosuoja").hasPrefix("Tietosuojaseloste, lyhyesti (Anna):"))
        #expect(try await h.reply("johan", "dataskydd").hasPrefix("Dataskyddsbeskrivning i korthet (Johan):"))
        // In the middle of an order, "omat" alone is an answer, the two words the command.
        try await h.send("anna", "tilaa")
        let asked = try await h.reply("anna", "omat")
        #expect(!asked.contains("tallennettu sinusta"), "\(asked)")
        #expect(try await h.reply("anna", "omat tiedot").contains("- Kesken oleva asia: Kokemusasiantuntijan tilaus\n"))
    }

    /// The first message a person gets from the gateway says where the privacy notice is,
    /// in their language, once (across a restart too); off unless the configuration says so.
    @Test func theFirstMessageToEachPersonLinksThePrivacyNotice() async throws {
        var privacy = PrivacyPolicy()
        privacy.linkNotice = true
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), privacy: privacy)
        let first = try await h.reply("anna", "apua")
        #expect(first.hasSuffix("\n\nTietosuoja: mitä sinusta tallennetaan ja mitkä ovat oikeutesi, kirjoita tietosuoja."), "\(first)")
        #expect(!(try await h.reply("anna", "apua")).contains("Tietosuoja:"))
        let swedish = try await h.reply("johan", "hjälp")
        #expect(swedish.hasSuffix("Dataskydd: vad som sparas om dig och vilka dina rättigheter är, skriv dataskydd."), "\(swedish)")
        try h.restart()
        #expect(!(try await h.reply("anna", "apua")).contains("Tietosuoja:"))
        // Kalle's first message is the offer the gateway starts: it says so too.
        let offer = try #require(texts(try await h.placeOrder(), to: "kalle").first)
        #expect(offer.contains("kirjoita tietosuoja."), "\(offer)")
        // Without the setting, nothing.
        let plain = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        #expect(!(try await plain.reply("anna", "apua")).contains("Tietosuoja:"))
    }
}
