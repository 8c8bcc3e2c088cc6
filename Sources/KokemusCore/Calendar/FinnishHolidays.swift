import Foundation

/// Finnish public holidays and the days treated as such (Christmas Eve, Midsummer Eve),
/// computed for any year, movable feasts from the date of Easter.
public enum FinnishHolidays {
    /// The holidays of a year, with their Finnish names, in date order.
    public static func holidays(in year: Int) -> [(day: LocalDay, name: String)] {
        let easter = easterSunday(year)
        func fixed(_ month: Int, _ day: Int) -> LocalDay { LocalDay(year: year, month: month, day: day) }
        /// The weekday (1 = Sunday … 7 = Saturday) falling between `from` and `from + 6` of a month.
        func weekday(_ weekday: Int, month: Int, from: Int) -> LocalDay {
            var day = LocalDay(year: year, month: month, day: from)
            while day.weekday != weekday { day = day.adding(days: 1) }
            return day
        }
        let days: [(LocalDay, String)] = [
            (fixed(1, 1), "uudenvuodenpäivä"),
            (fixed(1, 6), "loppiainen"),
            (easter.adding(days: -2), "pitkäperjantai"),
            (easter, "pääsiäispäivä"),
            (easter.adding(days: 1), "2. pääsiäispäivä"),
            (fixed(5, 1), "vappu"),
            (easter.adding(days: 39), "helatorstai"),
            (easter.adding(days: 49), "helluntaipäivä"),
            (weekday(6, month: 6, from: 19), "juhannusaatto"),
            (weekday(7, month: 6, from: 20), "juhannuspäivä"),
            (weekday(7, month: 10, from: 31), "pyhäinpäivä"),
            (fixed(12, 6), "itsenäisyyspäivä"),
            (fixed(12, 24), "jouluaatto"),
            (fixed(12, 25), "joulupäivä"),
            (fixed(12, 26), "tapaninpäivä"),
        ]
        return days.sorted { $0.0 < $1.0 }.map { (day: $0.0, name: $0.1) }
    }

    public static func isHoliday(_ day: LocalDay) -> Bool {
        holidays(in: day.year).contains { $0.day == day }
    }

    /// Easter Sunday by the Gregorian computus (the anonymous algorithm of Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> LocalDay {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDay(year: year, month: month, day: day)
    }
}

extension LocalDay {
    private static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private var noonUTC: Date {
        Self.gregorian.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }

    /// The day `days` later (earlier when negative), across month and year ends.
    public func adding(days: Int) -> LocalDay {
        let date = Self.gregorian.date(byAdding: .day, value: days, to: noonUTC)!
        let c = Self.gregorian.dateComponents([.year, .month, .day], from: date)
        return LocalDay(year: c.year!, month: c.month!, day: c.day!)
    }

    /// 1 = Sunday, 2 = Monday … 7 = Saturday, as `Calendar` counts.
    public var weekday: Int { Self.gregorian.component(.weekday, from: noonUTC) }

    public var isWeekend: Bool { weekday == 1 || weekday == 7 }
}
