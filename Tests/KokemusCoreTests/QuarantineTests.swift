import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// A message the process dies on twice is set aside on the next start: marked handled, its
/// sender and the coordinators told (without its text), and everything after it handled.
/// The real kills over Matrix and e-mail are in `Tests/Integration/test_crash.py`.
@Suite struct QuarantineTests {
    func message(_ id: String, _ text: String = "hei") -> InboundMessage {
        InboundMessage(id: id, channel: .console, sender: "kalle", text: text, receivedAt: Date())
    }

    @Test func theMarkerCountsAttemptsAcrossProcesses() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let first = try HandlingMarker(directory: directory)
        #expect(first.leftover == nil)
        first.begin(message("m-1"))
        // The process dies here: the next one finds the message, once.
        let second = try HandlingMarker(directory: directory)
        #expect(second.leftover == HandlingMarker.Entry(attempts: 1, channel: .console, sender: "kalle", id: "m-1"))
        second.begin(message("m-1"))
        let third = try HandlingMarker(directory: directory)
        #expect(third.leftover?.attempts == 2)
        // Handled to the end: nothing is left.
        third.begin(message("m-2"))
        third.end()
        #expect(try HandlingMarker(directory: directory).leftover == nil)
        // Tabs, line breaks and escapes in an id (a mail's Message-ID is the sender's) come back whole.
        third.begin(message("a\tb\nc%09d"))
        #expect(try HandlingMarker(directory: directory).leftover?.id == "a\tb\nc%09d")
    }

    @Test func aMessageTheProcessDiedOnTwiceIsSetAsideAndTheRestGoesOn() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        h.gateway = nil
        let handling = h.root.appendingPathComponent("state/handling")
        try "kokemus-handling 1\t2\tconsole\tkalle\tpoison-1\n".write(to: handling, atomically: false, encoding: .utf8)
        try h.open()
        try await h.gateway.quarantineLeftover()
        await h.gateway.deliverOutbox()
        let told = h.transport.take()
        #expect(texts(told, to: "kalle").joined().contains("ei voitu käsitellä"))
        let coordinator = texts(told, to: "kaisa").joined()
        #expect(coordinator.contains("poison-1") && coordinator.contains("Kalle Heikkinen"))
        let quarantined = try #require(await h.state.quarantined.first)
        #expect(quarantined.id == "poison-1" && quarantined.sender == "kalle" && quarantined.attempts == 2)
        #expect((try String(contentsOf: handling, encoding: .utf8)).isEmpty)
        // Delivered again by its channel: skipped, no answer. The next message is answered.
        #expect(try await h.send("kalle", "tarjous", id: "poison-1").isEmpty)
        #expect(!(try await h.send("kalle", "apua", id: "after-1")).isEmpty)
        // A restart does not set it aside again.
        try h.restart()
        try await h.gateway.quarantineLeftover()
        #expect(await h.state.quarantined.count == 1)
    }

    @Test func aMessageTheProcessDiedOnOnceIsHandledAgain() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        h.gateway = nil
        try "kokemus-handling 1\t1\tconsole\tkalle\tonce-1\n".write(
            to: h.root.appendingPathComponent("state/handling"),
            atomically: false, encoding: .utf8)
        try h.open()
        try await h.gateway.quarantineLeftover()
        #expect(await h.state.quarantined.isEmpty)
        #expect(!(try await h.send("kalle", "apua", id: "once-1")).isEmpty)
    }
}
