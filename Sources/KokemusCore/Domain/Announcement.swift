import Foundation

/// A coordinator's message to experts (004: trainings, joint meetings): to all of them or
/// those of a topic or language, each once, in working time. Kept so that the same text is
/// not sent twice by mistake and the coordinator can see what went to whom.
public struct Announcement: Codable, Sendable, Hashable {
    /// `A-1`, `A-2`, … in the order made.
    public var id: String
    public var by: PersonID
    public var at: Date
    /// Who it is for, as the coordinator narrowed it: nil for every expert.
    public var topic: String?
    public var language: Language?
    /// The experts it went to, each once.
    public var recipients: [PersonID]
    public var text: GuardedText
    /// When it goes: at once in working time, else when the next working day begins.
    public var sendsAt: Date

    public init(
        id: String, by: PersonID, at: Date, topic: String? = nil, language: Language? = nil, recipients: [PersonID],
        text: GuardedText, sendsAt: Date
    ) {
        self.id = id
        self.by = by
        self.at = at
        self.topic = topic
        self.language = language
        self.recipients = recipients
        self.text = text
        self.sendsAt = sendsAt
    }
}
