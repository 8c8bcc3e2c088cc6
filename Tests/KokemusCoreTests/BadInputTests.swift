import Foundation
import Testing

@testable import KokemusCore

/// Whatever people or files contain, parsing gives an answer or a clear problem, never a crash.
@Suite struct BadInputTests {
    static let alphabet: [String] =
        Array("0123456789.:,- hklomintuaäöTZ+?\n\t'\"{}[]#&*!|>%@éß€🙂\u{0}\u{202E}")
        .map(String.init) + ["99999999999999999999", "klo", "huomenna", "1,5", "h", "min", "-", "."]

    func randomText(_ generator: inout SplitMix64, maxLength: Int = 24) -> String {
        let length = Int.random(in: 0...maxLength, using: &generator)
        return (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }.joined()
    }

    @Test func answerParserTakesAnyText() {
        var generator = SplitMix64(seed: 2026_12_08)
        let parser = AnswerParser(vocabulary: catalog.vocabulary)
        let choices = [Choice(value: "a", label: LocalizedText([.fi: "Aa", .sv: "Ab", .en: "Ac"]))]
        let specs: [AnswerSpec] = [
            .text(minLength: 1, maxLength: 50, rejectIdentityCode: true), .integer(min: 1, max: 9),
            .date(notPast: true), .time, .dateTime(notPast: true), .duration(minMinutes: 1, maxMinutes: 600),
            .yesNo, .choice(choices), .choices(choices, minCount: 1, maxCount: 1),
            .money(minCents: 0, maxCents: 100_000_00), .integer(min: nil, max: nil),
        ]
        var accepted = 0
        for _ in 0..<20_000 {
            let text = randomText(&generator)
            for spec in specs {
                if case .success = parser.parse(text, as: spec, choices: choices, now: local(2026, 12, 1, 9)) {
                    accepted += 1
                }
            }
        }
        #expect(accepted > 0)  // the generator does produce valid answers, so both paths run
        #expect(
            parser.parse(
                "99999999999999999999 h", as: .duration(minMinutes: 1, maxMinutes: 600),
                now: Date()) == .failure(AnswerProblem(.invalidDuration)))
    }

    @Test func flowLoaderTakesAnyMutationOfARealFlow() throws {
        let original = try String(contentsOf: repositoryRoot.appendingPathComponent("Flows/order.yaml"), encoding: .utf8)
        let loader = FlowLoader(actions: ActionRegistry.standard.signatures)
        var generator = SplitMix64(seed: 42)
        var rejected = 0
        for _ in 0..<300 {
            var characters = Array(original)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<characters.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters.remove(at: index)
                case 1: characters.insert(Self.alphabet.randomElement(using: &generator)!.first ?? " ", at: index)
                default: characters[index] = Self.alphabet.randomElement(using: &generator)!.first ?? " "
                }
            }
            let result = loader.load(text: String(characters), file: "order.yaml")
            if !result.errors.isEmpty {
                rejected += 1
                for error in result.errors { #expect(error.file == "order.yaml") }
            }
        }
        #expect(rejected > 0)
    }

    /// The bytes with one byte flipped or cut short at a random place.
    static func damaged(_ clean: Data, using generator: inout SplitMix64) -> Data {
        var damaged = clean
        let index = Int.random(in: 0..<damaged.count, using: &generator)
        if Bool.random(using: &generator) {
            damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
        } else {
            damaged = damaged.prefix(index)
        }
        return damaged
    }

    @Test func snapshotDamageIsAlwaysRefusedNeverLoadedWrong() throws {
        var generator = SplitMix64(seed: 8)
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try StateStore<GatewayState>(directory: directory, options: .init(snapshotEvery: 0), logger: quietLogger)
            try store.commit(SnapshotFileTests.events(orders: 2_100))
            try store.compact()
        }
        let path = directory.appendingPathComponent("snapshot")
        let clean = try Data(contentsOf: path)
        for _ in 0..<100 {
            try Self.damaged(clean, using: &generator).write(to: path)
            let error = #expect(throws: StoreError.self) {
                try StateStore<GatewayState>(directory: directory, logger: quietLogger)
            }
            #expect(error?.description.contains("snapshot") == true, "\(String(describing: error))")
        }
    }

    @Test func journalRecoveryTakesAnyDamage() throws {
        var generator = SplitMix64(seed: 7)
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try StateStore<NotesState>(directory: directory, options: .init(snapshotEvery: 0), logger: quietLogger)
            for index in 0..<20 { try store.commit([.set(key: "k\(index)", value: String(repeating: "v", count: index))]) }
        }
        let path = directory.appendingPathComponent("journal")
        let clean = try Data(contentsOf: path)
        var outcomes: Set<String> = []
        for _ in 0..<200 {
            try Self.damaged(clean, using: &generator).write(to: path)
            do {
                let store = try StateStore<NotesState>(directory: directory, logger: quietLogger)
                // What loads is always a prefix of the history: k0…kN with nothing missing.
                let count = store.state.notes.count
                #expect(store.state.notes.keys.sorted() == (0..<count).map { "k\($0)" }.sorted())
                outcomes.insert("loaded")
            } catch let error as StoreError {
                #expect(error.corruptOffset != nil || error.description.contains("journal"))
                outcomes.insert("refused")
            }
        }
        #expect(outcomes == ["loaded", "refused"])
    }
}
