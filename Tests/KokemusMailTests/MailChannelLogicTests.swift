import Foundation
import KokemusCore
import KokemusTesting
import Logging
import Testing

@testable import KokemusMail

@Suite struct MailChannelLogicTests {

    /// A gateway on the shipped flows and the example registry, and the mail channel on a
    /// mailbox in memory.
    func channel(in directory: URL) throws -> (MailChannel, MemoryMailbox, Gateway) {
        let quiet = TestGateway.quietLogger
        let gateway = try TestGateway.open(in: directory)
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
        let memory = await gateway.mailMemory
        #expect(memory.lastUID == 2)
        #expect(memory.threads["anna"]?.messageID == "first@hyvinvointialue.example")
        // The day's count went into the record of the delivery.
        #expect(memory.sent.counts == ["anna.virtanen@hyvinvointialue.example": 1])
        #expect(memory.replyTokens["anna"].map { memory.tokenOwners[String($0.prefix(12))] } == "anna")
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
        let memory = await gateway.mailMemory
        #expect(memory.uidValidity == 8)
        #expect(memory.sent.counts == ["anna.virtanen@hyvinvointialue.example": 2])
    }

    /// A last UID at the top of the range (a broken server's, or an old state's) is no crash:
    /// found by a reviewer, `last + 1` trapped on every poll and so at every start.
    @Test func aLastUIDAtTheTopOfTheRangeIsNoCrash() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, mailbox, gateway) = try channel(in: directory)
        try await gateway.remember([.mail(.mailboxRead(validity: 7, lastUID: UInt32.max))])
        mailbox.deliver(Self.mail("tilaa", id: "first"))
        #expect(try await channel.poll() == 0)
        #expect(await gateway.mailMemory.lastUID == UInt32.max)
    }

    /// A stranger answered once a day is one mailbox however its address is written: a sender
    /// varying the case (`Who@` and `who@`) gets no second automatic answer.
    @Test func aStrangerIsAnsweredOnceADayWhateverTheCaseOfTheAddress() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let gateway = try TestGateway.open(in: directory)
        let mailbox = MemoryMailbox(
            config: MailConfig(
                imapURL: "imap://127.0.0.1/INBOX", smtpURL: "smtp://127.0.0.1",
                address: MailAddress("kokemus@hyvinvointialue.example")!, username: "kokemus", password: "x",
                senderTrust: .fromHeader, strangerReply: "Tämä osoite palvelee vain rekisteröityjä."))
        let channel = MailChannel(client: mailbox, gateway: gateway, clock: SystemClock(), logger: TestGateway.quietLogger)
        #expect(try await channel.poll() == 0)
        let anna = "Anna Virtanen <anna.virtanen@hyvinvointialue.example>"
        for (n, sender) in ["Who@Elsewhere.example", "who@elsewhere.example", "WHO@ELSEWHERE.EXAMPLE"].enumerated() {
            mailbox.deliver(Self.mail("hei", id: "s\(n)").replacingOccurrences(of: anna, with: sender))
        }
        #expect(try await channel.poll() == 3)
        #expect(mailbox.takeSent().count == 1)
    }
}
