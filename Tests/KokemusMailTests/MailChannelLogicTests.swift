import Foundation
import KokemusCore
import Logging
import Testing

@testable import KokemusMail

/// A mailbox in memory: the channel's logic against it, without mail servers (the same
/// channel runs against Postfix and Dovecot in `Tests/Integration/test_email_channel.py`).
final class MemoryMailbox: Mailbox, @unchecked Sendable {
    let config: MailConfig
    private let lock = NSLock()
    private var validity: UInt32 = 7
    private var messages: [(uid: UInt32, data: Data)] = []
    private var nextUID: UInt32 = 1
    private var sentMail: [(data: Data, to: [String])] = []

    init(config: MailConfig) {
        self.config = config
    }

    /// A mail arriving in the mailbox.
    func deliver(_ text: String) {
        lock.withLock {
            messages.append((nextUID, Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)))
            nextUID += 1
        }
    }

    /// The server renumbers its mailbox (a restore, a migration): a new UIDVALIDITY, UIDs from 1.
    func renumber() {
        lock.withLock {
            validity += 1
            messages = messages.enumerated().map { (UInt32($0.offset + 1), $0.element.data) }
            nextUID = UInt32(messages.count + 1)
        }
    }

    /// What was sent, and to whom; emptied.
    func takeSent() -> [(text: String, to: [String])] {
        lock.withLock {
            defer { sentMail = [] }
            return sentMail.map { (String(decoding: $0.data, as: UTF8.self), $0.to) }
        }
    }

    func status() async throws -> (validity: UInt32, next: UInt32) { lock.withLock { (validity, nextUID) } }

    func search(from first: UInt32, through last: UInt32) async throws -> [UInt32] {
        lock.withLock { messages.map(\.uid).filter { (first...last).contains($0) } }
    }

    func fetch(validity asked: UInt32, uid: UInt32) async throws -> Data {
        try lock.withLock {
            guard asked == validity, let message = messages.first(where: { $0.uid == uid }) else {
                throw MailRejected(code: 0, detail: "no such message")
            }
            return message.data
        }
    }

    func send(_ message: Data, from: MailAddress, to: [MailAddress], nullSender: Bool) async throws {
        lock.withLock { sentMail.append((message, to.map(\.address))) }
    }

    func waitForMail(after knownNext: UInt32, seconds: Double) async throws -> MailWait { .unsupported }
    func sleep(seconds: Double) async -> Bool { true }
    func shutdown() {}
}

@Suite struct MailChannelLogicTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A gateway on the shipped flows and the example registry, and the mail channel on a
    /// mailbox in memory.
    func channel(in directory: URL) throws -> (MailChannel, MemoryMailbox, Gateway) {
        let config = KokemusConfig(
            stateDirectory: directory.appendingPathComponent("state"), flowsDirectory: Self.root.appendingPathComponent("Flows"),
            registryDirectory: Self.root.appendingPathComponent("Config/example"),
            messagesFile: Self.root.appendingPathComponent("Config/messages.yaml"),
            feesFile: Self.root.appendingPathComponent("Config/fees.yaml"), messagesPerMinute: 0)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let gateway = try GatewayBuilder.open(config: config, transports: [], clock: SystemClock(), logger: quiet)
        let mailbox = MemoryMailbox(
            config: MailConfig(
                imapURL: "imap://127.0.0.1/INBOX", smtpURL: "smtp://127.0.0.1",
                address: MailAddress("kokemus@hyvinvointialue.example")!, username: "kokemus", password: "x",
                senderTrust: .fromHeader))
        let channel = MailChannel(client: mailbox, gateway: gateway, clock: SystemClock(), logger: quiet)
        return (channel, mailbox, gateway)
    }

    static func mail(_ text: String, id: String) -> String {
        """
        From: Anna Virtanen <anna.virtanen@hyvinvointialue.example>
        To: kokemus@hyvinvointialue.example
        Subject: Tilaus
        Message-ID: <\(id)@hyvinvointialue.example>
        Date: Mon, 30 Nov 2026 09:00:00 +0200
        Content-Type: text/plain; charset=utf-8

        \(text)

        """
    }

    @Test func newMailIsReadOnceAndAnsweredToItsSender() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, mailbox, gateway) = try channel(in: directory)
        await gateway.connect(channel.transport)
        // What lay in the mailbox before the first poll is not acted on, as on Matrix.
        mailbox.deliver(Self.mail("tilaa", id: "old"))
        #expect(try await channel.poll() == 0)
        mailbox.deliver(Self.mail("tilaa", id: "first"))
        #expect(try await channel.poll() == 1)
        await gateway.deliverOutbox()
        let sent = mailbox.takeSent()
        #expect(sent.count == 1)
        #expect(sent.first?.to == ["anna.virtanen@hyvinvointialue.example"])
        #expect(sent.first?.text.contains("In-Reply-To: <first@hyvinvointialue.example>") == true)
        // Read once: the next poll finds nothing new, and nothing more is sent.
        #expect(try await channel.poll() == 0)
        await gateway.deliverOutbox()
        #expect(mailbox.takeSent().isEmpty)
        #expect(await gateway.channelState("email.last_uid") == "2")
    }

    @Test func aRenumberedMailboxIsReadAgainAndWhatWasHandledIsRecognised() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, mailbox, gateway) = try channel(in: directory)
        await gateway.connect(channel.transport)
        #expect(try await channel.poll() == 0)
        mailbox.deliver(Self.mail("tilaa", id: "first"))
        #expect(try await channel.poll() == 1)
        await gateway.deliverOutbox()
        #expect(mailbox.takeSent().count == 1)
        mailbox.renumber()
        mailbox.deliver(Self.mail("1", id: "second"))
        // Both are read again under the new UIDVALIDITY; only the new one is answered.
        #expect(try await channel.poll() == 2)
        await gateway.deliverOutbox()
        let sent = mailbox.takeSent()
        #expect(sent.count == 1)
        #expect(sent.first?.text.contains("In-Reply-To: <second@hyvinvointialue.example>") == true)
        #expect(await gateway.channelState("email.uidvalidity") == "8")
    }
}
