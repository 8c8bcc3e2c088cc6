import Foundation

/// Calendar arithmetic in the county's time zone. Every date a person types or reads
/// is Helsinki time; stored instants are UTC `Date`s.
public struct LocalTime: Sendable {
    public let calendar: Calendar

    /// The default is Europe/Helsinki; the time zone must exist on the machine (package `tzdata`).
    public init(timeZoneIdentifier: String = "Europe/Helsinki") throws {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            throw ConfigError("unknown time zone \(timeZoneIdentifier.debugDescription); is tzdata installed?")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        self.calendar = calendar
    }

    /// Helsinki time; crashes only if the system has no Helsinki zone, which `init(timeZoneIdentifier:)` reports.
    public static let helsinki: LocalTime = {
        guard let time = try? LocalTime() else {
            fatalError("time zone Europe/Helsinki is not available: install the tzdata package")
        }
        return time
    }()

    public func components(_ date: Date) -> DateComponents {
        calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
    }

    public func date(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) -> Date? {
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard let date = calendar.date(from: parts) else { return nil }
        // Reject dates Calendar silently rolled over (31.2. → 3.3.).
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }

    /// The local calendar day of an instant.
    public func day(of date: Date) -> LocalDay {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return LocalDay(year: c.year!, month: c.month!, day: c.day!)
    }

    public func year(of date: Date) -> Int {
        calendar.component(.year, from: date)
    }

    /// `8.12.2026`
    public func dayString(_ date: Date) -> String {
        let c = components(date)
        return "\(c.day!).\(c.month!).\(c.year!)"
    }

    /// `14.30` (Finnish and Swedish write the time with a dot; English readers understand it too).
    public func clockString(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%d.%02d", c.hour!, c.minute!)
    }

    /// `2026-12-08T14:30` in local time, for logs and transcripts.
    public func isoMinuteString(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}
