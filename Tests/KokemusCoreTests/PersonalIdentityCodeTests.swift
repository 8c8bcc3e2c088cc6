import Testing
@testable import KokemusCore

@Suite struct PersonalIdentityCodeTests {
    @Test func findsValidCodesInText() {
        #expect(PersonalIdentityCode.find(in: "Asiakas 131052-308T, soita") == ["131052-308T"])
        #expect(PersonalIdentityCode.find(in: "hetu: 010101A123N.") == ["010101A123N"])
        #expect(PersonalIdentityCode.find(in: "uusi merkki 010101B123N") == ["010101B123N"])
    }

    @Test func ignoresWhatIsNotACode() {
        #expect(PersonalIdentityCode.find(in: "131052-308A").isEmpty)  // wrong check character
        #expect(PersonalIdentityCode.find(in: "310252-308Y").isEmpty)  // right check character, but 31 February
        #expect(PersonalIdentityCode.find(in: "X131052-308T").isEmpty)  // part of a longer token
        #expect(PersonalIdentityCode.find(in: "tilaus T-2026-0001 klo 14.30").isEmpty)
    }
}
