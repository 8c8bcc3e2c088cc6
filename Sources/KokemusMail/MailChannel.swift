import CurlKit
import Foundation
import KokemusCore
import Logging

/// The e-mail channel: polls the gateway's IMAP mailbox, hands what registry people wrote
/// (without quotes and signatures) to the gateway, never answers machines, and sends the
/// gateway's messages by SMTP as replies in the person's thread.
///
/// Exactly once in effect: a message's effects are committed with its id (Message-ID, else
/// UIDVALIDITY and UID) and its UID as the last one read, in one record; after a crash the
/// UIDs not yet recorded are fetched again. If UIDVALIDITY changes, the mailbox is read again from the
/// start and what was handled before is recognised by Message-ID.
public actor MailChannel {
    public nonisolated let client: any Mailbox
    /// The gateway this channel hands messages to and keeps its memory in.
    private let gateway: Gateway
    private let clock: any WallClock
    private let logger: Logger
    /// The mailbox's UIDNEXT at the last poll: mail at or above it is new.
    private var knownNext: UInt32 = 0
    /// Whether to wait with IMAP IDLE between polls (off when the server lacks it).
    private var idling: Bool
    /// IDLE waits that failed in a row (logged on the 1st, 2nd, 4th … one).
    private var idleFailures = 0

    /// A channel made whole: its client and the gateway it serves. The gateway delivers
    /// through `transport` once it is connected (`Gateway.connect`).
    public init(client: any Mailbox, gateway: Gateway, clock: any WallClock, logger: Logger) {
        self.client = client
        self.gateway = gateway
        self.clock = clock
        self.logger = logger
        idling = client.config.useIdle
    }

    public nonisolated var transport: MailTransport { MailTransport(channel: self) }

    /// Polls until cancelled. A failed poll is tried again, waiting longer after each failure
    /// in a row (up to a minute), and logged on the 1st, 2nd, 4th, 8th … failure, so that a
    /// server down for an hour does not fill the log; the recovery is logged too.
    public func run(onReady: @Sendable () -> Void = {}) async throws {
        var ready = false
        var failures = 0
        // Wake-ups by IDLE that found no mail in a row: each doubles a pause before the next
        // wait, so a server that says "new mail" without end cannot make the gateway reconnect
        // and poll as fast as the network allows.
        var emptyWakes = 0
        var wokeByIdle = false
        if client.config.senderTrust == .fromHeader {
            logger.warning(
                """
                email: trust_from_header is set: mail is served on its From: line alone, which anyone can forge; \
                set trusted_authserv_id to a receiving mail server that checks DKIM, SPF or DMARC
                """)
        }
        while !Task.isCancelled {
            do {
                let handled = try await poll()
                await gateway.channel(.email, succeeded: true)
                if wokeByIdle { emptyWakes = handled == 0 ? emptyWakes + 1 : 0 }
                if !ready {
                    ready = true
                    logger.notice("email: polling", metadata: ["mailbox": "\(client.config.imapURL)"])
                    onReady()
                }
                if failures > 0 {
                    logger.notice("email: polling again", metadata: ["failed_polls": "\(failures)"])
                    failures = 0
                }
            } catch let error as StoreError {
                throw error
            } catch let error as CurlError where error.isCancelled {
                return
            } catch {
                failures += 1
                await gateway.channel(.email, succeeded: false)
                if Self.isLogged(failures: failures) {
                    logger.warning(
                        "email: poll failed; trying again",
                        metadata: [
                            "error": "\(error)", "failures_in_a_row": "\(failures)",
                            "next_in": "\(Self.pollDelay(afterFailures: failures, interval: client.config.pollSeconds))s",
                        ])
                }
            }
            wokeByIdle = false
            var delay = Self.pollDelay(afterFailures: failures, interval: client.config.pollSeconds)
            if failures == 0, idling {
                if emptyWakes > 0 {
                    guard await client.sleep(seconds: min(delay, 0.25 * pow(2, Double(min(emptyWakes, 16))))) else { return }
                }
                switch await waitForMail(seconds: delay) {
                case .newMail:
                    wokeByIdle = true
                    continue
                case .timedOut:
                    emptyWakes = 0
                    continue
                case .cancelled: return
                case .unsupported: break
                case nil:
                    // The IDLE connection failed (dropped, a restart): poll again soon, not after
                    // the whole interval; longer after each failure in a row.
                    delay = min(delay, pow(2, Double(min(idleFailures - 1, 10))))
                }
            }
            // Woken by a shutdown within a quarter of a second, however long the poll interval.
            guard await client.sleep(seconds: delay) else { return }
        }
    }

    /// Waits for new mail with IMAP IDLE; nil when the wait failed (then the caller waits
    /// the poll interval, and the next wait tries IDLE again).
    private func waitForMail(seconds: Double) async -> MailWait? {
        do {
            let result = try await client.waitForMail(after: knownNext, seconds: seconds)
            if idleFailures > 0 {
                logger.notice("email: waiting with IDLE again", metadata: ["failed_waits": "\(idleFailures)"])
                idleFailures = 0
            }
            if result == .unsupported {
                idling = false
                logger.notice("email: the server does not offer IDLE; polling every \(client.config.pollSeconds) s")
            }
            return result
        } catch let error as CurlError where error.isCancelled {
            return .cancelled
        } catch {
            idleFailures += 1
            if Self.isLogged(failures: idleFailures) {
                logger.warning(
                    "email: waiting with IDLE failed; polling meanwhile",
                    metadata: [
                        "error": "\(error)", "failures_in_a_row": "\(idleFailures)",
                    ])
            }
            return nil
        }
    }

    /// Whether the `failures`th failure in a row is logged: the 1st, 2nd, 4th, 8th …, so that a
    /// server down for an hour does not fill the log.
    static func isLogged(failures: Int) -> Bool { failures > 0 && failures & (failures - 1) == 0 }

    /// The wait before the next poll: the interval, doubled for each failure in a row, at most
    /// a minute (or the interval, if that is longer).
    static func pollDelay(afterFailures failures: Int, interval: Double) -> Double {
        guard failures > 0 else { return interval }
        return min(interval * pow(2, Double(min(failures, 20))), max(interval, 60))
    }

    /// Reads what arrived since the last poll; returns how many mails it read. The mailbox
    /// session the poll reads on is ended however the poll ends: it is not kept through the
    /// wait for the next one.
    @discardableResult
    public func poll() async throws -> Int {
        do {
            let read = try await readNewMail()
            await client.endPoll()
            return read
        } catch {
            await client.endPoll()
            throw error
        }
    }

    private func readNewMail() async throws -> Int {
        let (validity, next) = try await client.status()
        knownNext = next
        let memory = await gateway.mailMemory
        let storedValidity = memory.uidValidity
        var last = memory.lastUID
        if storedValidity != validity {
            if storedValidity == nil {
                // The first run starts from now, as on Matrix: old mail is not acted on.
                last = next > 0 ? next - 1 : 0
                logger.info("email: first run; starting after UID \(last ?? 0)")
            } else {
                logger.warning("email: UIDVALIDITY changed; reading the mailbox again (handled mail is recognised)")
                last = 0
            }
            try await gateway.remember([.mail(.mailboxRead(validity: validity, lastUID: last ?? 0))])
        }
        var read = 0
        // Counted in 64 bits: UIDs come from the server, and the last one may be the largest
        // a UID can be.
        var from = UInt64(last ?? 0) + 1
        logger.trace("email: poll", metadata: ["uidvalidity": "\(validity)", "uidnext": "\(next)", "after": "\(from - 1)"])
        while from < UInt64(next) {
            let through = min(UInt64(next) - 1, from + UInt64(MailClient.searchChunk) - 1)
            let uids = try await client.search(from: UInt32(from), through: UInt32(through))
            logger.debug("email: new mail", metadata: ["uids": "\(uids)"])
            // Fetched in pieces bounded in count and bytes. The mails of a piece are handled in
            // order and committed together with the last UID as the last read (one record, one
            // fsync): a failure midway commits none of the piece, and it is all read again (what
            // its mails did on the side — an automatic answer to a stranger, a bounce told to
            // the coordinators, the tokens' key — is committed when done, and not done twice).
            // The next piece is fetched while this one is handled, when this one holds at most
            // half the fetch budget (so at most that and one fetch are held at once): the mail
            // server's answer then costs no time of its own in a burst.
            var pending = uids[...]
            var mails = try await fetch(pending, validity: validity)
            while !pending.isEmpty {
                // What came: the pending UIDs up to the first the fetch left out (its budget).
                let came = pending.prefix { mails[$0] != nil }
                let rest = pending.dropFirst(came.count)
                let piece = came.compactMap { uid in mails[uid].map { (uid: uid, mail: $0) } }
                if piece.reduce(0, { $0 + $1.mail.bytes }) <= MailClient.fetchBudget / 2 {
                    async let ahead = fetch(rest, validity: validity)
                    read += try await handle(piece, validity: validity)
                    mails = try await ahead
                } else {
                    read += try await handle(piece, validity: validity)
                    mails = try await fetch(rest, validity: validity)
                }
                pending = rest
            }
            from = through + 1
        }
        return read
    }

    /// The mails of the first `fetchChunk` UIDs of `uids` (none for none); the first of them
    /// must come, or the poll fails (and is tried again).
    private nonisolated func fetch(_ uids: ArraySlice<UInt32>, validity: UInt32) async throws -> [UInt32: FetchedMail] {
        guard let first = uids.first else { return [:] }
        let mails = try await client.fetch(validity: validity, uids: Array(uids.prefix(MailClient.fetchChunk)))
        guard mails[first] != nil else {
            throw MailboxError(detail: "the server gave nothing for UID \(first)")
        }
        return mails
    }

    /// Handles fetched mails in order, passing over those that cannot be read, and commits
    /// what they bring with the last one's UID as the last read, in one record; how many
    /// mails were read.
    func handle(_ fetched: [(uid: UInt32, mail: FetchedMail)], validity: UInt32) async throws -> Int {
        guard let last = fetched.last?.uid else { return 0 }
        var messages: [InboundMessage] = []
        var memory: [ChannelMemoryChange] = []
        var read = 0
        for (uid, mail) in fetched {
            switch mail {
            case .body(let data):
                read += 1
                if let (message, changes) = try await inbound(data, id: "mail-\(validity)-\(uid)") {
                    messages.append(message)
                    memory += changes
                }
            case .tooLarge(let bytes):
                logger.warning("email: a mail too large to read; passed over", metadata: ["uid": "\(uid)", "bytes": "\(bytes)"])
            case .gone:
                logger.info("email: a mail was gone before it was read", metadata: ["uid": "\(uid)"])
            case .unreadable(let reason):
                // Left in the mailbox for a person to look at; it must not stop all mail after it.
                logger.error(
                    "email: the server would not give a mail whole; passed over (it stays in the mailbox)",
                    metadata: ["uid": "\(uid)", "reason": "\(reason)"])
            }
        }
        memory.append(.mail(.mailboxRead(validity: validity, lastUID: last)))
        try await gateway.receive(batch: messages, remembering: memory)
        return read
    }

    /// The message a mail brings the gateway, with what the channel remembers of it (the
    /// person's thread); nil for mail that brings none (machines, bounces, strangers).
    private func inbound(_ data: Data, id fallbackID: String) async throws -> (InboundMessage, [ChannelMemoryChange])? {
        let message = MailMessage(parsing: data)
        switch MailClassifier.classify(message) {
        case .automatic(let reason):
            logger.info("email: not answering automatic mail", metadata: ["reason": "\(reason)", "id": "\(fallbackID)"])
            return nil
        case .bounce(let failed):
            // Acted on only for a mail the gateway really sent: the returned headers carry its
            // reply token (in the Message-ID or Reply-To), signed, naming the person it went to.
            let ours = try await bouncedRecipients(of: data, claimed: failed)
            guard !ours.isEmpty else {
                logger.warning(
                    "email: a bounce about no mail of ours; ignored", metadata: ["addresses": "\(LogRedaction.addresses(failed))"])
                return nil
            }
            logger.warning("email: delivery failed", metadata: ["addresses": "\(LogRedaction.addresses(ours))"])
            try await reportFailing(ours)
            return nil
        case .person:
            break
        }
        guard Self.isVouchedFor(message, trust: client.config.senderTrust) else {
            logger.warning(
                "email: the receiving mail server does not vouch for the sender; not served",
                metadata: ["from": "\(message.fromAddress.map(LogRedaction.address) ?? "?")"])
            return nil
        }
        guard let address = message.fromAddress,
            let person = await gateway.registry.person(channel: .email, address: address)
        else {
            logger.notice(
                "email: mail from someone not in the registry",
                metadata: ["from": "\(message.fromAddress.map(LogRedaction.address) ?? "?")"])
            if let address = message.fromAddress { try await answerStranger(address) }
            return nil
        }
        // A reply names its conversation: by the token in our reply address, by our Message-ID
        // it answers, or by an order's tag in the subject. It must be the sender's own.
        if let owner = try await conversationOwner(of: message), owner != person.id {
            logger.warning(
                "email: the sender does not own the conversation the mail answers; not served",
                metadata: ["from": "\(LogRedaction.address(address))", "owner": "\(owner)"])
            return nil
        }
        let text = message.replyText
        guard !text.isEmpty else { return nil }
        // Replies go into the person's thread.
        let thread = message.messageID.map {
            ChannelMemoryChange.mail(.threadNoted(person: person.id, messageID: $0, subject: message.subject))
        }
        let inbound = InboundMessage(
            id: message.messageID.map { "mail:" + $0 } ?? fallbackID, channel: .email,
            sender: person.id, text: text, receivedAt: clock.now())
        return (inbound, thread.map { [$0] } ?? [])
    }

    /// The person whose conversation a mail answers, if it says: token first, then an order tag.
    func conversationOwner(of message: MailMessage) async throws -> PersonID? {
        let key = try await tokenKey()
        let owners = await gateway.mailMemory.tokenOwners
        let candidates = ["Delivered-To", "X-Original-To", "To", "Cc"].flatMap { message.headers.all($0) } + message.replyReferences
        if let token = ReplyToken.find(in: candidates, key: key, lookup: { owners[$0]?.rawValue }) {
            return PersonID(token.person)
        }
        if let tag = message.subject.range(of: #"\[T-\d{4}-\d{4,5}\]"#, options: .regularExpression) {
            let id = OrderID(rawValue: String(message.subject[tag].dropFirst().dropLast()))
            return await gateway.state.orders[id]?.orderer
        }
        return nil
    }

    /// The key that signs reply tokens: `KOKEMUS_MAIL_TOKEN_KEY` if set, else one made at random
    /// once and kept in the (private) state directory.
    private func tokenKey() async throws -> [UInt8] {
        if let configured = client.config.tokenKey { return Array(configured.utf8) }
        if let stored = await gateway.mailMemory.tokenKey { return Array(stored.utf8) }
        let made = (0..<4).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined()
        try await gateway.remember([.mail(.tokenKeyMade(made))])
        // Another delivery may have made one at the same moment: the one remembered counts.
        return Array((await gateway.mailMemory.tokenKey ?? made).utf8)
    }

    /// The person's reply token, made once.
    private func token(for person: PersonID) async throws -> ReplyToken {
        let key = try await tokenKey()
        if let value = await gateway.mailMemory.replyTokens[person] {
            return ReplyToken(person: person.rawValue, key: key, id: String(value.prefix(ReplyToken.idLength)))
        }
        let made = ReplyToken(person: person.rawValue, key: key)
        try await gateway.remember([.mail(.replyTokenMade(person: person, id: made.id, token: made.value))])
        // Another delivery to the person may have made one at the same moment: the one remembered counts.
        let value = await gateway.mailMemory.replyTokens[person] ?? made.value
        let token = ReplyToken(person: person.rawValue, key: key, id: String(value.prefix(ReplyToken.idLength)))
        return token
    }

    /// Whether the mail may be taken as coming from its `From:`: one `From:` with one address,
    /// and (unless the operator chose to trust `From:`) a passing check aligned with its domain
    /// in the trusted server's `Authentication-Results`.
    static func isVouchedFor(_ message: MailMessage, trust: SenderTrust) -> Bool {
        let froms = message.headers.all("From")
        guard froms.count == 1, Self.namesOneMailbox(froms[0]), let address = message.fromAddress,
            let at = address.lastIndex(of: "@")
        else { return false }
        switch trust {
        case .fromHeader:
            return true
        case .authenticationResults(let authservID):
            let domain = String(address[address.index(after: at)...])
            return SenderAuthentication(message.headers, authservID: authservID)
                .vouches(for: domain, signatures: message.headers.all("DKIM-Signature"))
        }
    }

    /// `Anna <anna@x.fi>` and `anna@x.fi` name one mailbox; `a@x.fi, b@y.fi` or `A <a@x.fi>, B <b@y.fi>`
    /// name two, and which of them sent the mail no check can say (DMARC refuses such mail too).
    static func namesOneMailbox(_ field: String) -> Bool {
        var unquoted = ""
        var quoted = false
        for character in field {
            if character == "\"" { quoted.toggle() } else if !quoted { unquoted.append(character) }
        }
        let brackets = unquoted.filter { $0 == "<" }.count
        if brackets == 1, let open = unquoted.firstIndex(of: "<"), let close = unquoted[open...].firstIndex(of: ">") {
            return !(unquoted[..<open] + unquoted[unquoted.index(after: close)...]).contains("@")
        }
        return brackets == 0 && !unquoted.contains(",") && unquoted.filter { $0 == "@" }.count == 1
    }

    private var today: LocalDay {
        LocalTime.helsinki.day(of: clock.now())
    }

    /// The failed addresses of a bounce that are the recipients of mail the gateway sent:
    /// its signed reply token in the returned part names the person, whose address must be
    /// among the failed ones. A forged bounce about anyone else is nothing.
    private func bouncedRecipients(of data: Data, claimed: [String]) async throws -> [String] {
        let key = try await tokenKey()
        let owners = await gateway.mailMemory.tokenOwners
        let text = String(decoding: data.prefix(1 << 20), as: UTF8.self)
        guard let token = ReplyToken.find(in: [text], key: key, lookup: { owners[$0]?.rawValue }),
            let person = await gateway.registry.person(PersonID(token.person)),
            let address = person.contacts.email?.lowercased()
        else { return [] }
        return claimed.filter { $0.lowercased() == address }
    }

    /// Someone outside the registry gets the county's `stranger_reply`, if it set one, at most
    /// once a day, as an automatic reply (null sender); without one, nothing (logged only).
    private func answerStranger(_ address: String) async throws {
        guard let reply = client.config.strangerReply else { return }
        let today = self.today
        // `address` is the parsed From:, already in lower case (`Who@` and `who@` are one stranger).
        guard await gateway.mailMemory.strangersAnswered.count(address, on: today) == 0, let recipient = MailAddress(address)
        else { return }
        // Recorded first: at most one a day, even if the process stops right after. The memory
        // forgets yesterday's strangers when today's first is recorded.
        try await gateway.remember([.mail(.strangerAnswered(address: address, day: today))])
        let text = reply
        let subject = await gateway.catalog.text(.emailSubject, .fi)
        let config = client.config
        let domain = config.address.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let mail = OutgoingMail(
            from: config.address, to: [recipient], subject: subject, text: text,
            messageID: "s\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())@\(domain)",
            date: clock.now())
        try await client.send(mail.rendered(), from: config.address, to: [recipient], nullSender: true)
    }

    /// A bounce marks the addresses as failing and tells the coordinators, once a day each.
    private func reportFailing(_ addresses: [String]) async throws {
        let today = self.today
        for address in addresses {
            // A bounce names the address as its server wrote it: counted in lower case, once a day.
            let key = address.lowercased()
            guard await gateway.mailMemory.failuresReported.count(key, on: today) == 0 else { continue }
            try await gateway.remember([.mail(.failureReported(address: key, day: today))])
            let person = await gateway.registry.person(channel: .email, address: address)
            try await gateway.tellCoordinators(.emailBounced, ["person": person?.name ?? address, "address": address])
        }
    }

    /// Sends one outbox message to the person's address; the day's count for the address is
    /// committed with the delivery.
    func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange] {
        guard let address = person.contacts.email.flatMap({ MailAddress($0, displayName: person.name) }) else {
            throw NoAddress(person: person.id)
        }
        let config = client.config
        let domain = config.address.address.split(separator: "@").last.map(String.init) ?? "localhost"
        // The token goes in the reply address and the Message-ID, so a reply can be traced back.
        let token = try await token(for: person.id)
        let local = config.address.address.split(separator: "@").first.map(String.init) ?? "kokemus"
        let replyTo = MailAddress("\(local)+\(token.value)@\(domain)", displayName: config.displayName)
        let thread = await gateway.mailMemory.threads[person.id]
        let language = await gateway.language(of: person.id)
        // A mail the gateway starts has its own subject and starts a thread; an answer to the
        // person goes into theirs.
        let service = await gateway.catalog.text(.emailSubject, language)
        let (subject, inThread) =
            message.subject.map { ($0, false) }
            ?? MailSubject.choose(thread: thread?.subject, text: message.text, service: service)
        let inReplyTo = inThread ? thread.flatMap { $0.messageID.isEmpty ? nil : $0.messageID } : nil
        let mail = OutgoingMail(
            from: config.address, to: [address], replyTo: replyTo ?? config.address, subject: subject,
            text: message.text, messageID: "\(token.value).m\(message.id)@\(domain)",
            inReplyTo: inReplyTo, references: inReplyTo.map { [$0] } ?? [], date: clock.now(),
            calendar: message.calendar.map {
                ICalendar.render($0, organizer: config.address, attendee: address, now: clock.now())
            }, calendarMethod: message.calendar?.method.rawValue ?? "REQUEST", attachments: message.attachments ?? [])
        // A cap per address and day: a flow gone wrong must not flood anyone's mailbox. People's
        // relays are counted apart, so a flood of them never holds back fee reports or reminders.
        let countKey = address.address.lowercased()
        let today = self.today
        let memory = await gateway.mailMemory
        let sentToday = (message.isRelay ? memory.relayed : memory.sent).count(countKey, on: today)
        guard sentToday < config.dailyCap else {
            throw DailyCapReached(address: address.address, cap: config.dailyCap, relays: message.isRelay)
        }
        // SMTP is at least once: a resend after a crash carries the same Message-ID.
        try await client.send(mail.rendered(), from: config.address, to: [address], nullSender: false)
        return [.mail(.mailSent(address: countKey, relay: message.isRelay, day: today))]
    }

    /// The mailbox answered a fetch with nothing usable: the poll fails and is tried again.
    struct MailboxError: Error, CustomStringConvertible {
        var detail: String
        var description: String { "IMAP: \(detail)" }
    }

    /// The day's cap for one address is reached: the message waits in the outbox for tomorrow.
    struct DailyCapReached: Error, CustomStringConvertible {
        var address: String
        var cap: Int
        var relays: Bool
        var description: String {
            "\(cap) \(relays ? "relays" : "mails") to \(LogRedaction.address(address)) today already; the rest wait until tomorrow"
        }
    }

    struct NoAddress: UndeliverableMessageError, CustomStringConvertible {
        var person: PersonID
        var description: String { "\(person) has no valid e-mail address" }
    }
}

/// Delivers the gateway's messages through a ``MailChannel``.
public struct MailTransport: MessageTransport {
    public let channel = Channel.email
    let mail: MailChannel

    init(channel: MailChannel) {
        mail = channel
    }

    public func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange] {
        try await mail.deliver(message, to: person)
    }
}
