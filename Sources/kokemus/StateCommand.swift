import ArgumentParser
import Foundation
import KokemusCore
import Logging

/// `kokemus state`: inspect and maintain a state directory.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Check, compact, back up or restore a state directory.",
        subcommands: [Check.self, Compact.self, Backup.self, Restore.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the state as the gateway would and report what recovery found.",
            discussion: "Exit status 0 if the state loads; a damaged journal prints the record's offset. "
                + "Values no person could have meant (a session of days, costs over 100 000 €) are listed.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let logger = options.makeLogger()
            try await reportingErrors {
                let (config, store) = try options.openStore(logger: logger)
                let report = store.recovery
                print("state \(config.stateDirectory.path): loads")
                print("  snapshot sequence \(report.snapshotSequence), journal records replayed \(report.replayedRecords)")
                print("  torn bytes cut \(report.tornBytesCut)")
                // Which format the files are, and that this build reads it (it reads every
                // earlier one; an older build may not read what this one wrote: FORMAT.md).
                func magic(_ name: String) -> String {
                    let handle = FileHandle(forReadingAtPath: config.stateDirectory.appendingPathComponent(name).path)
                    defer { try? handle?.close() }
                    return (try? handle?.read(upToCount: 8)).flatMap { $0.map { String(decoding: $0, as: UTF8.self) } } ?? "none"
                }
                print(
                    "  format: state directory format 2 (journal \(magic("journal")), snapshot \(magic("snapshot"))); "
                        + "this build reads journals KOKJRNL1 and snapshots KOKSNAP1 to KOKSNAP3")
                print(
                    "  orders \(store.state.orders.count), conversations \(store.state.conversations.count), "
                        + "undelivered messages \(store.state.outbox.count)")
                // What the next daily pass would take (retention: in the configuration).
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
                let plan = RetentionPlan(state: store.state, policy: config.retention, time: time, now: Date())
                let last = store.state.retentionAppliedOn.map { "last pass \($0.iso)" } ?? "no pass yet"
                print(
                    "  retention (\(last); daily from \(config.retention.hour).00): "
                        + (plan.summary.isEmpty ? "nothing due" : "due " + plan.summary.joined(separator: ", ")))
                // Loaded all the same; sums with these saturate rather than trap.
                let implausible = store.state.implausibleValues()
                if !implausible.isEmpty {
                    print("  values no person could have meant (\(implausible.count)); correct them at their source:")
                    for value in implausible.prefix(100) { print("    \(value)") }
                    if implausible.count > 100 { print("    … and \(implausible.count - 100) more") }
                }
            }
        }
    }

    struct Compact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply retention, write a snapshot of the state and start an empty journal.",
            discussion: """
                What the configuration's retention no longer keeps goes first (as the gateway's daily \
                pass does), so no copy of it stays in the journal; the access log's old entries too.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let logger = options.makeLogger()
            try await reportingErrors {
                let (config, store) = try options.openStore(logger: logger)
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
                let now = Date()
                let plan = RetentionPlan(state: store.state, policy: config.retention, time: time, now: now)
                if !plan.summary.isEmpty {
                    try store.commit(plan.events(day: time.day(of: now)))
                    print("retention: \(plan.summary.joined(separator: ", "))")
                }
                try store.compact()
                let cutoff = Calendar(identifier: .gregorian).date(byAdding: .year, value: -config.retention.auditLogYears, to: now) ?? now
                let dropped = try AuditLog(directory: config.stateDirectory).prune(before: cutoff)
                if dropped > 0 { print("access log: \(dropped) entries older than \(config.retention.auditLogYears) years dropped") }
                print("compacted \(config.stateDirectory.path) at sequence \(store.lastSequence)")
            }
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the state (and its registry) into a new directory, while the gateway runs or not.",
            discussion: """
                The copy is consistent: the state as it was after one commit. It is loaded as the \
                gateway would load it, and its files' SHA-256 are written to backup.json beside them. \
                The directory must not exist or be empty. Keep backups as private as the state (0700).
                """)

        @OptionGroup var options: CommonOptions

        @Option(name: .long, help: "The new directory to copy into.")
        var to: String

        func run() async throws {
            _ = options.makeLogger()
            try await reportingErrors {
                let config = try options.loadConfig()
                let target = URL(fileURLWithPath: to)
                let manifest = try StateBackup.backup(GatewayState.self, from: config.stateDirectory, to: target, now: Date())
                print(
                    "backed up \(config.stateDirectory.path) to \(target.path) at sequence \(manifest.sequence) "
                        + "(\(manifest.sha256.count) files, \(manifest.bytes.values.reduce(0, +)) bytes)")
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a backup and put it back as the state; the gateway must be stopped.",
            discussion: """
                Checks backup.json, every file's SHA-256 and that the state loads; then, holding the \
                state directory's lock (so not while a gateway runs), moves what is there aside to \
                before-restore-TIME inside it and puts the backup in its place. With --check, only checks.
                """)

        @OptionGroup var options: CommonOptions

        @Option(name: .long, help: "The backup directory (made by kokemus state backup).")
        var from: String

        @Flag(name: .long, help: "Only check the backup; change nothing.")
        var check = false

        func run() async throws {
            _ = options.makeLogger()
            try await reportingErrors {
                let backup = URL(fileURLWithPath: from)
                if check {
                    let manifest = try StateBackup.verify(GatewayState.self, backup)
                    print("backup \(backup.path): whole, loads at sequence \(manifest.sequence)")
                    return
                }
                let config = try options.loadConfig()
                let (manifest, aside) = try StateBackup.restore(
                    GatewayState.self, from: backup, to: config.stateDirectory, now: Date())
                print("restored \(backup.path) to \(config.stateDirectory.path) at sequence \(manifest.sequence)")
                if let aside { print("what was there is in \(aside.path)") }
            }
        }
    }
}
