/// A language a person uses with the gateway. Every user-facing text exists in all three.
public enum Language: String, Codable, CaseIterable, Sendable, CodingKeyRepresentable, Comparable {
    case fi, sv, en

    public static func < (lhs: Language, rhs: Language) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
