import CurlKit
import Foundation
import KokemusCore
import Logging
import Synchronization

/// IMAP and SMTP through libcurl 7.88, within its known limits: custom IMAP commands give
/// only small answers (STATUS, bounded `UID SEARCH` ranges); messages are fetched many at a
/// time on a connection curl opens and this client then speaks IMAP on (`IMAPSession`: a
/// custom FETCH through curl loses the literal); each poll opens fresh sessions (a selected
/// mailbox can miss a message delivered at that moment). Mail is sent over one SMTP
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
    static let fetchBudget = 32 << 20
    static let fetchGroupBytes = 4 << 20
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

    /// The mailbox's UIDVALIDITY and the UID the next message will get.
    public func status() async throws -> (validity: UInt32, next: UInt32) {
        let mailbox = IMAPSession.quoted(Self.mailboxName(config.imapURL))
        let body = try await imap(command: "STATUS \(mailbox) (UIDNEXT UIDVALIDITY)")
        let text = String(decoding: body, as: UTF8.self)
        guard let validity = Self.number(after: "UIDVALIDITY ", in: text), let next = Self.number(after: "UIDNEXT ", in: text) else {
            throw CurlError.protocolError("STATUS gave no UIDVALIDITY or UIDNEXT: \(text.prefix(200))")
        }
        return (validity, next)
    }

    /// UIDs in `first...last`, ascending (a bounded range keeps the answer small).
    public func search(from first: UInt32, through last: UInt32) async throws -> [UInt32] {
        guard first <= last else { return [] }
        let body = try await imap(command: "UID SEARCH UID \(first):\(last)")
        let text = String(decoding: body, as: UTF8.self)
        var uids: [UInt32] = []
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("* SEARCH") {
            uids += line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt32($0) }
        }
        // "UID a:b" can name the highest UID even below a (RFC 3501 §6.4.8): keep the range only.
        return uids.filter { (first...last).contains($0) }.sorted()
    }

    /// The messages of `uids`, in order, whole, by UID, on one connection, as far as
    /// `fetchBudget` bytes go (the rest are left out, to be asked for again); see
    /// `IMAPSession.fetch` for gone, too large and unreadable ones. `BODY[]` marks them \Seen:
    /// a person looking at the mailbox sees which mail the gateway has taken. A changed
    /// UIDVALIDITY throws (the next poll reads the mailbox anew).
    public func fetch(validity: UInt32, uids: [UInt32]) async throws -> [UInt32: FetchedMail] {
        let config = self.config
        let cancellation = imapWorker.cancellation
        return try await imapWorker.run { _ in
            // A handle of its own: a connect-only handle cannot make curl's own transfers.
            let easy = try CurlEasy()
            easy.setCancellation(cancellation)
            try Self.prepare(easy, url: config.imapURL, config: config)
            try easy.set(.forbidReuse(false))
            try easy.set(.serverResponseTimeoutSeconds(5))
            try easy.connectOnly()
            var session = IMAPSession(connection: easy, cancellation: cancellation)
            defer { session.logout() }
            let selected = try session.select(Self.mailboxName(config.imapURL), within: 30)
            // RFC 3501 requires it; a server that leaves it out is trusted on STATUS's word.
            guard selected.validity == nil || selected.validity == validity else {
                throw CurlError(
                    code: 78, operation: "IMAP FETCH",
                    detail: "UIDVALIDITY is \(selected.validity.map(String.init) ?? "not given"), not \(validity)")
            }
            return try session.fetch(
                Array(uids.prefix(Self.fetchChunk)), largest: Self.largestMail, budget: Self.fetchBudget,
                groupBytes: Self.fetchGroupBytes, within: 120)
        }
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

    private func imap(command: String) async throws -> Data {
        let config = self.config
        return try await imapWorker.run { easy in
            try Self.prepare(easy, url: config.imapURL, config: config)
            try easy.set(.customRequest(command))
            return try easy.perform().body
        }
    }

    private static func prepare(_ easy: CurlEasy, url: String, config: MailConfig) throws {
        try easy.setURL(url)
        try easy.set(.protocols("imap,imaps,smtp,smtps"))
        try easy.set(.username(config.username))
        try easy.set(.password(config.password))
        try easy.set(.timeoutSeconds(120))
        // A fresh session each time: see the type's comment.
        try easy.set(.freshConnection(true))
        try easy.set(.forbidReuse(true))
        // curl 7.88 truncates long untagged lines silently with the default buffer.
        try easy.set(.bufferBytes(1 << 20))
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
