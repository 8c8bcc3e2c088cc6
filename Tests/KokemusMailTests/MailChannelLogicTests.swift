import Foundation
import KokemusCore
import KokemusTesting
import Logging
import Testing

@testable import KokemusCore
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

    /// An Outlook thread answered back and forth ("Re: VS: Re: VS: …") is answered with one
    /// "Re:" before its subject, in the thread.
    @Test func aThreadsPileOfPrefixesIsAnsweredWithOneRe() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, mailbox, gateway) = try channel(in: directory)
        await gateway.connect(channel.transport)
        #expect(try await channel.poll() == 0)
        mailbox.deliver(
            Self.mail("tilaa", id: "outlook").replacingOccurrences(
                of: "Subject: Tilaus", with: "Subject: Re: VS: Re: VS: Re: VS: Tilaus"))
        #expect(try await channel.poll() == 1)
        await gateway.deliverOutbox()
        let sent = try #require(mailbox.takeSent().first)
        #expect(sent.text.contains("\r\nSubject: Re: Tilaus\r\n"), "\(sent.text.prefix(600))")
        #expect(sent.text.contains("In-Reply-To: <outlook@hyvinvointialue.example>"))
    }

    /// A mail the gateway starts carries its own subject and starts a thread, even while the
    /// person has one; an answer to them still goes into theirs. A long subject is folded.
    @Test func aMailTheGatewayStartsHasItsOwnSubjectOutsideTheThread() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, mailbox, gateway) = try channel(in: directory)
        await gateway.connect(channel.transport)
        #expect(try await channel.poll() == 0)
        mailbox.deliver(Self.mail("tilaa", id: "thread"))
        #expect(try await channel.poll() == 1)
        await gateway.deliverOutbox()
        #expect(try #require(mailbox.takeSent().first).text.contains("\r\nSubject: Re: Tilaus\r\n"))

        let anna = try #require(await gateway.registry.person("anna"))
        let started = OutboxMessage(
            id: 900, recipient: "anna", channel: .email, text: "Muistutus huomisesta.", createdAt: Date(),
            subject: "Reminder: T-2026-0001, individual work with a client 8.12.")
        _ = try await channel.deliver(started, to: anna)
        let sent = try #require(mailbox.takeSent().first).text
        #expect(sent.contains("\r\nSubject: Reminder: T-2026-0001, individual work with a client 8.12.\r\n"), "\(sent.prefix(600))")
        #expect(!sent.contains("In-Reply-To:") && !sent.contains("References:"))

        let long = OutboxMessage(
            id: 901, recipient: "anna", channel: .email, text: "x", createdAt: Date(),
            subject: "Reminder: T-2026-0001, " + String(repeating: "a very long name of a task ", count: 8) + "8.12.")
        _ = try await channel.deliver(long, to: anna)
        let folded = try #require(mailbox.takeSent().first).text
        let header = try #require(folded.components(separatedBy: "\r\n\r\n").first)
        let subjectLines = header.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }.prefix {
            $0.hasPrefix("Subject:") || $0.hasPrefix(" ")
        }
        #expect(subjectLines.count > 1 && subjectLines.allSatisfy { $0.count <= 78 && !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        #expect(subjectLines.joined().hasSuffix("a very long name of a task 8.12."))
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

    /// Mail in more pieces than one fetch gives (a server's answer cut by the byte budget) is
    /// all read, in order, each mail once; the next piece is asked for from the first left out.
    /// Each piece is one journal record (one fsync), its mails and the last UID read together.
    @Test func mailInManyPiecesIsReadInOrderEachOnce() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, mailbox, gateway) = try channel(in: directory)
        await gateway.connect(channel.transport)
        #expect(try await channel.poll() == 0)
        mailbox.giveAtMost(3)
        for n in 1...8 { mailbox.deliver(Self.mail(n == 1 ? "tilaa" : "tila", id: "m\(n)")) }
        let journal = directory.appendingPathComponent("state/journal").path
        let recordsBefore = try Self.records(in: journal)
        #expect(try await channel.poll() == 8)
        #expect(mailbox.fetches.map { $0.first } == [1, 4, 7])
        // Three pieces, and the key of reply tokens made at the first mail (a record of its own).
        #expect(try Self.records(in: journal) - recordsBefore == 3 + 1)
        await gateway.deliverOutbox()
        let sent = mailbox.takeSent()
        #expect(sent.count == 8)
        #expect(await gateway.mailMemory.lastUID == 8)
    }

    /// The next piece is fetched while this one is handled; when that fetch fails, the mail
    /// already handled stays handled and the next poll goes on from the first not handled:
    /// nothing lost, nothing answered twice.
    @Test func aFetchAheadThatFailsLosesAndRepeatsNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, mailbox, gateway) = try channel(in: directory)
        await gateway.connect(channel.transport)
        #expect(try await channel.poll() == 0)
        mailbox.giveAtMost(3)
        mailbox.failFetch(from: 4)
        for n in 1...8 { mailbox.deliver(Self.mail(n == 1 ? "tilaa" : "tila", id: "m\(n)")) }
        let endedBefore = mailbox.pollsEnded
        await #expect(throws: MemoryMailbox.FetchFailed.self) { try await channel.poll() }
        #expect(mailbox.pollsEnded == endedBefore + 1, "a failed poll ends its mailbox session too")
        #expect(await gateway.mailMemory.lastUID == 3)
        await gateway.deliverOutbox()
        #expect(mailbox.takeSent().map { Self.inReplyTo($0.text) } == ["m3", "m3", "m3"])
        let second = try await channel.poll()
        #expect(second == 5)
        #expect(mailbox.pollsEnded == endedBefore + 2)
        #expect(mailbox.fetches.map { $0.first } == [1, 4, 4, 7])
        await gateway.deliverOutbox()
        #expect(mailbox.takeSent().map { Self.inReplyTo($0.text) } == Array(repeating: "m8", count: 5))
        #expect(await gateway.mailMemory.lastUID == 8)
    }

    /// How many records the journal at `path` holds.
    static func records(in path: String) throws -> Int {
        var count = 0
        _ = try Journal.read(path: path) { _, records in count += records.count }
        return count
    }

    /// The local part of a sent mail's In-Reply-To (the thread the person wrote in last).
    static func inReplyTo(_ text: String) -> String? {
        guard let line = text.split(separator: "\r\n").first(where: { $0.hasPrefix("In-Reply-To: <") }) else { return nil }
        return line.dropFirst("In-Reply-To: <".count).split(separator: "@").first.map(String.init)
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
