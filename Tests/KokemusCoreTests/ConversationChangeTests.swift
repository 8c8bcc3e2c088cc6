import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// A conversation that goes on is journaled by its change; replaying the changes must give
/// back exactly the conversation the engine held.
@Suite struct ConversationChangeTests {
    static let start = Date(timeIntervalSinceReferenceDate: 786_240_000)

    static func randomConversation(_ generator: inout SplitMix64) -> Conversation {
        var conversation = Conversation(
            person: "anna", flowID: "order", flowVersion: "v1", stepID: "topic",
            channel: .matrix, now: start)
        let names = ["topic", "place", "when", "duration", "description"]
        let values: [SlotValue] = [
            .text("Hei"), .integer(3), .choice("group"), .choices(["fi", "sv"]),
            .duration(minutes: 90), .bool(true), .dateTime(start + 3_600),
        ]
        for name in names where Bool.random(using: &generator) {
            conversation.slots[name] = values.randomElement(using: &generator)
        }
        conversation.history = Array(names.prefix(Int.random(in: 0...names.count, using: &generator)))
        conversation.stepID = names.randomElement(using: &generator)!
        conversation.tries = Int.random(in: 0...2, using: &generator)
        conversation.channel = Bool.random(using: &generator) ? .matrix : .email
        conversation.askedAt = start + Double(Int.random(in: 0...99, using: &generator))
        conversation.remindAt = Bool.random(using: &generator) ? start + 86_400 : nil
        conversation.giveUpAt = Bool.random(using: &generator) ? start + 172_800 : nil
        conversation.reminded = Bool.random(using: &generator)
        conversation.escalated = Bool.random(using: &generator)
        return conversation
    }

    @Test func applyingTheChangeGivesTheNewConversationForAnyPair() throws {
        var generator = SplitMix64(seed: 20_261_125)
        for _ in 0..<2_000 {
            let old = Self.randomConversation(&generator)
            let new = Self.randomConversation(&generator)
            let change = try #require(ConversationChange(from: old, to: new))
            // Through the journal's bytes, as recovery reads it.
            let stored = try JournalDecoder().decode(ConversationChange.self, from: JournalEncoder().encode(change))
            #expect(stored == change)
            var replayed = old
            stored.apply(to: &replayed)
            #expect(replayed == new)
        }
    }

    @Test func anotherFlowOrANewStartIsNotAChange() {
        let old = Conversation(
            person: "anna", flowID: "order", flowVersion: "v1", stepID: "topic", channel: .matrix,
            now: Self.start)
        var otherFlow = old
        otherFlow.flowID = "hours"
        var otherVersion = old
        otherVersion.flowVersion = "v2"
        let restarted = Conversation(
            person: "anna", flowID: "order", flowVersion: "v1", stepID: "topic",
            channel: .matrix, now: Self.start + 60)
        #expect(ConversationChange(from: old, to: otherFlow) == nil)
        #expect(ConversationChange(from: old, to: otherVersion) == nil)
        #expect(ConversationChange(from: old, to: restarted) == nil)
    }

    @Test func aConversationGoingOnIsJournaledByItsChangeAndReadBackTheSame() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9))
        try await h.send("anna", "tilaa")
        try await h.send("anna", "1")
        try await h.send("anna", "takaisin")
        try await h.send("anna", "2")
        try await h.send("anna", "1")
        let held = await h.state.conversations
        let anna = try #require(held["anna"])
        #expect(anna.history.count >= 2)
        // The journal holds the start whole once and then changes only.
        let journal = String(decoding: try Data(contentsOf: h.root.appendingPathComponent("state/journal")), as: UTF8.self)
        #expect(journal.components(separatedBy: "\"conversationSaved\"").count - 1 == 1)
        #expect(journal.components(separatedBy: "\"conversationChanged\"").count - 1 >= 4)
        try h.restart()
        #expect(await h.state.conversations == held)
    }
}
