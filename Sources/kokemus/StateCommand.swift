import ArgumentParser
import Foundation
import KokemusCore
import Logging

/// `kokemus state`: inspect and maintain a state directory.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Check or compact a state directory.",
        subcommands: [Check.self, Compact.self])

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
                print(
                    "  orders \(store.state.orders.count), conversations \(store.state.conversations.count), "
                        + "undelivered messages \(store.state.outbox.count)")
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
            abstract: "Write a snapshot of the state and start an empty journal.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let logger = options.makeLogger()
            try await reportingErrors {
                let (config, store) = try options.openStore(logger: logger)
                try store.compact()
                print("compacted \(config.stateDirectory.path) at sequence \(store.lastSequence)")
            }
        }
    }
}
