import Foundation
import KokemusCore
import Testing

@testable import KokemusMail

@Suite struct OutgoingMailTests {
    @Test func addressesAreValidatedBeforeSMTP() {
        #expect(MailAddress("anna.virtanen@hyvinvointialue.example") != nil)
        #expect(MailAddress("bot+tok3n@kokemus.example") != nil)
        #expect(MailAddress("a@b.example\r\nRCPT TO:<evil@x.example>") == nil)
        #expect(MailAddress("a@b.example\nx") == nil)
        #expect(MailAddress("Anna <a@b.example>") == nil)
        #expect(MailAddress("no-at-sign.example") == nil)
        #expect(MailAddress("a@localhost") == nil)
        #expect(MailAddress("a@b..example") == nil)
    }

    /// Whatever a person's subject or name holds, the headers stay headers: no control
    /// character, no encoded word over 75 characters, no line over 78, and a name with a
    /// comma stays one address.
    @Test func headersHoldWhateverTheyAreGiven() throws {
        let control = OutgoingMail.encodeHeader("Re: a\u{0}b\u{1B}c\u{7F}d\rX-Evil: 1\ne")
        #expect(control == "Re: a b c d X-Evil: 1 e")
        let zalgo = "Z" + String(repeating: "\u{0301}", count: 300) + "algo"
        let encoded = OutgoingMail.encodeHeader(zalgo)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 78 } && lines.count > 5)
        #expect(!encoded.contains("=?UTF-8?B??="))
        let words = encoded.components(separatedBy: "\r\n ").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == zalgo)
        let name = try #require(MailAddress("anna@hyvinvointialue.example", displayName: "Virtanen, \"Anna\""))
        #expect(OutgoingMail.mailbox(name) == "\"Virtanen, \\\"Anna\\\"\" <anna@hyvinvointialue.example>")
        #expect(MailSubject.reply(to: zalgo + zalgo).utf8.count <= MailSubject.maximumBase * 3 + 8)
    }

    @Test func rendersAMessageThatParsesBack() throws {
        let mail = OutgoingMail(
            from: try #require(MailAddress("bot@kokemus.example", displayName: "Kokemus")),
            to: [try #require(MailAddress("anna.virtanen@hyvinvointialue.example", displayName: "Anna Virtanen"))],
            replyTo: MailAddress("bot+abc123@kokemus.example"),
            subject: "[T-2026-0001] Tilauksen vahvistus: ryhmänohjaus, €",
            text: "Hei Anna!\nTilaus T-2026-0001 on tallennettu.\n.\nKiitos.",
            messageID: "k1.m42@kokemus.example", inReplyTo: "CAF=abc@mail.gmail.example",
            references: ["CAF=abc@mail.gmail.example"],
            date: Date(timeIntervalSince1970: 1_796_121_000))  // 2026-12-01 10:30 UTC
        let bytes = mail.rendered()
        let text = String(decoding: bytes, as: UTF8.self)
        // CRLF only, no bare LF; ASCII only on the wire.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(bytes.allSatisfy { $0 < 0x80 })
        #expect(text.contains("Date: Tue, 01 Dec 2026 12:30:00 +0200\r\n"))
        #expect(text.contains("Message-ID: <k1.m42@kokemus.example>\r\n"))
        #expect(text.contains("Auto-Submitted: auto-generated\r\n"))
        #expect(text.contains("In-Reply-To: <CAF=abc@mail.gmail.example>\r\n"))
        let parsed = MailMessage(parsing: bytes)
        #expect(parsed.subject == "[T-2026-0001] Tilauksen vahvistus: ryhmänohjaus, €")
        #expect(parsed.headers.decoded("To") == "Anna Virtanen <anna.virtanen@hyvinvointialue.example>")
        #expect(parsed.bodyText == "Hei Anna!\nTilaus T-2026-0001 on tallennettu.\n.\nKiitos.\n")
        // Our own mail is automatic to anyone who classifies it, including ourselves.
        #expect(MailClassifier.classify(parsed) == .automatic(reason: "Auto-Submitted: auto-generated"))
    }

    @Test func calendarInvitationTravelsBesideTheText() throws {
        let calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Kokemusasiantuntija\r\nEND:VEVENT\r\nEND:VCALENDAR"
        let mail = OutgoingMail(
            from: try #require(MailAddress("bot@kokemus.example")),
            to: [try #require(MailAddress("anna@hyvinvointialue.example"))],
            subject: "Kutsu", text: "Liitteenä kalenterikutsu.", messageID: "k1.m43@kokemus.example",
            date: Date(timeIntervalSince1970: 0), calendar: calendar)
        let parsed = MailMessage(parsing: mail.rendered())
        #expect(parsed.root.contentType == "multipart/mixed")
        // The text and the invitation are alternatives of one body, the invitation inline (as
        // Outlook, Gmail and Thunderbird show one); the same event also as an .ics file.
        let body = try #require(parsed.root.children.first)
        #expect(body.contentType == "multipart/alternative")
        #expect(body.children.map(\.contentType) == ["text/plain", "text/calendar"])
        let invite = try #require(body.children.last)
        #expect(invite.headers.parameter("method", of: "Content-Type") == "REQUEST")
        #expect(invite.headers.all("Content-Disposition").isEmpty && !invite.isAttachment)
        #expect(invite.text.replacingOccurrences(of: "\n", with: "\r\n") == calendar)
        let file = try #require(parsed.root.children.last)
        #expect(file.contentType == "application/ics" && file.isAttachment)
        #expect(file.headers.parameter("filename", of: "Content-Disposition") == "invite.ics")
        #expect(file.text.replacingOccurrences(of: "\n", with: "\r\n") == calendar)
        #expect(parsed.bodyText == "Liitteenä kalenterikutsu.")

        var cancel = mail
        cancel.calendarMethod = "CANCEL"
        let cancelled = MailMessage(parsing: cancel.rendered())
        #expect(
            cancelled.root.leaves.first { $0.contentType == "text/calendar" }?.headers
                .parameter("method", of: "Content-Type") == "CANCEL")
    }

    @Test func payrollsCSVFilesArriveByteForByteBesideTheText() throws {
        let csv = "report_id,expert_name,total_eur\r\nP-2026-11-kalle,\"Heikkinen, Kalle\",112.00\r\nP-2026-11-sanna,Sanna Östman,40.00\r\n"
        let mail = OutgoingMail(
            from: try #require(MailAddress("bot@kokemus.example")),
            to: [try #require(MailAddress("palkanlaskenta@hyvinvointialue.example"))],
            subject: "Palkkiot", text: "CSV-tiedostot liitteinä.", messageID: "k1.m44@kokemus.example",
            date: Date(timeIntervalSince1970: 0),
            attachments: [
                OutboxAttachment(filename: "payroll-2026-12-10-fee.csv", mediaType: "text/csv", text: csv),
                OutboxAttachment(filename: "../evil\r\nBcc: x.csv", mediaType: "text/csv\r\nX: y", text: "a\r\n"),
            ])
        let bytes = mail.rendered()
        #expect(bytes.allSatisfy { $0 < 0x80 })
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("Bcc: x") && !text.contains("X: y"), "a name or type cannot add a header")
        let parsed = MailMessage(parsing: bytes)
        #expect(parsed.root.contentType == "multipart/mixed")
        #expect(parsed.bodyText == "CSV-tiedostot liitteinä.")
        let files = parsed.root.leaves.filter { $0.contentType.hasPrefix("text/csv") }
        #expect(files.count == 2)
        #expect(files.first?.headers.parameter("filename", of: "Content-Disposition") == "payroll-2026-12-10-fee.csv")
        #expect(files.first?.decodedBody == Data(csv.utf8), "CRLF and UTF-8 kept exactly")
        #expect(files.last?.headers.parameter("filename", of: "Content-Disposition") == "..evilBccx.csv")
        #expect(files.last?.contentType == "text/csvxy")
    }
}
