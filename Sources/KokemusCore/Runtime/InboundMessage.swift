import Foundation

/// A message a person sent to the gateway, as a transport hands it over.
public struct InboundMessage: Codable, Sendable, Hashable {
    /// Unique per message on its channel (Matrix event id, Message-ID, console line number):
    /// a message seen again is recognised and not handled twice.
    public var id: String
    public var channel: Channel
    public var sender: PersonID
    public var text: String
    public var receivedAt: Date
    /// A yes or no given without words (a 👍 or 👎 reaction); `text` is then empty.
    public var gesture: Gesture?

    /// An answer given by a gesture rather than text.
    public enum Gesture: String, Codable, Sendable, Hashable {
        case yes, no
    }

    public init(
        id: String, channel: Channel, sender: PersonID, text: String, receivedAt: Date,
        gesture: Gesture? = nil
    ) {
        self.id = id
        self.channel = channel
        self.sender = sender
        self.text = text
        self.receivedAt = receivedAt
        self.gesture = gesture
    }
}
