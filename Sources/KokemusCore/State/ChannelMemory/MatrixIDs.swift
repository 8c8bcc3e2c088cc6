import Foundation

/// A Matrix user id, `@anna:example.org`. The homeserver's ids are kept apart by type, so a
/// room id is never passed where a person's id is meant.
public struct UserID: StringIdentifier, CodingKeyRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A Matrix room id, `!abc:example.org`.
public struct RoomID: StringIdentifier, CodingKeyRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A Matrix event id, `$abc`.
public struct EventID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
