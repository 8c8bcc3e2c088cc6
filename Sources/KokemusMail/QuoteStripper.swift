/// Removes what a reply repeats from earlier mail, so an old quote never reaches a flow or
/// a relayed message (quotes carry addresses): `>` lines, the attribution line before them
/// (Gmail's `... kirjoitti:`, Thunderbird's `28.02.2012 03:03, N kirjoitti:`, Evolution's
/// `su, 2025-09-28 kello 11:07 +0000, N kirjoitti:`, `On … wrote:`, Swedish `skrev:`), Outlook's
/// header block (`Lähettäjä:` / `Från:` / `From:` followed by `Lähetetty:` / `Skickat:` / `Sent:`),
/// `-----Original Message-----` and its translations, the signature after `-- `, and
/// "Sent from my phone" lines.
///
/// These are the words mail programs write, not texts the gateway shows, so they live here.
public enum QuoteStripper {
    static let attributionEndings = ["kirjoitti:", "wrote:", "skrev:", "kirjoitti :", "a écrit :"]
    static let originalMessageMarkers = [
        "-----original message-----", "-----alkuperäinen viesti-----",
        "-----ursprungligt meddelande-----", "-------- original message --------",
        "-------- alkuperäinen viesti --------", "-------- välitetty viesti --------",
        "-------- forwarded message --------",
    ]
    static let outlookFrom = ["from:", "lähettäjä:", "från:", "lähettäjä :"]
    static let outlookSent = ["sent:", "lähetetty:", "skickat:", "date:", "päivämäärä:", "datum:"]
    static let phoneSignatures = [
        "sent from my", "lähetetty iphonesta", "lähetetty androidista", "lähetetty mobiilista",
        "skickat från min", "hanki outlook", "get outlook for",
    ]

    public static func strip(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        var kept: [String] = []
        var index = 0
        scan: while index < lines.count {
            let line = lines[index]
            let lowered = line.trimmingCharacters(in: .whitespaces).lowercased()
            if line == "-- " || lowered == "--" { break }  // signature separator (RFC 3676 §4.3)
            if originalMessageMarkers.contains(where: { lowered.hasPrefix($0) }) { break }
            if outlookFrom.contains(where: { lowered.hasPrefix($0) }) {
                // An Outlook block: From, then Sent/Date within the next few lines.
                let following = lines[(index + 1)..<min(lines.count, index + 5)].map {
                    $0.lowercased().trimmingCharacters(in: .whitespaces)
                }
                if following.contains(where: { next in outlookSent.contains { next.hasPrefix($0) } }) { break }
            }
            if isAttribution(lowered) {
                // Gmail wraps a long attribution: "ke 8. tammik. 2025 klo 9.15 N <" / "x@y> kirjoitti:".
                if let previous = kept.last, let open = previous.lastIndex(of: "<"), !previous[open...].contains(">") {
                    kept.removeLast()
                }
                break
            }
            // A Gmail attribution can wrap: "ke 8. tammik. 2025 klo 9.15 N <x@y>" / "kirjoitti:".
            if index + 1 < lines.count {
                let next = lines[index + 1].trimmingCharacters(in: .whitespaces).lowercased()
                if !lowered.isEmpty, attributionEndings.contains(next),
                    index + 2 >= lines.count || lines[index + 2].hasPrefix(">")
                        || lines[index + 2].trimmingCharacters(in: .whitespaces).isEmpty
                {
                    break scan
                }
            }
            if phoneSignatures.contains(where: { lowered.hasPrefix($0) }) {
                index += 1
                continue
            }
            if line.hasPrefix(">") {
                index += 1
                continue
            }
            kept.append(line)
            index += 1
        }
        while let last = kept.last, last.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeLast() }
        while let first = kept.first, first.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeFirst() }
        return kept.joined(separator: "\n")
    }

    /// `... kirjoitti:`, and the verb inside: Apple Mail's `8 dec. 2026 kl. 14:30 skrev N <x@y>:`,
    /// Thunderbird's Finnish `Anna Virtanen kirjoitti 29.11.2026 klo 10.02:`, Swedish
    /// `Den 29 nov. 2026 kl. 10:02 skrev Anna Virtanen:` (an address, or a date or time, in the line).
    private static func isAttribution(_ lowered: String) -> Bool {
        if attributionEndings.contains(where: { lowered.hasSuffix($0) }) && lowered.count > 8 { return true }
        guard lowered.hasSuffix(":"), lowered.count < 300,
            lowered.contains("@") || lowered.contains("<") || lowered.contains(where: \.isNumber)
        else { return false }
        let words = lowered.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        return words.contains { ["kirjoitti", "wrote", "skrev"].contains($0) }
    }
}
