/// Removes a sender's own signature from the end of a message: a `-- ` line and all after it,
/// or a closing block of at most six short lines made of greetings, the sender's name and
/// their own contacts (`Terveisin\nKalle Heikkinen\n040 000 0101`), as mail clients add
/// without asking. What is left is guarded as any text; the sender is told once.
enum SignatureStripper {
    private static let greetings: [String] = [
        "terveisin", "ystävällisin terveisin", "yst. terv", "yst.terv", "t.", "t:", "terv", "kiittäen", "kiitos",
        "parhain terveisin", "hyvää päivänjatkoa", "hälsningar", "med vänliga hälsningar", "mvh", "vänliga hälsningar",
        "hälsar", "best regards", "kind regards", "regards", "br", "cheers", "thanks", "thank you", "sent from my iphone",
        "lähetetty iphonesta", "skickat från min iphone", "sent from my android", "lähetetty android-laitteesta",
        "hämtat från outlook", "get outlook for ios", "hanki outlook for ios", "hanki outlook for android",
    ]

    /// The text without the signature, or nil when there is none to remove.
    static func strip(_ text: String, own: OwnContacts?) -> String? {
        // A signature is a block of lines under the text: one line has none.
        guard text.utf8.contains(UInt8(ascii: "\n")) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A `-- ` line (RFC 3676) starts a signature, whoever's it is.
        if let dashes = lines.lastIndex(where: { $0 == "-- " || $0 == "--" }), dashes > 0 {
            let kept = lines[..<dashes].joined(separator: "\n").trimmed
            return kept.isEmpty ? nil : kept
        }
        guard let own else { return nil }
        while let last = lines.last, last.trimmed.isEmpty { lines.removeLast() }
        var removed = 0
        var sawOwnDetail = false
        while let last = lines.last, removed < 6 {
            let line = last.trimmed
            if line.isEmpty {
                lines.removeLast()
                continue
            }
            let folded = FoldedText(line).scalars
            let ownFindings = own.findings(in: folded)
            let isGreeting = greetings.contains(FoldedText(line).string.trimmingTrailingPunctuation)
            let isOwnLine = !ownFindings.isEmpty && Words(folded).items.count <= 8
            let isFirstName = own.firstName.map { Array(folded.filter(\.isWordCharacter)) == $0 } ?? false
            guard isGreeting || isOwnLine || isFirstName else { break }
            if isOwnLine { sawOwnDetail = true }
            lines.removeLast()
            removed += 1
        }
        guard sawOwnDetail else { return nil }
        let kept = lines.joined(separator: "\n").trimmed
        return kept.isEmpty ? nil : kept
    }
}

extension String {
    fileprivate var trimmingTrailingPunctuation: String {
        var text = trimmed
        while let last = text.last, last == "," || last == "!" || last == "." && !text.hasSuffix("t.") { text.removeLast() }
        return text
    }
}
