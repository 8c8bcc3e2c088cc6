/// A way the gateway talks to people.
public enum Channel: String, Codable, CaseIterable, Sendable, CodingKeyRepresentable {
    case console, matrix, email
}
