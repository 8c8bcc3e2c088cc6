import Testing
@testable import KokemusMail

@Suite struct ReplyTokenTests {
    @Test func sha256AndHMACMatchTheirStandards() {
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array(String(repeating: "a", count: 1000).utf8)).hex
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // RFC 4231, test case 2.
        #expect(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)).hex
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
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
