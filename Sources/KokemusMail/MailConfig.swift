import Foundation
import KokemusCore

/// The e-mail channel's settings: the `email:` section of the configuration plus the
/// password from the environment (`KOKEMUS_MAIL_PASSWORD`).
///
/// Keys: `imap` (mailbox URL, `imap://host:port/INBOX` or `imaps://…`), `smtp` (`smtp://host:port`
/// or `smtps://…`), `address` (the gateway's address), `username` (for IMAP and SMTP; default the
/// address), `display_name` (default `Kokemus`), `poll_seconds` (default 30), `daily_cap` (the gateway's own
/// mails to one address a day, default 100; relays between people are counted apart against the same
/// figure, so a flood of them never holds back fee reports or reminders), `trusted_authserv_id` (the authserv-id the county's receiving
/// mail server writes in `Authentication-Results`: only mail it vouches for is served, see
/// ``SenderAuthentication``) or else `trust_from_header: true` (take `From:` as it stands: warned
/// at every start; one of the two is required),
/// `stranger_reply` (a text sent, at most once a day to each address, to mail from someone not
/// in the registry; it should name no person; without it such mail is only logged), `idle`
/// (default true: between polls, wait on the mailbox with IMAP IDLE, RFC 2177, so that new mail
/// is read at once; false, or a server without IDLE, polls every `poll_seconds` only).
public struct MailConfig: Sendable {
    public var imapURL: String
    public var smtpURL: String
    public var address: MailAddress
    public var username: String
    public var password: String
    public var displayName: String
    public var pollSeconds: Double
    public var dailyCap: Int
    /// Whose word the gateway takes for a sender: the receiving server's, or `From:` itself.
    public var senderTrust: SenderTrust
    /// Signs reply tokens (`KOKEMUS_MAIL_TOKEN_KEY`); nil: a random key kept in the state.
    public var tokenKey: String?
    /// The county's answer to mail from outside the registry; nil: no answer.
    public var strangerReply: String?
    /// Waits for new mail with IMAP IDLE between polls.
    public var useIdle: Bool

    public init(
        imapURL: String, smtpURL: String, address: MailAddress, username: String, password: String,
        displayName: String = "Kokemus", pollSeconds: Double = 30, dailyCap: Int = 100,
        senderTrust: SenderTrust, tokenKey: String? = nil, strangerReply: String? = nil, useIdle: Bool = true
    ) {
        self.imapURL = imapURL.hasSuffix("/") ? String(imapURL.dropLast()) : imapURL
        self.smtpURL = smtpURL
        self.address = address
        self.username = username
        self.password = password
        self.displayName = displayName
        self.pollSeconds = pollSeconds
        self.dailyCap = dailyCap
        self.senderTrust = senderTrust
        self.tokenKey = tokenKey
        self.strangerReply = strangerReply
        self.useIdle = useIdle
    }

    public init(
        section: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
        file: String
    ) throws {
        try self.init(section: ChannelSection(section, file: file), environment: environment)
    }

    /// Reads the section and the environment; an error names the line of its key (or of `email:`).
    public init(section: ChannelSection, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let known: Set<String> = [
            "imap", "smtp", "address", "username", "display_name", "poll_seconds", "daily_cap",
            "trusted_authserv_id", "trust_from_header", "stranger_reply", "idle",
        ]
        for key in section.keys where !known.contains(key) {
            throw section.error("unknown key '\(key)' in email (known: \(known.sorted().joined(separator: ", ")))", at: key)
        }
        guard let imap = section["imap"], imap.hasPrefix("imap://") || imap.hasPrefix("imaps://") else {
            throw section.error("email needs 'imap', a mailbox URL like imap://mail.example.org/INBOX", at: "imap")
        }
        guard let smtp = section["smtp"], smtp.hasPrefix("smtp://") || smtp.hasPrefix("smtps://") else {
            throw section.error("email needs 'smtp', a URL like smtps://mail.example.org", at: "smtp")
        }
        guard let text = section["address"], let address = MailAddress(text, displayName: section["display_name"] ?? "Kokemus") else {
            throw section.error("email needs 'address', the gateway's own e-mail address", at: "address")
        }
        guard let password = environment["KOKEMUS_MAIL_PASSWORD"], !password.isEmpty else {
            throw section.error("set KOKEMUS_MAIL_PASSWORD in the environment; secrets never go in the configuration file")
        }
        var poll = 30.0
        if let text = section["poll_seconds"] {
            guard let value = Double(text), value >= 0.2, value <= 3600 else {
                throw section.error("poll_seconds must be a number from 0.2 to 3600", at: "poll_seconds")
            }
            poll = value
        }
        var cap = 100
        if let text = section["daily_cap"] {
            guard let value = Int(text), value >= 1 else {
                throw section.error("daily_cap must be a whole number of at least 1", at: "daily_cap")
            }
            cap = value
        }
        var idle = true
        if let text = section["idle"] {
            guard text == "true" || text == "false" else { throw section.error("idle must be true or false", at: "idle") }
            idle = text == "true"
        }
        let trust: SenderTrust
        switch (section["trusted_authserv_id"].flatMap { $0.isEmpty ? nil : $0 }, section["trust_from_header"]) {
        case (let authserv?, nil), (let authserv?, "false"?):
            guard authserv.allSatisfy({ $0.isLetter || $0.isNumber || ".-_".contains($0) }) else {
                throw section.error(
                    "trusted_authserv_id must be a host name such as mx.example.org (the first word of the "
                        + "Authentication-Results header your mail server adds)", at: "trusted_authserv_id")
            }
            trust = .authenticationResults(authservID: authserv)
        case (nil, "true"?):
            trust = .fromHeader
        case (_?, "true"?):
            throw section.error("email: set either trusted_authserv_id or trust_from_header: true, not both", at: "trust_from_header")
        case (_, let value?) where value != "true" && value != "false":
            throw section.error("trust_from_header must be true or false", at: "trust_from_header")
        default:
            throw section.error(
                "email needs 'trusted_authserv_id': the name your receiving mail server writes in the "
                    + "Authentication-Results headers it adds (it must check DKIM/SPF/DMARC and remove such headers "
                    + "under its own name from incoming mail); anyone can forge a From: line. Only if there is no "
                    + "such server, set 'trust_from_header: true' instead (a warning is logged at every start)")
        }
        self.init(
            imapURL: imap, smtpURL: smtp, address: address, username: section["username"] ?? text,
            password: password, displayName: section["display_name"] ?? "Kokemus", pollSeconds: poll,
            dailyCap: cap, senderTrust: trust,
            tokenKey: environment["KOKEMUS_MAIL_TOKEN_KEY"].flatMap { $0.isEmpty ? nil : $0 },
            strangerReply: section["stranger_reply"].flatMap { $0.isEmpty ? nil : $0 }, useIdle: idle)
    }
}
