import Foundation
import Testing

@testable import KokemusCore

@Suite struct AnswerParserTests {
    let parser = AnswerParser(vocabulary: catalog.vocabulary)
    /// Tuesday 1 December 2026, 9.00 in Helsinki.
    let now = local(2026, 12, 1, 9, 0)

    func parse(_ text: String, _ spec: AnswerSpec, choices: [Choice] = []) -> Result<SlotValue, AnswerProblem> {
        parser.parse(text, as: spec, choices: choices, now: now)
    }

    func value(_ text: String, _ spec: AnswerSpec, choices: [Choice] = []) -> SlotValue? {
        try? parse(text, spec, choices: choices).get()
    }

    func problem(_ text: String, _ spec: AnswerSpec, choices: [Choice] = []) -> MessageKey? {
        if case .failure(let problem) = parse(text, spec, choices: choices) { return problem.key }
        return nil
    }

    @Test func textLengthLimits() {
        let spec = AnswerSpec.text(minLength: 3, maxLength: 10, rejectIdentityCode: false)
        #expect(value("  abc  ", spec) == .text("abc"))
        #expect(problem("ab", spec) == .textTooShort)
        #expect(problem("abcdefghijk", spec) == .textTooLong)
    }

    @Test func integerBounds() {
        let spec = AnswerSpec.integer(min: 1, max: 52)
        #expect(value("6", spec) == .integer(6))
        #expect(value(" 12 ", spec) == .integer(12))
        #expect(problem("0", spec) == .numberRange)
        #expect(problem("53", spec) == .numberRange)
        #expect(problem("kuusi", spec) == .invalidNumber)
        #expect(problem("5", .integer(min: 6, max: nil)) == .numberMin)
        #expect(problem("7", .integer(min: nil, max: 6)) == .numberMax)
    }

    @Test(arguments: [
        ("8.12.", LocalDay(year: 2026, month: 12, day: 8)),
        ("8.12", LocalDay(year: 2026, month: 12, day: 8)),
        ("08.12.2026", LocalDay(year: 2026, month: 12, day: 8)),
        ("8.12.26", LocalDay(year: 2026, month: 12, day: 8)),
        ("2026-12-08", LocalDay(year: 2026, month: 12, day: 8)),
        ("ti 8.12.", LocalDay(year: 2026, month: 12, day: 8)),
        ("tisdag 8.12.", LocalDay(year: 2026, month: 12, day: 8)),
        ("huomenna", LocalDay(year: 2026, month: 12, day: 2)),
        ("imorgon", LocalDay(year: 2026, month: 12, day: 2)),
        ("ylihuomenna", LocalDay(year: 2026, month: 12, day: 3)),
        // A day without a year that has passed this year is next year's.
        ("5.1.", LocalDay(year: 2027, month: 1, day: 5)),
        ("1.12.", LocalDay(year: 2026, month: 12, day: 1)),
    ])
    func finnishDateForms(text: String, expected: LocalDay) {
        #expect(value(text, .date(notPast: true)) == .date(expected))
    }

    @Test func invalidDates() {
        #expect(problem("31.2.", .date(notPast: false)) == .invalidDate)
        #expect(problem("32.1.2027", .date(notPast: false)) == .invalidDate)
        #expect(problem("8.13.", .date(notPast: false)) == .invalidDate)
        #expect(problem("joskus", .date(notPast: false)) == .invalidDate)
        #expect(problem("30.11.2026", .date(notPast: true)) == .datePast)
        #expect(value("30.11.2026", .date(notPast: false)) == .date(LocalDay(year: 2026, month: 11, day: 30)))
    }

    @Test func times() {
        #expect(value("14", .time) == .time(hour: 14, minute: 0))
        #expect(value("14.30", .time) == .time(hour: 14, minute: 30))
        #expect(value("9:05", .time) == .time(hour: 9, minute: 5))
        #expect(value("klo 14", .time) == .time(hour: 14, minute: 0))
        #expect(value("kl. 8.15", .time) == .time(hour: 8, minute: 15))
        #expect(problem("24", .time) == .invalidTime)
        #expect(problem("14.5", .time) == .invalidTime)
        #expect(problem("14.60", .time) == .invalidTime)
    }

    @Test(arguments: [
        ("8.12.2026 klo 14", (2026, 12, 8, 14, 0)),
        ("8.12. klo 14", (2026, 12, 8, 14, 0)),
        ("ti 8.12. klo 14.30", (2026, 12, 8, 14, 30)),
        ("8.12. kl. 9", (2026, 12, 8, 9, 0)),
        ("8.12. kello 9.15", (2026, 12, 8, 9, 15)),
        ("8.12.2026, 14:30", (2026, 12, 8, 14, 30)),
        ("2026-12-08T14:30", (2026, 12, 8, 14, 30)),
        ("2026-12-08 14:30", (2026, 12, 8, 14, 30)),
        ("huomenna klo 10", (2026, 12, 2, 10, 0)),
        ("tomorrow at 10", (2026, 12, 2, 10, 0)),
        ("8.12. 14", (2026, 12, 8, 14, 0)),
    ])
    func dateTimeForms(text: String, expected: (Int, Int, Int, Int, Int)) {
        let (year, month, day, hour, minute) = expected
        #expect(value(text, .dateTime(notPast: true)) == .dateTime(local(year, month, day, hour, minute)))
    }

    @Test func dateTimeProblems() {
        #expect(problem("8.12.", .dateTime(notPast: true)) == .dateTimeNeedsTime)
        #expect(problem("8.12. klo 25", .dateTime(notPast: true)) == .invalidDateTime)
        #expect(problem("ensi viikolla", .dateTime(notPast: true)) == .invalidDateTime)
        // Earlier today is past; the exact minute of now is not.
        #expect(problem("1.12. klo 8", .dateTime(notPast: true)) == .datePast)
        #expect(value("1.12. klo 9", .dateTime(notPast: true)) == .dateTime(now))
    }

    @Test func dateTimeIsHelsinkiTime() {
        // 14.00 in Helsinki in December is 12.00 UTC (EET, +2); in June 11.00 UTC (EEST, +3).
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        if case .dateTime(let winter)? = value("8.12.2026 klo 14", .dateTime(notPast: false)) {
            #expect(utc.component(.hour, from: winter) == 12)
        } else {
            Issue.record("winter time did not parse")
        }
        if case .dateTime(let summer)? = value("8.6.2027 klo 14", .dateTime(notPast: false)) {
            #expect(utc.component(.hour, from: summer) == 11)
        } else {
            Issue.record("summer time did not parse")
        }
    }

    @Test(arguments: [
        ("1,5 h", 90), ("1.5h", 90), ("90 min", 90), ("1 h 30 min", 90), ("1h30", 90), ("1:30", 90),
        ("2 tuntia", 120), ("45 minuuttia", 45), ("2", 120), ("45", 45), ("1 tim 15 min", 75), ("2 hours", 120),
        ("1,5", 90),
    ])
    func durations(text: String, minutes: Int) {
        #expect(value(text, .duration(minMinutes: 15, maxMinutes: 480)) == .duration(minutes: minutes))
    }

    @Test func durationProblems() {
        let spec = AnswerSpec.duration(minMinutes: 15, maxMinutes: 480)
        #expect(problem("pitkään", spec) == .invalidDuration)
        #expect(problem("10 min", spec) == .durationRange)
        #expect(problem("9 h", spec) == .durationRange)
        #expect(problem("h 30", spec) == .invalidDuration)
        #expect(problem("0", spec) == .invalidDuration)
    }

    @Test(arguments: ["kyllä", "Kyllä!", "joo", "k", "ja", "yes", "Y"])
    func yes(text: String) {
        #expect(value(text, .yesNo) == .bool(true))
    }

    @Test(arguments: ["ei", "EI", "nej", "no", "n"])
    func no(text: String) {
        #expect(value(text, .yesNo) == .bool(false))
    }

    @Test func yesNoProblem() {
        #expect(problem("ehkä", .yesNo) == .invalidYesNo)
    }

    let topics = [
        Choice(value: "mental_health", label: LocalizedText([.fi: "Mielenterveys", .sv: "Psykisk hälsa", .en: "Mental health"])),
        Choice(value: "substance_use", label: LocalizedText([.fi: "Päihteet", .sv: "Missbruk", .en: "Substance use"])),
        Choice(value: "disability", label: LocalizedText([.fi: "Vammaisuus", .sv: "Funktionsnedsättning", .en: "Disability"])),
    ]

    @Test func choiceByNumberLabelValueOrPrefix() {
        let spec = AnswerSpec.choice(topics)
        #expect(value("2", spec, choices: topics) == .choice("substance_use"))
        #expect(value("2.", spec, choices: topics) == .choice("substance_use"))
        #expect(value("päihteet", spec, choices: topics) == .choice("substance_use"))
        #expect(value("Missbruk", spec, choices: topics) == .choice("substance_use"))
        #expect(value("disability", spec, choices: topics) == .choice("disability"))
        #expect(value("mielen", spec, choices: topics) == .choice("mental_health"))
        #expect(problem("4", spec, choices: topics) == .invalidChoice)
        #expect(problem("0", spec, choices: topics) == .invalidChoice)
        #expect(problem("jotain", spec, choices: topics) == .invalidChoice)
    }

    @Test func severalChoices() {
        let spec = AnswerSpec.choices(topics, minCount: 1, maxCount: 2)
        #expect(value("3, 1", spec, choices: topics) == .choices(["mental_health", "disability"]))
        #expect(value("1 1", spec, choices: topics) == .choices(["mental_health"]))
        #expect(problem("1, 2, 3", spec, choices: topics) == .choicesCount)
        #expect(problem("1, 9", spec, choices: topics) == .invalidChoices)
    }
}
