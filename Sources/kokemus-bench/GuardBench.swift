import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus-bench guard`: the free-text guard on large inputs of each shape that could make a
/// pattern go quadratic (letters, digits, words, `@` and dots, street words), and on ordinary
/// chat messages. The guard must stay linear: the time per kilobyte should not grow with size.
struct GuardBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Time the free-text guard on 4–64 KB inputs of several shapes and on short messages.")

    @Option(help: "Repetitions of each input (the median is reported).")
    var runs = 5

    func run() throws {
        let guardian = TextGuard(maximumLength: 1 << 20)
        let expert = Person(
            id: "kalle", name: "Kalle Heikkinen", roles: [.expert],
            contacts: ContactAddresses(
                matrix: "@kalle:kokemus.example", email: "kalle.h@posti.example",
                phone: "+358 40 000 0101"))
        let shapes: [(String, String)] = [
            ("letters", "a"), ("digits", "1"), ("digits and spaces", "1 "), ("number words", "yksi "),
            ("words", "tavataan huomenna "), ("@ and dots", "a@b."), ("street words", "Rauhankatu 1 "),
            ("hetu-like", "131052-"), ("mixed", "Soita 0 4 0 nolla at piste "),
        ]
        print("| input | 4 KB | 16 KB | 64 KB | µs per KB at 64 KB |")
        print("|---|---|---|---|---|")
        for (name, unit) in shapes {
            var cells: [String] = []
            var perKB = 0.0
            for kilobytes in [4, 16, 64] {
                let text = String(repeating: unit, count: kilobytes * 1024 / unit.utf8.count)
                let median = medianMilliseconds(runs) {
                    _ = guardian.check(text, from: expert, rules: .fromExpert, earlier: ["040 12"], stripSignature: true)
                }
                cells.append(String(format: "%.1f ms", median))
                perKB = median * 1000 / Double(kilobytes)
            }
            print("| \(name) | \(cells.joined(separator: " | ")) | \(String(format: "%.0f", perKB)) |")
        }
        let messages = [
            "Nähdään 8.12. klo 14.30 aulassa, huone 214.", "Kiitos, sopii hyvin!",
            "Voin tulla 15 min aiemmin, bussi 642 on joskus myöhässä.", "Soita 040 123 4567",
        ]
        let count = 20_000
        let start = nanoseconds()
        for index in 0..<count {
            _ = guardian.check(messages[index % messages.count], from: expert, rules: .fromExpert)
        }
        let seconds = Double(nanoseconds() - start) / 1e9
        print(String(format: "\nshort chat messages: %d in %.2f s = %.0f messages/s", count, seconds, Double(count) / seconds))
    }

    private func medianMilliseconds(_ runs: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = nanoseconds()
            body()
            times.append(Double(nanoseconds() - start) / 1e6)
        }
        return times.sorted()[times.count / 2]
    }
}
