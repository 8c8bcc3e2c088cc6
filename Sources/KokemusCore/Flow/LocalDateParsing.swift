import Foundation

/// Reads the ways Finns and Swedes write dates and times: `8.12.`, `8.12.2026`,
/// `ti 8.12. klo 14`, `8.12.2026 kl. 14.30`, `huomenna 9`, `2026-12-08T14:30`.
enum LocalDateParsing {
    enum DayResult {
        case day(LocalDay)
        case invalid
    }

    /// `2026-12-08`.
    static func isoDay(_ text: String) -> LocalDay? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            LocalTime.helsinki.date(year: year, month: month, day: day) != nil
        else { return nil }
        return LocalDay(year: year, month: month, day: day)
    }

    /// Splits an answer into words, dropping punctuation people add (`klo.`, trailing commas)
    /// and splitting an ISO `2026-12-08T14:30` at its `T`.
    static func tokens(_ text: String) -> [String] {
        var lowered = text.lowercased().replacingOccurrences(of: ",", with: " ")
        if let range = lowered.range(of: "t"), lowered[..<range.lowerBound].count == 10,
            isoDay(String(lowered[..<range.lowerBound])) != nil
        {
            lowered.replaceSubrange(range, with: " ")
        }
        return lowered.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// One day token: `8.12.`, `8.12`, `8.12.2026`, `8.12.26`, `2026-12-08`, or a relative word.
    /// A day without a year is the next such day from `today`.
    static func day(_ token: String, today: LocalDay, vocabulary: Vocabulary, time: LocalTime) -> LocalDay? {
        if vocabulary.today.contains(token) { return today }
        if vocabulary.tomorrow.contains(token) { return offset(today, days: 1, time: time) }
        if vocabulary.dayAfterTomorrow.contains(token) { return offset(today, days: 2, time: time) }
        if let iso = isoDay(token) { return iso }
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) }),
            parts[0].count <= 2, parts[1].count <= 2,
            let dayNumber = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        if parts.count == 3 {
            guard parts[2].count == 4 || parts[2].count == 2, var year = Int(parts[2]) else { return nil }
            if parts[2].count == 2 { year += 2000 }
            guard time.date(year: year, month: month, day: dayNumber) != nil else { return nil }
            return LocalDay(year: year, month: month, day: dayNumber)
        }
        for year in [today.year, today.year + 1] {
            guard time.date(year: year, month: month, day: dayNumber) != nil else { continue }
            let candidate = LocalDay(year: year, month: month, day: dayNumber)
            if candidate >= today { return candidate }
        }
        return nil
    }

    /// A time of day: `14`, `14.30`, `14:30`, `9.05`.
    static func clock(_ token: String) -> (hour: Int, minute: Int)? {
        var text = token
        if text.hasSuffix(".") { text.removeLast() }
        let parts = text.split(separator: text.contains(":") ? ":" : ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCIIDigitCharacter) }),
            let hour = Int(parts[0]), (0...23).contains(hour)
        else { return nil }
        var minute = 0
        if parts.count == 2 {
            guard parts[1].count == 2, let value = Int(parts[1]), (0...59).contains(value) else { return nil }
            minute = value
        }
        return (hour, minute)
    }

    /// Removes a leading weekday (`ti`, `tisdag`, `tue`: any word of letters that is not a
    /// relative day) and clock words (`klo`, `kl.`), which carry no information here.
    static func significantTokens(_ text: String, vocabulary: Vocabulary) -> [String] {
        var tokens = tokens(text).filter { !vocabulary.clockWords.contains($0.trimmingCharacters(in: CharacterSet(charactersIn: "."))) }
        let relative = vocabulary.today.union(vocabulary.tomorrow).union(vocabulary.dayAfterTomorrow)
        if tokens.count > 1, let first = tokens.first, first.allSatisfy({ $0.isLetter || $0 == "." }),
            !relative.contains(first)
        {
            tokens.removeFirst()
        }
        return tokens
    }

    static func today(_ now: Date, time: LocalTime) -> LocalDay {
        let parts = time.components(now)
        return LocalDay(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    static func offset(_ day: LocalDay, days: Int, time: LocalTime) -> LocalDay? {
        guard let date = time.date(year: day.year, month: day.month, day: day.day, hour: 12),
            let moved = time.calendar.date(byAdding: .day, value: days, to: date)
        else { return nil }
        return today(moved, time: time)
    }

    /// Longer than any duration a person means (a year); what the flow allows is checked after.
    static let maximumHours = 24 * 366

    /// Minutes from `1,5 h`, `90 min`, `1 h 30 min`, `1:30`, `2 tuntia`, `1h30`. A bare
    /// number up to 12 (or with decimals) means hours, a larger one minutes.
    static func durationMinutes(_ text: String, vocabulary: Vocabulary) -> Int? {
        let lowered = text.lowercased().replacingOccurrences(of: ",", with: ".").trimmingCharacters(in: .whitespaces)
        if let colon = lowered.firstIndex(of: ":") {
            // Bounded before multiplying: `153722867280912931:00` is no duration, and must not trap.
            guard let hours = Int(lowered[..<colon]), (0...maximumHours).contains(hours),
                let minutes = Int(lowered[lowered.index(after: colon)...]), (0...59).contains(minutes)
            else { return nil }
            return hours * 60 + minutes
        }
        // Lex into numbers and words: "1h30min" → 1, h, 30, min.
        var lexemes: [String] = []
        var current = ""
        var currentIsNumber = false
        for character in lowered {
            let isNumber = character.isASCIIDigitCharacter || character == "."
            if character == " " {
                if !current.isEmpty { lexemes.append(current) }
                current = ""
                continue
            }
            if !current.isEmpty && isNumber != currentIsNumber {
                lexemes.append(current)
                current = ""
            }
            current.append(character)
            currentIsNumber = isNumber
        }
        if !current.isEmpty { lexemes.append(current) }

        var total = 0.0
        var pending: Double?
        var sawHours = false
        var sawAny = false
        for lexeme in lexemes {
            if let number = Double(lexeme), lexeme.first != "." {
                if pending != nil { return nil }
                pending = number
            } else if vocabulary.hourUnits.contains(lexeme) {
                guard let number = pending else { return nil }
                total += number * 60
                pending = nil
                sawHours = true
                sawAny = true
            } else if vocabulary.minuteUnits.contains(lexeme) {
                guard let number = pending else { return nil }
                total += number
                pending = nil
                sawAny = true
            } else {
                return nil
            }
        }
        if let number = pending {
            if sawHours {
                total += number  // "1h30": the rest are minutes
            } else if sawAny {
                return nil
            } else {
                total += (number <= 12 || number != number.rounded()) ? number * 60 : number
            }
        }
        // Bounded before converting: Int(Double) traps on values it cannot hold.
        guard total > 0, total < 1_000_000_000 else { return nil }
        return Int(total.rounded())
    }
}
