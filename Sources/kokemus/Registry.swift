import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus registry check [DIR]`: the registry files as the gateway would load them.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Check the registry (people and units).",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the registry files in a directory, as the gateway loads them.",
            discussion: """
                Checks YAML syntax, keys, required fields, ids and references (approvers, contacts, \
                units), channels and contacts, dates and limits, and with the configuration's task \
                catalogue the experts' role profiles. Problems are printed as FILE:LINE: message and \
                the exit status is 1; a valid registry prints what it holds and exits 0. Without DIR, \
                the configuration's registry directory.
                """)

        @Argument(help: "The registry directory (default: the configuration's).")
        var directory: String?

        @Option(name: .long, help: "The configuration file (for the default directory and the task catalogue).")
        var config: String = "Config/kokemus.yaml"

        func run() throws {
            let configuration =
                FileManager.default.fileExists(atPath: config)
                ? try? KokemusConfig.load(file: URL(fileURLWithPath: config)) : nil
            guard let path = directory ?? configuration?.effectiveRegistryDirectory.path else {
                throw ValidationError("give the registry directory, or --config FILE that names one")
            }
            var problems: [ConfigError] = []
            var registry: Registry?
            do {
                registry = try RegistryLoader.load(directory: URL(fileURLWithPath: path))
            } catch let errors as ConfigErrors {
                problems = errors.errors
            } catch let error as ConfigError {
                problems = [error]
            }
            // A role profile the catalogue lacks would leave its expert out of every such offer.
            if let registry, let tasksFile = configuration?.tasksFile {
                let people = URL(fileURLWithPath: path).appendingPathComponent("people.yaml").path
                let file = FileManager.default.fileExists(atPath: people) ? people : path
                problems += try TaskCatalogue.load(file: tasksFile).roleProfileProblems(in: registry).map { ConfigError($0, file: file) }
            }
            guard problems.isEmpty, let registry else {
                for problem in problems { print(problem) }
                print("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(path)")
                throw ExitCode.failure
            }
            func count(_ number: Int, _ one: String, _ many: String) -> String { "\(number) \(number == 1 ? one : many)" }
            let roles = [
                count(registry.people(with: .expert).count, "expert", "experts"),
                count(registry.people(with: .employee).count, "employee", "employees"),
                count(registry.people(with: .approver).count, "approver", "approvers"),
                count(registry.coordinators.count, "coordinator", "coordinators"),
            ]
            print(
                "registry OK: \(count(registry.people.count, "person", "people")) (\(roles.joined(separator: ", "))), "
                    + count(registry.sortedUnits.count, "unit", "units"))
        }
    }
}
