import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// An order left unfinished is kept as a draft after three days of silence, not removed;
/// `luonnos` resumes it where it was left.
@Suite struct DraftTests {
    /// Anna starts an order on Monday morning and answers three questions, then goes quiet.
    func halfAnOrder() async throws -> GatewayHarness {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 7, 9))
        for answer in ["tilaa", "1", "2"] { try await h.send("anna", answer) }
        #expect(await h.state.conversations["anna"]?.stepID == "unit")
        return h
    }

    @Test func aQuietOrderIsKeptAsADraftAndResumedWhereItWasLeft() async throws {
        let h = try await halfAnOrder()
        let reminded = try await h.advance(to: local(2026, 12, 8, 9, 1))
        #expect(texts(reminded, to: "anna").first?.hasPrefix("Muistutus: tilauksesi on vielä kesken.") == true)
        let kept = try await h.advance(to: local(2026, 12, 10, 9, 1))
        #expect(
            texts(kept, to: "anna") == [
                "Tilauksesi jäi kesken, eikä vastausta ole tullut kolmeen päivään.\n"
                    + "Se on tallessa luonnoksena 30 päivää: jatka siitä, mihin jäit, kirjoittamalla luonnos."
            ])
        #expect(await h.state.conversations["anna"] == nil)
        #expect(await h.state.drafts["anna"]?.slots["topic"] != nil)
        // Kept across a restart; resumed at the question it was left at, with its answers.
        try h.restart()
        let resumed = try await h.send("anna", "luonnos")
        let shown = texts(resumed, to: "anna")
        #expect(shown.first == "Jatketaan luonnosta (Kokemusasiantuntijan tilaus):")
        #expect(shown.last?.hasPrefix("Minkä yksikön tehtävä on?") == true)
        #expect(await h.state.drafts["anna"] == nil)
        for answer in ["1", "ti 15.12. klo 14", "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee vertaistukea.", "1"] {
            try await h.send("anna", answer)
        }
        let done = try await h.send("anna", "kyllä")
        #expect(texts(done, to: "anna").contains { $0.contains("T-2026-0001") })
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.topic == "substance_use", "the answers before the draft")
    }

    @Test func aDraftWaitsWhileAnotherConversationRunsAndIsDroppedAfterThirtyDays() async throws {
        let h = try await halfAnOrder()
        _ = try await h.advance(to: local(2026, 12, 10, 9, 1))
        #expect(try await h.reply("olli", "luonnos") == "Sinulla ei ole tallessa olevaa luonnosta.")
        try await h.send("anna", "tilaa")
        #expect(try await h.reply("anna", "luonnos").contains("Vastaa siihen tai kirjoita peruuta"))
        #expect(await h.state.drafts["anna"] != nil, "still kept")
        try await h.send("anna", "peruuta")
        _ = try await h.advance(to: local(2027, 1, 8, 9))
        #expect(await h.state.drafts["anna"] != nil, "29 days after it was put aside")
        _ = try await h.advance(to: local(2027, 1, 10, 9))
        #expect(await h.state.drafts["anna"] == nil)
        #expect(try await h.reply("anna", "luonnos") == "Sinulla ei ole tallessa olevaa luonnosta.")
    }

    @Test func aDayThatHasPassedIsAskedAgainAndTheDraftOutlivesAChangedFlow() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 7, 9))
        for answer in ["tilaa", "1", "2", "1", "ke 9.12. klo 14", "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee tukea.", "1"] {
            try await h.send("anna", answer)
        }
        #expect(await h.state.conversations["anna"]?.stepID == "confirm", "only the yes is missing")
        _ = try await h.advance(to: local(2026, 12, 10, 9, 1))
        #expect(await h.state.drafts["anna"] != nil)
        // The county edits the order flow meanwhile; the draft goes on with its own version.
        var flows = try shippedFlows()
        flows["order.yaml"] = flows["order.yaml"]!.replacingOccurrences(of: "Kuvaa tarve lyhyesti.", with: "Kuvaa tarve.")
        try h.writeFlows(flows)
        try h.restart()
        // 9.12. has passed: the time is asked again, and what came after it, not an order in the past.
        let resumed = try await h.send("anna", "luonnos")
        #expect(texts(resumed, to: "anna").last?.hasPrefix("Milloin?") == true, "\(resumed)")
        #expect(try await h.reply("anna", "kyllä").contains("En tunnistanut ajankohtaa"))
        #expect(await h.state.orders.isEmpty)
    }

    @Test func aDraftIsNamedWhenTheSameFlowStartsAgainAndInTheStatus() async throws {
        let h = try await halfAnOrder()
        _ = try await h.advance(to: local(2026, 12, 10, 9, 1))
        #expect(try await h.reply("anna", "tila").contains("Luonnos tallessa: Kokemusasiantuntijan tilaus"))
        let again = try await h.send("anna", "tilaa")
        #expect(texts(again, to: "anna").first?.hasPrefix("Aloitetaan uusi. Aiempi keskeneräinen on yhä tallessa") == true)
    }
}
