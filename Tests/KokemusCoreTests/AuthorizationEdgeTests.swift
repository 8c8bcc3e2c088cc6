import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The edges a careless or curious person finds: another order's id, an id that does not
/// exist, a command on a cancelled order, a moved time in `tila`, control characters.
@Suite struct AuthorizationEdgeTests {
    func booked() async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        return h
    }

    @Test func aMessageWithAnUnknownOrderIDGoesNowhere() async throws {
        let h = try await booked()
        let answer = try await h.send("kalle", "viesti T-2026-9999 soita huomenna")
        #expect(texts(answer, to: "anna").isEmpty)
        #expect(texts(answer, to: "kalle").joined().contains("Tilausta T-2026-9999 ei löydy"))
    }

    @Test func anotherPersonsOrderAndAMissingOneGetTheSameAnswer() async throws {
        let h = try await booked()
        // Bengt has no part in T-2026-0001.
        let foreign = try await h.reply("bengt", "avboka T-2026-0001 orsak")
        let missing = try await h.reply("bengt", "avboka T-2026-0999 orsak")
        #expect(foreign == missing.replacingOccurrences(of: "0999", with: "0001"), "\(foreign) / \(missing)")
        let relayed = try await h.send("sanna", "viesti T-2026-0001 hei")
        #expect(texts(relayed, to: "anna").isEmpty)
        #expect(texts(relayed, to: "sanna").joined().contains("ei löydy"))
    }

    @Test func everyChangeOnACancelledOrderIsAnswered() async throws {
        let h = try await booked()
        _ = try await h.send("anna", "peru T-2026-0001 asiakas muutti")
        for command in ["siirrä T-2026-0001 10.12. klo 14", "poissa T-2026-0001", "peru T-2026-0001 uudestaan"] {
            #expect(try await h.reply("anna", command).contains("ei voi enää tehdä muutoksia"), "\(command)")
        }
        #expect(try await h.reply("kalle", "sairas T-2026-0001").contains("ei voi enää tehdä muutoksia"))
    }

    @Test func statusShowsAMovedSessionAtItsNewTime() async throws {
        let h = try await booked()
        _ = try await h.send("anna", "siirrä T-2026-0001 10.12. klo 12")
        _ = try await h.send("kalle", "siirrä T-2026-0001 kyllä")
        let status = try await h.reply("anna", "tila")
        #expect(status.contains("10.12."), "\(status)")
        #expect(!status.contains(" 8.12."), "\(status)")
    }

    @Test func controlCharactersAreDroppedFromRelayedText() async throws {
        let h = try await booked()
        let answer = try await h.send("kalle", "viesti T-2026-0001 Hei\u{0}\u{1B}[31m punainen\u{1B}[0m\rrivi\u{202E}käännetty")
        let relayed = texts(answer, to: "anna").joined()
        #expect(relayed.contains("Hei punainen\nrivikäännetty"), "\(relayed)")
        #expect(!relayed.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!relayed.unicodeScalars.contains("\u{202E}"))
    }
}

/// One person flooding the gateway: beyond the limit their messages are marked handled
/// unread, they are told once, and everyone else is served as before.
@Suite struct RateLimitTests {
    @Test func aFloodIsToldOnceAndOthersGoOn() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), messagesPerMinute: 3)
        var toKalle: [String] = []
        for index in 0..<10 {
            toKalle += texts(try await h.send("kalle", "apua \(index)"), to: "kalle")
        }
        #expect(toKalle.filter { $0.contains("nopeammin kuin ehdin") }.count == 1, "\(toKalle)")
        #expect(toKalle.count == 4, "three answers and one slow-down: \(toKalle.count)")
        // Someone else is not affected, and a minute later Kalle is served again.
        #expect(!(try await h.reply("anna", "apua")).contains("nopeammin"))
        h.clock.advance(by: 61)
        #expect(!(try await h.reply("kalle", "apua")).contains("nopeammin"))
    }
}

extension RateLimitTests {
    /// Messages written over an hour while the gateway was down, handed over in one batch, are
    /// all handled: the limit counts when they were written, not when they arrive.
    @Test func aBacklogAfterDowntimeIsNoFlood() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), messagesPerMinute: 3)
        let written = (0..<10).map { index in
            InboundMessage(
                id: "backlog-\(index)", channel: .console, sender: "kalle", text: "apua",
                receivedAt: local(2026, 12, 1, 8) + Double(index) * 300)
        }
        try await h.gateway.receive(batch: written)
        await h.gateway.deliverOutbox()
        let answers = texts(h.transport.take(), to: "kalle")
        #expect(answers.count == 10, "\(answers.count)")
        #expect(!answers.contains { $0.contains("nopeammin kuin ehdin") })
    }
}
