/// Free text a person wrote that the guard has read and let through: the only way such text
/// enters the state or reaches another person. Only `TextGuard` can make one (it alone has the
/// `GuardWitness`), so a new field or message that should carry a person's text cannot be
/// written without passing the guard: the compiler refuses it.
///
/// Stored as a plain JSON string, so the state's format does not change with the type.
public struct GuardedText: Sendable, Hashable, Codable, CustomStringConvertible {
    public let text: String

    init(_ text: String, witness: GuardWitness) {
        self.text = text
    }

    /// Text read back from the state, which only ever held guarded text.
    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }
    public var isEmpty: Bool { text.isEmpty }
}
