import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// A state written before the guard holds texts it would not let in now: they are read again
/// once at open, replaced by a note of their kinds, and no copy stays on disk.
@Suite struct StateScrubTests {
    static let code = "131052-308T"

    func oldText(_ text: String) throws -> GuardedText {
        // What an older release wrote: a plain JSON string, read back as guarded.
        try JSONDecoder().decode(GuardedText.self, from: JSONEncoder().encode(text))
    }

    @Test func textsAnOlderReleaseStoredAreReadAgainAndNoCopyStaysOnDisk() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        let id = OrderID(rawValue: "T-2026-0001")
        var order = try #require(await h.state.orders[id])
        order.description = try oldText("Asiakas \(Self.code) tarvitsee vertaistukea.")
        order.place = .onSite(address: try oldText("Kotikäynti, asiakkaan hetu \(Self.code)"))
        order.sessions[0].decision = SessionDecision(
            by: "kalle", at: local(2026, 12, 1, 10),
            reason: try oldText("soita mulle 040 000 0101"))
        // The orderer's words that a session did not take place, and a group's agreed reasons.
        order.sessions[0].check = SessionCheck(
            answer: .notHeld, by: "anna", at: local(2026, 12, 1, 12), reason: try oldText("Asiakas \(Self.code) ei tullut"))
        order.agreedStopReasons = try oldText("Jos \(Self.code) ei tule")
        let ordinary = try oldText("Tavataan aulassa.")
        order.feedback = [Feedback(source: .employee, by: "anna", rating: 5, text: ordinary, at: local(2026, 12, 1, 11))]
        h.gateway = nil
        let directory = h.root.appendingPathComponent("state")
        do {
            let store = try StateStore<GatewayState>(directory: directory, options: .init(), logger: quietLogger)
            try store.commit([
                .orderUpdated(order),
                .messageQueued(
                    OutboxMessage(
                        id: store.state.nextOutboxID, recipient: "kalle", channel: nil,
                        text: "Tarve: asiakas \(Self.code)", createdAt: local(2026, 12, 1, 10))),
                // The end of a relay an older guard let through, kept to read split numbers with.
                .textPassed(person: "kalle", tail: "Soita 040 123 4567."),
                // An introduction an older guard let through: dropped, the registry's shows again.
                .expertRecordSaved(
                    ExpertRecord(
                        expert: "kalle", introductions: ["fi": "Soita 040 123 4567.", "sv": "Jag lyssnar."],
                        updatedAt: local(2026, 12, 1, 10))),
                // As a state from before the scrub existed: no mark (a first-format key).
                .channelStateSet(key: "kokemus.guard_scrub", value: nil),
            ])
        }
        try h.open()
        let scrubbed = try #require(await h.state.orders[id])
        #expect(scrubbed.description.text == "[poistettu: henkilötunnus]")
        #expect(scrubbed.place == .onSite(address: try oldText("[poistettu: henkilötunnus]")))
        #expect(scrubbed.sessions[0].decision?.reason.text == "[poistettu: puhelinnumero]", "an expert's contact, by his rules")
        #expect(scrubbed.feedback.first?.text == ordinary, "what the guard lets in stays as it was")
        #expect(scrubbed.sessions[0].check?.reason?.text == "[poistettu: henkilötunnus]")
        #expect(scrubbed.agreedStopReasons?.text == "[poistettu: henkilötunnus]")
        #expect(await h.state.outbox.contains { $0.text.contains(Self.code) } == false)
        #expect(await h.state.scrubbedWithGuard == StateScrub.version)
        #expect(await h.state.recentTails["kalle"]?.contains { $0.contains("040") } == false)
        #expect(await h.state.expertRecords["kalle"]?.introductions == ["sv": "Jag lyssnar."])
        // Every byte of the state directory: the code and the number are gone (compacted).
        h.gateway = nil
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            for secret in [Self.code, "040 000 0101", "040 123 4567"] {
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(secret) in \(file)")
            }
        }
        // Once is enough: a second open reads nothing again.
        try h.open()
        #expect(await h.state.orders[id]?.description.text == "[poistettu: henkilötunnus]")
    }
}
