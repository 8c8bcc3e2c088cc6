import Foundation
import KokemusMail

/// A mailbox in memory: the channel's logic against it, without mail servers (the same
/// channel runs against Postfix and Dovecot in `Tests/Integration/test_email_channel.py`).
public final class MemoryMailbox: Mailbox, @unchecked Sendable {
    public let config: MailConfig
    private let lock = NSLock()
    private var validity: UInt32 = 7
    private var messages: [(uid: UInt32, data: Data)] = []
    private var nextUID: UInt32 = 1
    private var sentMail: [(data: Data, to: [String])] = []
    private var mostPerFetch = Int.max
    private var failingUID: UInt32?
    private var asked: [[UInt32]] = []
    private var ended = 0

    public init(config: MailConfig) {
        self.config = config
    }

    /// A mail arriving in the mailbox.
    public func deliver(_ text: String) {
        lock.withLock {
            messages.append((nextUID, Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)))
            nextUID += 1
        }
    }

    /// The server renumbers its mailbox (a restore, a migration): a new UIDVALIDITY, UIDs from 1.
    public func renumber() {
        lock.withLock {
            validity += 1
            messages = messages.enumerated().map { (UInt32($0.offset + 1), $0.element.data) }
            nextUID = UInt32(messages.count + 1)
        }
    }

    /// Each fetch gives at most `count` messages, as a server's answer cut by the client's
    /// byte budget does (the rest are left out, to be asked for again).
    public func giveAtMost(_ count: Int) {
        lock.withLock { mostPerFetch = max(1, count) }
    }

    /// The next fetch that begins at `uid` fails (as a dropped connection would), once.
    public func failFetch(from uid: UInt32) {
        lock.withLock { failingUID = uid }
    }

    /// The UIDs each fetch asked for, in order.
    public var fetches: [[UInt32]] { lock.withLock { asked } }

    /// What was sent, and to whom; emptied.
    public func takeSent() -> [(text: String, to: [String])] {
        lock.withLock {
            defer { sentMail = [] }
            return sentMail.map { (String(decoding: $0.data, as: UTF8.self), $0.to) }
        }
    }

    public func status() async throws -> (validity: UInt32, next: UInt32) { lock.withLock { (validity, nextUID) } }

    public func endPoll() async { lock.withLock { ended += 1 } }

    /// How many polls were ended (`endPoll`).
    public var pollsEnded: Int { lock.withLock { ended } }

    public func search(from first: UInt32, through last: UInt32) async throws -> [UInt32] {
        lock.withLock { messages.map(\.uid).filter { (first...last).contains($0) } }
    }

    public func fetch(validity asked: UInt32, uids: [UInt32]) async throws -> [UInt32: FetchedMail] {
        try lock.withLock {
            self.asked.append(uids)
            guard asked == validity else { throw ChangedValidity() }
            if let failing = failingUID, uids.first == failing {
                failingUID = nil
                throw FetchFailed()
            }
            var found: [UInt32: FetchedMail] = [:]
            for uid in uids.prefix(mostPerFetch) { found[uid] = .gone }
            for message in messages where found[message.uid] != nil { found[message.uid] = .body(message.data) }
            return found
        }
    }

    public func send(_ message: Data, from: MailAddress, to: [MailAddress], nullSender: Bool) async throws {
        lock.withLock { sentMail.append((message, to.map(\.address))) }
    }

    public func waitForMail(after knownNext: UInt32, seconds: Double) async throws -> MailWait { .unsupported }
    public func sleep(seconds: Double) async -> Bool { true }
    public func shutdown() {}

    /// A fetch that `failFetch(from:)` made fail.
    public struct FetchFailed: Error {}

    /// A fetch under a UIDVALIDITY the mailbox no longer has.
    public struct ChangedValidity: Error {}
}
