import Foundation

/// Why an answer was not accepted: a message key and the values its text mentions.
public struct AnswerProblem: Error, Sendable, Hashable {
    public var key: MessageKey
    public var values: [String: String]

    public init(_ key: MessageKey, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }
}

/// Checks a person's reply against what a question expects and turns it into a slot value.
public struct AnswerParser: Sendable {
    public var vocabulary: Vocabulary
    public var time: LocalTime

    public init(vocabulary: Vocabulary, time: LocalTime = .helsinki) {
        self.vocabulary = vocabulary
        self.time = time
    }

    /// Parses `answer` for `spec`. `choices` are the resolved options of a choice question
    /// (written in the flow or taken from the registry); `now` dates "tomorrow" and "not past".
    public func parse(_ answer: String, as spec: AnswerSpec, choices: [Choice] = [], now: Date)
        -> Result<SlotValue, AnswerProblem>
    {
        let text = answer.trimmed
        switch spec {
        case .text(let minLength, let maxLength, _):
            // Contact details and identity codes are the guard's (`TextGuard`), which every
            // free-text answer passes before it is parsed.
            if text.count < minLength { return .failure(AnswerProblem(.textTooShort, ["min": String(minLength)])) }
            if text.count > maxLength {
                return .failure(AnswerProblem(.textTooLong, ["max": String(maxLength), "length": String(text.count)]))
            }
            return .success(.text(text))

        case .integer(let min, let max):
            guard let number = Int(text.replacingOccurrences(of: " ", with: "")) else {
                return .failure(AnswerProblem(.invalidNumber))
            }
            // A flow without bounds still gets some: every number a person types has them.
            if let min, number < min { return .failure(rangeProblem(min: min, max: max)) }
            if let max, number > max { return .failure(rangeProblem(min: min, max: max)) }
            let low = min ?? -Self.integerLimit
            let high = max ?? Self.integerLimit
            guard (low...high).contains(number) else { return .failure(rangeProblem(min: low, max: high)) }
            return .success(.integer(number))

        case .money(let minCents, let maxCents):
            guard let amount = Money(parsing: text) else { return .failure(AnswerProblem(.invalidMoney)) }
            guard (minCents...maxCents).contains(amount.cents) else {
                return .failure(AnswerProblem(.moneyRange, ["min": String(minCents / 100), "max": String(maxCents / 100)]))
            }
            return .success(.money(cents: amount.cents))

        case .date(let notPast):
            let today = LocalDateParsing.today(now, time: time)
            let tokens = LocalDateParsing.significantTokens(text, vocabulary: vocabulary)
            guard tokens.count == 1,
                let day = LocalDateParsing.day(tokens[0], today: today, vocabulary: vocabulary, time: time)
            else {
                return .failure(AnswerProblem(.invalidDate))
            }
            if notPast && day < today { return .failure(AnswerProblem(.datePast)) }
            guard isNear(day, today) else { return .failure(AnswerProblem(.dateRange, ["years": String(Self.yearsAround)])) }
            return .success(.date(day))

        case .time:
            let tokens = LocalDateParsing.significantTokens(text, vocabulary: vocabulary)
            guard tokens.count == 1, let clock = LocalDateParsing.clock(tokens[0]) else {
                return .failure(AnswerProblem(.invalidTime))
            }
            return .success(.time(hour: clock.hour, minute: clock.minute))

        case .dateTime(let notPast):
            return parseDateTime(text, notPast: notPast, now: now)

        case .duration(let minMinutes, let maxMinutes):
            guard let minutes = LocalDateParsing.durationMinutes(text, vocabulary: vocabulary) else {
                return .failure(AnswerProblem(.invalidDuration))
            }
            guard (minMinutes...maxMinutes).contains(minutes) else {
                return .failure(AnswerProblem(.durationRange, ["min": String(minMinutes), "max": String(maxMinutes)]))
            }
            return .success(.duration(minutes: minutes))

        case .yesNo:
            let word = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".!"))
            if vocabulary.yes.contains(word) { return .success(.bool(true)) }
            if vocabulary.no.contains(word) { return .success(.bool(false)) }
            return .failure(AnswerProblem(.invalidYesNo))

        case .choice, .choiceFrom:
            guard let choice = match(text, in: choices) else {
                return .failure(AnswerProblem(.invalidChoice, ["count": String(choices.count)]))
            }
            return .success(.choice(choice.value))

        case .choices(_, let minCount, let maxCount):
            let parts = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(String.init)
            var picked: [Choice] = []
            for part in parts {
                guard let choice = match(part, in: choices) else {
                    return .failure(AnswerProblem(.invalidChoices, ["count": String(choices.count)]))
                }
                if !picked.contains(choice) { picked.append(choice) }
            }
            guard (minCount...maxCount).contains(picked.count) else {
                return .failure(AnswerProblem(.choicesCount, ["min": String(minCount), "max": String(maxCount)]))
            }
            let ordered = choices.filter(picked.contains).map(\.value)
            return .success(.choices(ordered))
        }
    }

    /// Integers a flow leaves unbounded are still within ± a billion.
    static let integerLimit = 1_000_000_000
    /// Dates people give are within this many years of today.
    static let yearsAround = 2

    private func isNear(_ day: LocalDay, _ today: LocalDay) -> Bool {
        let earliest = LocalDay(year: today.year - Self.yearsAround, month: today.month, day: today.day)
        let latest = LocalDay(year: today.year + Self.yearsAround, month: today.month, day: today.day)
        return earliest <= day && day <= latest
    }

    private func rangeProblem(min: Int?, max: Int?) -> AnswerProblem {
        switch (min, max) {
        case (let min?, let max?): return AnswerProblem(.numberRange, ["min": String(min), "max": String(max)])
        case (let min?, nil): return AnswerProblem(.numberMin, ["min": String(min)])
        case (nil, let max?): return AnswerProblem(.numberMax, ["max": String(max)])
        default: return AnswerProblem(.invalidNumber)
        }
    }

    private func parseDateTime(_ text: String, notPast: Bool, now: Date) -> Result<SlotValue, AnswerProblem> {
        let today = LocalDateParsing.today(now, time: time)
        let tokens = LocalDateParsing.significantTokens(text, vocabulary: vocabulary)
        guard let first = tokens.first,
            let day = LocalDateParsing.day(first, today: today, vocabulary: vocabulary, time: time)
        else {
            return .failure(AnswerProblem(.invalidDateTime))
        }
        guard tokens.count == 2 else {
            return .failure(AnswerProblem(tokens.count == 1 ? .dateTimeNeedsTime : .invalidDateTime))
        }
        guard let clock = LocalDateParsing.clock(tokens[1]),
            let date = time.date(year: day.year, month: day.month, day: day.day, hour: clock.hour, minute: clock.minute)
        else { return .failure(AnswerProblem(.invalidDateTime)) }
        if notPast && date < now { return .failure(AnswerProblem(.datePast)) }
        guard isNear(day, today) else { return .failure(AnswerProblem(.dateRange, ["years": String(Self.yearsAround)])) }
        return .success(.dateTime(date))
    }

    /// A choice by its number (`2`, `2.`), its value or its label in any language, or an
    /// unambiguous start of a label of three letters or more.
    private func match(_ answer: String, in choices: [Choice]) -> Choice? {
        let text = answer.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: ".)")))
            .lowercased()
        if let number = Int(text) {
            return (1...max(choices.count, 1)).contains(number) && !choices.isEmpty ? choices[number - 1] : nil
        }
        if let exact = choices.first(where: { choice in
            choice.value.lowercased() == text || choice.label.texts.values.contains { $0.lowercased() == text }
        }) {
            return exact
        }
        guard text.count >= 3 else { return nil }
        let prefixed = choices.filter { choice in choice.label.texts.values.contains { $0.lowercased().hasPrefix(text) } }
        return prefixed.count == 1 ? prefixed[0] : nil
    }
}
