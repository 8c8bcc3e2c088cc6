import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// "Becoming an expert" ends with the coordinator, who records the application in chat.
@Suite struct ApplicationTests {
    @Test func aCoordinatorRecordsAnApplicationAndOnlyCoordinatorsMay() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        #expect(try await h.reply("anna", "hakemus").contains("ei ole käytössäsi"))
        for answer in [
            "hakemus", "Veera Esimerkki", "veera@example.org", "1, 8", "1, 2", "Porvoo", "-",
            "Haluan puhua ryhmille, en yksilötyötä.",
        ] {
            try await h.send("kaisa", answer)
        }
        let saved = try await h.reply("kaisa", "kyllä")
        #expect(saved.hasPrefix("Hakemus H-2026-001 on tallennettu"))
        let application = try #require(await h.state.applications["H-2026-001"])
        #expect(application.applicant == "Veera Esimerkki")
        #expect(application.topics == ["mental_health", "difficult_life"])
        #expect(application.languages == ["fi", "sv"])
        #expect(application.recordedBy == "kaisa")
        #expect(await h.state.conversations["kaisa"] == nil)
    }
}
