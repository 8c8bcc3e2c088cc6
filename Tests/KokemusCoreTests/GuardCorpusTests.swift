import Foundation
import Testing

@testable import KokemusCore

/// The guard against the corpus in `Tests/Fixtures/guard/` (see its README): ordinary messages
/// must pass, disguised contact details and identity codes must be held. Prints the table.
@Suite struct GuardCorpusTests {
    /// `KOKEMUS_GUARD_CORPUS=DIR` runs the same tests over another corpus of the same form (a
    /// held-out set written by someone who has not seen this one).
    static let directory =
        ProcessInfo.processInfo.environment["KOKEMUS_GUARD_CORPUS"].map { URL(fileURLWithPath: $0) }
        ?? repositoryRoot.appendingPathComponent("Tests/Fixtures/guard")
    static let registry = try! RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example"))
    let guardian = TextGuard(knownMatrixServers: ["localhost"])

    struct Entry {
        var key: String
        var family: String
        var messages: [String]
    }

    /// The rows of a TSV file: the first column(s) and the messages of the last, with `\n` and
    /// `\u{…}` unescaped and ` ||| ` splitting consecutive messages.
    /// Every file of the set: `ordinary.tsv` and the later rounds `ordinary-2.tsv` …
    static func entries(_ file: String, keyColumns: Int) throws -> [Entry] {
        let stem = file.replacingOccurrences(of: ".tsv", with: "")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0 == file || ($0.hasPrefix(stem + "-") && $0.hasSuffix(".tsv")) }.sorted()
        return try names.flatMap { try entries(inFile: $0, keyColumns: keyColumns) }
    }

    static func entries(inFile file: String, keyColumns: Int) throws -> [Entry] {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> Entry? in
            guard !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            let columns = line.split(separator: "\t", maxSplits: keyColumns, omittingEmptySubsequences: false).map(String.init)
            guard columns.count == keyColumns + 1 else { return nil }
            let messages = unescape(columns[keyColumns]).components(separatedBy: " ||| ")
            return Entry(key: columns[0], family: keyColumns > 1 ? columns[1] : columns[0], messages: messages)
        }
    }

    static func unescape(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("\\n") {
                result.append("\n")
                index = text.index(index, offsetBy: 2)
            } else if text[index...].hasPrefix("\\u{"), let close = text[index...].firstIndex(of: "}"),
                let value = UInt32(text[text.index(index, offsetBy: 3)..<close], radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                result.unicodeScalars.append(scalar)
                index = text.index(after: close)
            } else {
                result.append(text[index])
                index = text.index(after: index)
            }
        }
        return result
    }

    /// Whether the guard holds any message of the sequence, each checked with the ones before.
    func isHeld(_ messages: [String], sender: Person?, rules: GuardRules) -> Bool {
        var earlier: [String] = []
        for message in messages {
            switch guardian.check(message, from: sender, rules: rules, earlier: earlier) {
            case .passed(let text, _): earlier.append(text.text)
            case .held, .tooLong: return true
            }
        }
        return false
    }

    static func table(_ title: String, _ rows: [String: (held: Int, total: Int)]) -> String {
        var lines = ["\(title)"]
        for (name, row) in rows.sorted(by: { $0.key < $1.key }) {
            lines.append("  " + name.padding(toLength: 34, withPad: " ", startingAt: 0) + " \(row.held)/\(row.total)")
        }
        return lines.joined(separator: "\n")
    }

    @Test func ordinaryMessagesPass() throws {
        let entries = try Self.entries("ordinary.tsv", keyColumns: 1)
        let sender = Self.registry.person("kalle")
        #expect(entries.count >= 300)
        var rows: [String: (held: Int, total: Int)] = [:]
        var heldTexts: [String] = []
        for entry in entries {
            let held = isHeld(entry.messages, sender: sender, rules: .fromExpert)
            rows[entry.key, default: (0, 0)].total += 1
            if held {
                rows[entry.key, default: (0, 0)].held += 1
                heldTexts.append(entry.messages.joined(separator: " | "))
            }
        }
        let total = rows.values.reduce(0) { $0 + $1.total }
        let held = heldTexts.count
        print(
            Self.table("guard corpus: ordinary messages held (at most 1 %)", rows)
                + "\n  all: \(held)/\(total)" + heldTexts.map { "\n  held: \($0)" }.joined())
        #expect(Double(held) <= Double(total) * 0.01, "held \(held) of \(total): \(heldTexts)")
    }

    @Test func disguisedDetailsAreHeld() throws {
        let entries = try Self.entries("disguised.tsv", keyColumns: 2)
        #expect(entries.count >= 400)
        var rows: [String: (held: Int, total: Int)] = [:]
        var passed: [String] = []
        for entry in entries {
            // Identity codes must be held even under the employee side's rules, which hold only them.
            let rules: GuardRules = entry.key == "identity_code" ? .fromEmployeeSide : .fromExpert
            let held = isHeld(entry.messages, sender: nil, rules: rules)
            let name = "\(entry.key)/\(entry.family)"
            rows[name, default: (0, 0)].total += 1
            if held {
                rows[name, default: (0, 0)].held += 1
            } else {
                passed.append("\(name): \(entry.messages.joined(separator: " ||| "))")
            }
        }
        let total = entries.count
        let held = total - passed.count
        print(
            Self.table("guard corpus: disguised details held (at least 98 %)", rows)
                + "\n  all: \(held)/\(total)" + passed.map { "\n  passed: \($0)" }.joined())
        #expect(Double(held) >= Double(total) * 0.98, "held \(held) of \(total); passed: \(passed)")
    }

    @Test func sendersOwnContactsAreAllHeld() throws {
        let entries = try Self.entries("own.tsv", keyColumns: 2)
        #expect(entries.count >= 60)
        var rows: [String: (held: Int, total: Int)] = [:]
        var passed: [String] = []
        for entry in entries {
            let sender = try #require(Self.registry.person(PersonID(entry.key)), "no \(entry.key) in the example registry")
            let held = isHeld(entry.messages, sender: sender, rules: .fromExpert)
            rows[entry.family, default: (0, 0)].total += 1
            if held {
                rows[entry.family, default: (0, 0)].held += 1
            } else {
                passed.append("\(entry.key)/\(entry.family): \(entry.messages.joined(separator: " ||| "))")
            }
        }
        print(
            Self.table("guard corpus: the sender's own contacts held (all)", rows)
                + "\n  all: \(entries.count - passed.count)/\(entries.count)" + passed.map { "\n  passed: \($0)" }.joined())
        #expect(passed.isEmpty, "passed: \(passed)")
    }
}
