/// Finds phone numbers in folded text: 7 or more digits in groups joined by up to three
/// characters that are neither letters nor digits (`040 123 4567`, `040.123.4567`,
/// `040~123~4567`, `(09) 123 456`, `+358-40-123`) or by a lone `x` (`040x123x4567`), with any
/// prefix. Before counting, what people write with digits every day is taken out of a run:
/// dates (`8.12.`, `8.12.2026`, `2026-12-08`), times (`14.30`, `9:05`), year ranges
/// (`2025–2026`) and order ids (`T-2026-0042`), unless a dot joins them to more digits
/// (`0.4.5.1.2.7`). A run ends at a letter or a currency sign, so sums (`25,50 € + 12 €`) are
/// not joined.
enum PhoneNumberDetector {
    static let minimumDigits = 7

    /// A group of digits and what stands before the next group.
    private struct Group {
        var start: Int
        var end: Int  // exclusive
        var joiner: [Unicode.Scalar]
        var length: Int { end - start }
    }

    static func contains(in text: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index < text.count {
            guard text[index].isASCIIDigit else {
                index += 1
                continue
            }
            let (groups, next) = run(in: text, from: index)
            if unexplainedDigits(groups, in: text) >= minimumDigits { return true }
            index = max(next, index + 1)
        }
        return false
    }

    /// The groups of the run of digits starting at `start`, and the position after it.
    private static func run(in text: [Unicode.Scalar], from start: Int) -> ([Group], Int) {
        var groups: [Group] = []
        var index = start
        while true {
            let groupStart = index
            while index < text.count, text[index].isASCIIDigit { index += 1 }
            groups.append(Group(start: groupStart, end: index, joiner: []))
            // The joiner: up to three separators, one of which may be a lone x (`050 x 362`).
            var cursor = index
            var sawX = false
            while cursor < text.count, cursor - index < 8 {
                if isSeparator(text[cursor]) {
                    cursor += 1
                } else if text[cursor] == "x", !sawX, cursor + 1 < text.count,
                    !text[cursor + 1].isWordCharacter || text[cursor + 1].isASCIIDigit
                {
                    sawX = true
                    cursor += 1
                } else {
                    break
                }
            }
            guard cursor > index, cursor < text.count, text[cursor].isASCIIDigit else { return (groups, index) }
            groups[groups.count - 1].joiner = Array(text[index..<cursor])
            index = cursor
        }
    }

    /// Anything but a letter, a digit, a currency sign or `%` may stand between groups
    /// (`040•718•2934`, `046 📞 231`).
    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        if scalar.isWordCharacter || scalar == "%" || scalar == "@" { return false }
        return scalar.value < 0x80 || scalar.properties.generalCategory != .currencySymbol
    }

    /// Digits in the run that are not part of a date, a time, a year range or an order id.
    private static func unexplainedDigits(_ groups: [Group], in text: [Unicode.Scalar]) -> Int {
        let total = groups.reduce(0) { $0 + $1.length }
        guard total >= minimumDigits else { return total }
        // An order id: `t-2026-0042`, a letter and a dash straight before the year.
        var first = 0
        if groups.count >= 2, groups[0].length == 4, groups[0].joiner == ["-"], groups[0].start >= 2,
            text[groups[0].start - 1] == "-", text[groups[0].start - 2].isASCIILetter,
            (2000...2100).contains(number(groups[0], in: text)), groups[1].length <= 6
        {
            first = 2
        }
        // A list of numbers in a row (`0042, 0043 ja 0044`, `klo 9, 10, 11, 12`): each more than
        // the last; or of years (`1998, 2003, 2007`).
        let listed = groups[first...]
        if listed.count >= 2, listed.dropLast().allSatisfy({ $0.joiner.first == "," }) {
            let values = listed.map { number($0, in: text) }
            let ascending = zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
            let consecutive =
                zip(listed, listed.dropFirst()).allSatisfy { $0.length == $1.length }
                && zip(values, values.dropFirst()).allSatisfy { $1 == $0 &+ 1 }
            let years = values.allSatisfy { (1900...2100).contains($0) }
            if (ascending && listed.allSatisfy({ $0.length <= 2 })) || consecutive || years { return 0 }
        }
        var count = 0
        var index = first
        var previousExplained = true
        while index < groups.count {
            // A date, time or year range counts as one only at the run's start, after another
            // (`8.12. 9.12.`, `14.30-16.00`) or after a comma (`huone 214, 14.30`); inside a
            // number it is part of it (`050 12:34 567`).
            // One that a dot or colon joins to more digits is no date either (`0.4.5.1.2`).
            let afterComma = index > 0 && groups[index - 1].joiner.contains { $0 == "," || $0 == ";" }
            if previousExplained || afterComma, let explained = explainedLength(groups, from: index, in: text),
                index + explained == groups.count
                    || !(groups[index + explained - 1].joiner == ["."]
                        || groups[index + explained - 1].joiner == [":"])
            {
                index += explained
                continue
            }
            previousExplained = false
            count += groups[index].length
            index += 1
        }
        return count
    }

    private static func number(_ group: Group, in text: [Unicode.Scalar]) -> Int {
        guard group.length <= 9 else { return -1 }
        return text[group.start..<group.end].reduce(0) { $0 * 10 + Int($1.asciiDigit!) }
    }

    /// How many groups from `index` form a date, a time or a year range, if they do.
    private static func explainedLength(_ groups: [Group], from index: Int, in text: [Unicode.Scalar]) -> Int? {
        func value(_ position: Int) -> Int? {
            guard position < groups.count, groups[position].length <= 4 else { return nil }
            var number = 0
            for scalar in text[groups[position].start..<groups[position].end] { number = number * 10 + Int(scalar.asciiDigit!) }
            return number
        }
        func length(_ position: Int) -> Int { position < groups.count ? groups[position].length : 0 }
        let group = groups[index]
        // Day and month: `8.12`, `8.12.2026`, `8.12.26`.
        if group.joiner == ["."], length(index) <= 2, let day = value(index), (1...31).contains(day),
            length(index + 1) <= 2, let month = value(index + 1), (1...12).contains(month)
        {
            if groups[index + 1].joiner == ["."], length(index + 2) == 4 || length(index + 2) == 2 {
                return 3
            }
            return 2
        }
        // ISO date `2026-12-08`.
        if group.joiner == ["-"], length(index) == 4, let year = value(index), (1900...2100).contains(year),
            length(index + 1) == 2, groups[index + 1].joiner == ["-"], length(index + 2) == 2
        {
            return 3
        }
        // Time `14.30`, `9:05`.
        if group.joiner == ["."] || group.joiner == [":"], length(index) <= 2, let hour = value(index), hour <= 24,
            length(index + 1) == 2, let minute = value(index + 1), minute <= 59
        {
            return 2
        }
        // A statute's number and year: `1116/1990`.
        if group.joiner == ["/"], length(index) <= 4, length(index + 1) == 4, let year = value(index + 1),
            (1900...2100).contains(year)
        {
            return 2
        }
        // Year range `2025–2026`, `2025/26`.
        if length(index) == 4, let year = value(index), (1900...2100).contains(year),
            group.joiner == ["-"] || group.joiner == ["/"] || group.joiner == [" ", "-", " "],
            length(index + 1) == 4 || length(index + 1) == 2
        {
            return 2
        }
        return nil
    }
}
