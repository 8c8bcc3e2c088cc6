import Foundation

/// How the meetings of a client process or the sessions of a group follow each other: 000 §4.2
/// has the first meeting agree "tapaamiskertojen lukumäärä ja tiheys" (their number and
/// frequency), §4.3 has groups agreed "tietyksi ajanjaksoksi" (for a set period).
public enum SessionFrequency: String, Codable, Sendable, CaseIterable {
    /// Every week at the same local time.
    case weekly
    /// Every other week at the same local time.
    case everyOtherWeek
    /// The first meeting, then the dates the orderer gave one by one.
    case dates
}

/// The starts of an order's sessions, from its first and its frequency.
public enum SessionSchedule {
    /// The most sessions one order holds (a year of weekly meetings).
    public static let maximumCount = 52

    /// `count` starts beginning at `first`: every week or every other week at the same
    /// Helsinki clock time (across a daylight-saving change too), or `first` and then `dates`
    /// in time order. The count is bounded to 1…52; for `dates` the result holds the dates given.
    public static func starts(first: Date, count: Int, frequency: SessionFrequency, dates: [Date] = [], time: LocalTime)
        -> [Date]
    {
        let count = min(max(count, 1), maximumCount)
        switch frequency {
        case .weekly, .everyOtherWeek:
            let days = frequency == .weekly ? 7 : 14
            return (0..<count).map { time.calendar.date(byAdding: .day, value: days * $0, to: first) ?? first }
        case .dates:
            return [first] + dates.sorted().prefix(maximumCount - 1)
        }
    }
}
