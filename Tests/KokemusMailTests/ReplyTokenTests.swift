import Testing

@testable import KokemusMail

@Suite struct ReplyTokenTests {
    @Test func theMACIsHMACSHA256AsTheStandardHasIt() {
        // RFC 4231, test case 2.
        #expect(
            ReplyToken.hexHMAC(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // A token's MAC as standard HMAC-SHA256 gives it (Python's hmac module), which the earlier
        // hand-written code also gave (it passed the same RFC 4231 answers): old tokens still match.
        #expect(ReplyToken.mac(id: "0123456789ab", person: "anna", key: Array("secret key".utf8)) == "98f26e6f50b421c4")
    }

    @Test func aTokenIsFoundInAddressesAndMessageIDsAndCannotBeForged() {
        let key = Array("secret key".utf8)
        let token = ReplyToken(person: "anna", key: key)
        let people = [token.id: "anna"]
        let lookup = { (id: String) in people[id] }
        #expect(ReplyToken.find(in: ["Kokemus <bot+\(token.value)@kokemus.example>"], key: key, lookup: lookup)?.person == "anna")
        #expect(ReplyToken.find(in: ["\(token.value).m42@kokemus.example"], key: key, lookup: lookup)?.person == "anna")
        // Another key, an altered MAC, an unknown id: nothing.
        #expect(ReplyToken.find(in: ["bot+\(token.value)@kokemus.example"], key: Array("other".utf8), lookup: lookup) == nil)
        var forged = Array(token.value)
        forged[forged.count - 1] = forged.last == "0" ? "1" : "0"
        #expect(ReplyToken.find(in: ["bot+\(String(forged))@kokemus.example"], key: key, lookup: lookup) == nil)
        let stranger = ReplyToken(person: "kaisa", key: key)
        #expect(ReplyToken.find(in: ["bot+\(stranger.value)@kokemus.example"], key: key, lookup: lookup) == nil)
    }
}
