import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus person export ID`: what the gateway holds about one person (GDPR Art. 15, 20).
struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "A person's data: everything the state and the registry hold about them, or erase it.",
        subcommands: [Export.self, Erase.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everything held about a person, as JSON (machine-readable) or text (readable).",
            discussion: """
                The registry entry, the orders they made, worked on or were offered (their own offers \
                only), fee reports, feedback they gave or that is about their work, what they said about \
                themselves, a conversation in progress or kept as a draft, announcements, supervision, \
                messages waiting for them, the ends of their recent relays, and texts the guard held. \
                Reads the state without taking its lock, so it can run while the gateway does, and \
                changes nothing. Exit status 1 when neither the registry nor the state knows the id.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json, text
        }

        @OptionGroup var options: CommonOptions

        @Argument(help: "The person's registry id, e.g. kalle.")
        var id: String

        @Option(name: .long, help: "json (default) or text.")
        var format: Format = .json

        @Option(name: [.short, .long], help: "Write it to this file (replaced whole, 0600) instead of standard output (-).")
        var output: String?

        func validate() throws {
            if let output, output != "-" { try Report.Shared.checkOutput(output) }
        }

        func run() async throws {
            _ = options.makeLogger()
            try await reportingErrors {
                let config = try options.loadConfig()
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
                let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
                let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
                let person = PersonID(id)
                let known = PersonData(of: person, state: state, registry: registry, now: Date())
                guard known.registryEntry != nil || !known.isEmpty else {
                    FileHandle.standardError.write(Data("kokemus: no person '\(id)' in the registry or the state\n".utf8))
                    throw ExitCode.failure
                }
                // Logged first, so the export lists itself.
                try recordAccess(config, what: "everything held about \(id)", about: [person])
                let audit = try AuditLog(directory: config.stateDirectory).entries()
                let data = PersonData(of: person, state: state, registry: registry, now: Date(), audit: audit)
                let text = format == .json ? try data.json() : data.text(time: time)
                if let output, output != "-" {
                    try DurableFile.replace(URL(fileURLWithPath: output).path, with: Data(text.utf8))
                    FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
                } else {
                    print(text, terminator: "")
                }
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a person's data from the state (GDPR Art. 17); the gateway must be stopped.",
            discussion: """
                Removes what is theirs alone (conversations, drafts, what they said about themselves, \
                waiting messages, relay ends, held texts, the channels' memory of them) and empties every \
                free text they wrote (an order's need, feedback, reasons, notes, announcements). What the \
                county must keep stays under a pseudonym (erased-…): fee reports and their lines \
                (accounting records, six years after the year ends, Kirjanpitolaki 2:10 §), orders and \
                sessions as others' work, supervision attendance. Their name, id, handle and contacts in \
                others' texts are replaced by the pseudonym. The snapshot and journal are rewritten, and \
                the state directory's files are then searched for them: anything found is named (exit \
                status 1). The access log keeps its entries (ids only), as the law asks of it.

                Without --yes, says what it would do and changes nothing. Takes the state's lock, so it \
                refuses while the gateway runs: stop it, erase, remove the person from the registry \
                (the lines are named), start it. Backups made before hold the data until they expire.
                """)

        @OptionGroup var options: CommonOptions

        @Argument(help: "The person's registry id, e.g. kalle.")
        var id: String

        @Flag(name: .long, help: "Erase; without it, only say what would be erased.")
        var yes = false

        func run() async throws {
            let logger = options.makeLogger()
            try await reportingErrors {
                let config = try options.loadConfig()
                let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
                let person = PersonID(id)
                let store: StateStore<GatewayState>
                do {
                    (_, store) = try options.openStore(logger: logger)
                } catch let error as StoreError where error.isLocked {
                    let text =
                        "kokemus: the gateway is running on \(config.stateDirectory.path) (\(error)): stop it "
                        + "(systemctl stop kokemus), erase, remove the person from the registry, start it again\n"
                    FileHandle.standardError.write(Data(text.utf8))
                    throw ExitCode(75)
                }
                let known = PersonData(of: person, state: store.state, registry: registry, now: Date())
                guard known.registryEntry != nil || !known.isEmpty else {
                    FileHandle.standardError.write(Data("kokemus: no person '\(id)' in the registry or the state\n".utf8))
                    throw ExitCode.failure
                }
                let used = Set(registry.people.keys).union(store.state.orders.values.map(\.orderer))
                let erasure = PersonErasure(
                    person, entry: registry.person(person), pseudonym: PersonErasure.newPseudonym(avoiding: used))
                let (erased, outcome) = erasure.erase(store.state)
                print(yes ? "erased \(id) from \(config.stateDirectory.path):" : "would erase \(id) (nothing changed; add --yes):")
                for (kind, count) in outcome.removed.sorted(by: { $0.key < $1.key }) { print("  removed: \(count) \(kind)") }
                if outcome.textsEmptied > 0 { print("  emptied: \(outcome.textsEmptied) text(s) they wrote") }
                for (kind, count) in outcome.pseudonymised.sorted(by: { $0.key < $1.key }) {
                    print("  kept under the pseudonym \(outcome.pseudonym): \(count) \(kind)")
                }
                for renamed in outcome.renamedReports { print("  fee report \(renamed.old) is now \(renamed.new)") }
                guard yes else { return }
                // Before the change: an erasure is a processing of their data like a read.
                try recordAccess(config, what: "erased \(id)'s data", about: [person])
                try store.rewrite(erased)
                // The marker names the sender of the message last handled, even when stale.
                let marker = config.stateDirectory.appendingPathComponent("handling").path
                if let text = FileManager.default.contents(atPath: marker).map({ String(decoding: $0, as: UTF8.self) }),
                    !erasure.traces(in: text).isEmpty
                {
                    try DurableFile.replace(marker, with: Data("\n".utf8))
                }
                var problems = 0
                for name in ["snapshot", "journal", "handling"] {
                    guard let data = FileManager.default.contents(atPath: config.stateDirectory.appendingPathComponent(name).path)
                    else { continue }
                    let found = erasure.traces(inStateFile: data, flows: Array(erased.flowSources.values))
                    if !found.isEmpty {
                        problems += 1
                        print("  STILL IN \(name): \(found.count) of their identifiers")
                    }
                }
                let registryLines = Self.lines(naming: person, in: config.effectiveRegistryDirectory)
                if !registryLines.isEmpty {
                    print("now remove them from the registry (and restart the gateway):")
                    for line in registryLines { print("  \(line)") }
                }
                let asides =
                    (try? FileManager.default.contentsOfDirectory(atPath: config.stateDirectory.path))?
                    .filter { $0.hasPrefix("before-restore-") }.sorted() ?? []
                for aside in asides { print("  \(aside) in the state directory is an older copy that still holds them: delete it") }
                print("backups made before now still hold their data until they expire")
                if problems > 0 { throw ExitCode.failure }
            }
        }

        /// `FILE:LINE: text` of every registry line that names the person by id.
        static func lines(naming person: PersonID, in directory: URL) -> [String] {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            return files.flatMap { name -> [String] in
                guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return [] }
                return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
                    PersonErasure.replace([person.rawValue], in: String(line), with: "\u{0}") != String(line)
                        ? "\(directory.appendingPathComponent(name).path):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))" : nil
                }
            }
        }
    }
}
