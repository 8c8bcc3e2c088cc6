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
}
