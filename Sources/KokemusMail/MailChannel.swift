import CurlKit
import Foundation
import KokemusCore
import Logging

/// The e-mail channel: polls the gateway's IMAP mailbox, hands what registry people wrote
/// (without quotes and signatures) to the gateway, never answers machines, and sends the
/// gateway's messages by SMTP as replies in the person's thread.
///
/// Exactly once in effect: a message's effects are committed with its id (Message-ID, else
/// UIDVALIDITY and UID) before the last handled UID is saved; after a crash the same UIDs are
/// fetched again and recognised. If UIDVALIDITY changes, the mailbox is read again from the
/// start and what was handled before is recognised by Message-ID.
public actor MailChannel {
    public nonisolated let client: MailClient
    private var gateway: Gateway?
    private let clock: any WallClock
    private let logger: Logger
    static let keyPrefix = "email."

    public init(client: MailClient, clock: any WallClock, logger: Logger) {
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    public nonisolated var transport: MailTransport { MailTransport(channel: self) }

    public func attach(_ gateway: Gateway) {
        self.gateway = gateway
    }

    private func attachedGateway() throws -> Gateway {
        guard let gateway else { throw CurlErrorBox("the mail channel has no gateway") }
        return gateway
    }

    /// Polls until cancelled; a failed poll is logged and tried again at the next interval.
    public func run(onReady: @Sendable () -> Void = {}) async throws {
        var ready = false
        while !Task.isCancelled {
            do {
                try await poll()
                if !ready {
                    ready = true
                    logger.notice("email: polling", metadata: ["mailbox": "\(client.config.imapURL)"])
                    onReady()
                }
            } catch let error as StoreError {
                throw error
            } catch let error as CurlError where error.isCancelled {
                return
            } catch {
                logger.warning("email: poll failed; trying again", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(client.config.pollSeconds))
        }
    }

    /// Reads what arrived since the last poll.
    public func poll() async throws {
        let gateway = try attachedGateway()
        let (validity, next) = try await client.status()
        let storedValidity = await gateway.channelState(Self.keyPrefix + "uidvalidity").flatMap { UInt32($0) }
        var last = await gateway.channelState(Self.keyPrefix + "last_uid").flatMap { UInt32($0) }
        if storedValidity != validity {
            if storedValidity == nil {
                // The first run starts from now, as on Matrix: old mail is not acted on.
                last = next &- 1
                logger.info("email: first run; starting after UID \(next &- 1)")
            } else {
                logger.warning("email: UIDVALIDITY changed; reading the mailbox again (handled mail is recognised)")
                last = 0
            }
            try await gateway.setChannelState([Self.keyPrefix + "uidvalidity": String(validity),
                                               Self.keyPrefix + "last_uid": String(last ?? 0)])
        }
        var from = (last ?? 0) + 1
        logger.trace("email: poll", metadata: ["uidvalidity": "\(validity)", "uidnext": "\(next)", "after": "\(from - 1)"])
        while from < next {
            let through = min(next - 1, from + MailClient.searchChunk - 1)
            let uids = try await client.search(from: from, through: through)
            logger.debug("email: new mail", metadata: ["uids": "\(uids)"])
            for uid in uids {
                let data = try await client.fetch(validity: validity, uid: uid)
                try await handle(data, id: "mail-\(validity)-\(uid)")
                try await gateway.setChannelState([Self.keyPrefix + "last_uid": String(uid)])
            }
            from = through + 1
        }
    }

    func handle(_ data: Data, id fallbackID: String) async throws {
        let gateway = try attachedGateway()
        let message = MailMessage(parsing: data)
        switch MailClassifier.classify(message) {
        case let .automatic(reason):
            logger.info("email: not answering automatic mail", metadata: ["reason": "\(reason)", "id": "\(fallbackID)"])
            return
        case let .bounce(failed):
            logger.warning("email: delivery failed", metadata: ["addresses": "\(failed)"])
            return
        case .person:
            break
        }
        guard let address = message.fromAddress,
              let person = await gateway.registry.person(channel: .email, address: address) else {
            logger.notice("email: mail from someone not in the registry", metadata: ["from": "\(message.fromAddress ?? "?")"])
            return
        }
        let text = message.replyText
        guard !text.isEmpty else { return }
        // Replies go into the person's thread.
        var thread: [String: String?] = [:]
        if let messageID = message.messageID {
            thread[Self.keyPrefix + "thread." + person.id.rawValue] = messageID
            thread[Self.keyPrefix + "subject." + person.id.rawValue] = message.subject
        }
        if !thread.isEmpty { try await gateway.setChannelState(thread) }
        try await gateway.receive(InboundMessage(id: message.messageID.map { "mail:" + $0 } ?? fallbackID, channel: .email,
                                                 sender: person.id, text: text, receivedAt: clock.now()))
    }

    /// Sends one outbox message to the person's address.
    func deliver(_ message: OutboxMessage, to person: Person) async throws {
        let gateway = try attachedGateway()
        guard let address = person.contacts.email.flatMap({ MailAddress($0, displayName: person.name) }) else {
            throw NoAddress(person: person.id)
        }
        let config = client.config
        let domain = config.address.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let prefixKey = Self.keyPrefix + "id_prefix"
        var prefix = await gateway.channelState(prefixKey)
        if prefix == nil {
            prefix = "k" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try await gateway.setChannelState([prefixKey: prefix])
        }
        let inReplyTo = await gateway.channelState(Self.keyPrefix + "thread." + person.id.rawValue)
        let theirSubject = await gateway.channelState(Self.keyPrefix + "subject." + person.id.rawValue)
        let language = await gateway.language(of: person.id)
        let defaultSubject = await gateway.catalog.text(.emailSubject, language)
        let subject = theirSubject.map { $0.lowercased().hasPrefix("re:") ? $0 : "Re: " + $0 } ?? defaultSubject
        let mail = OutgoingMail(from: config.address, to: [address], replyTo: config.address, subject: subject,
                                text: message.text, messageID: "\(prefix!).m\(message.id)@\(domain)",
                                inReplyTo: inReplyTo, references: inReplyTo.map { [$0] } ?? [], date: clock.now())
        // SMTP is at least once: a resend after a crash carries the same Message-ID.
        try await client.send(mail.rendered(), from: config.address, to: [address])
    }

    struct NoAddress: UndeliverableMessageError, CustomStringConvertible {
        var person: PersonID
        var description: String { "\(person) has no valid e-mail address" }
    }

    struct CurlErrorBox: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Delivers the gateway's messages through a ``MailChannel``.
public struct MailTransport: MessageTransport {
    public let channel = Channel.email
    let mail: MailChannel

    init(channel: MailChannel) {
        mail = channel
    }

    public func deliver(_ message: OutboxMessage, to person: Person) async throws {
        try await mail.deliver(message, to: person)
    }
}
