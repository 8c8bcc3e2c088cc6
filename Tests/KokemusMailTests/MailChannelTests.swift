import Foundation
import Testing
@testable import KokemusMail

@Suite struct MailChannelTests {
    func headers(_ lines: String...) -> MailHeaders {
        MailHeaders(parsing: lines.joined(separator: "\n"))
    }

    @Test func onlyTheTrustedServerVouchesForASender() {
        let trusted = "mx.hyvinvointialue.example"
        #expect(MailChannel.isAuthenticated(headers("Authentication-Results: mx.hyvinvointialue.example; dkim=pass header.d=x.example; spf=pass"), by: trusted))
        #expect(MailChannel.isAuthenticated(headers("Authentication-Results: MX.hyvinvointialue.example 1; spf=fail; dmarc=pass"), by: trusted))
        #expect(!MailChannel.isAuthenticated(headers("Authentication-Results: mx.hyvinvointialue.example; dkim=fail; spf=pass"), by: trusted))
        // A header the sender wrote claiming another server's verdict counts for nothing.
        #expect(!MailChannel.isAuthenticated(headers("Authentication-Results: evil.example; dkim=pass"), by: trusted))
        #expect(!MailChannel.isAuthenticated(headers("Subject: no results"), by: trusted))
    }

    @Test func configNeedsItsKeysAndTheSecret() throws {
        let section = ["imap": "imap://127.0.0.1:1143/INBOX", "smtp": "smtp://127.0.0.1:2525", "address": "bot@example.test"]
        let config = try MailConfig(section: section, environment: ["KOKEMUS_MAIL_PASSWORD": "p"], file: "k.yaml")
        #expect(config.username == "bot@example.test" && config.dailyCap == 100 && config.pollSeconds == 30)
        #expect(throws: (any Error).self) { try MailConfig(section: section, environment: [:], file: "k.yaml") }
        #expect(throws: (any Error).self) {
            try MailConfig(section: section.merging(["address": "bot@example.test\r\nRCPT TO:<x@y.example>"]) { $1 },
                           environment: ["KOKEMUS_MAIL_PASSWORD": "p"], file: "k.yaml")
        }
        #expect(throws: (any Error).self) {
            try MailConfig(section: section.merging(["imap": "http://x"]) { $1 }, environment: ["KOKEMUS_MAIL_PASSWORD": "p"], file: "k.yaml")
        }
    }

    @Test func failedPollsBackOffUpToAMinute() {
        #expect(MailChannel.pollDelay(afterFailures: 0, interval: 0.3) == 0.3)
        #expect(MailChannel.pollDelay(afterFailures: 1, interval: 0.3) == 0.6)
        #expect(MailChannel.pollDelay(afterFailures: 3, interval: 0.3) == 2.4)
        #expect(MailChannel.pollDelay(afterFailures: 50, interval: 0.3) == 60)
        #expect(MailChannel.pollDelay(afterFailures: 50, interval: 120) == 120)
    }
}
