import ArgumentParser
import Foundation
import KokemusConsole
import KokemusCore
import Logging

/// The `kokemus` command: parses arguments and wires the library's parts together.
@main
struct Kokemus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kokemus",
        abstract: "A messaging gateway for experience-expert work (kokemusasiantuntijatoiminta).",
        discussion: """
            Kokemus walks employees, experts and coordinators through conversation flows kept \
            as YAML files, and keeps its state in crash-safe flat files.

            Start with `kokemus demo`, which runs the gateway on the console with the example \
            registry. See Config/README.md for configuration and Flows/README.md for the flow format.
            """,
        version: "0.1.0",
        subcommands: [
            Run.self, Demo.self, Flows.self, RegistryCommand.self, Orders.self, PersonCommand.self, Payroll.self, Report.self,
            StateCommand.self, AuditCommand.self, StatusCommand.self,
        ])
}

/// Options every command that reads the configuration shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = "Config/kokemus.yaml"

    @Option(name: .long, help: "The state directory (overrides state_dir in the configuration).")
    var state: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical (default: warning; info for run).")
    var logLevel: Logger.Level?

    @Option(name: .long, help: "Log lines as text (default) or json (one JSON object a line, for a log collector).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func loadConfig() throws -> KokemusConfig {
        let file = URL(fileURLWithPath: config)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ValidationError("no configuration file at \(config): run kokemus from the repository root or give --config FILE")
        }
        var loaded = try KokemusConfig.load(file: file)
        if let state { loaded.stateDirectory = URL(fileURLWithPath: state).standardizedFileURL }
        return loaded
    }

    /// Opens the configured state directory as the gateway would (taking its lock).
    func openStore(logger: Logger) throws -> (KokemusConfig, StateStore<GatewayState>) {
        let config = try loadConfig()
        let store = try StateStore<GatewayState>(
            directory: config.stateDirectory,
            options: .init(snapshotEvery: 0, createIfMissing: false), logger: logger)
        return (config, store)
    }

    func makeLogger(default fallback: Logger.Level = .warning) -> Logger {
        let level = logLevel ?? fallback
        let format = logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: "kokemus")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Turns a library error into a message and an exit status a shell script can act on.
func exitStatus(for error: any Error) -> ExitCode {
    if let error = error as? StoreError {
        return error.isFatal ? ExitCode(74) : error.isLocked ? ExitCode(75) : ExitCode(74)
    }
    if error is ConfigError || error is ConfigErrors { return ExitCode(78) }
    return .failure
}

func printError(_ error: any Error) {
    FileHandle.standardError.write(Data("kokemus: \(error)\n".utf8))
}

/// Runs a command's body; a library error is printed as a sentence and becomes an exit status.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        printError(error)
        throw exitStatus(for: error)
    }
}
