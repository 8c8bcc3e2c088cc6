import Foundation
import KokemusCore

/// A message a transport can never deliver.
public struct Refused: UndeliverableMessageError {
    public init() {}
}

/// A transport that records what it delivers.
public final class RecordingTransport: MessageTransport, @unchecked Sendable {
    public let channel: Channel
    private let lock = NSLock()
    private var delivered: [(PersonID, String)] = []
    private var invites: [(PersonID, CalendarInvite)] = []
    private var files: [(PersonID, OutboxAttachment)] = []
    private var subjects: [(PersonID, String?, String)] = []
    public var failing = false
    /// Recipients whose messages the channel refuses for good (as a Matrix 413 would be).
    public var refusing: Set<PersonID> = []
    public private(set) var attempts = 0

    public init(channel: Channel = .console) {
        self.channel = channel
    }

    public func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange] {
        try record(message, to: person)
        return []
    }

    private func record(_ message: OutboxMessage, to person: Person) throws {
        lock.lock()
        defer { lock.unlock() }
        attempts += 1
        if failing { throw CancellationError() }
        if refusing.contains(person.id) { throw Refused() }
        delivered.append((person.id, message.text))
        subjects.append((person.id, message.subject, message.text))
        if let calendar = message.calendar { invites.append((person.id, calendar)) }
        for attachment in message.attachments ?? [] { files.append((person.id, attachment)) }
    }

    /// The mail subjects of the messages delivered so far (nil: an answer in the person's
    /// thread), with their texts, and forgets them.
    public func takeSubjects() -> [(recipient: PersonID, subject: String?, text: String)] {
        lock.lock()
        defer { lock.unlock() }
        let result = subjects
        subjects = []
        return result.map { (recipient: $0.0, subject: $0.1, text: $0.2) }
    }

    /// Files delivered so far (payroll's CSV files), and forgets them.
    public func takeAttachments() -> [(recipient: PersonID, attachment: OutboxAttachment)] {
        lock.lock()
        defer { lock.unlock() }
        let result = files
        files = []
        return result.map { (recipient: $0.0, attachment: $0.1) }
    }

    /// Calendar events delivered so far, and forgets them.
    public func takeCalendars() -> [(recipient: PersonID, invite: CalendarInvite)] {
        lock.lock()
        defer { lock.unlock() }
        let result = invites
        invites = []
        return result.map { (recipient: $0.0, invite: $0.1) }
    }

    /// Messages delivered so far, and forgets them.
    public func take() -> [(recipient: PersonID, text: String)] {
        lock.lock()
        defer { lock.unlock() }
        let result = delivered
        delivered = []
        return result.map { (recipient: $0.0, text: $0.1) }
    }

    /// The text of the only message delivered since the last take.
    public func single(to person: PersonID) -> String? {
        let messages = take()
        guard messages.count == 1, messages[0].recipient == person else { return nil }
        return messages[0].text
    }
}
