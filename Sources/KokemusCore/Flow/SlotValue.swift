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

    /// `8.12.2026`, as people read a date in Finnish and Swedish.
    public var text: String { "\(day).\(month).\(year)" }

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
    /// An amount of euros, in cents.
    case money(cents: Int)

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
        case let .money(cents): return String(cents)
        }
    }

    /// A number for `<`/`>` comparisons, where the value has one.
    public var number: Int? {
        switch self {
        case let .integer(number): return number
        case let .duration(minutes): return minutes
        case let .choices(values): return values.count
        case let .money(cents): return cents
        default: return nil
        }
    }
}

// Stored compactly as `["t", "text"]`, `["tm", 14, 30]`, `["cs", "a", "b"]`: every answer is
// in a journal record, and the synthesized form (`{"text": {"_0": …}}`) cost twice the time
// to write. Values stored in the older form are still read.
extension SlotValue {
    private enum Tag: String {
        case text = "t", integer = "i", date = "d", time = "tm", dateTime = "dt", duration = "du", bool = "b"
        case choice = "c", choices = "cs", money = "m"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        switch self {
        case let .text(text): try container.encode(Tag.text.rawValue); try container.encode(text)
        case let .integer(number): try container.encode(Tag.integer.rawValue); try container.encode(number)
        case let .date(day): try container.encode(Tag.date.rawValue); try container.encode(day.iso)
        case let .time(hour, minute):
            try container.encode(Tag.time.rawValue); try container.encode(hour); try container.encode(minute)
        case let .dateTime(date): try container.encode(Tag.dateTime.rawValue); try container.encode(date)
        case let .duration(minutes): try container.encode(Tag.duration.rawValue); try container.encode(minutes)
        case let .bool(flag): try container.encode(Tag.bool.rawValue); try container.encode(flag)
        case let .choice(value): try container.encode(Tag.choice.rawValue); try container.encode(value)
        case let .choices(values):
            try container.encode(Tag.choices.rawValue)
            for value in values { try container.encode(value) }
        case let .money(cents): try container.encode(Tag.money.rawValue); try container.encode(cents)
        }
    }

    public init(from decoder: any Decoder) throws {
        guard var container = try? decoder.unkeyedContainer() else {
            self = try LegacySlotValue(from: decoder).value
            return
        }
        let tagText = try container.decode(String.self)
        guard let tag = Tag(rawValue: tagText) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown slot value tag \(tagText)")
        }
        switch tag {
        case .text: self = .text(try container.decode(String.self))
        case .integer: self = .integer(try container.decode(Int.self))
        case .date:
            let text = try container.decode(String.self)
            guard let day = LocalDay(iso: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad day \(text)")
            }
            self = .date(day)
        case .time: self = .time(hour: try container.decode(Int.self), minute: try container.decode(Int.self))
        case .dateTime: self = .dateTime(try container.decode(Date.self))
        case .duration: self = .duration(minutes: try container.decode(Int.self))
        case .bool: self = .bool(try container.decode(Bool.self))
        case .choice: self = .choice(try container.decode(String.self))
        case .choices:
            var values: [String] = []
            while !container.isAtEnd { values.append(try container.decode(String.self)) }
            self = .choices(values)
        case .money: self = .money(cents: try container.decode(Int.self))
        }
    }
}

/// The form slot values were stored in before the compact one: Swift's synthesized coding.
private enum LegacySlotValue: Decodable {
    case text(String)
    case integer(Int)
    case date(LocalDay)
    case time(hour: Int, minute: Int)
    case dateTime(Date)
    case duration(minutes: Int)
    case bool(Bool)
    case choice(String)
    case choices([String])

    var value: SlotValue {
        switch self {
        case let .text(text): return .text(text)
        case let .integer(number): return .integer(number)
        case let .date(day): return .date(day)
        case let .time(hour, minute): return .time(hour: hour, minute: minute)
        case let .dateTime(date): return .dateTime(date)
        case let .duration(minutes): return .duration(minutes: minutes)
        case let .bool(flag): return .bool(flag)
        case let .choice(value): return .choice(value)
        case let .choices(values): return .choices(values)
        }
    }
}
