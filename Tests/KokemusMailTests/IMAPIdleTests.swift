import Foundation
import KokemusCore
import Testing

@testable import KokemusMail

/// What the IDLE wait reads from the server (the wait itself runs against Dovecot in
/// `test_new_mail_is_read_at_once_with_imap_idle`).
@Suite struct IMAPIdleTests {
    @Test func linesAreCutAtCRLFAcrossReadsAndAnUnendedLineIsBounded() throws {
        var reader = IMAPLineReader()
        reader.append(Array("* 3 EXI".utf8))
        #expect(try reader.nextLine() == nil)
        reader.append(Array("STS\r\n* OK [UIDNEXT 17] Predicted\r\nk1 OK done\n".utf8))
        #expect(try reader.nextLine() == "* 3 EXISTS")
        #expect(try reader.nextLine() == "* OK [UIDNEXT 17] Predicted")
        #expect(try reader.nextLine() == "k1 OK done")
        #expect(try reader.nextLine() == nil)
        // A server that never ends its line cannot make the reader hold more than a bound.
        var flooded = IMAPLineReader()
        flooded.append([UInt8](repeating: UInt8(ascii: "x"), count: IMAPLineReader.longestLine + 1))
        #expect(throws: (any Error).self) { try flooded.nextLine() }
    }

    @Test func newMailIsAnExistsOrANonZeroRecentLine() {
        #expect(IMAPLineReader.isNewMail("* 12 EXISTS"))
        #expect(IMAPLineReader.isNewMail("* 1 exists"))
        #expect(IMAPLineReader.isNewMail("* 2 RECENT"))
        #expect(!IMAPLineReader.isNewMail("* 0 RECENT"))
        #expect(!IMAPLineReader.isNewMail("* 4 EXPUNGE"))
        #expect(!IMAPLineReader.isNewMail("* 4 FETCH (FLAGS (\\Seen))"))
        #expect(!IMAPLineReader.isNewMail("* OK Still here"))
        #expect(!IMAPLineReader.isNewMail("* 99999999999999999999 EXISTS"), "a number past UInt32 is no count")
        #expect(!IMAPLineReader.isNewMail("k2 OK EXISTS"))
    }

    @Test func theNextUIDIsReadFromTheSelectAnswer() {
        #expect(IMAPLineReader.uidNext("* OK [UIDNEXT 16] Predicted next UID") == 16)
        #expect(IMAPLineReader.uidNext("* OK [uidnext 7] x") == 7)
        #expect(IMAPLineReader.uidNext("* OK [UIDVALIDITY 1795982890] UIDs valid") == nil)
        #expect(IMAPLineReader.uidNext("* OK [UIDNEXT 99999999999] too big") == nil)
    }

    @Test func theMailboxComesFromTheURLAndIsQuoted() {
        #expect(MailClient.mailboxName("imap://127.0.0.1:1143/INBOX") == "INBOX")
        #expect(MailClient.mailboxName("imaps://mail.example.org") == "INBOX")
        #expect(MailClient.mailboxName("imap://h/L%C3%A4hetetyt") == "Lähetetyt")
        #expect(IMAPSession.quoted(#"a"b\c"#) == #""a\"b\\c""#)
    }

    @Test func idleIsOnUnlessTheConfigurationTurnsItOff() throws {
        let base = [
            "imap": "imap://127.0.0.1:1143/INBOX", "smtp": "smtp://127.0.0.1:2525", "address": "bot@example.test",
            "trusted_authserv_id": "mail.example.test",
        ]
        let secret = ["KOKEMUS_MAIL_PASSWORD": "x"]
        #expect(try MailConfig(section: base, environment: secret, file: "k.yaml").useIdle)
        #expect(try !MailConfig(section: base.merging(["idle": "false"]) { $1 }, environment: secret, file: "k.yaml").useIdle)
        #expect(throws: (any Error).self) {
            try MailConfig(section: base.merging(["idle": "sometimes"]) { $1 }, environment: secret, file: "k.yaml")
        }
    }
}

/// The e-mail section's errors name the file and line of the key at fault, as the core's do.
@Suite struct MailConfigPositionTests {
    @Test func anErrorInTheEmailSectionNamesItsFileAndLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-mailconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("kokemus.yaml")
        func error(_ email: String) throws -> String {
            try ("state_dir: state\n" + "email:\n" + email).write(to: file, atomically: true, encoding: .utf8)
            let config = try KokemusConfig.load(file: file)
            let section = try #require(config.channels[.email])
            do {
                _ = try MailConfig(section: section, environment: ["KOKEMUS_MAIL_PASSWORD": "x"])
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let good =
            "  imap: imap://127.0.0.1:1143/INBOX\n  smtp: smtp://127.0.0.1:2525\n  address: bot@example.test\n"
            + "  trusted_authserv_id: mail.example.test\n"
        #expect(try error(good) == "no error")
        #expect(try error(good + "  poll_seconds: lots\n") == "\(file.path):7: poll_seconds must be a number from 0.2 to 3600")
        #expect(try error("  polll_seconds: 3\n" + good).hasPrefix("\(file.path):3: unknown key 'polll_seconds' in email"))
        // A key that is missing: the line of `email:` itself.
        #expect(
            try error("  smtp: smtp://127.0.0.1:2525\n  address: bot@example.test\n")
                .hasPrefix("\(file.path):2: email needs 'imap'"))
    }
}
