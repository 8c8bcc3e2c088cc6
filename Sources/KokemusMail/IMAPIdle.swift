import CurlKit
import Foundation

/// How a wait for new mail ended.
public enum MailWait: Sendable, Equatable {
    /// The server said a message arrived (or had arrived since the last poll).
    case newMail
    /// The time was up with no new mail.
    case timedOut
    /// The server does not offer IDLE: poll on a timer instead.
    case unsupported
    /// The client is shutting down.
    case cancelled
}

/// Waits for new mail on one IMAP connection with IDLE (RFC 2177): curl connects and logs in
/// (`CURLOPT_CONNECT_ONLY`), then this selects the mailbox, says IDLE and reads what the
/// server pushes until an `EXISTS` or `RECENT` line, the end of the wait, or a shutdown;
/// then `DONE` and `LOGOUT`. The mail itself is read by the poll that follows, through curl's
/// own IMAP transfers.
///
/// Mail that came between the last poll and the IDLE is not missed: SELECT tells the
/// mailbox's next UID, and one above what the poll saw ends the wait at once.
struct IMAPIdle {
    /// A wait is cut into IDLE commands of at most this long: RFC 2177 asks clients to end
    /// IDLE within 29 minutes, and servers drop quieter connections.
    static let longestIdle: Double = 25 * 60
    /// The most untagged lines kept for one command's answer.
    static let mostUntaggedLines = 1_000

    let easy: CurlEasy
    let mailbox: String
    let cancellation: CurlCancellation
    private var reader = IMAPLineReader()
    private var nextTag = 1

    init(easy: CurlEasy, mailbox: String, cancellation: CurlCancellation) {
        self.easy = easy
        self.mailbox = mailbox
        self.cancellation = cancellation
    }

    /// Waits up to `seconds` for mail above `knownNext` (the UIDNEXT the last poll saw).
    mutating func wait(after knownNext: UInt32, seconds: Double) throws -> MailWait {
        do {
            return try idle(after: knownNext, seconds: seconds)
        } catch let error as CurlError where error.isCancelled {
            // A shutdown: leave IDLE and log out without waiting, so that the server closes
            // the connection and curl's own goodbye when the handle is freed has nothing to wait for.
            try? easy.send(Array("DONE\r\n\(makeTag()) LOGOUT\r\n".utf8), timeout: 1)
            return .cancelled
        }
    }

    private mutating func idle(after knownNext: UInt32, seconds: Double) throws -> MailWait {
        let select = try command("SELECT \(Self.quoted(mailbox))", within: 30)
        guard select.ok else { throw CurlError(code: 8, operation: "IMAP SELECT", detail: select.status) }
        if let next = select.lines.lazy.compactMap(IMAPLineReader.uidNext).first, next > knownNext { return .newMail }
        let tag = makeTag()
        try easy.send(Array("\(tag) IDLE\r\n".utf8), timeout: 30)
        // The server answers "+ idling", or refuses IDLE with a tagged NO or BAD.
        let deadline = Date(timeIntervalSinceNow: 30)
        while true {
            guard let line = try nextLine(until: deadline) else {
                throw CurlError(code: 28, operation: "IMAP IDLE", detail: "no answer to IDLE")
            }
            if line.hasPrefix("+") { break }
            if line.hasPrefix(tag + " ") { return .unsupported }
            if IMAPLineReader.isNewMail(line) { return try finishIdle(tag, .newMail) }
        }
        let end = Date(timeIntervalSinceNow: min(seconds, Self.longestIdle))
        while end.timeIntervalSinceNow > 0 {
            guard let line = try nextLine(until: min(end, Date(timeIntervalSinceNow: 0.25))) else { continue }
            if IMAPLineReader.isNewMail(line) { return try finishIdle(tag, .newMail) }
            if line.hasPrefix("* BYE") { throw CurlError(code: 56, operation: "IMAP IDLE", detail: line) }
        }
        return try finishIdle(tag, .timedOut)
    }

    /// Ends IDLE with DONE and waits for its completion, then logs out. What the wait found
    /// stands even if the server is gone by now (the poll that follows will say so).
    private mutating func finishIdle(_ tag: String, _ result: MailWait) throws -> MailWait {
        do {
            try easy.send(Array("DONE\r\n".utf8), timeout: 10)
            let deadline = Date(timeIntervalSinceNow: 10)
            while let line = try nextLine(until: deadline), !line.hasPrefix(tag + " ") {}
            _ = try command("LOGOUT", within: 5)
        } catch let error as CurlError where error.isCancelled {
            throw error
        } catch {
            // Gone or garbled after the news: the news still counts.
        }
        return result
    }

    /// Sends a tagged command and reads until its completion.
    private mutating func command(_ text: String, within seconds: Double) throws -> (ok: Bool, status: String, lines: [String]) {
        let tag = makeTag()
        try easy.send(Array("\(tag) \(text)\r\n".utf8), timeout: seconds)
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
    private mutating func nextLine(until deadline: Date) throws -> String? {
        while true {
            if let line = reader.nextLine() { return line }
            if cancellation.isCancelled { throw CurlError(code: 42, operation: "IMAP", detail: "shutting down") }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return nil }
            let bytes = try easy.receive(waitingMilliseconds: Int32(min(250, max(1, left * 1000))))
            try reader.append(bytes)
        }
    }

    private mutating func makeTag() -> String {
        defer { nextTag += 1 }
        return "k\(nextTag)"
    }

    /// A mailbox name as an IMAP quoted string.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Cuts what an IMAP server sends into lines (CRLF; a bare LF is taken too), with a bound on
/// how much may wait unended: a server that never ends a line cannot grow it without limit.
struct IMAPLineReader {
    static let longestLine = 64 << 10
    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var start = 0

    mutating func append(_ bytes: [UInt8]) throws {
        pending += bytes
        // One pass over what came, and one removal of the lines taken (not one per line,
        // which a chunk of bare line feeds would make quadratic).
        var start = pending.startIndex
        while let end = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var line = pending[start..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lines.append(String(decoding: line, as: UTF8.self))
            start = end + 1
        }
        pending.removeSubrange(..<start)
        guard pending.count <= Self.longestLine else {
            throw CurlError(code: 8, operation: "IMAP", detail: "a line longer than \(Self.longestLine) bytes")
        }
    }

    mutating func nextLine() -> String? {
        guard start < lines.count else {
            lines.removeAll(keepingCapacity: true)
            start = 0
            return nil
        }
        defer { start += 1 }
        return lines[start]
    }

    /// `* 12 EXISTS` or `* 1 RECENT` (a message came; an `EXISTS` also follows an expunge
    /// with a smaller count, which only costs one needless poll).
    static func isNewMail(_ line: String) -> Bool {
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard words.count >= 3, words[0] == "*", UInt32(words[1]) != nil else { return false }
        let kind = words[2].uppercased()
        if kind == "RECENT" { return UInt32(words[1]).map { $0 > 0 } ?? false }
        return kind == "EXISTS"
    }

    /// The UID in `* OK [UIDNEXT 17] …`.
    static func uidNext(_ line: String) -> UInt32? {
        guard let range = line.range(of: "[UIDNEXT ", options: .caseInsensitive) else { return nil }
        return UInt32(line[range.upperBound...].prefix { $0.isNumber })
    }
}
