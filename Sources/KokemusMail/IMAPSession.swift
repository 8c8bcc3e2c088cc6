import CurlKit
import Foundation

/// One IMAP connection that curl opened and logged in (`CURLOPT_CONNECT_ONLY`) and that is
/// then spoken to directly, for what curl 7.88's own IMAP transfers cannot do: IDLE
/// (`IMAPIdle`), and fetching many messages in one command (its custom requests lose the
/// literals, so through curl each message took a connection of its own).
struct IMAPSession {
    /// The most untagged lines kept for one command's answer beyond those it asks for.
    static let mostUntaggedLines = 1_000

    let connection: any IMAPConnection
    let cancellation: CurlCancellation
    private var reader = IMAPLineReader()
    private var nextTag = 1

    init(connection: any IMAPConnection, cancellation: CurlCancellation) {
        self.connection = connection
        self.cancellation = cancellation
    }

    mutating func makeTag() -> String {
        defer { nextTag += 1 }
        return "k\(nextTag)"
    }

    mutating func send(_ text: String, within seconds: Double) throws {
        try connection.send(Array(text.utf8), timeout: seconds)
    }

    /// Sends a tagged command and reads until its completion.
    mutating func command(_ text: String, within seconds: Double) throws -> (ok: Bool, status: String, lines: [String]) {
        let tag = makeTag()
        try send("\(tag) \(text)\r\n", within: seconds)
        let deadline = Date(timeIntervalSinceNow: seconds)
        var lines: [String] = []
        while let line = try nextLine(until: deadline) {
            if line.hasPrefix(tag + " ") {
                let status = String(line.dropFirst(tag.count + 1))
                return (status.hasPrefix("OK"), status, lines)
            }
            // A SELECT answers in a dozen lines; a server that sends without end is refused.
            guard lines.count < Self.mostUntaggedLines else {
                throw CurlError(
                    code: 8, operation: "IMAP \(text.prefix { $0 != " " })", detail: "more than \(Self.mostUntaggedLines) lines")
            }
            lines.append(line)
        }
        throw CurlError(code: 28, operation: "IMAP \(text.prefix { $0 != " " })", detail: "no answer in \(Int(seconds)) s")
    }

    /// The next whole line the server sent, or nil when none came before `deadline`.
    mutating func nextLine(until deadline: Date) throws -> String? {
        while true {
            if let line = try reader.nextLine() { return line }
            guard try receive(until: deadline) else { return nil }
        }
    }

    /// Reads what the server sent into the reader; false when nothing came before `deadline`.
    private mutating func receive(until deadline: Date) throws -> Bool {
        if cancellation.isCancelled { throw CurlError(code: 42, operation: "IMAP", detail: "shutting down") }
        let left = deadline.timeIntervalSinceNow
        guard left > 0 else { return false }
        reader.append(try connection.receive(waitingMilliseconds: Int32(min(250, max(1, left * 1000)))))
        return true
    }

    /// A literal's `count` bytes; only the first `keep` are kept (the rest are read and
    /// dropped, so that the connection stays usable).
    private mutating func literal(_ count: Int, keeping keep: Int, until deadline: Date) throws -> (bytes: [UInt8], whole: Bool) {
        var kept: [UInt8] = []
        if count <= keep { kept.reserveCapacity(count) }
        var left = count
        while left > 0 {
            let taken = reader.take(upTo: left)
            left -= taken.count
            if kept.count < keep { kept += taken.prefix(keep - kept.count) }
            if left > 0, try !receive(until: deadline) {
                throw CurlError(code: 28, operation: "IMAP FETCH", detail: "a message did not arrive whole in time")
            }
        }
        return (kept, count <= keep)
    }

    /// SELECTs the mailbox; its UIDVALIDITY and UIDNEXT as the answer tells them.
    mutating func select(_ mailbox: String, within seconds: Double) throws -> (validity: UInt32?, next: UInt32?) {
        let select = try command("SELECT \(Self.quoted(mailbox))", within: seconds)
        guard select.ok else { throw CurlError(code: 8, operation: "IMAP SELECT", detail: select.status) }
        return (select.lines.lazy.compactMap(IMAPLineReader.uidValidity).first, select.lines.lazy.compactMap(IMAPLineReader.uidNext).first)
    }

    /// The messages of `uids` in the selected mailbox, whole, by UID, in one `UID FETCH`
    /// (`BODY[]`, which marks them \Seen, as curl's own fetch did). A UID the mailbox no longer
    /// holds is left out; a message over `largest` bytes is `.tooLarge` (read and dropped).
    mutating func fetch(_ uids: [UInt32], largest: Int, within seconds: Double) throws -> [UInt32: FetchedMail] {
        guard !uids.isEmpty else { return [:] }
        let asked = Set(uids)
        let tag = makeTag()
        try send("\(tag) UID FETCH \(uids.map(String.init).joined(separator: ",")) (UID BODY[])\r\n", within: seconds)
        let deadline = Date(timeIntervalSinceNow: seconds)
        var mails: [UInt32: FetchedMail] = [:]
        var others = 0
        while let line = try nextLine(until: deadline) {
            if line.hasPrefix(tag + " ") {
                guard line.dropFirst(tag.count + 1).hasPrefix("OK") else {
                    throw CurlError(code: 8, operation: "IMAP FETCH", detail: String(line.dropFirst(tag.count + 1)))
                }
                return mails
            }
            guard line.hasPrefix("* "), line.range(of: " FETCH (", options: .caseInsensitive) != nil else {
                others += 1
                guard others <= Self.mostUntaggedLines + uids.count else {
                    throw CurlError(code: 8, operation: "IMAP FETCH", detail: "more than \(Self.mostUntaggedLines) other lines")
                }
                continue
            }
            // One message's answer: text, then a literal announced at the end of a line and the
            // rest of the answer on the line after it, maybe more than once.
            var text = line
            var mail: FetchedMail?
            var literals = 0
            while let size = IMAPLineReader.literalSize(text), literals < 8 {
                literals += 1
                let (bytes, whole) = try literal(size, keeping: largest, until: deadline)
                if let open = text.lastIndex(of: "{"), text[..<open].uppercased().hasSuffix("BODY[] ") {
                    mail = whole ? .body(Data(bytes)) : .tooLarge(bytes: size)
                }
                guard let rest = try nextLine(until: deadline) else {
                    throw CurlError(code: 28, operation: "IMAP FETCH", detail: "an answer did not end in time")
                }
                text += rest
            }
            if let uid = Self.uid(in: text), asked.contains(uid), let mail { mails[uid] = mail }
        }
        throw CurlError(code: 28, operation: "IMAP FETCH", detail: "no answer in \(Int(seconds)) s")
    }

    /// Says LOGOUT without waiting long for the goodbye.
    mutating func logout() {
        _ = try? command("LOGOUT", within: 5)
    }

    /// The number after `UID` in a FETCH answer's text.
    static func uid(in text: String) -> UInt32? {
        guard let range = text.range(of: #"[( ]UID \d{1,10}"#, options: [.regularExpression, .caseInsensitive]) else { return nil }
        return UInt32(text[range].dropFirst(5))
    }

    /// A mailbox name as an IMAP quoted string.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// The bytes of an IMAP connection: curl's connect-only handle, or a server in a test.
protocol IMAPConnection {
    /// Sends all of `bytes` within `timeout` seconds.
    func send(_ bytes: [UInt8], timeout: Double) throws
    /// What has arrived, waiting up to `milliseconds`; empty when nothing came.
    func receive(waitingMilliseconds milliseconds: Int32) throws -> [UInt8]
}

extension CurlEasy: IMAPConnection {}

/// A message as a fetch found it.
public enum FetchedMail: Sendable, Equatable {
    case body(Data)
    /// Larger than the client reads (`MailClient.largestMail`): never handled.
    case tooLarge(bytes: Int)
}
