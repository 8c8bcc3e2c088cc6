import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus person export ID`: what the gateway holds about one person (GDPR Art. 15, 20).
struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "A person's data: everything the state and the registry hold about them.",
        subcommands: [Export.self])

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
}
