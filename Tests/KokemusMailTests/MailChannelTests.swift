import Foundation
import Testing

@testable import KokemusMail

@Suite struct MailChannelTests {
    func headers(_ lines: String...) -> MailHeaders {
        MailHeaders(parsing: lines.joined(separator: "\n"))
    }

    static let signature =
        "v=1; a=rsa-sha256; c=relaxed/relaxed; d=hyvinvointialue.example; s=s1;\r\n h=From:To:Subject:Message-ID; bh=x; b=y"

    func mail(from: String = "Anna <anna@hyvinvointialue.example>", signature: String? = signature, _ results: String...) -> MailMessage {
        let lines =
            results.map { "Authentication-Results: " + $0 } + (signature.map { ["DKIM-Signature: " + $0] } ?? [])
            + ["From: " + from, "Subject: x", "", "tilaa"]
        return MailMessage(parsing: Data(lines.joined(separator: "\r\n").utf8))
    }

    @Test func onlyTheTrustedServerVouchesForASenderOfTheFromDomain() {
        let trust = SenderTrust.authenticationResults(authservID: "mx.hyvinvointialue.example")
        func served(_ message: MailMessage) -> Bool { MailChannel.isVouchedFor(message, trust: trust) }
        // OpenDKIM's own form, with a comment holding a semicolon.
        #expect(
            served(
                mail(
                    "mx.hyvinvointialue.example; dkim=pass (2048-bit key; unprotected) header.d=hyvinvointialue.example header.i=@hyvinvointialue.example header.b=\"AbC\""
                )))
        #expect(
            served(
                mail("MX.hyvinvointialue.example 1; spf=fail smtp.mailfrom=x@evil.example; dmarc=pass header.from=hyvinvointialue.example"))
        )
        #expect(served(mail("mx.hyvinvointialue.example; spf=pass smtp.mailfrom=bounces@mail.hyvinvointialue.example")))
        // A signature of a subdomain's parent counts (relaxed alignment) …
        #expect(
            served(mail(from: "a@sote.hyvinvointialue.example", "mx.hyvinvointialue.example; dkim=pass header.d=hyvinvointialue.example")))
        // … a signature of any other domain does not: anyone can sign their own mail.
        #expect(!served(mail("mx.hyvinvointialue.example; dkim=pass header.d=evil.example")))
        #expect(!served(mail("mx.hyvinvointialue.example; dkim=pass header.d=example")))
        #expect(!served(mail("mx.hyvinvointialue.example; dkim=pass")))
        #expect(!served(mail("mx.hyvinvointialue.example; dmarc=pass header.from=evil.example")))
        #expect(!served(mail("mx.hyvinvointialue.example; dkim=fail header.d=hyvinvointialue.example; spf=none")))
        #expect(!served(mail("mx.hyvinvointialue.example; dkim=none; dmarc=fail")))
        // The verdict inside a comment or a quoted value is no verdict.
        #expect(!served(mail("mx.hyvinvointialue.example; dkim=none (dkim=pass header.d=hyvinvointialue.example)")))
        // A header the sender wrote claiming another server's verdict counts for nothing.
        #expect(!served(mail("evil.example; dkim=pass header.d=hyvinvointialue.example")))
        #expect(!served(mail("mx.hyvinvointialue.example.evil.example; dkim=pass header.d=hyvinvointialue.example")))
        #expect(!served(mail()))
        // Two mailboxes in From: which one the check was about, no one can say.
        #expect(
            !served(
                mail(
                    from: "Anna <anna@hyvinvointialue.example>, Eve <eve@evil.example>",
                    "mx.hyvinvointialue.example; dkim=pass header.d=hyvinvointialue.example")))
        #expect(
            !served(
                mail(
                    from: "anna@hyvinvointialue.example, eve@evil.example",
                    "mx.hyvinvointialue.example; dkim=pass header.d=hyvinvointialue.example")))
        #expect(
            served(
                mail(
                    from: "\"anna@x, or so\" <anna@hyvinvointialue.example>",
                    "mx.hyvinvointialue.example; dkim=pass header.d=hyvinvointialue.example")))
        // Only the topmost header counts: the server's own, above whatever the mail came with.
        let pass = "mx.hyvinvointialue.example; dkim=pass header.d=hyvinvointialue.example"
        #expect(!served(mail("mx.hyvinvointialue.example; dkim=none", pass)))
        #expect(served(mail(pass, "mx.hyvinvointialue.example; dkim=none")))
        // A name in any other form is not the name (forms that slipped past a server's filter).
        for forged in [
            "mx.hyvinvointialue.example(x); dkim=pass header.d=hyvinvointialue.example",
            "mx.hyvinvointialue.example\u{A0}; dkim=pass header.d=hyvinvointialue.example",
            "mx.hyvinvointialue.example\u{200B}; dkim=pass header.d=hyvinvointialue.example",
            "\u{A0}mx.hyvinvointialue.example; dkim=pass header.d=hyvinvointialue.example",
            "mx.hyvinvointialue.examplex; dkim=pass header.d=hyvinvointialue.example",
        ] {
            #expect(!served(mail(forged)), "\(forged)")
        }
        // A signature over only the start of the body, or one leaving Message-ID out (a captured
        // mail sent again as new), makes a DKIM or DMARC pass count for nothing; SPF still counts.
        #expect(!served(mail(signature: Self.signature + "; l=2", pass)))
        #expect(!served(mail(signature: "v=1; d=hyvinvointialue.example; h=From:To:Subject; b=y", pass)))
        #expect(!served(mail(signature: nil, pass)))
        #expect(!served(mail(signature: "v=1; d=evil.example; h=From:Message-ID; b=y", "mx.hyvinvointialue.example; dmarc=pass")))
        #expect(served(mail(signature: nil, "mx.hyvinvointialue.example; spf=pass smtp.mailfrom=kokemus@hyvinvointialue.example")))
        // trust_from_header takes From: as it stands, but still one mailbox.
        #expect(MailChannel.isVouchedFor(mail(), trust: .fromHeader))
        #expect(!MailChannel.isVouchedFor(mail(from: "a@x.example, b@y.example"), trust: .fromHeader))
    }

    @Test func theSenderCheckIsChosenExplicitly() throws {
        let base = ["imap": "imap://127.0.0.1:1143/INBOX", "smtp": "smtp://127.0.0.1:2525", "address": "bot@example.test"]
        let secret = ["KOKEMUS_MAIL_PASSWORD": "p"]
        // Neither: refused, with the reason.
        #expect { try MailConfig(section: base, environment: secret, file: "k.yaml") } throws: {
            "\($0)".contains("trusted_authserv_id") && "\($0)".contains("trust_from_header")
        }
        let vouched = try MailConfig(
            section: base.merging(["trusted_authserv_id": "mail.example.test"]) { $1 },
            environment: secret, file: "k.yaml")
        #expect(vouched.senderTrust == .authenticationResults(authservID: "mail.example.test"))
        let trusting = try MailConfig(section: base.merging(["trust_from_header": "true"]) { $1 }, environment: secret, file: "k.yaml")
        #expect(trusting.senderTrust == .fromHeader)
        for wrong in [
            ["trust_from_header": "yes"], ["trust_from_header": "false"],
            ["trust_from_header": "true", "trusted_authserv_id": "mail.example.test"],
            ["trusted_authserv_id": "mail.example.test; dkim=pass"],
        ] {
            #expect(throws: (any Error).self) { try MailConfig(section: base.merging(wrong) { $1 }, environment: secret, file: "k.yaml") }
        }
    }

    @Test func configNeedsItsKeysAndTheSecret() throws {
        let section = [
            "imap": "imap://127.0.0.1:1143/INBOX", "smtp": "smtp://127.0.0.1:2525", "address": "bot@example.test",
            "trusted_authserv_id": "mail.example.test",
        ]
        let config = try MailConfig(section: section, environment: ["KOKEMUS_MAIL_PASSWORD": "p"], file: "k.yaml")
        #expect(config.username == "bot@example.test" && config.dailyCap == 100 && config.pollSeconds == 30)
        #expect(throws: (any Error).self) { try MailConfig(section: section, environment: [:], file: "k.yaml") }
        #expect(throws: (any Error).self) {
            try MailConfig(
                section: section.merging(["address": "bot@example.test\r\nRCPT TO:<x@y.example>"]) { $1 },
                environment: ["KOKEMUS_MAIL_PASSWORD": "p"], file: "k.yaml")
        }
        #expect(throws: (any Error).self) {
            try MailConfig(
                section: section.merging(["imap": "http://x"]) { $1 }, environment: ["KOKEMUS_MAIL_PASSWORD": "p"], file: "k.yaml")
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
