import Foundation
import Testing

@testable import KokemusCore

/// Templates are scanned as UTF-8 bytes; text around and inside placeholders must survive whole.
@Suite struct TemplateTests {
    /// A count chooses its form: the first for exactly one, the other for any other number.
    @Test func aCountChoosesItsForm() {
        let text = "{count|# kerta|# kertaa}: {dates}"
        #expect(Template.render(text, ["count": "1", "dates": "8.12."]) == "1 kerta: 8.12.")
        #expect(Template.render(text, ["count": "3", "dates": "x"]) == "3 kertaa: x")
        #expect(Template.render(text, ["count": "0", "dates": "x"]) == "0 kertaa: x")
        #expect(Template.render("{n|one session|# sessions}", ["n": "1"]) == "one session")
        // Not a number, or no value: left as written, like an unknown placeholder.
        #expect(Template.render("{n|a|b}", ["n": "many"]) == "{n|a|b}")
        #expect(Template.render("{n|a|b}", [:]) == "{n|a|b}")
        #expect(Template.placeholders(in: "{count|# kerta|# kertaa} ja {name}") == ["count", "name"])
        // Two choices and a plain value in one text (a form never holds a placeholder).
        let twice = "{count|Kirjoita yksi aika|Kirjoita # aikaa} (nyt {given}), esim. {count|22.12.|15.12., 22.12.}"
        #expect(Template.render(twice, ["count": "1", "given": "2"]) == "Kirjoita yksi aika (nyt 2), esim. 22.12.")
        #expect(Template.render(twice, ["count": "3", "given": "1"]) == "Kirjoita 3 aikaa (nyt 1), esim. 15.12., 22.12.")
    }

    @Test func fillsKnownPlaceholdersAndKeepsUnknownOnesAndNonASCIIText() {
        let values = ["nimi": "Äijö", "päivä": "ti 8.12.", "x": "{y}"]
        #expect(Template.render("Hei {nimi}, ☃ {päivä} 🙂{x}", values) == "Hei Äijö, ☃ ti 8.12. 🙂{y}")
        #expect(Template.render("{tuntematon} ja {nimi}", values) == "{tuntematon} ja Äijö")
        #expect(Template.render("avoin { ilman loppua {nimi", values) == "avoin { ilman loppua {nimi")
        #expect(Template.render("{{nimi}}", values) == "{Äijö}")
        #expect(Template.render("ei paikkoja: ÅÄÖ", values) == "ei paikkoja: ÅÄÖ")
    }

    @Test func listsOnlyWellFormedNames() {
        #expect(Template.placeholders(in: "Hei {nimi}, {päivä} {} {ei kelpaa} {a_1}") == ["nimi", "päivä", "a_1"])
        #expect(Template.placeholders(in: "{avoin") == [])
    }

    /// A count's forms that would show to people as braces are refused where the texts load.
    @Test func malformedCountsAreFoundAndGoodOnesPass() {
        #expect(Template.pluralProblems(in: "{count|# kerta|# kertaa} ja {name}") == [])
        #expect(Template.pluralProblems(in: "{count|# kerta}").count == 1)
        #expect(Template.pluralProblems(in: "{count|a|b|c}").count == 1)
        #expect(Template.pluralProblems(in: "{count|# kerta| }").first?.contains("empty") == true)
        #expect(Template.pluralProblems(in: "{co unt|a|b}").count == 1)
        #expect(Template.pluralProblems(in: "{n|# {x} kertaa|# kertaa}").count == 1, "a placeholder inside a form")
        #expect(Template.pluralProblems(in: "{n|# kerta|# {x}}").count == 1, "in the last form")
        #expect(Template.pluralProblems(in: "{avoin | ja teksti") == [])
    }
}

/// The engine's own trimming and normalising give what Foundation's would.
@Suite struct TextNormalizationTests {
    @Test func trimmingMatchesFoundationOnEveryKindOfSpace() {
        let pieces = [
            " ", "\t", "\n", "\r\n", "\u{85}", "\u{A0}", "\u{2003}", "\u{2028}", "\u{3000}", "\u{200B}", "\u{200C}", "\u{2060}", "\u{FEFF}",
            "\u{180E}", "\u{1680}", "\u{B}", "\u{1F}", "a",
            "ä", "a\u{308}", " \u{301}", "🙂", "T-2026-0001", "",
        ]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(text.trimmed == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
            #expect(text.canonicallyComposed == text.precomposedStringWithCanonicalMapping)
        }
    }
}
