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
                their own application, waiting messages, relay ends, held texts, the channels' memory of \
                them) and empties every free text they wrote (an order's need, feedback, reasons, notes, \
                announcements). What the county must keep stays under a pseudonym (erased-…): fee \
                reports and their lines (accounting records, six years after the year ends, \
                Kirjanpitolaki 2:10 §), orders and sessions as others' work, supervision attendance. \
                Their name (with its Finnish inflections), id, handle, contacts and address in others' \
                texts are replaced by the pseudonym. Before anything is written the new state is \
                searched for them, and afterwards the files: anything found is named.

                Without --yes, says what it would do and changes nothing. It refuses while the person \
                has work open (a fee not yet paid, a booking, an offer; --force erases all the same) and \
                when the registry no longer knows them (give what identified them with --also). It \
                takes the state's lock, so it refuses while the gateway runs: stop it, erase, remove \
                the person from the registry (the lines are named), start it. Backups made before, the \
                IMAP mailbox and the Matrix rooms' history hold what they held until they expire.
                """)

        @OptionGroup var options: CommonOptions

        @Argument(help: "The person's registry id, e.g. kalle.")
        var id: String

        @Flag(name: .long, help: "Erase; without it, only say what would be erased.")
        var yes = false

        @Option(
            name: .long,
            help: "Something else that identified them (a name, a phone number), when the registry no longer has it; repeatable.")
        var also: [String] = []

        @Flag(name: .long, help: "Erase even though they have work open (fees the county owes them, bookings).")
        var force = false

        func run() async throws {
            let logger = options.makeLogger()
            try await reportingErrors {
                let config = try options.loadConfig()
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
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
                guard known.registryEntry != nil || !also.isEmpty else {
                    let text =
                        "kokemus: '\(id)' is no longer in the registry, so only the id could be searched for: give what "
                        + "identified them (name, phone, e-mail, address) with --also, e.g. --also 'Kalle Heikkinen' --also '040 000 0101'\n"
                    FileHandle.standardError.write(Data(text.utf8))
                    throw ExitCode.failure
                }
                let used = Set(registry.people.keys).union(store.state.orders.values.map(\.orderer))
                let erasure = PersonErasure(
                    person, entry: registry.person(person), pseudonym: PersonErasure.newPseudonym(avoiding: used),
                    registry: registry, also: also)
                let open = erasure.openWork(in: store.state, now: Date(), time: time)
                if !open.isEmpty {
                    print("\(id) has work open, which erasing would harm (Art. 17(3): the county may keep what it owes):")
                    for item in open { print("  \(item)") }
                    if !force {
                        print(
                            yes
                                ? "nothing erased: finish it first, or add --force"
                                : "(--yes would refuse; add --force to erase all the same)")
                        if yes { throw ExitCode.failure }
                    }
                }
                // Accesses waiting for the access log are written as they are first: the log must
                // not learn the pseudonym (it would link it to them).
                var state = store.state
                let auditLog = AuditLog(directory: config.stateDirectory)
                if yes, !state.pendingAccesses.isEmpty {
                    let written = try auditLog.append(state.pendingAccesses)
                    state.pendingAccesses = []
                    if let last = written.last { state.auditAnchor = AuditAnchor(seq: last.seq, hash: last.hash) }
                }
                var (erased, outcome) = erasure.erase(state)
                erased.pendingAccesses = erased.pendingAccesses.filter { !$0.about.contains(erasure.pseudonym) }
                print(yes ? "erasing \(id) from \(config.stateDirectory.path):" : "would erase \(id) (nothing changed; add --yes):")
                for (kind, count) in outcome.removed.sorted(by: { $0.key < $1.key }) { print("  removed: \(count) \(kind)") }
                if outcome.textsEmptied > 0 { print("  emptied: \(outcome.textsEmptied) text(s) they wrote") }
                for (kind, count) in outcome.pseudonymised.sorted(by: { $0.key < $1.key }) {
                    print("  kept under a pseudonym: \(count) \(kind)")
                }
                for renamed in outcome.renamedReports { print("  fee report \(renamed.old) is now \(renamed.new)") }
                if !erasure.ambiguous.isEmpty {
                    print("  not searched for alone (others in the registry have them too): \(erasure.ambiguous.joined(separator: ", "))")
                }
                // The new state searched before anything is written: a field this build does not
                // know to erase stops it here, named.
                let left = try Self.paths(naming: erasure, in: erased)
                guard left.isEmpty else {
                    print("NOT ERASED: these would still name them (nothing was changed):")
                    for path in left.prefix(50) { print("  \(path)") }
                    throw ExitCode.failure
                }
                let inFiles = Self.filesNaming(erasure, in: config.stateDirectory, flows: Array(store.state.flowSources.values))
                guard yes else {
                    if !inFiles.isEmpty {
                        print("  the files still hold them (\(inFiles.joined(separator: ", "))): an erase cut short? --yes rewrites them")
                    }
                    return
                }
                // Before the change: an erasure is a processing of their data like a read.
                // Not the command line: what `--also` gave would stay in the log the law keeps.
                try recordAccess(config, what: "erased \(id)'s data", about: [person], command: "kokemus person erase \(id)")
                try store.rewrite(erased)
                // The markers name the sender of the message (or registry change) last handled, even when stale.
                for name in ["handling", "handling-registry"] {
                    let marker = config.stateDirectory.appendingPathComponent(name).path
                    if let text = FileManager.default.contents(atPath: marker).map({ String(decoding: $0, as: UTF8.self) }),
                        !erasure.traces(in: text).isEmpty
                    {
                        try DurableFile.replace(marker, with: Data("\n".utf8))
                    }
                }
                let still = Self.filesNaming(erasure, in: config.stateDirectory, flows: Array(erased.flowSources.values))
                for name in still { print("  STILL IN \(name)") }
                print("erased; \(id) is \(outcome.pseudonym) in what is kept (written nowhere with the id)")
                let registryLines = Self.lines(naming: erasure, in: config.effectiveRegistryDirectory)
                if !registryLines.isEmpty {
                    print("now remove them from the registry (and restart the gateway):")
                    for line in registryLines { print("  \(line)") }
                }
                let asides =
                    (try? FileManager.default.contentsOfDirectory(atPath: config.stateDirectory.path))?
                    .filter { $0.hasPrefix("before-restore-") }.sorted() ?? []
                for aside in asides { print("  \(aside) in the state directory is an older copy that still holds them: delete it") }
                print("backups made before now, the mailbox and the Matrix rooms hold what they held until they expire")
                if !still.isEmpty { throw ExitCode.failure }
            }
        }

        /// Where in `state` (as JSON paths) the person can still be found, leaving out the flows.
        static func paths(naming erasure: PersonErasure, in state: GatewayState) throws -> [String] {
            var state = state
            state.flowSources = [:]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = try JSONSerialization.jsonObject(with: try encoder.encode(state))
            var found: [String] = []
            func walk(_ value: Any, _ path: String) {
                if let object = value as? [String: Any] {
                    for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                        if !erasure.traces(in: key).isEmpty { found.append("\(path)/\(key) (a key)") }
                        walk(member, "\(path)/\(key)")
                    }
                } else if let array = value as? [Any] {
                    for (index, member) in array.enumerated() { walk(member, "\(path)/\(index)") }
                } else if let text = value as? String, !erasure.traces(in: text).isEmpty {
                    found.append("\(path): \(erasure.traces(in: text).joined(separator: ", "))")
                }
            }
            walk(json, "")
            return found
        }

        /// The state directory's files (not the registry or the access log) that name them.
        static func filesNaming(_ erasure: PersonErasure, in directory: URL, flows: [StoredFlow]) -> [String] {
            ["snapshot", "journal", "handling", "handling-registry"].filter { name in
                guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return false }
                return !erasure.traces(inStateFile: data, flows: flows).isEmpty
            }
        }

        /// `FILE:LINE: text` of every registry line that names the person.
        static func lines(naming erasure: PersonErasure, in directory: URL) -> [String] {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            return files.flatMap { name -> [String] in
                guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return [] }
                return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
                    erasure.traces(in: String(line)).isEmpty
                        ? nil : "\(directory.appendingPathComponent(name).path):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))"
                }
            }
        }
    }
}
