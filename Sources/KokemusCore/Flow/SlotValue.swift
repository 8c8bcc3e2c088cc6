import Foundation

/// A calendar day in local (Helsinki) time.
public struct LocalDay: Codable, Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2026-12-08`, which also sorts correctly as text.
    public var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.iso < rhs.iso }
}

/// A duration as people read it: `45 min`, `2 h`, `1 h 30 min`.
public func durationText(minutes: Int) -> String {
    let hours = minutes / 60
    let rest = minutes % 60
    return hours == 0 ? "\(rest) min" : rest == 0 ? "\(hours) h" : "\(hours) h \(rest) min"
}

/// An answer stored in a conversation's slot, already validated and typed.
public enum SlotValue: Codable, Sendable, Hashable {
    case text(String)
    case integer(Int)
    case date(LocalDay)
    /// Local time of day.
    case time(hour: Int, minute: Int)
    case dateTime(Date)
    case duration(minutes: Int)
    case bool(Bool)
    /// The `value` of one choice.
    case choice(String)
    /// The `value`s of several choices, in the order of the list.
    case choices([String])

    /// The value as conditions compare it: choices by value, yes/no as `yes`/`no`.
    public var comparable: String {
        switch self {
        case let .text(text): return text
        case let .integer(number): return String(number)
        case let .date(day): return day.iso
        case let .time(hour, minute): return String(format: "%02d:%02d", hour, minute)
        case let .dateTime(date): return String(Int(date.timeIntervalSince1970))
        case let .duration(minutes): return String(minutes)
        case let .bool(flag): return flag ? "yes" : "no"
        case let .choice(value): return value
        case let .choices(values): return values.joined(separator: ",")
        }
    }

    /// A number for `<`/`>` comparisons, where the value has one.
    public var number: Int? {
        switch self {
        case let .integer(number): return number
        case let .duration(minutes): return minutes
        case let .choices(values): return values.count
        default: return nil
        }
    }
}
