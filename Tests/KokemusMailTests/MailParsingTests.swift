import Foundation
import Testing

@testable import KokemusMail

@Suite struct MailParsingTests {
    /// Attribution lines as mail programs write them in Finnish, Swedish and English, with and
    /// without an address: none may reach a flow answer or a relay (they carry names).
    @Test(arguments: [
        "Anna Virtanen kirjoitti 29.11.2026 klo 10.02:",
        "29.11.2026 10.02, Anna Virtanen kirjoitti:",
        "Den 29 nov. 2026 kl. 10:02 skrev Anna Virtanen:",
        "29 nov. 2026 kl. 10:02 skrev Anna Virtanen <anna.virtanen@hyvinvointialue.example>:",
        "On Sun, 29 Nov 2026 at 10:02, Anna Virtanen <anna.virtanen@hyvinvointialue.example> wrote:",
        "su 29.11.2026 klo 10.02 Anna Virtanen (anna.virtanen@hyvinvointialue.example) kirjoitti:",
    ])
    func attributionLinesAreCut(_ attribution: String) {
        let text = "Vanha kirjasto, Porvoo\n\n\(attribution)\n\n> Missä tapaaminen on?\n"
        #expect(QuoteStripper.strip(text) == "Vanha kirjasto, Porvoo")
    }

    @Test func outlooksFinnishHeaderBlockIsCut() {
        let text =
            "Käy hyvin.\n\nLähettäjä: Anna Virtanen <anna.virtanen@hyvinvointialue.example>\nLähetetty: sunnuntai 29. "
            + "marraskuuta 2026 10.02\nVastaanottaja: Kokemus <bot@kokemus.example>\nAihe: Tilaus\n\nMissä tapaaminen on?"
        #expect(QuoteStripper.strip(text) == "Käy hyvin.")
    }

    @Test func aSentenceEndingInAColonIsNoAttribution() {
        #expect(QuoteStripper.strip("Kysyisin vielä yhtä asiaa:\nonko tila esteetön?") == "Kysyisin vielä yhtä asiaa:\nonko tila esteetön?")
        #expect(
            QuoteStripper.strip("Huomenna klo 14 sopii, kirjoitin jo eilen:\nkyllä") == "Huomenna klo 14 sopii, kirjoitin jo eilen:\nkyllä")
    }

    @Test func outlookReplyInLatin1() {
        let mail = MailMessage(parsing: MailSamples.outlookFinnish)
        #expect(mail.subject == "VS: [T-2026-0001] Tilauksen vahvistus")
        #expect(mail.fromAddress == "anna.virtanen@hyvinvointialue.example")
        #expect(mail.messageID == "AM0PR01MB1234@outlook.example")
        #expect(mail.replyReferences == ["k1.m42@kokemus.example", "k1.m40@kokemus.example"])
        #expect(
            mail.replyText
                == "Kyllä, sopii hyvin. Tilan varaan myöhemmin.\n\nYstävällisin terveisin\nAnna\n\n________________________________")
        #expect(MailClassifier.classify(mail) == .person)
    }

    @Test func gmailReplyWithWrappedAttribution() {
        let mail = MailMessage(parsing: MailSamples.gmailFinnish)
        #expect(mail.replyText == "Kyllä kiitos!")
        // The HTML alternative gives the same answer once its quote is marked and stripped.
        let html = mail.root.leaves.first { $0.contentType == "text/html" }!
        #expect(QuoteStripper.strip(HTMLText.text(from: html.text)) == "Kyllä kiitos!")
    }

    @Test func thunderbirdFlowedSwedish() {
        let mail = MailMessage(parsing: MailSamples.thunderbirdFlowed)
        #expect(mail.subject == "Re: [T-2026-0002] Beställning")
        // delsp=yes: the soft-break space goes, the word space before it stays.
        #expect(mail.replyText == "Ja, det passar. Vi träffas i personalrummet på andra våningen.")
    }

    @Test func evolutionAttribution() {
        #expect(MailMessage(parsing: MailSamples.evolutionFinnish).replyText == "90 min riittää.")
    }

    @Test func appleMailAttributionAndPhoneSignature() {
        #expect(MailMessage(parsing: MailSamples.appleMailSwedish).replyText == "Godkänt.")
    }

    @Test func encodedWordsAndLatin1Body() {
        let mail = MailMessage(parsing: MailSamples.latin1EncodedWords)
        #expect(mail.headers.decoded("From") == "Tuula Mäkinen <tuula.makinen@hyvinvointialue.example>")
        // Adjacent words: the space between them vanishes, a character split over two words is joined.
        #expect(mail.subject == "Pyödän uutta aikaa älä ")
        #expect(mail.bodyText == "Hyvää päivää, käy torstaina?")
    }

    @Test func charsets() {
        #expect(Charset.decode(Data([0x41, 0xA4]), charset: "ISO-8859-15") == "A€")
        #expect(Charset.decode(Data([0x41, 0xA4]), charset: "iso-8859-1") == "A¤")
        #expect(Charset.decode(Data([0x80, 0x93, 0x6F, 0x94]), charset: "windows-1252") == "€“o”")
        #expect(Charset.decode(Data("ä".utf8), charset: "\"UTF-8\"") == "ä")
        // A combining diaeresis (macOS) becomes the one-character ä.
        #expect(Charset.decode(Data("a\u{0308}".utf8), charset: "utf-8").unicodeScalars.count == 1)
        // Unknown charset or bytes invalid in UTF-8 never lose the message.
        #expect(Charset.decode(Data([0x50, 0xE4]), charset: "x-unknown") == "Pä")
    }

    @Test func transferEncodings() {
        #expect(
            TransferEncoding.decodeQuotedPrintable(Data("a=3Db=\r\nc= \r\nd=E4=C3=A4=ZZ".utf8))
                == Data([0x61, 0x3D, 0x62, 0x63, 0x64, 0xE4, 0xC3, 0xA4, 0x3D, 0x5A, 0x5A]))
        #expect(TransferEncoding.decodeBase64(Data("w6Q\r\n=!!".utf8)) == Data("ä".utf8))
        let text = "Hyvää päivää = tervetuloa\n.piste alussa\nloppuvälilyönti \n" + String(repeating: "ä", count: 60)
        let encoded = TransferEncoding.encodeQuotedPrintable(text)
        #expect(encoded.split(separator: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(!encoded.contains("\n.") && !encoded.contains(" \r\n"))
        #expect(
            String(decoding: TransferEncoding.decodeQuotedPrintable(Data(encoded.utf8)), as: UTF8.self)
                == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func htmlToText() {
        let html =
            "<html><head><style>p{}</style></head><body><p>Hei &amp; kiitos&nbsp;!</p><div>Rivi 2<br>Rivi&#32;3 &#xE4;</div>"
            + "<blockquote><p>Vanha viesti</p></blockquote><script>alert(1)</script></body></html>"
        #expect(HTMLText.text(from: html) == "Hei & kiitos !\n\nRivi 2\nRivi 3 ä\n\n> Vanha viesti")
    }

    @Test func bouncesAndAutoRepliesAreNotPeople() {
        #expect(
            MailClassifier.classify(MailMessage(parsing: MailSamples.bounce))
                == .bounce(failedRecipients: ["sanna.lehtonen@posti.example"]))
        func classify(_ headers: String) -> MailClassifier.Kind {
            MailClassifier.classify(MailMessage(parsing: MailSamples.crlf(headers + "\nContent-Type: text/plain\n\nPoissa.\n")))
        }
        #expect(classify("From: a@b.example\nAuto-Submitted: auto-replied") == .automatic(reason: "Auto-Submitted: auto-replied"))
        #expect(classify("From: a@b.example\nAuto-Submitted: no") == .person)
        #expect(classify("From: a@b.example\nPrecedence: bulk") == .automatic(reason: "Precedence: bulk"))
        #expect(classify("From: a@b.example\nList-Id: <lista.example>") == .automatic(reason: "mailing list"))
        #expect(classify("From: a@b.example\nReturn-Path: <>") == .automatic(reason: "empty Return-Path"))
        #expect(classify("From: a@b.example\nX-Autoreply: yes") == .automatic(reason: "X-Autoreply"))
    }

    @Test func brokenMailStillParses() {
        // No header/body split, an unterminated multipart, a missing boundary: no crash, what can be read is.
        #expect(MailMessage(parsing: Data("just text without headers".utf8)).bodyText == "")
        let unterminated = MailSamples.crlf("Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nHei\n")
        #expect(MailMessage(parsing: unterminated).bodyText.trimmingCharacters(in: .newlines) == "Hei")
        let noBoundary = MailSamples.crlf("Content-Type: multipart/mixed\n\nHei\n")
        #expect(MailMessage(parsing: noBoundary).bodyText == "")
        var generator = SystemRandomNumberGenerator()
        let sample = [UInt8](MailSamples.outlookFinnish)
        for _ in 0..<300 {
            var bytes = sample
            for _ in 0..<8 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            let mail = MailMessage(parsing: Data(bytes))
            _ = (mail.replyText, mail.subject, MailClassifier.classify(mail))
        }
    }
}
