import Foundation
import KokemusCore

/// A message the gateway sends, rendered as RFC 5322 bytes for SMTP: CRLF line ends,
/// UTF-8 text in quoted-printable (curl offers no 8BITMIME), non-ASCII headers as encoded
/// words, `Auto-Submitted: auto-generated` so that other robots do not answer it.
public struct OutgoingMail: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var text: String
    /// Without brackets: `opaque@gateway.domain`.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    public var date: Date
    /// A `text/calendar` invitation sent beside the text, if any.
    public var calendar: String?
    /// The iCalendar method the calendar part carries (`REQUEST`, `CANCEL`), repeated in its Content-Type.
    public var calendarMethod: String
    /// Files attached after the text (and the calendar), in base64 so that a CSV file's CRLF
    /// line ends arrive as they were.
    public var attachments: [OutboxAttachment]

    public init(
        from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil, subject: String, text: String,
        messageID: String, inReplyTo: String? = nil, references: [String] = [], date: Date, calendar: String? = nil,
        calendarMethod: String = "REQUEST", attachments: [OutboxAttachment] = []
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.calendar = calendar
        self.calendarMethod = calendarMethod
        self.attachments = attachments
    }

    /// The message bytes, ready for the SMTP DATA phase.
    public func rendered(time: TimeZone = TimeZone(identifier: "Europe/Helsinki") ?? .current) -> Data {
        var lines = [
            "Date: \(Self.rfc5322Date(date, zone: time))",
            "From: \(Self.mailbox(from))",
            "To: \(to.map(Self.mailbox).joined(separator: ", "))",
        ]
        if let replyTo { lines.append("Reply-To: \(Self.mailbox(replyTo))") }
        lines.append("Subject: \(Self.encodeHeader(subject))")
        lines.append("Message-ID: <\(messageID)>")
        if let inReplyTo { lines.append("In-Reply-To: <\(inReplyTo)>") }
        if !references.isEmpty { lines.append("References: " + references.map { "<\($0)>" }.joined(separator: " ")) }
        lines += ["Auto-Submitted: auto-generated", "X-Auto-Response-Suppress: All", "MIME-Version: 1.0"]
        let textPart = [
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
            TransferEncoding.encodeQuotedPrintable(text),
        ]
        if calendar != nil || !attachments.isEmpty {
            let boundary = "=_kokemus_" + messageID.prefix { $0 != "@" }.filter { $0.isLetter || $0.isNumber }
            lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
            lines += ["", "--\(boundary)"]
            if let calendar {
                // An invitation as Outlook, Gmail and Thunderbird recognise one (RFC 6047): the
                // text and the calendar as alternatives of one body, the calendar inline with its
                // method; and the same event as an .ics file for clients that only save files.
                // Not the outer boundary with something after it: a boundary must not begin another.
                let alternative = "=_kokemus_alt_" + messageID.prefix { $0 != "@" }.filter { $0.isLetter || $0.isNumber }
                lines += ["Content-Type: multipart/alternative; boundary=\"\(alternative)\"", "", "--\(alternative)"]
                lines += textPart
                lines += [
                    "--\(alternative)",
                    "Content-Type: text/calendar; charset=utf-8; method=\(calendarMethod)",
                    "Content-Transfer-Encoding: quoted-printable", "",
                    TransferEncoding.encodeQuotedPrintable(calendar),
                    "--\(alternative)--",
                    "--\(boundary)",
                    "Content-Type: application/ics; charset=utf-8; name=\"invite.ics\"",
                    "Content-Transfer-Encoding: base64",
                    "Content-Disposition: attachment; filename=\"invite.ics\"", "",
                ]
                lines += Self.base64Lines(Data(calendar.utf8))
            } else {
                lines += textPart
            }
            for attachment in attachments {
                // The name is the gateway's own (`payroll-2026-12-10-fee.csv`); kept to safe characters.
                let name = attachment.filename.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
                let type = attachment.mediaType.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "/-+.".contains($0)) }
                lines += [
                    "--\(boundary)",
                    "Content-Type: \(type); charset=utf-8; name=\"\(name)\"",
                    "Content-Transfer-Encoding: base64",
                    "Content-Disposition: attachment; filename=\"\(name)\"", "",
                ]
                lines += Self.base64Lines(Data(attachment.text.utf8))
            }
            lines.append("--\(boundary)--")
        } else {
            lines += textPart
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// Base64 in lines of 76 characters (RFC 2045 §6.8).
    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// `Tue, 24 Nov 2026 14:30:00 +0200`: English names whatever the locale (RFC 5322 §3.3).
    static func rfc5322Date(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    static func mailbox(_ address: MailAddress) -> String {
        guard let name = address.displayName, !name.isEmpty else { return address.address }
        let isPlain = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == " " || $0 == "-") }
        if isPlain { return "\(name) <\(address.address)>" }
        // "Virtanen, Anna" or "O'Neil": an ASCII name with punctuation as a quoted string, or
        // its comma would split the header into two addresses (RFC 5322 §3.2.4, §3.4).
        if name.unicodeScalars.allSatisfy(\.isASCII) {
            var quoted = ""
            for scalar in name.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F {
                if scalar == "\"" || scalar == "\\" { quoted += "\\" }
                quoted.unicodeScalars.append(scalar)
            }
            return "\"\(quoted)\" <\(address.address)>"
        }
        return "\(encodeHeader(name)) <\(address.address)>"
    }

    /// An ASCII header value folded before a space where a line would pass 76 characters
    /// (RFC 5322 §2.1.1, §2.2.3); a word longer than that stays whole on its own line.
    static func foldASCII(_ text: String, firstLineUsed: Int = "Subject: ".count) -> String {
        var result = ""
        var length = firstLineUsed
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index == 0 {
                result += word
                length += word.count
            } else if !word.isEmpty, length + 1 + word.count > 76 {
                // The fold keeps the space: it starts the next line (never a line of spaces alone).
                result += "\r\n " + word
                length = 1 + word.count
            } else {
                result += " " + word
                length += 1 + word.count
            }
        }
        return result
    }

    /// Header text: ASCII folded, anything else as UTF-8 base64 encoded words of at most 75
    /// characters (RFC 2047 §5).
    static func encodeHeader(_ text: String) -> String {
        // No control character reaches a header: CR and LF would start a new one, and the
        // rest (NUL, ESC, DEL) have no place in it.
        var cleaned = ""
        cleaned.unicodeScalars.append(
            contentsOf: text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 })
        guard !cleaned.unicodeScalars.allSatisfy({ $0.isASCII }) else { return foldASCII(cleaned) }
        // Encoded words of at most 45 bytes of UTF-8 (72 characters each), split between
        // code points, never inside one: a letter with many combining marks may span words,
        // which readers join (RFC 2047 §6.2).
        var words: [String] = []
        var chunk = ""
        for scalar in cleaned.unicodeScalars {
            if chunk.utf8.count + String(scalar).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.unicodeScalars.append(scalar)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }
}
