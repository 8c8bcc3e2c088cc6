import Foundation

/// A person's flow in progress: where they are, what they have answered, and the
/// timers of the question they were asked last.
public struct Conversation: Codable, Sendable, Hashable {
    public var person: PersonID
    public var flowID: String
    /// The flow version the conversation started with; it keeps it across reloads.
    public var flowVersion: String
    /// The question waiting for an answer.
    public var stepID: String
    public var slots: [String: SlotValue]
    /// Questions answered, oldest first, for `back`.
    public var history: [String]
    /// Invalid answers to the current question so far.
    public var tries: Int
    /// Where the person talks to us in this conversation.
    public var channel: Channel
    public var startedAt: Date
    public var askedAt: Date
    public var remindAt: Date?
    public var giveUpAt: Date?
    public var reminded: Bool
    public var escalated: Bool

    public init(person: PersonID, flowID: String, flowVersion: String, stepID: String, channel: Channel, now: Date) {
        self.person = person
        self.flowID = flowID
        self.flowVersion = flowVersion
        self.stepID = stepID
        self.slots = [:]
        self.history = []
        self.tries = 0
        self.channel = channel
        self.startedAt = now
        self.askedAt = now
        self.remindAt = nil
        self.giveUpAt = nil
        self.reminded = false
        self.escalated = false
    }

    /// The earliest timer still to fire, if any.
    public var nextDeadline: Date? {
        let remind = reminded ? nil : remindAt
        let giveUp = escalated ? nil : giveUpAt
        return [remind, giveUp].compactMap { $0 }.min()
    }
}
