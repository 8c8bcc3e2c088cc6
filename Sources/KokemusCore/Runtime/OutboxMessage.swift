import Foundation

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
    /// A calendar event to send along, where the channel can carry one (e-mail).
    public var calendar: CalendarInvite?
    /// Set on a relay (`viesti`): the person whose words it carries, and on the "passed on"
    /// receipt to them. Relays are counted apart from the gateway's own messages (a flood of
    /// them must not hold back fee reports or reminders), and a relay that can never be
    /// delivered is told to its sender. nil: the gateway's own message.
    public var relayFrom: PersonID?
    /// The order a relay is about.
    public var relayOrder: OrderID?
    /// Files sent along where the channel carries them (e-mail): payroll's CSV files. A
    /// channel that cannot (chat) sends the text alone, which then says what the files hold.
    public var attachments: [OutboxAttachment]?
    /// A relay written in the recipient's quiet hours, not marked urgent, goes no earlier
    /// than this (the morning); the person's other messages do not wait behind it.
    public var notBefore: Date?
    /// What a mail of it is titled when the gateway starts it (an offer, a reminder, a booking
    /// confirmation, another person's message): "Tehtävätarjous: T-2026-0001, ryhmänohjaus
    /// 8.12.", in the recipient's language. nil: an answer to the recipient's own message,
    /// which goes into their thread (`MailSubject.choose`). Chat channels have no subjects.
    public var subject: String?

    /// Whether the message carries or acknowledges a person's relay.
    public var isRelay: Bool { relayFrom != nil }

    public init(
        id: UInt64, recipient: PersonID, channel: Channel?, text: String, createdAt: Date,
        calendar: CalendarInvite? = nil, relayFrom: PersonID? = nil, relayOrder: OrderID? = nil,
        attachments: [OutboxAttachment]? = nil, notBefore: Date? = nil, subject: String? = nil
    ) {
        self.id = id
        self.recipient = recipient
        self.channel = channel
        self.text = text
        self.createdAt = createdAt
        self.calendar = calendar
        self.relayFrom = relayFrom
        self.relayOrder = relayOrder
        self.attachments = attachments
        self.notBefore = notBefore
        self.subject = subject
    }

    /// Whether the message may go at `now` (a deferred relay waits for its morning).
    public func isDue(at now: Date) -> Bool { notBefore.map { $0 <= now } ?? true }
}

/// A text file sent with a message, such as `payroll-2026-12-10-fee.csv`.
public struct OutboxAttachment: Codable, Sendable, Hashable {
    public var filename: String
    /// `text/csv`.
    public var mediaType: String
    public var text: String

    public init(filename: String, mediaType: String, text: String) {
        self.filename = filename
        self.mediaType = mediaType
        self.text = text
    }
}
