import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// An orderer asks for an expert they worked with (offered first while suitable), and, where
/// the county allows it, sees the suitable candidates' handles and introductions for their own
/// open order and names one; nothing else of any expert reaches them.
@Suite struct ExpertWishTests {
    /// Anna's first order goes to Sanna: Kalle, first in the ranking, declines it.
    func annaWorkedWithSanna(_ privacy: PrivacyPolicy = PrivacyPolicy()) async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), privacy: privacy)
        try await h.placeOrder(when: "ti 8.12. klo 14")
        try await h.send("kalle", "2")
        try await h.send("sanna", "1")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == "sanna")
        return h
    }

    /// The second order up to the wish: individual work, remote, at `when`.
    func secondOrder(_ h: GatewayHarness, when: String) async throws -> String {
        for answer in ["tilaa", "1", "2", "1", when, "1 h", "2", "suomi", "1"] { try await h.send("anna", answer) }
        return try await h.reply("anna", "Seurantatapaaminen samalle asiakkaalle.")
    }

    @Test func anExpertTheOrdererWorkedWithIsOfferedFirst() async throws {
        let h = try await annaWorkedWithSanna()
        let asked = try await secondOrder(h, when: "ke 9.12. klo 10")
        #expect(asked.contains("1. Ei toivetta: sopivin kokemusasiantuntija\n2. Kokemusasiantuntija S-07\n"), "\(asked)")
        #expect(!asked.contains("Lehtonen") && !asked.contains("K-12"), "only the one she worked with, by handle")
        try await h.send("anna", "2")
        try await h.send("anna", "1")
        let sent = try await h.send("anna", "kyllä")
        #expect(texts(sent, to: "sanna").first?.contains("Sinulle tarjotaan tehtävää T-2026-0002") == true)
        #expect(texts(sent, to: "kalle").isEmpty)
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0002")])
        #expect(order.requestedExpert == "sanna" && order.offers.map(\.expert) == ["sanna"])
        #expect(try await h.reply("kaisa", "ehdokkaat T-2026-0002").contains("tilaajan nimeämä tähän tilaukseen"))
    }

    @Test func anExpertWhoIsNotFreeIsNotOfferedAndTheOrdererIsToldWithoutWhy() async throws {
        let h = try await annaWorkedWithSanna()
        // The same time as Sanna's booking: she is taken.
        _ = try await secondOrder(h, when: "ti 8.12. klo 14")
        try await h.send("anna", "2")
        try await h.send("anna", "1")
        let sent = try await h.send("anna", "kyllä")
        let annas = texts(sent, to: "anna")
        #expect(annas.first?.contains("Toivomasi kokemusasiantuntija ei voi ottaa tätä tehtävää") == true, "\(annas)")
        #expect(!annas.joined().contains("T-2026-0001"), "not why: her other booking is not named")
        #expect(texts(sent, to: "kalle").first?.contains("T-2026-0002") == true)
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0002")]?.requestedExpert == "sanna")
    }

    @Test func withoutEarlierWorkNoWishIsAsked() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "1", "2", "1", "ke 9.12. klo 10", "1 h", "2", "suomi", "1"] { try await h.send("anna", answer) }
        #expect(try await h.reply("anna", "Seurantatapaaminen.").contains("Kuinka monta tapaamiskertaa"))
    }

    @Test func whereTheCountyAllowsOrderersSeeHandlesAndIntroductionsAndNameOne() async throws {
        let h = try await annaWorkedWithSanna(PrivacyPolicy(orderersSeeCandidates: true))
        _ = try await secondOrder(h, when: "ke 9.12. klo 10")
        for answer in ["1", "1", "kyllä"] { try await h.send("anna", answer) }
        // Kalle has the offer (first in the ranking): the others are listed.
        let list = try await h.reply("anna", "ehdokkaat T-2026-0002")
        #expect(list.contains("Sopivat kokemusasiantuntijat tilaukseesi T-2026-0002"), "\(list)")
        #expect(list.contains("Kokemusasiantuntija S-07: "))
        for secret in ["Lehtonen", "Heikkinen", "sanna", "kalle", "@", " h viimeisten"] { #expect(!list.contains(secret), "\(secret)") }
        let named = try await h.send("anna", "tarjoa T-2026-0002 S-07")
        #expect(
            texts(named, to: "anna") == [
                "Kokemusasiantuntija S-07 saa tilauksen T-2026-0002 tarjouksen nyt. Saat viestin, kun joku on ottanut tehtävän."
            ])
        #expect(texts(named, to: "sanna").first?.contains("T-2026-0002") == true)
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0002")])
        #expect(order.requestedExpert == "sanna" && order.pendingOffers.map(\.expert).sorted() == ["kalle", "sanna"])
        // Someone else's order, and a name no candidate has, get nothing.
        #expect(try await h.reply("bengt", "ehdokkaat T-2026-0002").contains("T-2026-0002"))
        #expect(!(try await h.reply("bengt", "ehdokkaat T-2026-0002")).contains("S-07"))
        // One named offer at a time; a name no one suitable has gets only the usage.
        #expect(try await h.reply("anna", "tarjoa T-2026-0002 K-12").contains("odottaa vielä vastausta"))
        try await h.send("sanna", "2")
        #expect(try await h.reply("anna", "tarjoa T-2026-0002 X-99").contains("sopivien listalla olevan kokemusasiantuntijan tunnus"))
        // Kalle holds the offer: not listed, and named he gets the same answer as no one.
        #expect(try await h.reply("anna", "tarjoa T-2026-0002 K-12").contains("sopivien listalla olevan kokemusasiantuntijan tunnus"))
    }

    @Test func withoutTheCountysLeaveOrderersSeeNoCandidates() async throws {
        let h = try await annaWorkedWithSanna()
        #expect(try await h.reply("anna", "ehdokkaat T-2026-0001") == "Tämä komento on koordinaattoreille.")
    }
}
