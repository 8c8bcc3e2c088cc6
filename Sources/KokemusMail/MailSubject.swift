import Foundation
import KokemusCore

/// Subjects as people's mail clients show them (issue 14). Each client adds its own reply or
/// forward prefix ("Re:", Outlook's Finnish "VS:", Swedish "SV:", German "AW:", "Fwd:", "VL:"),
/// so a thread answered back and forth grew to "Re: VS: Re: VS: Tilaus"; the gateway drops
/// them all and adds one "Re:". A mail about one order outside a thread carries its id.
enum MailSubject {
    /// Reply and forward prefixes, compared without case: English, Finnish (VS, VL), Swedish
    /// (SV, VB), German (AW, WG), Dutch (Antw), and the "FW" and "Fwd" of many clients.
    static let prefixes: Set<String> = ["re", "vs", "sv", "aw", "fwd", "fw", "vl", "vb", "wg", "antw"]

    /// The subject without any leading reply or forward prefixes ("Re:", "RE[2]:", "VS :"),
    /// nor the tags a mail server puts before them ("[EXT]", "[Ulkoinen]", "*EXTERNAL*"); a
    /// full-width colon ("VS：", from some input methods) counts as a colon.
    static func base(_ subject: String) -> String {
        var rest = Substring(subject.replacingOccurrences(of: "\u{FF1A}", with: ":").trimmingCharacters(in: .whitespaces))
        while true {
            if let tag = leadingTag(rest) {
                rest = rest[tag...].drop { $0 == " " || $0 == "\t" }
                continue
            }
            guard let colon = rest.firstIndex(of: ":") else { break }
            var word = rest[..<colon].trimmingCharacters(in: .whitespaces)
            // A counter some clients add: "Re[2]:", "RE(3):".
            if let open = word.firstIndex(where: { $0 == "[" || $0 == "(" }), word.last == "]" || word.last == ")",
                word[word.index(after: open)..<word.index(before: word.endIndex)].allSatisfy(\.isNumber)
            {
                word = String(word[..<open])
            }
            guard prefixes.contains(word.lowercased()) else { break }
            rest = rest[rest.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        }
        return String(rest)
    }

    /// The end of a mail server's tag at the start ("[EXT]", "[Ulkoinen viesti]", "*EXTERNAL*"):
    /// letters and spaces only, at most 24, so that the gateway's own "[T-2026-0001]" stays.
    private static func leadingTag(_ text: Substring) -> Substring.Index? {
        guard let first = text.first, first == "[" || first == "*" else { return nil }
        let closing: Character = first == "[" ? "]" : "*"
        let inside = text.dropFirst()
        guard let end = inside.firstIndex(of: closing) else { return nil }
        let word = inside[..<end]
        guard !word.isEmpty, word.count <= 24, word.allSatisfy({ $0.isLetter || $0 == " " }) else { return nil }
        return text.index(after: end)
    }

    /// How much of a person's subject an answer repeats.
    static let maximumBase = 200

    /// The subject of an answer in the person's thread: one "Re:" before its base.
    static func reply(to subject: String) -> String {
        // A thread's subject is the person's: kept to a length a mail client shows.
        var base = base(subject)
        if base.count > maximumBase || base.utf8.count > maximumBase * 3 {
            // Characters and bytes: one letter with a thousand combining marks is one character.
            var cut = ""
            for scalar in base.unicodeScalars {
                guard cut.unicodeScalars.count < maximumBase - 1, cut.utf8.count < maximumBase * 3 - 4 else { break }
                cut.unicodeScalars.append(scalar)
            }
            base = cut + "…"
        }
        return base.isEmpty ? "Re:" : "Re: " + base
    }

    /// The order ids a text names, each once, in order (`T-2026-0001`).
    static func orderIDs(in text: String) -> [String] { Order.ids(in: text).map(\.rawValue) }

    /// What an outgoing mail is titled and whether it goes into the person's thread: while they
    /// have one (they wrote to the service), every mail goes into it with its subject and one
    /// "Re:" (a reply, an offer or a reminder alike: telling them apart from the text alone put
    /// answers out of their threads); with none, a mail about one order is titled with its id
    /// in brackets (the tag a reply's subject is traced by), anything else with the service's
    /// own subject.
    static func choose(thread: String?, text: String, service: String) -> (subject: String, inThread: Bool) {
        if let thread, !base(thread).isEmpty { return (reply(to: thread), true) }
        let ids = orderIDs(in: text)
        if ids.count == 1 { return ("\(service) [\(ids[0])]", false) }
        return (service, false)
    }
}
