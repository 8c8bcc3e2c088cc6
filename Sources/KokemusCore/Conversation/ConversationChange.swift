import Foundation

/// What one turn changed in a conversation that goes on: the journal records this instead
/// of the whole conversation, whose answers so far would otherwise be written again with
/// every message (the conversation was 15 % of the engine benchmark's time).
///
/// The unchanged parts (flow, version, start, answers not touched, the history before the
/// step) are left out; the timers of the waiting question are always recorded whole.
public struct ConversationChange: Codable, Sendable, Hashable {
    public var person: PersonID
    public var stepID: String
    /// Answers added or changed.
    public var slots: [String: SlotValue]
    /// Answers taken back (`back`).
    public var removedSlots: [String]
    /// How much of the history stays; `history` is appended after it.
    public var historyKept: Int
    public var history: [String]
    public var tries: Int
    public var channel: Channel
    public var askedAt: Date
    public var remindAt: Date?
    public var giveUpAt: Date?
    public var reminded: Bool
    public var escalated: Bool

    /// The change from `old` to `new`, or nil when they are not the same conversation
    /// (another flow or version, or started anew), which is then saved whole.
    public init?(from old: Conversation, to new: Conversation) {
        guard old.person == new.person, old.flowID == new.flowID, old.flowVersion == new.flowVersion,
            old.startedAt == new.startedAt
        else { return nil }
        person = new.person
        stepID = new.stepID
        slots = new.slots.filter { old.slots[$0.key] != $0.value }
        removedSlots = old.slots.keys.filter { new.slots[$0] == nil }.sorted()
        historyKept = zip(old.history, new.history).prefix { $0 == $1 }.count
        history = Array(new.history[historyKept...])
        tries = new.tries
        channel = new.channel
        askedAt = new.askedAt
        remindAt = new.remindAt
        giveUpAt = new.giveUpAt
        reminded = new.reminded
        escalated = new.escalated
    }

    /// A change as recorded (the journal's reader).
    init(
        person: PersonID, stepID: String, slots: [String: SlotValue], removedSlots: [String], historyKept: Int,
        history: [String], tries: Int, channel: Channel, askedAt: Date, remindAt: Date?, giveUpAt: Date?,
        reminded: Bool, escalated: Bool
    ) {
        self.person = person
        self.stepID = stepID
        self.slots = slots
        self.removedSlots = removedSlots
        self.historyKept = historyKept
        self.history = history
        self.tries = tries
        self.channel = channel
        self.askedAt = askedAt
        self.remindAt = remindAt
        self.giveUpAt = giveUpAt
        self.reminded = reminded
        self.escalated = escalated
    }

    /// Makes `conversation` what the turn saved.
    public func apply(to conversation: inout Conversation) {
        conversation.stepID = stepID
        for name in removedSlots { conversation.slots[name] = nil }
        conversation.slots.merge(slots) { _, new in new }
        if historyKept < conversation.history.count { conversation.history.removeSubrange(historyKept...) }
        conversation.history += history
        conversation.tries = tries
        conversation.channel = channel
        conversation.askedAt = askedAt
        conversation.remindAt = remindAt
        conversation.giveUpAt = giveUpAt
        conversation.reminded = reminded
        conversation.escalated = escalated
    }

    // Empty lists are left out of the record: most turns add one answer and take none back
    // (the keys are in `Store/Schema/ConversationRecords.swift`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(person, forKey: .person)
        try container.encode(stepID, forKey: .stepID)
        if !slots.isEmpty { try container.encode(slots, forKey: .slots) }
        if !removedSlots.isEmpty { try container.encode(removedSlots, forKey: .removedSlots) }
        try container.encode(historyKept, forKey: .historyKept)
        if !history.isEmpty { try container.encode(history, forKey: .history) }
        if tries != 0 { try container.encode(tries, forKey: .tries) }
        try container.encode(channel, forKey: .channel)
        try container.encode(askedAt, forKey: .askedAt)
        try container.encodeIfPresent(remindAt, forKey: .remindAt)
        try container.encodeIfPresent(giveUpAt, forKey: .giveUpAt)
        if reminded { try container.encode(reminded, forKey: .reminded) }
        if escalated { try container.encode(escalated, forKey: .escalated) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        person = try container.decode(PersonID.self, forKey: .person)
        stepID = try container.decode(String.self, forKey: .stepID)
        slots = try container.decodeIfPresent([String: SlotValue].self, forKey: .slots) ?? [:]
        removedSlots = try container.decodeIfPresent([String].self, forKey: .removedSlots) ?? []
        historyKept = try container.decode(Int.self, forKey: .historyKept)
        history = try container.decodeIfPresent([String].self, forKey: .history) ?? []
        tries = try container.decodeIfPresent(Int.self, forKey: .tries) ?? 0
        channel = try container.decode(Channel.self, forKey: .channel)
        askedAt = try container.decode(Date.self, forKey: .askedAt)
        remindAt = try container.decodeIfPresent(Date.self, forKey: .remindAt)
        giveUpAt = try container.decodeIfPresent(Date.self, forKey: .giveUpAt)
        reminded = try container.decodeIfPresent(Bool.self, forKey: .reminded) ?? false
        escalated = try container.decodeIfPresent(Bool.self, forKey: .escalated) ?? false
    }
}
