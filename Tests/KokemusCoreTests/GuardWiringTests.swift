import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The guard where the engine meets people's text: relays, reasons and answers. What it holds
/// reaches no one and is not written anywhere in the state directory.
@Suite struct GuardWiringTests {
    /// Every byte the gateway wrote, as text, to look for what must not be there.
    func stateBytes(_ h: GatewayHarness) throws -> String {
        let directory = h.root.appendingPathComponent("state")
        var all = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data()
            all += String(decoding: data, as: UTF8.self)
        }
        return all
    }

    func harness() async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        return h
    }

    @Test func aHeldRelayReachesNoOneAndOnlyItsKindsAreKept() async throws {
        let h = try await harness()
        let answer = try await h.send("kalle", "viesti T-2026-0001 soita 040 765 4321 niin sovitaan")
        #expect(texts(answer, to: "anna").isEmpty)
        let toKalle = texts(answer, to: "kalle").joined()
        #expect(toKalle.contains("puhelinnumero") && toKalle.contains("P-1"))
        #expect(!toKalle.contains("765"))
        let held = try #require(await h.state.heldTexts["P-1"])
        #expect(held.categories == [.phone] && held.sender == "kalle" && held.order?.rawValue == "T-2026-0001")
        #expect(!(try stateBytes(h)).contains("765 4321"))
    }

    @Test func aCoordinatorReleasesAHeldRelayOnceAndTheReleaseIsJournaled() async throws {
        let h = try await harness()
        // A false alarm: a room for 12 on a street, not an address.
        let text = "viesti T-2026-0001 Ryhmä on Kauppakadulla 12 hengen tilassa"
        #expect(texts(try await h.send("kalle", text), to: "anna").isEmpty)
        // Only a coordinator may release.
        let refused = try await h.reply("anna", "vapauta P-1")
        #expect(refused.contains("koordinaattoreille"), "\(refused)")
        let released = try await h.send("kaisa", "vapauta P-1")
        #expect(texts(released, to: "kaisa").joined().contains("P-1"))
        #expect(texts(released, to: "kalle").joined().contains("Lähetä sama viesti uudelleen"))
        #expect(try await h.state.heldTexts["P-1"]?.releasedBy == "kaisa")
        // The same text now passes, once.
        let resent = try await h.send("kalle", text)
        #expect(texts(resent, to: "anna").joined().contains("Kauppakadulla 12 hengen"))
        #expect(try await h.state.heldTexts["P-1"]?.resent == true)
        #expect(texts(try await h.send("kalle", text), to: "anna").isEmpty)
        #expect(try await h.state.heldTexts["P-2"] != nil)
        // The release survives a restart (it is in the journal).
        try h.restart()
        #expect(try await h.state.heldTexts["P-1"]?.releasedBy == "kaisa")
        #expect(try await h.reply("kaisa", "vapauta P-1").contains("ei löydy"))
    }

    @Test func aRelaysOwnSignatureIsCutAndTheSenderToldOnce() async throws {
        let h = try await harness()
        let signed = "viesti T-2026-0001 Sopii hyvin.\n\nTerveisin\nKalle Heikkinen\n040 000 0101"
        let first = try await h.send("kalle", signed)
        #expect(texts(first, to: "anna").joined().contains("Sopii hyvin."))
        #expect(!texts(first, to: "anna").joined().contains("0101"))
        #expect(!texts(first, to: "anna").joined().contains("Heikkinen"))
        #expect(texts(first, to: "kalle").contains { $0.contains("allekirjoitus") })
        let second = try await h.send("kalle", signed.replacingOccurrences(of: "Sopii", with: "Käy"))
        #expect(texts(second, to: "anna").joined().contains("Käy hyvin."))
        #expect(!texts(second, to: "kalle").contains { $0.contains("allekirjoitus") })
    }

    @Test func aNumberSplitOverRelaysIsHeldAtItsLastPart() async throws {
        let h = try await harness()
        #expect(!texts(try await h.send("kalle", "viesti T-2026-0001 040 765"), to: "anna").isEmpty)
        let last = try await h.send("kalle", "viesti T-2026-0001 43 21")
        #expect(texts(last, to: "anna").isEmpty)
        #expect(texts(last, to: "kalle").joined().contains("puhelinnumero"))
    }

    @Test func anIdentityCodeInAReasonOrAnAnswerIsRefusedAndNotStored() async throws {
        let h = try await harness()
        let cancel = try await h.send("anna", "peru T-2026-0001 asiakas 131052 - 308T sairastui")
        #expect(texts(cancel, to: "anna").joined().contains("henkilötunnus"))
        #expect(try await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.status == .open)
        // An order's description: the answer is asked again, the code never stored.
        for answer in ["tilaa", "1", "2", "1", "ke 9.12. klo 10", "1,5 h", "2", "suomi", "1"] {
            try await h.send("anna", answer)
        }
        let refused = try await h.reply("anna", "Asiakas hetu131052–308T tarvitsee tukea")
        #expect(refused.contains("henkilötunnus"))
        #expect(!(try stateBytes(h)).contains("308T"))
    }

    @Test func anExpertsQuestionWithTheirOwnNameIsNotSent() async throws {
        let h = try await harness()
        // Kalle's offer: 3 asks a question first.
        try await h.send("kalle", "3")
        let answer = try await h.send("kalle", "Löydät minut nimellä Kalle Heikkinen, kysy lisää")
        #expect(texts(answer, to: "anna").isEmpty)
        #expect(texts(answer, to: "kalle").joined().contains("koko nimesi"))
    }
}
