import Foundation

/// When the gateway may remind people: on working days (not weekends, not Finnish public
/// holidays) between the end and the start of the quiet hours, in Helsinki time. A reminder
/// due in the quiet hours or on a day off waits for the next allowed moment.
public struct WorkingTime: Sendable {
    public var time: LocalTime
    /// Minutes after midnight when reminders may start (08:00) and must stop (21:00).
    public var dayStartMinute: Int
    public var dayEndMinute: Int

    public init(time: LocalTime = .helsinki, dayStartMinute: Int = 8 * 60, dayEndMinute: Int = 21 * 60) {
        self.time = time
        self.dayStartMinute = dayStartMinute
        self.dayEndMinute = dayEndMinute
    }

    public func isWorkingDay(_ day: LocalDay) -> Bool {
        !day.isWeekend && !FinnishHolidays.isHoliday(day)
    }

    /// Whether a reminder may go out at this instant.
    public func allows(_ date: Date) -> Bool {
        let c = time.components(date)
        let minute = c.hour! * 60 + c.minute!
        return isWorkingDay(time.day(of: date)) && minute >= dayStartMinute && minute < dayEndMinute
    }

    /// When the night's quiet hours that `date` falls in end (the day's start), or nil when
    /// `date` is in the day's waking hours. Every day has them, weekends too: a person's own
    /// messages (relays) may reach them on a Saturday afternoon, not at night.
    public func endOfQuietHours(around date: Date) -> Date? {
        let c = time.components(date)
        let minute = c.hour! * 60 + c.minute!
        if minute >= dayStartMinute && minute < dayEndMinute { return nil }
        let day = time.day(of: date)
        return start(of: minute >= dayEndMinute ? day.adding(days: 1) : day)
    }

    /// The first allowed instant at or after `date`.
    public func nextAllowed(from date: Date) -> Date {
        if allows(date) { return date }
        var day = time.day(of: date)
        let c = time.components(date)
        if c.hour! * 60 + c.minute! >= dayStartMinute { day = day.adding(days: 1) }
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return start(of: day)
    }

    /// `interval` of working time after `date`: the clock runs only between the day's start and
    /// end on working days, so 24 hours from Friday evening end on Tuesday, not on Saturday.
    /// Bounded: past about three years of working days it gives up and returns where it got.
    public func adding(_ interval: TimeInterval, to date: Date) -> Date {
        var remaining = interval.isFinite ? max(0, interval) : 0
        var moment = nextAllowed(from: date)
        for _ in 0..<800 {
            let day = time.day(of: moment)
            guard
                let end = time.date(
                    year: day.year, month: day.month, day: day.day, hour: dayEndMinute / 60, minute: dayEndMinute % 60)
            else { return moment }
            let available = end.timeIntervalSince(moment)
            if remaining <= available { return moment + remaining }
            remaining -= available
            moment = nextAllowed(from: end)
        }
        return moment
    }

    /// The moment reminders may start on a day (08:00 local, whatever the UTC offset that day).
    public func start(of day: LocalDay) -> Date {
        time.date(
            year: day.year, month: day.month, day: day.day, hour: dayStartMinute / 60,
            minute: dayStartMinute % 60)!
    }

    /// The last working day strictly before `day`.
    public func workingDay(before day: LocalDay) -> LocalDay {
        var candidate = day.adding(days: -1)
        while !isWorkingDay(candidate) { candidate = candidate.adding(days: -1) }
        return candidate
    }

    /// The first working day on or after `day`.
    public func workingDay(onOrAfter day: LocalDay) -> LocalDay {
        var candidate = day
        while !isWorkingDay(candidate) { candidate = candidate.adding(days: 1) }
        return candidate
    }
}
