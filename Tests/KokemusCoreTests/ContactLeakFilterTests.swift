import Testing
@testable import KokemusCore

@Suite struct ContactLeakFilterTests {
    @Test(arguments: [
        "Soita minulle 040 123 4567",
        "numeroni on +358401234567",
        "+358 40 123 4567 iltaisin",
        "0401234567",
        "050-123 45 67",
        "puh. (09) 123 4567",
        "0 4 0 1 2 3 4 5 6 7",
        "nolla neljä nolla yksi kaksi kolme neljä viisi kuusi seitsemän",
        "ring noll fyra noll ett två tre fyra fem sex sju",
        "00358 40 123 4567",
    ])
    func phoneNumbersAreFound(_ text: String) {
        #expect(ContactLeakFilter.findings(in: text) == [.phone])
    }

    @Test(arguments: [
        "Nähdään 8.12.2026 klo 14.30, kesto 90 min.",
        "Ryhmässä on 12 osallistujaa ja 6 kertaa.",
        "Tilaus T-2026-0012 sopii minulle.",
        "Kello 14-16 käy hyvin, huone 204.",
        "Kolme kertaa viikossa, kaksi tuntia kerrallaan.",
        "Hinta 45,50 euroa.",
    ])
    func ordinaryTaskTalkIsNotHeld(_ text: String) {
        #expect(ContactLeakFilter.findings(in: text).isEmpty)
    }

    @Test(arguments: [
        "kirjoita kalle.h@posti.example",
        "kalle (at) posti.example",
        "kalle at posti piste fi",
        "kalle ät posti punkt se",
    ])
    func emailAddressesAreFound(_ text: String) {
        #expect(ContactLeakFilter.findings(in: text) == [.email])
    }

    @Test func matrixIDsIBANsAddressesAndIdentityCodesAreFound() {
        #expect(ContactLeakFilter.findings(in: "löydät minut @kalle:kokemus.example") == [.matrixID])
        #expect(ContactLeakFilter.findings(in: "tilini FI49 5000 9420 0287 30") == [.iban])
        #expect(ContactLeakFilter.findings(in: "tilini FI4950009420028730") == [.iban])
        #expect(ContactLeakFilter.findings(in: "asun Mannerheimintie 12 B") == [.streetAddress])
        #expect(ContactLeakFilter.findings(in: "jag bor på Storgatan 5") == [.streetAddress])
        #expect(ContactLeakFilter.findings(in: "asiakas 131052-308T tulee") == [.identityCode])
    }

    @Test func severalKindsAreAllReported() {
        let text = "Soita 040 123 4567 tai kirjoita kalle.h@posti.example"
        #expect(ContactLeakFilter.findings(in: text) == [.phone, .email])
    }

    @Test func onlyTheAskedKindsAreLookedFor() {
        let text = "Soita 040 123 4567, asiakas 131052-308T"
        #expect(ContactLeakFilter.findings(in: text, kinds: [.identityCode]) == [.identityCode])
    }
}
