import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus audit`: who has been shown whose data, and whether the log is whole.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The access log: who has been shown a person's data, and a check that no entry was changed.",
        discussion: """
            Every time the gateway shows someone another person's data in chat (the candidates for \
            an order, the list of orders, a fee report to approve) and every time a command reads \
            people's data (person export, reports, payroll export, orders list), an entry goes to \
            audit.jsonl in the state directory: who, when, what, about whom, and the command. \
            Each entry carries the SHA-256 of the one before it.
            """,
        subcommands: [Show.self, Verify.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Who has been shown a person's data (kokemus audit --person ID), oldest first.")

        @OptionGroup var options: CommonOptions

        @Option(name: .long, help: "Only entries about this person (registry id); without it, every entry.")
        var person: String?

        @Option(name: .long, help: "From this Helsinki day on, as YYYY-MM-DD.")
        var from: String?

        @Option(name: .long, help: "Up to and including this Helsinki day, as YYYY-MM-DD.")
        var to: String?

        @Option(name: .long, help: "text (default) or json (one entry per line).")
        var format: Format = .text

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        func validate() throws {
            for (name, value) in [("--from", from), ("--to", to)] {
                // A day that exists: 2026-02-30 is no day, not 2 March.
                if let value, LocalDay(iso: value).map({ $0.iso != value || $0.adding(days: 0).iso != value }) ?? true {
                    throw ValidationError("\(name) must be a day like 2026-12-01, not '\(value)'")
                }
            }
        }

        func run() async throws {
            _ = options.makeLogger()
            try await reportingErrors {
                let config = try options.loadConfig()
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
                let log = AuditLog(directory: config.stateDirectory)
                func start(_ day: LocalDay) -> Date? { time.date(year: day.year, month: day.month, day: day.day) }
                let first = from.flatMap(LocalDay.init(iso:)).flatMap(start)
                let last = to.flatMap(LocalDay.init(iso:)).flatMap { start($0.adding(days: 1)) }
                let entries = try log.entries().filter { entry in
                    (person.map { entry.about.contains(PersonID($0.lowercased())) } ?? true) && first.map { entry.at >= $0 } ?? true
                        && last.map { entry.at < $0 } ?? true
                }
                // Read as the log is: a broken chain is said before the entries, not hidden.
                let anchor = (try? StateStore<GatewayState>.readState(directory: config.stateDirectory))?.auditAnchor
                let verification = try log.verify(anchor: anchor)
                if let problem = verification.problem {
                    FileHandle.standardError.write(
                        Data("kokemus: warning: the audit log's chain is broken at line \(problem.line): \(problem.reason)\n".utf8))
                }
                if format == .json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    encoder.dateEncodingStrategy = .iso8601
                    for entry in entries { print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
                    return
                }
                if entries.isEmpty {
                    print(person.map { "no one has been shown \($0)'s data in the log" } ?? "the audit log is empty")
                }
                for entry in entries {
                    let about = person == nil ? " about \(entry.about.map(\.rawValue).joined(separator: ", "))" : ""
                    print(
                        "\(time.isoMinuteString(entry.at))  \(entry.by) (\(entry.via.rawValue))  \(entry.what)\(about)  [\(entry.why)]")
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the log's hash chain: exit status 1 and the line when an entry was changed, added or removed.",
            discussion: """
                Prints the number of entries and the head (the last entry's hash). The chain shows a \
                changed line; a log rewritten whole shows only against a head kept elsewhere: the \
                gateway logs the head at every start.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            _ = options.makeLogger()
            try await reportingErrors {
                let config = try options.loadConfig()
                let log = AuditLog(directory: config.stateDirectory)
                // The last entry the gateway wrote, as its state remembers it.
                let anchor = (try? StateStore<GatewayState>.readState(directory: config.stateDirectory))?.auditAnchor
                let result = try log.verify(anchor: anchor)
                if let problem = result.problem {
                    print("audit log \(log.path): BROKEN at line \(problem.line): \(problem.reason)")
                    throw ExitCode.failure
                }
                let dropped = result.dropped > 0 ? ", \(result.dropped) older entries dropped by retention" : ""
                print("audit log \(log.path): whole, \(result.entries) entries\(dropped)")
                print("  head \(result.lastSequence) \(result.head)")
                if result.tornTail { print("  a last line cut by a crash while written (cut or ended at the next entry)") }
                if let anchor { print("  the gateway's last entry \(anchor.seq) is in it") }
            }
        }
    }
}

/// Writes a command-line read of people's data to the audit log, before anything is shown:
/// a command whose read cannot be logged shows nothing. `command` stands for the command
/// line where its arguments must not be kept (an erasure's `--also` names the person).
func recordAccess(_ config: KokemusConfig, what: String, about: [PersonID], command given: String? = nil) throws {
    // A backup's copy of the log is no place for a read: it would go unseen by the live log
    // (and change the backup, which then fails its check).
    if FileManager.default.fileExists(atPath: config.stateDirectory.appendingPathComponent("backup.json").path) {
        throw ValidationError(
            "\(config.stateDirectory.path) is a backup (it has backup.json): read people's data from the live state, "
                + "whose access log records it, or restore the backup first")
    }
    let command = given ?? (["kokemus"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    try AuditLog(directory: config.stateDirectory).append([
        DataAccess(at: Date(), by: DataAccess.operatingSystemUser(), via: .cli, what: what, about: about, why: command)
    ])
}
