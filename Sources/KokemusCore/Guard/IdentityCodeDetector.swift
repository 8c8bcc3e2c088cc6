/// Finds Finnish personal identity codes (henkilötunnus, `DDMMYY` + century sign + `ZZZ` +
/// check character) in folded text, in every form people write them: with spaces or dots
/// between the digits (`13 10 52 - 308 T`, `17.02.88-4560`), any dash (folding made every dash
/// `-`), lower case, glued to a word (`hetu131052-308t`) or followed by a case ending
/// (`131052-308t:n`), with the 2023 century letters, and with a wrong or missing check
/// character: a mistyped code is still someone's. Without its century sign (`131052308T`) a
/// code is taken when a letter ends it or a digit check character is right.
enum IdentityCodeDetector {
    /// `+` 1800s; `-` and `y x w v u` 1900s; `a`–`f` 2000s (folded text is lower case).
    /// A slash or an underscore where the sign goes (`010370/4975`) is a sign mistyped.
    private static let centurySigns: Set<Unicode.Scalar> = [
        "+", "-", "a", "b", "c", "d", "e", "f", "u", "v", "w", "x", "y",
        "/", "_",
    ]
    private static let checkCharacters = Array("0123456789abcdefhjklmnprstuvwxy".unicodeScalars)

    static func contains(in folded: [Unicode.Scalar]) -> Bool {
        // Compacting joins a number written before the code to it (`huone 12 131052-308t`), so
        // the text is read both ways.
        containsCode(compacted(folded)) || containsCode(folded) || containsDateAndTail(folded)
    }

    private static func containsCode(_ text: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index + 9 <= text.count {
            // Six digits that start a run of digits.
            guard text[index].isASCIIDigit, index == 0 || !text[index - 1].isASCIIDigit else {
                index += 1
                continue
            }
            var end = index
            while end < text.count, text[end].isASCIIDigit { end += 1 }
            if end - index == 6, isDate(text, at: index), hasRest(text, from: end) { return true }
            if end - index == 9 || end - index == 10, isDate(text, at: index), isCodeWithoutSign(text, from: index, end: end) {
                return true
            }
            index = end
        }
        return false
    }

    /// A birth date and, apart from it, the code's end (`syntynyt 23.7.1983, loppuosa -863R`,
    /// `syntymäaika 101268` … `-4484`): a sign, three digits and a check character standing
    /// alone, with a date of six digits or with dots elsewhere in the text.
    private static func containsDateAndTail(_ text: [Unicode.Scalar]) -> Bool {
        var hasTail = false
        var index = 0
        while index + 5 <= text.count {
            if text[index] == "-" || text[index] == "+", index == 0 || !text[index - 1].isWordCharacter,
                text[(index + 1)..<(index + 4)].allSatisfy(\.isASCIIDigit), checkCharacters.contains(text[index + 4]),
                index + 5 == text.count || !text[index + 5].isWordCharacter
            {
                hasTail = true
                break
            }
            index += 1
        }
        guard hasTail else { return false }
        // A date: six digits as DDMMYY, or day.month.year.
        let words = Words(text).items
        return words.contains { word in
            let scalars = Array(word.text.unicodeScalars)
            if scalars.count == 6, scalars.allSatisfy(\.isASCIIDigit) { return isDate(scalars, at: 0) }
            let parts = word.text.split(separator: ".")
            guard parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return false }
            return (1...31).contains(day) && (1...12).contains(month) && ((0...99).contains(year) || (1850...2099).contains(year))
        }
    }

    /// The text with spaces and dots between digits taken out, and spaces around a dash
    /// between digits: `13 10 52 - 308` → `131052-308`, `17.02.88` → `170288`.
    private static func compacted(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        for (index, scalar) in text.enumerated() {
            if scalar == " " || scalar == "." {
                let before = result.last
                var next = index + 1
                while next < text.count, text[next] == " " { next += 1 }
                let after = next < text.count ? text[next] : nil
                let beforeJoins = before?.isASCIIDigit == true || (scalar == " " && (before == "-" || before == "+"))
                let afterJoins = after?.isASCIIDigit == true || (scalar == " " && (after == "-" || after == "+"))
                if beforeJoins && afterJoins && (before?.isASCIIDigit == true || after?.isASCIIDigit == true) { continue }
            }
            result.append(scalar)
        }
        return result
    }

    /// Day 01–31 and month 01–12 in `DDMM`.
    private static func isDate(_ text: [Unicode.Scalar], at index: Int) -> Bool {
        let day = Int(text[index].asciiDigit!) * 10 + Int(text[index + 1].asciiDigit!)
        let month = Int(text[index + 2].asciiDigit!) * 10 + Int(text[index + 3].asciiDigit!)
        return (1...31).contains(day) && (1...12).contains(month)
    }

    /// After the date: a century sign, three digits, and a check character if any (a lone
    /// letter after a space counts), then nothing that makes it a longer number.
    private static func hasRest(_ text: [Unicode.Scalar], from start: Int) -> Bool {
        var index = start
        guard index < text.count, centurySigns.contains(text[index]) else { return false }
        index += 1
        guard index + 3 <= text.count, text[index..<index + 3].allSatisfy(\.isASCIIDigit) else { return false }
        index += 3
        if index < text.count, text[index].isASCIIDigit { index += 1 }
        return index >= text.count || !text[index].isASCIIDigit
    }

    /// `131052308t` (nine digits and a letter) or `1905940206` (ten digits, the last a right
    /// check character).
    private static func isCodeWithoutSign(_ text: [Unicode.Scalar], from start: Int, end: Int) -> Bool {
        var number = 0
        for scalar in text[start..<start + 9] { number = number * 10 + Int(scalar.asciiDigit!) }
        let check = checkCharacters[number % 31]
        if end - start == 10 { return text[start + 9] == check }
        guard end < text.count, text[end].isASCIILetter else { return false }
        // The letter stands alone or starts a case ending (`t:n`), not a word (`131052308 tuntia`).
        let afterLetter = end + 1
        return text[end] == check || afterLetter >= text.count || !text[afterLetter].isASCIILetter
    }
}
