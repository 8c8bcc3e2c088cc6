import ArgumentParser
import Foundation
import KokemusConsole
import KokemusCore

/// `kokemus demo`: the gateway on the console with the example registry.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway on the console with the example registry.",
        discussion: """
            Type as any registry person: `/as anna`, then text. `/time 2026-12-08T14:30` sets the \
            simulated clock (Helsinki time) and fires due reminders; `/who` lists people; \
            `/orders` lists stored orders; `/restart` reopens the gateway on the same state; \
            `/help` lists all directives.

            Without --state the demo uses a fresh directory under the system's temporary folder. \
            A state directory without a registry gets a copy of the example registry.

            The transcript goes to standard output, one line per message: `anna → bot: text` and \
            `bot → anna: text`, continuation lines indented by two spaces. Logs go to standard error.
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Read the lines from this file instead of the keyboard (# starts a comment).")
    var script: String?

    @Option(name: .long, help: "Copy the registry from this directory (default: Config/example beside the config file).")
    var registry: String?

    func run() async throws {
        let logger = options.makeLogger()
        try await reportingErrors {
            var config = try options.loadConfig()
            var temporaryState: URL?
            if options.state == nil {
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("kokemus-demo-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
                config.stateDirectory = directory
                config.registryDirectory = nil
                temporaryState = directory
                FileHandle.standardError.write(
                    Data(
                        "kokemus demo: state in \(directory.path), removed at exit (--state DIR keeps it)\n".utf8))
            }
            defer {
                if let temporaryState { try? FileManager.default.removeItem(at: temporaryState) }
            }
            let source =
                registry.map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: options.config).deletingLastPathComponent().appendingPathComponent("example")
            try DemoSession.seedRegistry(from: source, into: config)

            let session = try DemoSession(
                config: config, clock: ManualClock(Date()), writer: .standardOutput(),
                logger: logger)
            try await session.open()
            if let script {
                let text: String
                do {
                    text = try String(contentsOfFile: script, encoding: .utf8)
                } catch {
                    throw ValidationError("cannot read the script \(script): \(error.localizedDescription)")
                }
                try await session.run(script: text)
            } else {
                let interactive = isatty(STDIN_FILENO) == 1
                if interactive {
                    FileHandle.standardError.write(
                        Data("Kokemus demo. /help lists directives; start with /who and /as NAME. Ctrl-D ends.\n".utf8))
                }
                while true {
                    if interactive { FileHandle.standardError.write(Data("> ".utf8)) }
                    guard let line = readLine() else { break }
                    try await session.handle(line: line)
                }
            }
            session.close()
        }
    }
}
