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
    mutating func command(_ text: String, within seconds: Double, expecting: Int = 0) throws -> (ok: Bool, status: String, lines: [String])
    {
        let tag = makeTag()
        try send("\(tag) \(text)\r\n", within: seconds)
        let deadline = Date(timeIntervalSinceNow: seconds)
        var lines: [String] = []
        while let line = try nextLine(until: deadline) {
            if line.hasPrefix(tag + " ") {
                let status = String(line.dropFirst(tag.count + 1))
                return (status.uppercased().hasPrefix("OK"), status, lines)
            }
            // A SELECT answers in a dozen lines; a server that sends without end is refused.
            guard lines.count < Self.mostUntaggedLines + expecting else {
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

    /// A literal's `count` bytes, or none when there are more than `keep` (they are read and
    /// dropped, so that the connection stays usable).
    private mutating func literal(_ count: Int, keeping keep: Int, until deadline: Date) throws -> (bytes: [UInt8], whole: Bool) {
        var kept: [UInt8] = []
        if count <= keep { kept.reserveCapacity(count) }
        var left = count
        while left > 0 {
            let taken = reader.take(upTo: left)
            left -= taken.count
            if count <= keep { kept += taken }
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

    /// The sizes (`RFC822.SIZE`) of the messages of `uids` in the selected mailbox, by UID; a
    /// UID the mailbox no longer holds is left out. Small answers, no literals.
    mutating func sizes(_ uids: [UInt32], within seconds: Double) throws -> [UInt32: Int] {
        guard !uids.isEmpty else { return [:] }
        let answer = try command("UID FETCH \(Self.set(uids)) (UID RFC822.SIZE)", within: seconds, expecting: uids.count)
        guard answer.ok else { throw CurlError(code: 8, operation: "IMAP FETCH", detail: answer.status) }
        let asked = Set(uids)
        var sizes: [UInt32: Int] = [:]
        for line in answer.lines where line.hasPrefix("* ") {
            guard let uid = Self.uid(in: line), asked.contains(uid),
                let size = MailClient.number(after: "RFC822.SIZE ", in: line.uppercased())
            else { continue }
            sizes[uid] = Int(size)
        }
        return sizes
    }

    /// The messages of `uids` in the selected mailbox, whole, by UID, in one `UID FETCH`
    /// (`BODY[]`, which marks them \Seen, as curl's own fetch did). A message the answer does
    /// not hold whole is left out; one over `largest` bytes is read and dropped (`.tooLarge`).
    mutating func bodies(_ uids: [UInt32], largest: Int, within seconds: Double) throws -> [UInt32: FetchedMail] {
        guard !uids.isEmpty else { return [:] }
        let asked = Set(uids)
        let tag = makeTag()
        try send("\(tag) UID FETCH \(Self.set(uids)) (UID BODY[])\r\n", within: seconds)
        let deadline = Date(timeIntervalSinceNow: seconds)
        var mails: [UInt32: FetchedMail] = [:]
        var others = 0
        while let line = try nextLine(until: deadline) {
            if line.hasPrefix(tag + " ") {
                let status = line.dropFirst(tag.count + 1)
                guard status.uppercased().hasPrefix("OK") else { throw CurlError(code: 8, operation: "IMAP FETCH", detail: String(status)) }
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

    /// The messages of `uids`, in order, as far as `budget` bytes go (at least one message):
    /// sizes first, then the bodies in groups of at most `groupBytes`, each group a command
    /// with a deadline of its own. By UID: a UID the mailbox no longer holds is `.gone`; one
    /// over `largest` is `.tooLarge` and not read; one the server will not give whole (a
    /// damaged message, a NO for it alone) is `.unreadable`. UIDs after the budget is spent
    /// are left out, for the caller to ask for again.
    mutating func fetch(
        _ uids: [UInt32], largest: Int, budget: Int, groupBytes: Int, within seconds: Double
    ) throws -> [UInt32: FetchedMail] {
        let sizes = try sizes(uids, within: seconds)
        var mails: [UInt32: FetchedMail] = [:]
        var spent = 0
        var group: [UInt32] = []
        var groupSize = 0
        func flush(_ session: inout IMAPSession) throws {
            guard !group.isEmpty else { return }
            defer {
                group = []
                groupSize = 0
            }
            var got: [UInt32: FetchedMail]
            do {
                got = try session.bodies(group, largest: largest, within: seconds)
            } catch let error as CurlError where error.code == 8 && group.count > 1 {
                // Refused for one of them: each alone, so that the rest still come.
                got = [:]
                for uid in group {
                    do {
                        got[uid] = try session.bodies([uid], largest: largest, within: seconds)[uid]
                    } catch let error as CurlError where error.code == 8 {
                        // Refused alone too: passed over below. Anything else (the connection
                        // gone, a shutdown, no answer) fails the fetch, so that no mail is
                        // taken for unreadable and passed over for it.
                    }
                }
            } catch let error as CurlError where error.code == 8 {
                got = [group[0]: .unreadable("\(error)")]
            }
            for uid in group { mails[uid] = got[uid] ?? .unreadable("the server gave no whole message") }
        }
        for uid in uids {
            guard let size = sizes[uid] else {
                mails[uid] = .gone
                continue
            }
            guard size <= largest else {
                mails[uid] = .tooLarge(bytes: size)
                continue
            }
            if spent > 0, spent + size > budget { break }
            if !group.isEmpty, groupSize + size > groupBytes { try flush(&self) }
            group.append(uid)
            groupSize += size
            spent += size
        }
        try flush(&self)
        return mails
    }

    /// Says LOGOUT without waiting long for the goodbye.
    mutating func logout() {
        _ = try? command("LOGOUT", within: 5)
    }

    /// The number after `UID` in a FETCH answer's text.
    static func uid(in text: String) -> UInt32? {
        guard let range = text.range(of: #"[( ]UID \d{1,10}(?=[ )]|$)"#, options: [.regularExpression, .caseInsensitive]) else {
            return nil
        }
        return UInt32(text[range].dropFirst(5))
    }

    /// A UID set, `3,5,7`.
    static func set(_ uids: [UInt32]) -> String { uids.map(String.init).joined(separator: ",") }

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
    /// Larger than the client reads (`MailClient.largestMail`): not read, never handled.
    case tooLarge(bytes: Int)
    /// The mailbox no longer holds it (expunged since the search).
    case gone
    /// The server lists it but will not give it whole (a damaged message): passed over.
    case unreadable(String)
}

extension FetchedMail {
    /// The bytes it holds in memory.
    var bytes: Int {
        if case .body(let data) = self { return data.count }
        return 0
    }
}
