import Foundation

/// Mail as common clients write it, from their formats (fictional people and addresses).
enum MailSamples {
    static func crlf(_ text: String) -> Data {
        Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    /// Outlook, Finnish, multipart/alternative, ISO-8859-1 quoted-printable.
    static let outlookFinnish = crlf(
        """
        From: =?iso-8859-1?Q?Anna_Virtanen?= <anna.virtanen@hyvinvointialue.example>
        To: Kokemus <bot+abc123@kokemus.example>
        Subject: =?iso-8859-1?Q?VS:_[T-2026-0001]_Tilauksen_vahvistus?=
        Date: Tue, 24 Nov 2026 14:31:02 +0000
        Message-ID: <AM0PR01MB1234@outlook.example>
        In-Reply-To: <k1.m42@kokemus.example>
        References: <k1.m40@kokemus.example> <k1.m42@kokemus.example>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="_000_AM0PR01MB1234_"

        --_000_AM0PR01MB1234_
        Content-Type: text/plain; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable

        Kyll=E4, sopii hyvin. Tilan varaan my=F6hemmin.

        Yst=E4v=E4llisin terveisin
        Anna

        ________________________________
        L=E4hett=E4j=E4: Kokemus <bot+abc123@kokemus.example>
        L=E4hetetty: tiistai 24. marraskuuta 2026 14.30
        Vastaanottaja: Anna Virtanen <anna.virtanen@hyvinvointialue.example>
        Aihe: [T-2026-0001] Tilauksen vahvistus

        L=E4hetet=E4=E4nk=F6 tilaus? (kyll=E4 / ei)

        --_000_AM0PR01MB1234_
        Content-Type: text/html; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable

        <html><body><p>Kyll=E4, sopii hyvin.</p></body></html>

        --_000_AM0PR01MB1234_--
        """)

    /// Gmail, Finnish, UTF-8 base64 plain part, attribution wrapped over two lines.
    static let gmailFinnish = crlf(
        """
        From: Anna Virtanen <anna.virtanen@hyvinvointialue.example>
        To: bot+abc123@kokemus.example
        Subject: Re: [T-2026-0001] Tilauksen vahvistus
        Message-ID: <CAF=abc@mail.gmail.example>
        In-Reply-To: <k1.m42@kokemus.example>
        Content-Type: multipart/alternative; boundary="000000000000aaaa"

        --000000000000aaaa
        Content-Type: text/plain; charset="UTF-8"
        Content-Transfer-Encoding: base64

        \(Data("""
        Kyllä kiitos!

        ti 24. marrask. 2026 klo 14.30 Kokemus <
        bot+abc123@kokemus.example> kirjoitti:

        > Lähetetäänkö tilaus? (kyllä / ei)
        >
        """.utf8).base64EncodedString(options: .lineLength76Characters))
        --000000000000aaaa
        Content-Type: text/html; charset="UTF-8"

        <div dir="ltr">Kyllä kiitos!</div><br><div class="gmail_quote"><div class="gmail_attr">ti 24. marrask. 2026 klo 14.30 Kokemus &lt;<a href="mailto:bot+abc123@kokemus.example">bot+abc123@kokemus.example</a>&gt; kirjoitti:<br></div><blockquote class="gmail_quote">Lähetetäänkö tilaus?</blockquote></div>
        --000000000000aaaa--
        """)

    /// Thunderbird, Swedish, format=flowed.
    static let thunderbirdFlowed = crlf(
        """
        From: Bengt Lindqvist <bengt.lindqvist@hyvinvointialue.example>
        To: bot+def456@kokemus.example
        Subject: Re: [T-2026-0002] =?UTF-8?Q?Best=C3=A4llning?=
        Content-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes
        Content-Transfer-Encoding: 8bit

        Ja, det passar. Vi tr\u{E4}ffas i \u{20}
        personalrummet p\u{E5} andra v\u{E5}ningen.

        2026-11-24 14:30, Kokemus skrev:
        > Skickas best\u{E4}llningen? (ja / nej)

        --\u{20}
        Bengt Lindqvist
        Familjetj\u{E4}nster, Lovisa
        """)

    /// Evolution attribution, Finnish.
    static let evolutionFinnish = crlf(
        """
        From: olli.nieminen@hyvinvointialue.example
        Subject: Re: Muistutus
        Content-Type: text/plain; charset=UTF-8

        90 min riittää.

        su, 2025-09-28 kello 11:07 +0000, Kokemus kirjoitti:
        > Kuinka kauan tehtävä kestää?
        """)

    /// Apple Mail, Swedish attribution with the verb inside, and a phone signature.
    static let appleMailSwedish = crlf(
        """
        From: Mikael Holm <mikael.holm@hyvinvointialue.example>
        Subject: Re: Arvode
        Content-Type: text/plain; charset=utf-8

        Godkänt.

        Skickat från min iPhone

        > 24 nov. 2026 kl. 14:30 skrev Kokemus <bot@kokemus.example>:
        >
        > Godkanns rapporten?
        """)

    /// ISO-8859-1 with encoded words in From and Subject, one word split inside a character.
    static let latin1EncodedWords = crlf(
        """
        From: =?ISO-8859-1?Q?Tuula_M=E4kinen?= <tuula.makinen@hyvinvointialue.example>
        Subject: =?ISO-8859-1?Q?Py=F6d=E4n_uutta_aikaa?= =?UTF-8?Q?_=C3?= =?UTF-8?Q?=A4l=C3=A4_?=
        Content-Type: text/plain; charset=ISO-8859-1
        Content-Transfer-Encoding: quoted-printable

        Hyv=E4=E4 p=E4iv=E4=E4, k=E4y torstaina?
        """)

    /// Delivery status notification (RFC 3464) from Postfix.
    static let bounce = crlf(
        """
        From: MAILER-DAEMON@mail.kokemus.example (Mail Delivery System)
        To: bot@kokemus.example
        Subject: Undelivered Mail Returned to Sender
        Auto-Submitted: auto-replied
        Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

        --B1
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not be delivered.

        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.kokemus.example

        Final-Recipient: rfc822; sanna.lehtonen@posti.example
        Original-Recipient: rfc822;sanna.lehtonen@posti.example
        Action: failed
        Status: 5.1.1

        --B1--
        """)
}
