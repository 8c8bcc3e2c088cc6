import Foundation

/// An inbound message the gateway died handling, twice, and so set aside: its id and sender,
/// never its text (which may be what killed it, and is the sender's).
public struct QuarantinedInput: Codable, Sendable, Hashable {
    public var id: String
    public var sender: PersonID
    public var channel: Channel
    public var attempts: Int
    public var at: Date

    public init(id: String, sender: PersonID, channel: Channel, attempts: Int, at: Date) {
        self.id = id
        self.sender = sender
        self.channel = channel
        self.attempts = attempts
        self.at = at
    }

    /// How many quarantined messages the state remembers (the newest).
    public static let memory = 1_000
}
