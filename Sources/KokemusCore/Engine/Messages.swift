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

    public init(id: String, channel: Channel, sender: PersonID, text: String, receivedAt: Date) {
        self.id = id
        self.channel = channel
        self.sender = sender
        self.text = text
        self.receivedAt = receivedAt
    }
}

/// A message waiting in the outbox until a transport has delivered it.
public struct OutboxMessage: Codable, Sendable, Hashable, Identifiable {
    /// Increasing; also the base of transport-level ids (Matrix txnId, Message-ID) so that a
    /// resend after a crash is recognised by the server.
    public var id: UInt64
    public var recipient: PersonID
    /// The channel to use; nil means the recipient's preferred one.
    public var channel: Channel?
    public var text: String
    public var createdAt: Date

    public init(id: UInt64, recipient: PersonID, channel: Channel?, text: String, createdAt: Date) {
        self.id = id
        self.recipient = recipient
        self.channel = channel
        self.text = text
        self.createdAt = createdAt
    }
}
