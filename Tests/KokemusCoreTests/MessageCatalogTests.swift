import Testing

@testable import KokemusCore

@Suite struct MessageCatalogTests {
    @Test func shippedCatalogHasEveryTextInEveryLanguage() {
        for key in MessageKey.allCases {
            #expect(catalog.texts[key]?.missingLanguages == [], "\(key.rawValue)")
        }
        #expect(catalog.text(.numberRange, .sv, ["min": "1", "max": "5"]) == "Ange ett tal mellan 1 och 5.")
    }

    @Test func commandsAreRecognisedInAnyLanguage() {
        #expect(catalog.command(in: "apua")?.0 == .help)
        #expect(catalog.command(in: "Hjälp")?.0 == .help)
        #expect(catalog.command(in: "avbryt")?.0 == .cancel)
        #expect(catalog.command(in: "tillbaka")?.0 == .back)
        #expect(catalog.command(in: "toista")?.0 == .repeat)
        #expect(catalog.command(in: "status")?.0 == .status)
        #expect(catalog.command(in: "kieli sv")?.0 == .language)
        #expect(catalog.command(in: "kieli sv")?.argument == "sv")
        // A sentence that starts with a command word is an answer, not a command.
        #expect(catalog.command(in: "apua tarvitaan ryhmään") == nil)
    }

    @Test func aMissingTextIsReported() {
        let text = """
            commands:
              help: {fi: [apua], sv: [hjälp], en: [help]}
            vocabulary: {}
            language_names: {fi: suomi, sv: svenska, en: English}
            messages:
              cancelled: {fi: Peruttu, sv: Avbrutet}
            """
        let error = #expect(throws: ConfigErrors.self) { try MessageCatalog.load(text: text, file: "m.yaml") }
        let messages = error?.errors.map(\.description) ?? []
        #expect(messages.contains("m.yaml:6: cancelled lacks a translation: en"))
        #expect(messages.contains("m.yaml:6: messages needs 'did_not_understand'"))
        #expect(messages.contains("m.yaml:2: commands needs 'cancel'"))
    }

    /// A placeholder one language has and the others do not is a typo that would reach people
    /// as written (`{bogus}` for `{problems}`).
    @Test func aPlaceholderInOneLanguageAloneIsReported() {
        let text = """
            commands:
              help: {fi: [apua], sv: [hjälp], en: [help]}
            vocabulary: {}
            language_names: {fi: suomi, sv: svenska, en: English}
            messages:
              reload_refused: {fi: "Korjattavaa: {bogus}", sv: "Att rätta: {problems}", en: "To correct: {problems}"}
            """
        let error = #expect(throws: ConfigErrors.self) { try MessageCatalog.load(text: text, file: "m.yaml") }
        let messages = error?.errors.map(\.description) ?? []
        #expect(messages.contains { $0.contains("reload_refused (fi): lacks {problems}") }, "\(messages)")
        #expect(messages.contains { $0.contains("reload_refused (sv): lacks {bogus}") }, "\(messages)")
    }
}
