import CurlKit
import Foundation
import Testing

@testable import KokemusMail

/// An IMAP server in a test: answers each command the client sends with what `answer` gives,
/// handed out in small pieces of random size, so that lines and literals are cut anywhere.
final class ScriptedIMAPServer: IMAPConnection, @unchecked Sendable {
    private let lock = NSLock()
    private var outgoing: [UInt8] = []
    private(set) var commands: [String] = []
    private var generator = SystemRandomNumberGenerator()
    /// The bytes to send for one command line (its tag and text).
    let answer: (_ tag: String, _ command: String) -> [UInt8]

    init(answer: @escaping (_ tag: String, _ command: String) -> [UInt8]) {
        self.answer = answer
    }

    func send(_ bytes: [UInt8], timeout: Double) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\r\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            let tag = String(parts.first ?? "")
            let command = parts.count > 1 ? String(parts[1]) : ""
            let reply = answer(tag, command)
            lock.withLock {
                commands.append(String(line))
                outgoing += reply
            }
        }
    }

    func receive(waitingMilliseconds milliseconds: Int32) throws -> [UInt8] {
        lock.withLock {
            let count = min(outgoing.count, Int.random(in: 1...700, using: &generator))
            defer { outgoing.removeFirst(count) }
            return Array(outgoing.prefix(count))
        }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}

/// Fetching many messages in one command, and IDLE, against servers that behave and servers
/// that do not (the same code runs against Dovecot in the integration tests).
@Suite struct IMAPSessionTests {
    static func mail(_ n: Int) -> String {
        "From: a@example.test\r\nSubject: \(n)\r\n\r\nline one {9}\r\n) UID 999 BODY[] {3}\r\n"
    }

    @Test func manyMessagesAreFetchedInOneCommandWhateverTheirOrderAndPieces() throws {
        let server = ScriptedIMAPServer { tag, command in
            guard command.hasPrefix("UID FETCH") else { return ScriptedIMAPServer.bytes("\(tag) OK done\r\n") }
            let one = Self.mail(1)
            let two = Self.mail(2)
            let three = Self.mail(3)
            return ScriptedIMAPServer.bytes(
                "* 1 FETCH (UID 10 BODY[] {\(one.utf8.count)}\r\n\(one))\r\n"
                    + "* 7 EXISTS\r\n"
                    // UID after the literal, and FLAGS too, as some servers answer.
                    + "* 2 FETCH (FLAGS (\\Seen) BODY[] {\(two.utf8.count)}\r\n\(two) UID 11)\r\n"
                    // A message that was not asked for is not taken.
                    + "* 3 FETCH (UID 40 BODY[] {\(three.utf8.count)}\r\n\(three))\r\n"
                    + "\(tag) OK Fetch completed.\r\n")
        }
        var session = IMAPSession(connection: server, cancellation: CurlCancellation())
        for _ in 0..<20 {
            let mails = try session.bodies([10, 11, 12], largest: 1 << 20, within: 5)
            #expect(mails == [10: .body(Data(Self.mail(1).utf8)), 11: .body(Data(Self.mail(2).utf8))], "12 is gone: left out")
        }
        #expect(server.commands.first == "k1 UID FETCH 10,11,12 (UID BODY[])")
    }

    @Test func aMessageOverTheLimitIsReadAndDroppedAndTheNextOneStillComes() throws {
        let big = String(repeating: "x", count: 5_000)
        let server = ScriptedIMAPServer { tag, command in
            ScriptedIMAPServer.bytes(
                "* 1 FETCH (UID 1 BODY[] {\(big.utf8.count)}\r\n\(big))\r\n* 2 FETCH (UID 2 BODY[] {2}\r\nok)\r\n\(tag) OK\r\n")
        }
        var session = IMAPSession(connection: server, cancellation: CurlCancellation())
        let mails = try session.bodies([1, 2], largest: 1_000, within: 5)
        #expect(mails == [1: .tooLarge(bytes: 5_000), 2: .body(Data("ok".utf8))])
    }

    @Test func aRefusedFetchAnEndlessLineOrAnEndlessAnswerIsAnErrorNotAHang() throws {
        let refusing = ScriptedIMAPServer { tag, _ in ScriptedIMAPServer.bytes("\(tag) NO [SERVERBUG] no\r\n") }
        var session = IMAPSession(connection: refusing, cancellation: CurlCancellation())
        #expect(throws: CurlError.self) { try session.bodies([1], largest: 100, within: 5) }

        let endless = ScriptedIMAPServer { _, _ in [UInt8](repeating: UInt8(ascii: "x"), count: IMAPLineReader.longestLine + 10) }
        session = IMAPSession(connection: endless, cancellation: CurlCancellation())
        #expect(throws: CurlError.self) { try session.bodies([1], largest: 100, within: 5) }

        let chatty = ScriptedIMAPServer { _, _ in ScriptedIMAPServer.bytes(String(repeating: "* 1 EXISTS\r\n", count: 1_100)) }
        session = IMAPSession(connection: chatty, cancellation: CurlCancellation())
        #expect(throws: CurlError.self) { try session.bodies([1], largest: 100, within: 5) }

        // A literal that never arrives whole: the wait ends.
        let short = ScriptedIMAPServer { _, _ in ScriptedIMAPServer.bytes("* 1 FETCH (UID 1 BODY[] {100}\r\nonly this") }
        session = IMAPSession(connection: short, cancellation: CurlCancellation())
        #expect(throws: CurlError.self) { try session.bodies([1], largest: 1_000, within: 0.3) }
    }

    @Test func literalSizesAndUIDsAreReadWithBounds() {
        #expect(IMAPLineReader.literalSize("* 1 FETCH (UID 5 BODY[] {1234}") == 1234)
        #expect(IMAPLineReader.literalSize("* 1 FETCH (UID 5 BODY[] {99999999999}") == nil)
        #expect(IMAPLineReader.literalSize("* 1 FETCH (UID 5 BODY[] {}") == nil)
        #expect(IMAPLineReader.literalSize("* 1 FETCH (UID 5 BODY[] {-1}") == nil)
        #expect(IMAPLineReader.literalSize("* OK {12") == nil)
        #expect(IMAPSession.uid(in: "* 1 FETCH (UID 5 BODY[] ") == 5)
        #expect(IMAPSession.uid(in: "* 1 FETCH (FLAGS () UID 4294967295)") == 4_294_967_295)
        #expect(IMAPSession.uid(in: "* 1 FETCH (UID 4294967296)") == nil)
        #expect(IMAPSession.uid(in: "* 1 FETCH (XUID 5)") == nil)
        #expect(IMAPSession.uid(in: "* 1 FETCH (UID 12345678901)") == nil, "no number cut short")
        #expect(MailClient.number(after: "RFC822.SIZE ", in: "* 1 FETCH (UID 3 RFC822.SIZE 2048)") == 2048)
        #expect(MailClient.number(after: "RFC822.SIZE ", in: "* 1 FETCH (UID 3 RFC822.SIZE 99999999999)") == nil)
    }

    /// A search answer read on the poll's session: any case, numbers past UInt32 dropped, and
    /// only UIDs in the range asked ("UID 5:9" names the highest UID even when it is below 5).
    @Test func searchAnswersGiveTheUIDsInTheRangeOnly() {
        #expect(MailClient.searchResult(["* SEARCH 7 5 6"], from: 5, through: 9) == [5, 6, 7])
        #expect(MailClient.searchResult(["* search 3"], from: 5, through: 9) == [])
        #expect(MailClient.searchResult(["* SEARCH 5 99999999999 x 9 10", "* 3 EXISTS"], from: 5, through: 9) == [5, 9])
        #expect(MailClient.searchResult(["* OK still here", "* SEARCH"], from: 1, through: 9) == [])
    }

    /// A mailbox of messages by UID (sizes as listed, bodies as given) that answers the size
    /// listing and FETCHes of bodies, refusing a FETCH that asks for any UID in `refused`.
    static func mailbox(_ bodies: [UInt32: String], refused: Set<UInt32> = [], listedOnly: Set<UInt32> = []) -> ScriptedIMAPServer {
        ScriptedIMAPServer { tag, command in
            let set = command.split(separator: " ").dropFirst(2).first.map { $0.split(separator: ",").compactMap { UInt32($0) } } ?? []
            if command.contains("RFC822.SIZE") {
                let lines = set.compactMap { uid -> String? in
                    if listedOnly.contains(uid) { return "* \(uid) FETCH (UID \(uid) RFC822.SIZE 10)\r\n" }
                    return bodies[uid].map { "* \(uid) FETCH (UID \(uid) RFC822.SIZE \($0.utf8.count))\r\n" }
                }
                return ScriptedIMAPServer.bytes(lines.joined() + "\(tag) OK Fetch completed.\r\n")
            }
            if !refused.isDisjoint(with: set) { return ScriptedIMAPServer.bytes("\(tag) NO Some messages could not be FETCHed\r\n") }
            let lines = set.compactMap { uid in bodies[uid].map { "* \(uid) FETCH (UID \(uid) BODY[] {\($0.utf8.count)}\r\n\($0))\r\n" } }
            return ScriptedIMAPServer.bytes(lines.joined() + "\(tag) ok done\r\n")
        }
    }

    /// Sizes first: a message over the limit is never downloaded, one gone is said to be gone,
    /// the bytes fetched at once are bounded (the rest left for the next call), and a message
    /// the server refuses or lists without giving is passed over without stopping the others.
    @Test func fetchingGoesBySizesWithinABudgetAndPassesOverWhatCannotBeRead() throws {
        let bodies: [UInt32: String] = [1: "one", 2: String(repeating: "x", count: 500), 3: "three", 4: "four", 5: "five", 6: "six"]
        let server = Self.mailbox(bodies, refused: [4], listedOnly: [7])
        var session = IMAPSession(connection: server, cancellation: CurlCancellation())
        let first = try session.fetch([1, 2, 3, 4, 9], largest: 100, budget: 1_000, groupBytes: 6, within: 5)
        #expect(first == [1: .body(Data("one".utf8)), 2: .tooLarge(bytes: 500), 3: .body(Data("three".utf8)), 4: first[4]!, 9: .gone])
        guard case .unreadable = first[4] else {
            Issue.record("4 was refused alone: \(String(describing: first[4]))")
            return
        }
        let bodyFetches = server.commands.filter { $0.hasSuffix("(UID BODY[])") }.map { $0.split(separator: " ")[3] }
        #expect(bodyFetches == ["1", "3", "4"], "the message over the limit is never downloaded; 4 refused alone")
        // 7 is listed but its body never comes.
        let second = try session.fetch([5, 6, 7], largest: 100, budget: 100, groupBytes: 100, within: 5)
        #expect(second[5] == .body(Data("five".utf8)) && second[6] == .body(Data("six".utf8)))
        guard case .unreadable = second[7] else {
            Issue.record("7 is listed but never given")
            return
        }
        let third = try session.fetch([2, 5, 6], largest: 1_000, budget: 4, groupBytes: 100, within: 5)
        #expect(third.keys.sorted() == [2], "the first message always; then the budget is spent")
    }

    /// A group refused with NO is asked for one by one; when one of those answers does not
    /// come (the connection gone, a shutdown, no answer in time), the fetch fails rather than
    /// take the mail for unreadable: an unreadable mail is passed over for good. Found by a
    /// reviewer: a shutdown during a fetch passed over every mail of the group.
    @Test func aGroupRefusedAndThenNoAnswerFailsTheFetchRatherThanPassOverTheMail() {
        let server = ScriptedIMAPServer { tag, command in
            if command.contains("RFC822.SIZE") {
                return ScriptedIMAPServer.bytes(
                    "* 1 FETCH (UID 1 RFC822.SIZE 3)\r\n* 2 FETCH (UID 2 RFC822.SIZE 3)\r\n\(tag) OK done\r\n")
            }
            if command.hasPrefix("UID FETCH 1,2 ") { return ScriptedIMAPServer.bytes("\(tag) NO Some messages could not be FETCHed\r\n") }
            if command.hasPrefix("UID FETCH 1 ") { return ScriptedIMAPServer.bytes("* 1 FETCH (UID 1 BODY[] {3}\r\none)\r\n\(tag) OK\r\n") }
            // UID 2: the answer begins and never ends.
            return ScriptedIMAPServer.bytes("* 2 FETCH (UID 2 BODY[] {3}\r\nt")
        }
        var session = IMAPSession(connection: server, cancellation: CurlCancellation())
        #expect(throws: CurlError.self) { try session.fetch([1, 2], largest: 100, budget: 1_000, groupBytes: 100, within: 0.3) }
    }

    @Test func theMailboxIsTheURLsWholePath() {
        #expect(MailClient.mailboxName("imap://h/INBOX/Kokemus") == "INBOX/Kokemus")
        #expect(MailClient.mailboxName("imap://h:1143/INBOX") == "INBOX")
        #expect(MailClient.mailboxName("imap://h/") == "INBOX")
    }

    // MARK: IDLE

    /// A server with IDLE: SELECT, then "+ idling", then what `during` says once the client idles.
    static func idleServer(next: UInt32 = 5, during: String) -> ScriptedIMAPServer {
        ScriptedIMAPServer { tag, command in
            if command.hasPrefix("SELECT") {
                return ScriptedIMAPServer.bytes("* OK [UIDVALIDITY 8] x\r\n* OK [UIDNEXT \(next)] x\r\n\(tag) OK [READ-WRITE] selected\r\n")
            }
            if command == "IDLE" { return ScriptedIMAPServer.bytes("+ idling\r\n" + during) }
            if tag == "DONE" { return ScriptedIMAPServer.bytes("k2 OK Idle completed.\r\n") }
            return ScriptedIMAPServer.bytes("* BYE\r\n\(tag) OK\r\n")
        }
    }

    @Test func idleEndsWithNewsOfMailOrSaysTheServerCannot() throws {
        var idle = IMAPIdle(connection: Self.idleServer(during: "* 6 EXISTS\r\n"), mailbox: "INBOX", cancellation: CurlCancellation())
        #expect(try idle.wait(after: 5, seconds: 5) == .newMail)
        // Mail that came before the IDLE (UIDNEXT above what the poll saw): at once.
        idle = IMAPIdle(connection: Self.idleServer(next: 9, during: ""), mailbox: "INBOX", cancellation: CurlCancellation())
        #expect(try idle.wait(after: 5, seconds: 5) == .newMail)
        idle = IMAPIdle(connection: Self.idleServer(during: ""), mailbox: "INBOX", cancellation: CurlCancellation())
        #expect(try idle.wait(after: 5, seconds: 0.3) == .timedOut)
        let refusing = ScriptedIMAPServer { tag, command in
            command.hasPrefix("SELECT")
                ? ScriptedIMAPServer.bytes("\(tag) OK selected\r\n") : ScriptedIMAPServer.bytes("\(tag) BAD Unknown command\r\n")
        }
        idle = IMAPIdle(connection: refusing, mailbox: "INBOX", cancellation: CurlCancellation())
        #expect(try idle.wait(after: 5, seconds: 5) == .unsupported)
    }

    @Test func aHostileServerDuringIdleIsAnErrorNotAHang() throws {
        // Goodbye in the middle of the wait.
        var idle = IMAPIdle(
            connection: Self.idleServer(during: "* BYE shutting down\r\n"), mailbox: "INBOX", cancellation: CurlCancellation())
        #expect(throws: CurlError.self) { try idle.wait(after: 5, seconds: 5) }
        // Lines without end during SELECT.
        let flooding = ScriptedIMAPServer { _, _ in ScriptedIMAPServer.bytes(String(repeating: "* OK still here\r\n", count: 1_200)) }
        idle = IMAPIdle(connection: flooding, mailbox: "INBOX", cancellation: CurlCancellation())
        #expect(throws: CurlError.self) { try idle.wait(after: 5, seconds: 5) }
        // A wait that is shut down ends at once.
        let cancellation = CurlCancellation()
        cancellation.cancel()
        idle = IMAPIdle(connection: Self.idleServer(during: ""), mailbox: "INBOX", cancellation: cancellation)
        #expect(try idle.wait(after: 5, seconds: 60) == .cancelled)
    }
}
