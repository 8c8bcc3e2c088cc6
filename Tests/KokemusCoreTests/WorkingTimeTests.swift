import Foundation
import Testing

@testable import KokemusCore

@Suite struct WorkingTimeTests {
    let working = WorkingTime()

    @Test(
        "Easter Sunday by the computus, checked against known years",
        arguments: [(2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25), (2285, 3, 22)])
    func easter(year: Int, month: Int, day: Int) {
        #expect(FinnishHolidays.easterSunday(year) == LocalDay(year: year, month: month, day: day))
    }

    @Test func theHolidaysOf2026() {
        let days = FinnishHolidays.holidays(in: 2026).map(\.day.iso)
        #expect(
            days == [
                "2026-01-01", "2026-01-06", "2026-04-03", "2026-04-05", "2026-04-06", "2026-05-01",
                "2026-05-14", "2026-05-24", "2026-06-19", "2026-06-20", "2026-10-31", "2026-12-06",
                "2026-12-24", "2026-12-25", "2026-12-26",
            ])
    }

    @Test func workingDaysSkipWeekendsAndHolidays() {
        #expect(working.isWorkingDay(LocalDay(year: 2026, month: 11, day: 25)))  // Wednesday
        #expect(!working.isWorkingDay(LocalDay(year: 2026, month: 11, day: 28)))  // Saturday
        #expect(!working.isWorkingDay(LocalDay(year: 2026, month: 4, day: 3)))  // Good Friday
        #expect(!working.isWorkingDay(LocalDay(year: 2026, month: 5, day: 14)))  // Ascension Day, a Thursday
        #expect(working.workingDay(before: LocalDay(year: 2026, month: 4, day: 7)) == LocalDay(year: 2026, month: 4, day: 2))
    }

    @Test func quietHoursAreFrom21To08() {
        #expect(working.allows(local(2026, 11, 25, 8, 0)))
        #expect(working.allows(local(2026, 11, 25, 20, 59)))
        #expect(!working.allows(local(2026, 11, 25, 21, 0)))
        #expect(!working.allows(local(2026, 11, 26, 7, 59)))
    }

    @Test func aReminderDueInQuietHoursWaitsForTheNextWorkingMorning() {
        // Wednesday evening → Thursday morning.
        #expect(working.nextAllowed(from: local(2026, 11, 25, 22, 30)) == local(2026, 11, 26, 8, 0))
        // Thursday night, before 08:00 → the same morning.
        #expect(working.nextAllowed(from: local(2026, 11, 26, 3, 0)) == local(2026, 11, 26, 8, 0))
        // Friday evening → Monday.
        #expect(working.nextAllowed(from: local(2026, 11, 27, 21, 0)) == local(2026, 11, 30, 8, 0))
        // Christmas: Wednesday 23.12. evening → Monday 28.12.
        #expect(working.nextAllowed(from: local(2026, 12, 23, 21, 5)) == local(2026, 12, 28, 8, 0))
    }

    @Test func acrossTheSpringDSTChangeOnEasterWeekend() {
        // Clocks go forward on Easter Sunday 28.3.2027; Monday is a holiday too.
        let next = working.nextAllowed(from: local(2027, 3, 26, 12, 0) + 10 * 3600)  // Friday 22:00 (Good Friday)
        #expect(next == local(2027, 3, 30, 8, 0))
        #expect(helsinki.components(next).hour == 8)
        #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 86400) == 5 * 3600)  // 05:00 UTC in summer time
        // In winter, 08:00 is 06:00 UTC.
        #expect(local(2026, 11, 26, 8, 0).timeIntervalSince1970.truncatingRemainder(dividingBy: 86400) == 6 * 3600)
    }
}

/// The simulated clock of tests of the real binary.
@Suite struct SimulatedClockTests {
    @Test func startsAtItsTimeAtTheAnchorAndRunsAtItsRate() throws {
        let clock = try SimulatedClock(parsing: "2026-12-07T06:00:00+02:00 anchor=1764000000.5 rate=3600")
        let start = LocalTime.helsinki.date(year: 2026, month: 12, day: 7, hour: 6)!
        #expect(clock.start == start)
        #expect(clock.now(atReal: Date(timeIntervalSince1970: 1_764_000_000.5)) == start)
        // Ten real seconds after the anchor: ten hours later.
        #expect(clock.now(atReal: Date(timeIntervalSince1970: 1_764_000_010.5)) == start + 36_000)
    }

    /// A wait for a time on the clock (a reminder, a relay held for the morning) sleeps its
    /// distance in real seconds: at 1,800 times the real pace, an hour is two seconds.
    @Test func waitsAreInRealSeconds() throws {
        let clock = try SimulatedClock(parsing: "2026-12-07T21:00:00+02:00 anchor=1764000000 rate=1800")
        let now = clock.start
        #expect(clock.realSeconds(until: now + 3_600, from: now) == 2)
        #expect(clock.realSeconds(until: now - 60, from: now) == 0)
        #expect(ManualClock(now).realSeconds(until: now + 3_600) == 3_600)
    }

    @Test func badSettingsSayWhatIsExpected() {
        for text in [
            "", "tomorrow anchor=1", "2026-12-07T06:00:00+02:00", "2026-12-07T06:00:00+02:00 anchor=x",
            "2026-12-07T06:00:00+02:00 anchor=1 rate=0", "2026-12-07T06:00:00+02:00 anchor=1 speed=2",
        ] {
            #expect(throws: ConfigError.self) { try SimulatedClock(parsing: text) }
        }
        #expect(throws: Never.self) { try SimulatedClock(parsing: "2026-12-07T06:00:00+02:00 anchor=1") }
    }
}
