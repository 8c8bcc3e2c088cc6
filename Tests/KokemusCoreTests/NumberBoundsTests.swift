import Foundation
import Testing

@testable import KokemusCore

/// Every number a person types has bounds, and nothing computed from people's numbers or the
/// state traps. The inputs are the ones that killed the gateway before (issue 11).
@Suite struct NumberBoundsTests {
    let parser = AnswerParser(vocabulary: catalog.vocabulary)
    let now = local(2026, 12, 1, 9)

    func problem(_ text: String, _ spec: AnswerSpec) -> MessageKey? {
        if case .failure(let problem) = parser.parse(text, as: spec, now: now) { return problem.key }
        return nil
    }

    @Test func hugeDurationsAreRefusedNotMultiplied() {
        let spec = AnswerSpec.duration(minMinutes: 1, maxMinutes: 24 * 60)
        #expect(problem("153722867280912931:00", spec) == .invalidDuration)
        #expect(problem("-153722867280912931:00", spec) == .invalidDuration)
        #expect(problem("25:00", spec) == .durationRange)
        #expect(parser.parse("1:30", as: spec, now: now) == .success(.duration(minutes: 90)))
    }

    @Test func amountsAreParsedWithinTheFlowsBounds() {
        let spec = AnswerSpec.money(minCents: 0, maxCents: 100_000_00)
        #expect(problem("99999999999999999", spec) == .invalidMoney)
        #expect(problem("100000,01", spec) == .moneyRange)
        #expect(problem("-5", spec) == .invalidMoney)
        #expect(problem("3,3,3", spec) == .invalidMoney)
        #expect(parser.parse("3,30 €", as: spec, now: now) == .success(.money(cents: 330)))
        #expect(parser.parse("100 000", as: spec, now: now) == .success(.money(cents: 100_000_00)))
    }

    @Test func unboundedIntegersStillHaveBounds() {
        #expect(problem("99999999999999999", .integer(min: nil, max: nil)) == .numberRange)
        #expect(problem("99999999999999999999", .integer(min: nil, max: nil)) == .invalidNumber)
        #expect(problem("2000000000", .integer(min: nil, max: nil)) == .numberRange)
        #expect(problem("2000000000", .integer(min: 0, max: nil)) == .numberRange)
    }

    @Test func datesAreWithinTwoYearsOfToday() {
        #expect(problem("8.12.2029", .date(notPast: false)) == .dateRange)
        #expect(problem("8.12.2023", .date(notPast: false)) == .dateRange)
        #expect(problem("8.12.2029 klo 14", .dateTime(notPast: true)) == .dateRange)
        #expect(parser.parse("1.12.2028", as: .date(notPast: false), now: now) == .success(.date(LocalDay(year: 2028, month: 12, day: 1))))
    }

    @Test func moneyArithmeticSaturatesInsteadOfTrapping() {
        let huge = Money(cents: .max)
        #expect(huge + huge == Money.limit)
        #expect(Money(cents: .min) - huge == Money(cents: -Money.limit.cents))
        #expect(Money(cents: 30).times(.max) == Money.limit)
        #expect(!Money(cents: .min).text(.fi).isEmpty)
        #expect(!Money(cents: .min).plain.isEmpty)
        #expect(FeeRate(basis: .hour, amount: Money(cents: .max)).fee(minutes: .max) == Money.limit)
        #expect(Int.max.addingSaturated(1) == .max)
    }

    /// A state that already holds an absurd amount (written before the bounds) loads and
    /// reports, and the fee report's sums stay finite.
    @Test func aFeeReportWithAbsurdAmountsSumsWithoutTrapping() {
        let line = FeeLine(
            order: OrderID(rawValue: "T-2026-0001"), session: 1, start: now, taskType: .individual,
            minutes: .max, outcome: .held, fee: Money(cents: .max), kilometres: .max,
            travel: Money(cents: .max), otherCosts: Money(cents: 99_999_999_999_999_999))
        var report = FeeReport(
            expert: "kalle", unit: "mielenterveys-porvoo", month: "2026-11", lines: [line, line],
            createdAt: now, payday: LocalDay(year: 2026, month: 12, day: 31))
        report.lines.append(line)
        #expect(report.total == Money.limit)
        #expect(report.minutes == .max)
        #expect(report.kilometres == .max)
        #expect(!report.total.text(.sv).isEmpty)
    }

    @Test func stateCheckNamesWhereAbsurdValuesAre() {
        var session = Session(index: 1, start: now, durationMinutes: 90, status: .held)
        session.hours = SessionHours(minutes: 90, kilometres: 12, otherCosts: Money(cents: 99_999_999_999_999_999), confirmedAt: now)
        let order = Order(
            id: OrderID(rawValue: "T-2026-0001"), orderer: "anna", unit: "mielenterveys-porvoo",
            taskType: .individual, topic: "mental_health", start: now, durationMinutes: 90, sessions: [session],
            place: .remote, language: .fi, audience: .client, description: "Tarve.", createdAt: now)
        var state = GatewayState()
        state.apply(.orderCreated(order, year: 2026, number: 1))
        state.apply(.taxCardConfirmed(expert: "kalle", year: 9999))
        state.apply(
            .expertRecordSaved(
                ExpertRecord(
                    expert: "kalle", away: [DayRange(from: "2026-12-09", until: "2026-12-01"), DayRange(from: "x", until: "y")],
                    monthlyCapHours: 99_999, updatedAt: now)))
        let found = state.implausibleValues().map(\.description)
        #expect(
            found == [
                "T-2026-0001 session 1: other costs 999999999999999.99 €", "tax card of kalle: year 9999",
                "wishes of kalle: 99999 hours a month", "days away of kalle: 2026-12-09–2026-12-01", "days away of kalle: x–y",
            ])
    }
}
