import CurlKit
import Foundation
import KokemusCore
import Logging
import Synchronization

/// IMAP and SMTP through libcurl 7.88, within its known limits: curl opens and logs in the
/// IMAP connection, and this client then speaks IMAP on it (`IMAPSession`: a custom FETCH
/// through curl loses the literal); each poll reads on one session of its own, opened by
/// `status()` and ended by `endPoll()` (`IMAPReadingSession`), so a burst costs one login,
/// not one per command. Mail is sent over one SMTP
/// connection kept open between messages, opened anew after any failure; an SMTP 5xx is told
/// from a network error by the response code.
public final class MailClient: Sendable {
    public let config: MailConfig
    private let imapWorker = CurlWorker(name: "mail-imap")
    private let smtpWorker = CurlWorker(name: "mail-smtp")
    /// Holds the IDLE connection between polls (its own thread: a wait lasts minutes).
    private let idleWorker = CurlWorker(name: "mail-idle")

    /// The largest UID range one search asks for.
    static let searchChunk: UInt32 = 500
    /// The most messages one fetch asks for.
    public static let fetchChunk = 50
    /// Larger messages are not read (64 MiB; what a county's server accepts is far less).
    public static let largestMail = 64 << 20
    /// The bytes of messages one fetch reads at most (at least one message), and one FETCH
    /// command: what waits to be handled is bounded, and each command has its own deadline.
    /// (The channel reads the next piece ahead only while the one it handles holds at most
    /// half of this: at most that and one fetch are held at once.)
    static let fetchBudget = 32 << 20
    static let fetchGroupBytes = 4 << 20
    /// The IMAP session the poll in progress reads on (used on `imapWorker`'s thread only).
    private let reading = IMAPReadingSession()
    /// Set after a failed send: the next one opens a new SMTP connection.
    private let smtpSuspect = Flag()

    public init(config: MailConfig) {
        self.config = config
    }

    public func shutdown() {
        imapWorker.stop()
        smtpWorker.stop()
        idleWorker.stop()
    }

    /// Waits up to `seconds` for mail above UID `knownNext - 1` with IMAP IDLE, on a
    /// connection of its own that is closed afterwards (`IMAPIdle`).
    public func waitForMail(after knownNext: UInt32, seconds: Double) async throws -> MailWait {
        let config = self.config
        let cancellation = idleWorker.cancellation
        return try await idleWorker.run { _ in
            // A handle of its own, cleaned up (and its connection closed) when the wait ends.
            let easy = try CurlEasy()
            easy.setCancellation(cancellation)
            try Self.prepare(easy, url: config.imapURL, config: config)
            try easy.set(.timeoutSeconds(30))
            // The connection must outlive the "transfer" that opens it (curl closes a forbidden
            // one at once, and then sends fail with CURLE_UNSUPPORTED_PROTOCOL).
            try easy.set(.forbidReuse(false))
            // Bounds curl's own LOGOUT when the handle is freed (a shutdown must not wait 120 s).
            try easy.set(.serverResponseTimeoutSeconds(5))
            try easy.connectOnly()
            var idle = IMAPIdle(connection: easy, mailbox: Self.mailboxName(config.imapURL), cancellation: cancellation)
            return try idle.wait(after: knownNext, seconds: seconds)
        }
    }

    /// The mailbox the URL names, its whole path (`imap://host/INBOX` → `INBOX`,
    /// `imap://host/INBOX/Kokemus` → `INBOX/Kokemus`), percent-decoded.
    static func mailboxName(_ url: String) -> String {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return "INBOX" }
        let path = String(parts[3]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let name = path.removingPercentEncoding ?? path
        return name.isEmpty ? "INBOX" : name
    }

    /// Waits between polls; false once the client is shut down.
    public func sleep(seconds: Double) async -> Bool {
        await imapWorker.cancellation.sleep(seconds: seconds)
    }

    /// The mailbox's UIDVALIDITY and the UID the next message will get, as the SELECT of a
    /// new reading session tells them: each poll starts on a fresh session (what a selected
    /// mailbox was told earlier can be out of date), which its searches and fetches then use
    /// until `endPoll()`.
    public func status() async throws -> (validity: UInt32, next: UInt32) {
        let mailbox = IMAPSession.quoted(Self.mailboxName(config.imapURL))
        return try await onReadingSession(fresh: true) { reading in
            var (validity, next) = reading.selected
            if validity == nil || next == nil {
                // RFC 3501 asks SELECT for both; a server that leaves one out is asked with STATUS.
                let answer = try reading.withSession { try $0.command("STATUS \(mailbox) (UIDNEXT UIDVALIDITY)", within: 30) }
                guard answer.ok else {
                    reading.close()
                    throw CurlError(code: 8, operation: "IMAP STATUS", detail: answer.status)
                }
                let text = answer.lines.joined(separator: "\n").uppercased()
                validity = validity ?? Self.number(after: "UIDVALIDITY ", in: text)
                next = next ?? Self.number(after: "UIDNEXT ", in: text)
            }
            guard let validity, let next else {
                reading.close()
                throw CurlError.protocolError("neither SELECT nor STATUS gave UIDVALIDITY and UIDNEXT")
            }
            return (validity, next)
        }
    }

    /// UIDs in `first...last`, ascending (a bounded range keeps the answer small), on the
    /// poll's session (a new one if none is open).
    public func search(from first: UInt32, through last: UInt32) async throws -> [UInt32] {
        guard first <= last else { return [] }
        return try await onReadingSession { reading in
            let answer = try reading.withSession { session in
                try session.command("UID SEARCH UID \(first):\(last)", within: 30, expecting: 1)
            }
            guard answer.ok else {
                reading.close()
                throw CurlError(code: 8, operation: "IMAP SEARCH", detail: answer.status)
            }
            return Self.searchResult(answer.lines, from: first, through: last)
        }
    }

    /// The UIDs of a `UID SEARCH` answer's lines within `first...last`, ascending.
    static func searchResult(_ lines: [String], from first: UInt32, through last: UInt32) -> [UInt32] {
        var uids: [UInt32] = []
        for line in lines where line.uppercased().hasPrefix("* SEARCH") {
            uids += line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt32($0) }
        }
        // "UID a:b" can name the highest UID even below a (RFC 3501 §6.4.8): keep the range only.
        return uids.filter { (first...last).contains($0) }.sorted()
    }

    /// The messages of `uids`, in order, whole, by UID, on the poll's session (a new one if
    /// none is open), as far as `fetchBudget` bytes go (the rest are left out, to be asked
    /// for again); see `IMAPSession.fetch` for gone, too large and unreadable ones. `BODY[]`
    /// marks them \Seen: a person looking at the mailbox sees which mail the gateway has
    /// taken. A changed UIDVALIDITY throws (the next poll reads the mailbox anew).
    public func fetch(validity: UInt32, uids: [UInt32]) async throws -> [UInt32: FetchedMail] {
        try await onReadingSession { reading in
            // RFC 3501 requires it; a server that leaves it out is trusted on STATUS's word.
            let selected = reading.selected.validity
            guard selected == nil || selected == validity else {
                reading.close()
                throw CurlError(
                    code: 78, operation: "IMAP FETCH",
                    detail: "UIDVALIDITY is \(selected.map(String.init) ?? "not given"), not \(validity)")
            }
            return try reading.withSession { session in
                try session.fetch(
                    Array(uids.prefix(Self.fetchChunk)), largest: Self.largestMail, budget: Self.fetchBudget,
                    groupBytes: Self.fetchGroupBytes, within: 120)
            }
        }
    }

    /// Runs `body` on the IMAP worker with the poll's reading session: a new one when `fresh`
    /// (a poll begins) or when none is open (an earlier failure closed it).
    private func onReadingSession<T: Sendable>(
        fresh: Bool = false, _ body: @escaping @Sendable (IMAPReadingSession) throws -> T
    ) async throws -> T {
        let config = self.config
        let reading = self.reading
        let cancellation = imapWorker.cancellation
        return try await imapWorker.run { _ in
            if fresh || !reading.isOpen {
                try reading.open(config: config, cancellation: cancellation) { try Self.prepare($0, url: config.imapURL, config: config) }
            }
            return try body(reading)
        }
    }

    /// Ends the poll's reading session (LOGOUT); the next poll opens a new one.
    public func endPoll() async {
        let reading = self.reading
        _ = try? await imapWorker.run { _ in reading.close() }
    }

    /// Sends one message. A 4xx or a network error throws a retryable error; a 5xx throws
    /// `MailRejected` (permanent).
    /// `nullSender` sends with `MAIL FROM:<>`, as automatic replies must (RFC 3834 §3.2), so
    /// that a bounce of them never comes back to be answered.
    public func send(_ message: Data, from: MailAddress, to: [MailAddress], nullSender: Bool = false) async throws {
        let config = self.config
        let suspect = smtpSuspect
        try await smtpWorker.run { easy in
            try Self.prepare(easy, url: config.smtpURL, config: config)
            // One connection for message after message (a burst of answers costs no new
            // connection and login each), unless the last send failed: its connection may be
            // in any state.
            let fresh = suspect.isSet
            try easy.set(.freshConnection(fresh))
            try easy.set(.forbidReuse(false))
            try easy.set(.mailFrom(nullSender ? "" : "<\(from.address)>"))
            try easy.setMailRecipients(to.map { "<\($0.address)>" })
            try easy.setUpload(message)
            do {
                _ = try easy.perform()
                if fresh { suspect.isSet = false }
            } catch let error as CurlError {
                suspect.isSet = true
                let code = easy.lastResponseCode
                if (500..<600).contains(code) { throw MailRejected(code: code, detail: error.description) }
                throw error
            }
        }
    }

    private static func prepare(_ easy: CurlEasy, url: String, config: MailConfig) throws {
        try easy.setURL(url)
        try easy.set(.protocols("imap,imaps,smtp,smtps"))
        try easy.set(.username(config.username))
        try easy.set(.password(config.password))
        try easy.set(.timeoutSeconds(120))
        // A connection of its own each time (SMTP's send and the IMAP sessions set their own).
        try easy.set(.freshConnection(true))
        try easy.set(.forbidReuse(true))
        // No larger receive buffer: IMAP answers are read by `IMAPSession` into buffers of its
        // own (the 1 MiB one was for curl's custom IMAP requests, gone), and SMTP's are short.
    }

    /// The number after `key` (`UIDNEXT 17`, `RFC822.SIZE 2048`); nil past UInt32.
    static func number(after key: String, in text: String) -> UInt32? {
        guard let range = text.range(of: key) else { return nil }
        return UInt32(text[range.upperBound...].prefix { $0.isASCII && $0.isNumber })
    }
}

/// A flag shared with the worker thread.
final class Flag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

/// The mail server refused a message for good (an SMTP 5xx).
public struct MailRejected: UndeliverableMessageError, CustomStringConvertible {
    public var code: Int
    public var detail: String
    public var description: String { "SMTP \(code): \(detail)" }
}

extension CurlError {
    static func protocolError(_ detail: String) -> CurlError {
        CurlError(code: 8, operation: "IMAP", detail: detail)
    }
}
