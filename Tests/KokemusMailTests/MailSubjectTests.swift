import Testing

@testable import KokemusMail

/// Subjects as people's mail clients show them: one "Re:", whatever the clients added, and a
/// mail about one order titled with its id unless it answers in that order's thread.
@Suite struct MailSubjectTests {
    @Test(
        "Reply and forward prefixes of many clients are dropped",
        arguments: [
            ("Re: VS: Re: VS: Re: VS: Tilaus", "Tilaus"),
            ("SV: AW: Fwd: FW: VL: Beställning", "Beställning"),
            ("RE[2]: re(3):Vs :  Tilaus T-2026-0001", "Tilaus T-2026-0001"),
            ("WG: Antw: VB: Order", "Order"),
            ("Tilaus", "Tilaus"),
            // Words that only begin like a prefix, and a colon later on, stay.
            ("Reseptit: kevät", "Reseptit: kevät"),
            ("Vastaus: kyllä", "Vastaus: kyllä"),
            ("Re: Kokous klo 14:00", "Kokous klo 14:00"),
            ("Re: [2]: x", "[2]: x"),
            ("", ""),
            // Tags a mail server puts before the prefixes, and a full-width colon.
            ("[EXT] RE: [Ulkoinen viesti] VS: Tilaus", "Tilaus"),
            ("*EXTERNAL* Re: Order", "Order"),
            ("VS\u{FF1A}Tilaus", "Tilaus"),
            // The gateway's own tag stays.
            ("Re: [T-2026-0001] Kokemusasiantuntijatoiminta", "[T-2026-0001] Kokemusasiantuntijatoiminta"),
            ("Re: Kokemusasiantuntijatoiminta [T-2026-0001]", "Kokemusasiantuntijatoiminta [T-2026-0001]"),
        ])
    func base(subject: String, expected: String) {
        #expect(MailSubject.base(subject) == expected)
    }

    @Test func aReplyHasOneRe() {
        #expect(MailSubject.reply(to: "Re: VS: Re: VS: Re: VS: Tilaus") == "Re: Tilaus")
        #expect(MailSubject.reply(to: "Tilaus") == "Re: Tilaus")
        #expect(MailSubject.reply(to: "VS:") == "Re:")
    }

    @Test func aMailGoesIntoThePersonsThreadOrIsTitledWithItsOrder() {
        let service = "Kokemusasiantuntijatoiminta"
        // While the person has a thread, everything goes into it, with one "Re:".
        #expect(
            MailSubject.choose(thread: "VS: Re: Tarjous T-2026-0001", text: "Sinulle tarjotaan tehtävää T-2026-0002", service: service)
                == ("Re: Tarjous T-2026-0001", true))
        #expect(MailSubject.choose(thread: "Re: Tilaus", text: "Mistä aiheesta?", service: service) == ("Re: Tilaus", true))
        // No thread (or one whose subject was only prefixes): about one order, its id as the tag
        // a reply is traced by; otherwise the service's own subject.
        #expect(
            MailSubject.choose(thread: nil, text: "Tehtävä T-2026-0003 on vahvistettu", service: service) == (
                "\(service) [T-2026-0003]", false
            ))
        #expect(MailSubject.choose(thread: "Re: VS:", text: "Tehtävä T-2026-0003", service: service) == ("\(service) [T-2026-0003]", false))
        #expect(MailSubject.choose(thread: nil, text: "Tilaukset T-2026-0001, T-2026-0002", service: service) == (service, false))
        #expect(MailSubject.choose(thread: nil, text: "Hei!", service: service) == (service, false))
        #expect(MailSubject.orderIDs(in: "T-2026-0001 ja T-2026-0002, taas T-2026-0001") == ["T-2026-0001", "T-2026-0002"])
        #expect(MailSubject.orderIDs(in: "T-2026-10000 ja T-2026-123456") == ["T-2026-10000"])
    }
}
