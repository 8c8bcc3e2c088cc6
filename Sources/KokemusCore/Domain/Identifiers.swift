/// The registry's id of a person (`anna`); never shown to other people as contact data.
public struct PersonID: StringIdentifier, CodingKeyRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// The registry's id of a unit (toimintayksikkö).
public struct UnitID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
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

/// An id that is a string of someone else's making (a registry's, a homeserver's): kept in a
/// type of its own so that one kind of id is never passed for another. Written as a bare
/// string (and as a dictionary key where the type is `CodingKeyRepresentable`).
public protocol StringIdentifier: RawRepresentable<String>, Hashable, Codable, Sendable, Comparable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    init(rawValue: String)
}

extension StringIdentifier {
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
