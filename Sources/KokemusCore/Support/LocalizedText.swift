/// A text in Finnish, Swedish and English side by side, as flow and config files write it.
public struct LocalizedText: Codable, Sendable, Hashable {
    public var texts: [Language: String]

    public init(_ texts: [Language: String]) {
        self.texts = texts
    }

    /// The text in `language`; loaders guarantee all three exist, the fallback only
    /// protects against a hand-built value.
    public func text(in language: Language) -> String {
        texts[language] ?? texts[.fi] ?? texts[.en] ?? texts.values.first ?? ""
    }

    /// Languages this text lacks.
    public var missingLanguages: [Language] {
        Language.allCases.filter { (texts[$0] ?? "").isEmpty }
    }
}
