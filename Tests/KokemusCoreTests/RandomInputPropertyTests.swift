import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Random people type random things into every flow: words that start flows, answers of every
/// shape (extreme numbers, control characters, look-alike digits, huge texts), commands with
/// and without order ids, the clock jumping. Every message gets an answer and nothing traps.
@Suite struct RandomInputPropertyTests {
    static let fragments: [String] = [
        "tilaa", "tunnit", "palaute", "hakemus", "palkkio", "tarjous", "tila", "apua", "peruuta", "takaisin", "toista",
        "kieli sv", "kieli en", "kieli fi", "kyllä", "ei", "1", "2", "3", "4", "5", "0", "-1", "99999999999999999",
        "99999999999999999999", "153722867280912931:00", "-153722867280912931:00", "1,5 h", "90 min", "25:00", "8.12.",
        "8.12.2026 klo 14", "huomenna klo 9", "31.2.2026", "8.12.9999 klo 25", "3,30", "100000,01", "1e9", "NaN",
        "viesti T-2026-0001 hei", "viesti T-2026-9999 hei", "peru T-2026-0001 syy", "siirrä T-2026-0001 10.12. klo 12",
        "siirrä T-2026-0001 kyllä", "poissa T-2026-0001", "sairas T-2026-0001", "korvaaja T-2026-0001",
        "lopeta T-2026-0001 syy", "verokortti 9999", "verokortti", "vapauta P-1", "ehdokkaat T-2026-0001",
        "tarjoa T-2026-0001 kalle", "tilaukset", "tauko kalle", "jatka kalle", "asiakas 131052-308T",
        "soita 040 123 4567", "Rauhankatu 12 B 5", "\u{0}\u{1B}[31m\r", "٠٤٠١٢٣٤٥٦٧", "👍", "\u{202E}tekstiä",
        String(repeating: "a", count: 5000), String(repeating: "9", count: 300), "", " ", "kalle.h@posti.example",
    ]

    static let people: [PersonID] = ["anna", "bengt", "olli", "liisa", "kaisa", "kalle", "sanna", "johan", "maria"]

    @Test(arguments: [11, 22, 33] as [UInt64])
    func everyMessageIsAnsweredAndNothingTraps(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        var unanswered: [String] = []
        for step in 0..<600 {
            let person = random.pick(Self.people)
            var text = random.pick(Self.fragments)
            if random.next() % 4 == 0 { text += " " + random.pick(Self.fragments) }
            if random.next() % 25 == 0 {
                _ = try await h.advance(hours: Double(random.next() % 72))
                continue
            }
            let answers = try await h.send(person, text)
            // Whitespace alone is no message; everything else gets at least one answer.
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !answers.contains(where: { $0.recipient == person }) {
                unanswered.append("\(step) \(person): \(text.prefix(60))")
            }
        }
        #expect(unanswered.isEmpty, "seed \(seed): \(unanswered.prefix(10))")
        try h.restart()
        #expect(await h.state.orders.count >= 1)
    }
}
