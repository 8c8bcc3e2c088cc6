import Testing
@testable import KokemusCore

/// Templates are scanned as UTF-8 bytes; text around and inside placeholders must survive whole.
@Suite struct TemplateTests {
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
}
