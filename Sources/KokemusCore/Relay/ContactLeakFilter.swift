import Foundation

/// Finds contact details and identifying numbers in text relayed between an expert and the
/// employee side: phone numbers (Finnish forms, spaced or spelled out), e-mail addresses
/// (also written out as `nimi at domain piste fi`), Matrix IDs, IBANs, street addresses and
/// personal identity codes. Relayed text that holds any of them is held back and the sender
/// told what was found; nothing is cut silently.
public enum ContactLeakFilter {
    public enum Finding: String, CaseIterable, Sendable, Hashable {
        case phone, email, matrixID = "matrix_id", iban, streetAddress = "street_address", identityCode = "identity_code"
    }

    /// What the text holds, in a stable order, each kind once.
    public static func findings(in text: String, kinds: Set<Finding> = Set(Finding.allCases)) -> [Finding] {
        let normalized = text.precomposedStringWithCompatibilityMapping
        var found: Set<Finding> = []
        if kinds.contains(.identityCode), PersonalIdentityCode.contains(in: normalized) { found.insert(.identityCode) }
        if kinds.contains(.matrixID), matches(matrixID, normalized) { found.insert(.matrixID) }
        if kinds.contains(.email), matches(email, normalized) || matches(spelledEmail, normalized) { found.insert(.email) }
        if kinds.contains(.iban), matches(iban, normalized) { found.insert(.iban) }
        if kinds.contains(.streetAddress), matches(streetAddress, normalized) { found.insert(.streetAddress) }
        if kinds.contains(.phone), containsPhoneNumber(normalized) || containsPhoneNumber(digitsForNumberWords(normalized)) {
            found.insert(.phone)
        }
        return Finding.allCases.filter(found.contains)
    }

    // MARK: Patterns

    private static func regex(_ pattern: String) -> NSRegularExpression {
        // The patterns are constants of this file; a typo is a programming error found by the tests.
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    private static let matrixID = regex(#"@[a-z0-9._=/+\-]+:[a-z0-9\-]+(\.[a-z0-9\-]+)+"#)
    private static let email = regex(#"[\p{L}0-9._%+\-]+\s*(@|\(at\)|\[at\]|\(ät\)|\[ät\])\s*[\p{L}0-9\-]+(\s*\.\s*[\p{L}0-9\-]+)+"#)
    /// `kalle at posti piste fi`, `kalle ät posti dot fi`, `kalle snabel-a posti punkt fi`.
    private static let spelledEmail = regex(
        #"[\p{L}0-9._\-]+\s+(at|ät|miuku|snabel-a|kissanhäntä)\s+[\p{L}0-9\-]+(\s+(piste|dot|punkt|pist)\s+[\p{L}0-9\-]+)+"#)
    /// FI49 5000 9420 0287 30 and the other countries' forms: two letters, two check digits,
    /// then at least 11 more letters or digits, in groups of four or not.
    private static let iban = regex(#"\b[a-z]{2}\d{2}(\s?[a-z0-9]{4}){2,7}(\s?[a-z0-9]{1,4})?\b"#)
    /// A street name (Finnish and Swedish endings) followed by a house number.
    private static let streetAddress = regex(
        #"\b[\p{L}\-]*(katu|tie|polku|kuja|väylä|raitti|rinne|kaari|ranta|aukio|tori|puistikko|gatan|vägen|gränd|stigen|torget|street|road|avenue)\s+\d+\s*[a-z]?\b"#)

    private static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    // MARK: Phone numbers

    /// A run of digits split only by spaces, dashes, slashes or brackets, starting like a
    /// Finnish or international number (`0…`, `+358…`, `00358…`) and 7 to 15 digits long.
    /// Dates (`8.12.2026`) and times (`14.30`) use dots and are not numbers to call.
    static func containsPhoneNumber(_ text: String) -> Bool {
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let startsRun = (character == "+" || character.isASCIIDigit) &&
                (index == 0 || !(characters[index - 1].isASCIIDigit || characters[index - 1].isLetter ||
                                 characters[index - 1] == "." || characters[index - 1] == ","))
            guard startsRun else {
                index += 1
                continue
            }
            var digits = ""
            var end = index
            var cursor = index
            if characters[cursor] == "+" { digits.append("+"); cursor += 1 }
            while cursor < characters.count {
                let current = characters[cursor]
                if current.isASCIIDigit {
                    digits.append(current)
                    end = cursor
                } else if " -/()".contains(current), cursor + 1 < characters.count,
                          characters[cursor + 1].isASCIIDigit || characters[cursor + 1] == "(" || characters[cursor + 1] == " " {
                    // A separator inside the number.
                } else {
                    break
                }
                cursor += 1
            }
            let digitCount = digits.filter(\.isASCIIDigit).count
            let followedByDot = end + 1 < characters.count && characters[end + 1] == "." &&
                end + 2 < characters.count && characters[end + 2].isASCIIDigit
            if (7...15).contains(digitCount), !followedByDot,
               digits.hasPrefix("0") || digits.hasPrefix("+") || digits.hasPrefix("358") {
                return true
            }
            index = max(cursor, index + 1)
        }
        return false
    }

    private static let numberWords: [String: String] = [
        // Finnish
        "nolla": "0", "yksi": "1", "kaksi": "2", "kolme": "3", "neljä": "4", "viisi": "5", "kuusi": "6",
        "seitsemän": "7", "kahdeksan": "8", "yhdeksän": "9",
        // Swedish
        "noll": "0", "ett": "1", "en": "1", "två": "2", "tre": "3", "fyra": "4", "fem": "5", "sex": "6", "sju": "7",
        "åtta": "8", "nio": "9",
        // English
        "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
        "seven": "7", "eight": "8", "nine": "9",
    ]

    /// The text with spelled-out digits written as digits (`nolla neljä nolla` → `0 4 0`), so
    /// that a number typed in words is found too. Other words stay as they are.
    static func digitsForNumberWords(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "-" })
            .map { word in numberWords[String(word)] ?? String(word) }
            .joined(separator: " ")
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
