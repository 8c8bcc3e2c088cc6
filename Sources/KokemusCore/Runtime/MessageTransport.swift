/// A channel the gateway delivers messages through (console, Matrix, e-mail). Inbound
/// messages reach the gateway through ``Gateway/receive(_:)``.
public protocol MessageTransport: Sendable {
    var channel: Channel { get }
    /// Delivers one message to `person`. Throwing leaves the message in the outbox for a
    /// later try; a transport must make a repeated delivery of the same `message.id` harmless
    /// where its protocol allows (Matrix txnId, Message-ID). Returns what the channel
    /// remembers of the delivery (a day's count), committed with it.
    func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange]
}

/// A delivery that can never succeed (an SMTP 5xx, an address that does not exist): the
/// gateway logs it and takes the message out of the outbox instead of retrying forever.
public protocol UndeliverableMessageError: Error {}
