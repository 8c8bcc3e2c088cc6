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

    /// An `YYYY-MM-DD` text as people read it (`8.12.2026`); text that is not a day, as it is.
    public static func display(_ iso: String) -> String {
        LocalDay(iso: iso)?.text ?? iso
    }
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
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .date(let day): return day.iso
        case .time(let hour, let minute): return String(format: "%02d:%02d", hour, minute)
        case .dateTime(let date): return String(Int(date.timeIntervalSince1970))
        case .duration(let minutes): return String(minutes)
        case .bool(let flag): return flag ? "yes" : "no"
        case .choice(let value): return value
        case .choices(let values): return values.joined(separator: ",")
        case .money(let cents): return String(cents)
        }
    }

    /// A number for `<`/`>` comparisons, where the value has one.
    public var number: Int? {
        switch self {
        case .integer(let number): return number
        case .duration(let minutes): return minutes
        case .choices(let values): return values.count
        case .money(let cents): return cents
        default: return nil
        }
    }
}

// Stored compactly as `["t", "text"]`, `["tm", 14, 30]`, `["cs", "a", "b"]`: every answer is
// in a journal record, and the synthesized form (`{"text": {"_0": …}}`) cost twice the time
// to write. Values stored in the older form are still read.
extension SlotValue {
    private enum Tag: String {
        case text = "t"
        case integer = "i"
        case date = "d"
        case time = "tm"
        case dateTime = "dt"
        case duration = "du"
        case bool = "b"
        case choice = "c"
        case choices = "cs"
        case money = "m"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        switch self {
        case .text(let text):
            try container.encode(Tag.text.rawValue)
            try container.encode(text)
        case .integer(let number):
            try container.encode(Tag.integer.rawValue)
            try container.encode(number)
        case .date(let day):
            try container.encode(Tag.date.rawValue)
            try container.encode(day.iso)
        case .time(let hour, let minute):
            try container.encode(Tag.time.rawValue)
            try container.encode(hour)
            try container.encode(minute)
        case .dateTime(let date):
            try container.encode(Tag.dateTime.rawValue)
            try container.encode(date)
        case .duration(let minutes):
            try container.encode(Tag.duration.rawValue)
            try container.encode(minutes)
        case .bool(let flag):
            try container.encode(Tag.bool.rawValue)
            try container.encode(flag)
        case .choice(let value):
            try container.encode(Tag.choice.rawValue)
            try container.encode(value)
        case .choices(let values):
            try container.encode(Tag.choices.rawValue)
            for value in values { try container.encode(value) }
        case .money(let cents):
            try container.encode(Tag.money.rawValue)
            try container.encode(cents)
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
        case .text(let text): return .text(text)
        case .integer(let number): return .integer(number)
        case .date(let day): return .date(day)
        case .time(let hour, let minute): return .time(hour: hour, minute: minute)
        case .dateTime(let date): return .dateTime(date)
        case .duration(let minutes): return .duration(minutes: minutes)
        case .bool(let flag): return .bool(flag)
        case .choice(let value): return .choice(value)
        case .choices(let values): return .choices(values)
        }
    }
}
