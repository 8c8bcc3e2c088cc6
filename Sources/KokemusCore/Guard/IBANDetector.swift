/// Finds IBANs (ISO 13616) in folded text with any separators between the characters
/// (`FI49 5000 9420 0287 30`, `fi 49-5000-9420-0287-30`, `FI4950009420028730`): two letters of a
/// country whose IBAN length is known, two check digits, and the rest, the whole passing the
/// mod-97 check. Only the country's length is tried, so a random run has one chance in 97.
enum IBANDetector {
    /// IBAN lengths of the countries a Finnish county's experts and payers bank in.
    private static let lengths: [String: Int] = [
        "fi": 18, "se": 24, "ee": 20, "no": 15, "dk": 18, "de": 22, "gb": 22, "ie": 22, "fr": 27, "es": 24, "it": 27,
        "nl": 18, "be": 16, "at": 20, "ch": 21, "pl": 28, "lt": 20, "lv": 21, "is": 26, "pt": 25, "lu": 20, "ax": 18,
        "hu": 28, "cz": 24, "sk": 24, "si": 19, "hr": 21, "gr": 27, "ro": 24, "bg": 22, "tr": 26, "ua": 29, "cy": 28,
        "mt": 31,
    ]

    static func contains(in text: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index + 1 < text.count {
            guard text[index].isASCIILetter, text[index + 1].isASCIILetter,
                index == 0 || !text[index - 1].isASCIILetter,
                let length = lengths[String(String.UnicodeScalarView([text[index], text[index + 1]]))]
            else {
                index += 1
                continue
            }
            if let characters = collect(text, from: index, count: length), passesCheck(characters) { return true }
            index += 1
        }
        return false
    }

    /// `count` letters and digits from `start`, skipping spaces, dashes and dots between them
    /// (at most two in a row); nil when the text has fewer, or the third and fourth are not digits.
    private static func collect(_ text: [Unicode.Scalar], from start: Int, count: Int) -> [Unicode.Scalar]? {
        var characters: [Unicode.Scalar] = []
        var index = start
        var separators = 0
        while characters.count < count, index < text.count {
            let scalar = text[index]
            if scalar.isASCIIDigit || scalar.isASCIILetter {
                characters.append(scalar)
                separators = 0
            } else if (scalar == " " || scalar == "-" || scalar == "." || scalar == "/") && separators < 2 && !characters.isEmpty {
                separators += 1
            } else {
                return nil
            }
            index += 1
        }
        guard characters.count == count, characters[2].isASCIIDigit, characters[3].isASCIIDigit else { return nil }
        return characters
    }

    /// Mod 97 of the rearranged number (the first four characters moved to the end, letters as
    /// 10–35), computed digit by digit so no number grows past 97 × 100.
    private static func passesCheck(_ characters: [Unicode.Scalar]) -> Bool {
        var remainder = 0
        for scalar in characters[4...] + characters[..<4] {
            if let digit = scalar.asciiDigit {
                remainder = (remainder * 10 + Int(digit)) % 97
            } else {
                remainder = (remainder * 100 + Int(scalar.value) - 0x61 + 10) % 97
            }
        }
        return remainder == 1
    }
}
