/// The registry's id of a person (`anna`); never shown to other people as contact data.
public struct PersonID: RawRepresentable, Hashable, Codable, Sendable, Comparable,
    CustomStringConvertible, ExpressibleByStringLiteral, CodingKeyRepresentable
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init?<T: CodingKey>(codingKey: T) { rawValue = codingKey.stringValue }
    public var codingKey: any CodingKey { PlainCodingKey(rawValue) }
}

/// The registry's id of a unit (toimintayksikkö).
public struct UnitID: RawRepresentable, Hashable, Codable, Sendable, Comparable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An order's id, `T-2026-0001`: the year it was made and a running number.
public struct OrderID: RawRepresentable, Hashable, Codable, Sendable, Comparable,
    CustomStringConvertible, CodingKeyRepresentable
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(year: Int, number: Int) {
        rawValue = "T-\(year)-" + String(repeating: "0", count: max(0, 4 - String(number).count)) + String(number)
    }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init?<T: CodingKey>(codingKey: T) { rawValue = codingKey.stringValue }
    public var codingKey: any CodingKey { PlainCodingKey(rawValue) }
}

struct PlainCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ value: String) { stringValue = value }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
