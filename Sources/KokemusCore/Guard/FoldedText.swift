import Foundation

/// A text folded to the form the guard's detectors read: what a person could write to hide a
/// contact detail or an identity code is undone first, so that the detectors only need to know
/// the plain forms.
///
/// In order, each step in one pass over the text (linear in its length):
/// 1. NFKC (fullwidth, superscript and circled digits, ligatures, NBSP become plain);
/// 2. format and control characters dropped (zero width, bidi controls, soft hyphen, the
///    keycap's U+FE0F and U+20E3), line breaks and tabs kept as spaces;
/// 3. every decimal digit of any script to ASCII, look-alike letters (Cyrillic, Greek) to
///    Latin, dash-like characters to `-`, the ideographic full stop to `.`, lower case;
/// 4. URL percent-encoding (`%40` → `@`);
/// 5. words: `O`/`o` and `l`/`I` among digits to `0` and `1`; number words in Finnish
///    (colloquial forms too), Swedish and English to digits, also run together; spelled `@`
///    and dot (`at`, `ät`, `miukumauku`, `snabel-a`, `piste`, `punkt`, `dot`) to `@` and `.`,
///    with the spaces around them dropped (around a typed `@` they stay: `@kalle` after a space
///    is a handle, and the address detectors allow spaces around an `@`).
///
/// `scalars` holds the result; every scalar below 0x80 is what a detector looks for.
struct FoldedText {
    private(set) var scalars: [Unicode.Scalar]

    init(_ text: String) {
        let characterLevel = Self.foldCharacters(Self.visualOrder(text))
        let decoded = Self.percentDecoded(characterLevel)
        scalars = Self.foldWords(decoded)
    }

    var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    // MARK: Characters

    /// Text after a right-to-left override (U+202E), up to its pop (U+202C) or isolate end,
    /// is stored backwards and shown forwards: turned round here to read as it is shown.
    private static func visualOrder(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{202E}") else { return text }
        var result = String.UnicodeScalarView()
        var reversed: [Unicode.Scalar]?
        for scalar in text.unicodeScalars {
            if scalar == "\u{202E}" {
                if let pending = reversed { result.append(contentsOf: pending.reversed()) }
                reversed = []
            } else if scalar == "\u{202C}" || scalar == "\u{2069}", let pending = reversed {
                result.append(contentsOf: pending.reversed())
                reversed = nil
            } else if reversed != nil {
                reversed!.append(scalar)
            } else {
                result.append(scalar)
            }
        }
        if let pending = reversed { result.append(contentsOf: pending.reversed()) }
        return String(result)
    }

    private static func foldCharacters(_ text: String) -> [Unicode.Scalar] {
        // NFKC only where it can change something: plain ASCII text is its own NFKC.
        let composed = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCompatibilityMapping
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(composed.unicodeScalars.count)
        for scalar in composed.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x41...0x5A: result.append(Unicode.Scalar(value + 0x20)!)
                case 0x09, 0x0A, 0x0D: result.append(" ")
                case 0x00..<0x20, 0x7F: continue
                default: result.append(scalar)
                }
                continue
            }
            let properties = scalar.properties
            // Digits and look-alikes first: some are symbols (🄋, 🅰) that would be dropped below.
            if let digit = Self.digitValue(properties) {
                result.append(Unicode.Scalar(UInt8(ascii: "0") + digit))
                continue
            }
            if let mapped = Confusables.latin[value] {
                result.append(mapped)
                continue
            }
            switch properties.generalCategory {
            case .format, .control, .nonspacingMark, .enclosingMark, .privateUse, .unassigned, .surrogate:
                continue
            case .otherSymbol:
                // Emoji and pictographs between the parts of a detail (`050884🎂-7031`,
                // `@kasper🙂:🙂matrix.org`) are not there for the detectors.
                continue
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                result.append(" ")
                continue
            case .dashPunctuation:
                result.append("-")
                continue
            default:
                break
            }
            switch value {
            case 0x2212, 0x2010...0x2015, 0xFE63, 0xFF0D: result.append("-")  // minus sign and dashes
            case 0x3002, 0xFF61, 0x2024, 0xFE52: result.append(".")  // ideographic and one-dot leaders
            case 0xFF20, 0xFE6B: result.append("@")
            case 0x2236, 0xFE55, 0xFF1A, 0xA789, 0x02D0, 0x02F8, 0x0589, 0x05C3, 0xFE13, 0x1361, 0x205A: result.append(":")
            default:
                // Lower case, one scalar where it is one (ä, ö, å); else as it is.
                let lower = properties.lowercaseMapping.unicodeScalars
                if lower.count == 1, let only = lower.first { result.append(only) } else { result.append(scalar) }
            }
        }
        return result
    }

    /// 0–9 for a decimal digit of any script or a digit-like sign (❶, ⓵) NFKC left alone.
    private static func digitValue(_ properties: Unicode.Scalar.Properties) -> UInt8? {
        guard let type = properties.numericType, type == .decimal || type == .digit,
            let value = properties.numericValue, value >= 0, value <= 9, value == value.rounded()
        else { return nil }
        return UInt8(value)
    }

    // MARK: Percent-encoding

    private static func percentDecoded(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        htmlEntitiesDecoded(percentEncodingDecoded(scalars))
    }

    /// `&#64;`, `&#x40;`, `&commat;`, `&period;`, `&colon;`: HTML character references.
    private static func htmlEntitiesDecoded(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains("&") else { return scalars }
        let named: [String: Unicode.Scalar] = [
            "commat": "@", "period": ".", "colon": ":", "amp": "&", "lowbar": "_",
            "num": "#", "sol": "/", "nbsp": " ", "hyphen": "-", "dash": "-",
        ]
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&", let semicolon = scalars[(index + 1)...].prefix(10).firstIndex(of: ";") {
                let body = String(String.UnicodeScalarView(scalars[(index + 1)..<semicolon]))
                var decoded: Unicode.Scalar?
                if body.hasPrefix("#x"), let value = UInt32(body.dropFirst(2), radix: 16) {
                    decoded = Unicode.Scalar(value)
                } else if body.hasPrefix("#"), let value = UInt32(body.dropFirst()) {
                    decoded = Unicode.Scalar(value)
                } else {
                    decoded = named[body]
                }
                if let decoded, decoded.value >= 0x20 {
                    result.append(decoded)
                    index = semicolon + 1
                    continue
                }
            }
            result.append(scalars[index])
            index += 1
        }
        return result
    }

    private static func percentEncodingDecoded(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains("%") else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "%", index + 2 < scalars.count,
                let high = hexValue(scalars[index + 1]), let low = hexValue(scalars[index + 2])
            {
                let byte = high * 16 + low
                if byte >= 0x20, byte < 0x7F {
                    let decoded = Unicode.Scalar(byte)
                    result.append(decoded >= "A" && decoded <= "Z" ? Unicode.Scalar(byte + 0x20) : decoded)
                    index += 3
                    continue
                }
            }
            result.append(scalars[index])
            index += 1
        }
        return result
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: return UInt8(scalar.value - 0x30)
        case 0x61...0x66: return UInt8(scalar.value - 0x61 + 10)
        default: return nil
        }
    }

    // MARK: Words

    /// The word-level steps. A word is a run of letters and digits; everything else is copied.
    private static func foldWords(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let scalars = joinedSpacedLetters(input)
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        /// Where spaces before the next kept character are dropped (after a spelled `@` or dot).
        var glueNext = false
        /// `double`, `tupla`: the next digit word counts this many times.
        var multiplier = 1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar.isWordCharacter else {
                if scalar == " " {
                    if !glueNext, result.last != " " { result.append(" ") }
                    index += 1
                    continue
                }
                glueNext = false
                // `[.]`, `(@)`: a sign in brackets.
                if ["(", "[", "{", "<"].contains(scalar), index + 2 < scalars.count, scalars[index + 1] == "." || scalars[index + 1] == "@",
                    [")", "]", "}", ">"].contains(scalars[index + 2])
                {
                    Self.dropTrailingSpaces(&result)
                    result.append(scalars[index + 1])
                    glueNext = true
                    index += 3
                    continue
                }
                if scalar == ".", index > 0, scalars[index - 1] == " ", index + 1 < scalars.count,
                    scalars[index + 1] == " " || scalars[index + 1].isWordCharacter
                {
                    // `posti . fi`, `outlook .com`: a dot with a space before it and none of a
                    // sentence's after it joins.
                    Self.dropTrailingSpaces(&result)
                    glueNext = true
                }
                result.append(scalar)
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, scalars[end].isWordCharacter { end += 1 }
            var word = Array(scalars[index..<end])
            index = end
            // A spelled sign: `at`, `(at)`, `[dot]`, `kaksoispiste`.
            if let replacement = SpelledSigns.sign(for: word) {
                Self.dropTrailingSpaces(&result)
                Self.dropTrailingBracket(&result)
                result.append(replacement)
                if index < scalars.count, [")", "]", "}", ">"].contains(scalars[index]) { index += 1 }
                index = Self.skipSignSuffix(scalars, from: index, after: word)
                glueNext = true
                continue
            }
            glueNext = false
            if let times = NumberWords.multiplier(word) {
                multiplier = times
                continue
            }
            Self.mapDigitLookalikes(&word)
            if let digit = NumberWords.partitiveDigit(word) {
                // `kolme nollaa`, `kolme seiskaa`: that many of the digit.
                var count = 1
                if let times = Self.trailingSingleDigit(result) {
                    count = times
                    if result.last == " " { result.removeLast() }
                    result.removeLast()
                }
                result.append(contentsOf: repeatElement(digit, count: count))
                multiplier = 1
                continue
            }
            if let digits = NumberWords.digits(for: word) {
                for _ in 0..<multiplier { result.append(contentsOf: digits) }
                multiplier = 1
                continue
            }
            multiplier = 1
            result.append(contentsOf: word)
        }
        return zeroesForLetterO(result)
    }

    /// `j o n n a`: four or more single letters or digits with one space between each are one word.
    private static func joinedSpacedLetters(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        func isSingle(_ position: Int) -> Bool {
            scalars[position].isWordCharacter && (position == 0 || !scalars[position - 1].isWordCharacter)
                && (position + 1 == scalars.count || !scalars[position + 1].isWordCharacter)
        }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            guard isSingle(index) else {
                result.append(scalars[index])
                index += 1
                continue
            }
            var last = index
            var count = 1
            while last + 2 < scalars.count, scalars[last + 1] == " ", isSingle(last + 2) {
                last += 2
                count += 1
            }
            if count >= 4 {
                for position in stride(from: index, through: last, by: 2) { result.append(scalars[position]) }
            } else {
                result.append(contentsOf: scalars[index...last])
            }
            index = last + 1
        }
        return result
    }

    /// `O5O OOO O2O2`: a word of the letter o only, next to a number, is zeros.
    private static func zeroesForLetterO(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result = scalars
        var index = 0
        while index < result.count {
            guard result[index] == "o", index == 0 || !result[index - 1].isWordCharacter else {
                index += 1
                continue
            }
            var end = index
            while end < result.count, result[end] == "o" { end += 1 }
            let isWord = end == result.count || !result[end].isWordCharacter
            let digitBefore = index >= 2 && result[index - 2].isASCIIDigit && !result[index - 1].isWordCharacter
            let digitAfter = end + 1 < result.count && !result[end].isWordCharacter && result[end + 1].isASCIIDigit
            if isWord, end - index >= 2, digitBefore || digitAfter {
                for position in index..<end { result[position] = "0" }
            }
            index = end
        }
        return result
    }

    /// `snabel-a`, `ät-merkki`, `at merkki`: the word that may follow a spelled sign.
    private static func skipSignSuffix(_ scalars: [Unicode.Scalar], from start: Int, after sign: [Unicode.Scalar]) -> Int {
        var index = start
        while index < scalars.count, scalars[index] == " " || scalars[index] == "-" { index += 1 }
        var end = index
        while end < scalars.count, scalars[end].isWordCharacter { end += 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[index..<end])
        let suffix = String(view)
        let allowed = sign == Array("snabel".unicodeScalars) ? ["a"] : ["merkki", "merkkiä", "tecken", "sign", "symbol"]
        return index > start && allowed.contains(suffix) ? end : start
    }

    private static func dropTrailingSpaces(_ result: inout [Unicode.Scalar]) {
        while result.last == " " { result.removeLast() }
    }

    private static func dropTrailingBracket(_ result: inout [Unicode.Scalar]) {
        if let last = result.last, ["(", "[", "{", "<"].contains(last) {
            result.removeLast()
            dropTrailingSpaces(&result)
        }
    }

    /// A lone digit 1–9 just written (by a word or by hand), for `kolme nollaa`.
    private static func trailingSingleDigit(_ result: [Unicode.Scalar]) -> Int? {
        var end = result.count
        if end > 0, result[end - 1] == " " { end -= 1 }
        guard end > 0, let digit = result[end - 1].asciiDigit, digit > 0,
            end == 1 || !result[end - 2].isWordCharacter
        else { return nil }
        return Int(digit)
    }

    /// In a word of digits and the letters o, l and i only, with a digit in it, the letters
    /// are digits written by hand: `O4O`, `l23`, `45o7`.
    private static func mapDigitLookalikes(_ word: inout [Unicode.Scalar]) {
        var digits = 0
        var lookalikes = 0
        for scalar in word {
            if scalar.asciiDigit != nil {
                digits += 1
            } else if scalar == "o" || scalar == "l" || scalar == "i" {
                lookalikes += 1
            } else {
                return
            }
        }
        guard lookalikes > 0, digits >= 1, word.count >= 2 else { return }
        for position in word.indices where word[position].asciiDigit == nil {
            word[position] = word[position] == "o" ? "0" : "1"
        }
    }
}

extension Unicode.Scalar {
    /// A letter or digit of a word (`_` joins too, as in user names).
    var isWordCharacter: Bool {
        let value = self.value
        if value < 0x80 {
            return (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) || value == 0x5F
        }
        return properties.isAlphabetic
    }

    var asciiDigit: UInt8? {
        (0x30...0x39).contains(value) ? UInt8(value - 0x30) : nil
    }

    var isASCIILetter: Bool { (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) }
}
