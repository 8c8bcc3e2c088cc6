import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Travel agreed before the work (000 §6.2): the expert states it on taking an on-site task,
/// the orderer agrees or adjusts it, the hours flow shows it, and what is reported beyond the
/// plan or the agreement goes to the orderer.
@Suite struct TravelAgreementTests {
    static let id = OrderID(rawValue: "T-2026-0001")

    /// Anna orders on-site individual work for Tuesday 8.12. at 14 and Kalle takes it.
    func onSiteTaken() async throws -> (GatewayHarness, [(recipient: PersonID, text: String)]) {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in [
            "tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "1", "Vanha kirjasto, Porvoo", "suomi", "1",
            "Asiakas tarvitsee vertaistukea.", "1", "kyllä",
        ] {
            try await h.send("anna", answer)
        }
        let taken = try await h.send("kalle", "1")
        return (h, taken)
    }

    @Test func theExpertStatesTheTravelAndTheOrdererAgreesIt() async throws {
        let (h, taken) = try await onSiteTaken()
        #expect(texts(taken, to: "kalle").last?.contains("montako kilometriä matka on kerralta") == true)
        try await h.send("kalle", "24")
        let stated = try await h.send("kalle", "3,30")
        let asked = try #require(texts(stated, to: "anna").first).plain
        #expect(
            asked.contains("Kokemusasiantuntija K-12 arvioi tehtävän T-2026-0001 matkat kerralta: 24 km (13,20 €) ja muut kulut 3,30 €"))
        #expect(!asked.contains("Heikkinen"))
        #expect(await h.state.orders[Self.id]?.travel?.status == .proposed)
        // Another employee learns nothing of the order and changes nothing.
        #expect(try await h.reply("bengt", "matkat T-2026-0001 kyllä").contains("T-2026-0001"))
        #expect(await h.state.orders[Self.id]?.travel?.status == .proposed)
        // Only the orderer agrees it; nonsense gets the usage.
        #expect(try await h.reply("kalle", "matkat T-2026-0001 kyllä") == "Et voi tehdä tätä muutosta tilaukseen T-2026-0001.")
        #expect(try await h.reply("anna", "matkat T-2026-0001 paljon").hasPrefix("Kirjoita matkat T-2026-0001 kyllä"))
        #expect(try await h.reply("anna", "matkat T-2026-0001 99999999999999999999").hasPrefix("Kirjoita matkat"))
        let agreed = try await h.send("anna", "matkat T-2026-0001 20 km 3,30 €")
        #expect(
            texts(agreed, to: "kalle").first?.plain
                == "Tehtävän T-2026-0001 matkat on sovittu kerralta: 20 km (11,00 €) ja muut kulut 3,30 € (sopi: Anna Virtanen).")
        let travel = try #require(await h.state.orders[Self.id]?.travel)
        #expect(travel.status == .agreed && travel.kilometres == 20 && travel.otherCosts == Money(cents: 330) && travel.decidedBy == "anna")

        // After the session, the hours flow shows what was agreed; 30 km goes to the orderer.
        let hours = try await h.advance(to: local(2026, 12, 8, 16))
        #expect(texts(hours, to: "kalle").contains { $0.contains("Kestikö se suunnitellun ajan") })
        #expect(try await h.reply("kalle", "kyllä").plain.contains("Sovittu etukäteen: 20 km ja muut kulut 3,30 € kerralta."))
        try await h.send("kalle", "30")
        let confirmed = try await h.send("kalle", "3,30")
        let annas = try #require(texts(confirmed, to: "anna").first).plain
        #expect(
            annas.contains("1 h 30 min (suunniteltu 1 h 30 min), matkat 30 km ja muut kulut 3,30 € (sovittu etukäteen 20 km ja 3,30 €)"),
            "\(annas)")
        // What is paid is what was agreed: 20 km, not 30; the line is marked for the approver.
        let order = try #require(await h.state.orders[Self.id])
        let fees = try FeeSchedule.load(file: repositoryRoot.appendingPathComponent("Config/fees.yaml"))
        let line = try #require(FeeCalculator(schedule: fees).line(for: order.sessions[0], of: order, now: local(2026, 12, 9)))
        #expect(line.kilometres == 20 && line.travel == Money(cents: 1100) && line.otherCosts == Money(cents: 330))
        #expect(line.differsFromAgreement == true)
        // Once hours are confirmed, the travel is no longer agreed in chat.
        #expect(try await h.reply("anna", "matkat T-2026-0001 kyllä").contains("ei ole matkoja, joista sopia"))
    }

    @Test func noTravelStatedIsNothingToAgreeAndHoursAsAgreedTellNoOne() async throws {
        let (h, _) = try await onSiteTaken()
        try await h.send("kalle", "0")
        let done = try await h.send("kalle", "0")
        #expect(texts(done, to: "kalle") == ["Kiitos, Kalle! Vahvistus on lähetetty sinulle omana viestinään."])
        #expect(texts(done, to: "anna").isEmpty)
        #expect(await h.state.orders[Self.id]?.travel == nil)
        // Nothing stated: nothing to confirm, but the orderer may set travel herself.
        #expect(try await h.reply("anna", "matkat T-2026-0001 kyllä").hasPrefix("Kirjoita matkat T-2026-0001"))
        try await h.send("anna", "matkat T-2026-0001 0")
        #expect(await h.state.orders[Self.id]?.travel?.status == .agreed)
        _ = try await h.advance(to: local(2026, 12, 8, 16))
        try await h.send("kalle", "kyllä")
        try await h.send("kalle", "0")
        let confirmed = try await h.send("kalle", "0")
        #expect(texts(confirmed, to: "anna").isEmpty, "as planned, no travel: nothing for the orderer")
    }

    @Test func theOrdererMaySayNoTravelIsPaid() async throws {
        let (h, _) = try await onSiteTaken()
        try await h.send("kalle", "40")
        try await h.send("kalle", "0")
        // A coordinator who is neither party may agree it, and hears it too.
        let agreed = try await h.send("kaisa", "matkat T-2026-0001 ei.")
        #expect(Set(agreed.map(\.recipient)) == ["anna", "kalle", "kaisa"])
        let travel = try #require(await h.state.orders[Self.id]?.travel)
        #expect(travel.status == .agreed && travel.kilometres == 0 && travel.otherCosts == .zero && travel.decidedBy == "kaisa")
        // Units and words around the figures are read past.
        try await h.send("anna", "matkat T-2026-0001 18km 2,50 euroa")
        let adjusted = try #require(await h.state.orders[Self.id]?.travel)
        #expect(adjusted.kilometres == 18 && adjusted.otherCosts == Money(cents: 250))
    }

    @Test func aRemoteTaskAsksNoTravel() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        let taken = try await h.send("kalle", "1")
        #expect(texts(taken, to: "kalle").last == "Kiitos, Kalle! Vahvistus on lähetetty sinulle omana viestinään.")
    }
}

extension String {
    /// The text with money's no-break spaces ("3,30 €") as plain spaces, to compare with.
    fileprivate var plain: String { replacingOccurrences(of: "\u{00A0}", with: " ") }
}
