import Foundation
import KokemusCore
import Logging

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

func temporaryDirectory(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func cleanUp(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
}

/// The shipped configuration with its state moved to `state`.
func demoConfig(state: URL) throws -> KokemusConfig {
    var config = try KokemusConfig.load(file: repositoryRoot.appendingPathComponent("Config/kokemus.yaml"))
    config.stateDirectory = state
    config.registryDirectory = nil
    return config
}

/// The `kokemus` binary built beside the test bundle (`swift build` puts both in one folder).
func kokemusBinary() throws -> URL {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kokemus"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("kokemus"),
        repositoryRoot.appendingPathComponent(".build/debug/kokemus"),
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw CLIError("the kokemus binary is not built; run `swift build` before `swift test` (looked in \(candidates.map(\.path)))")
    }
    return found
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Output of a finished command.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the kokemus binary in the repository root and waits for it to end.
func runKokemus(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = try kokemusBinary()
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    process.currentDirectoryURL = repositoryRoot
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a full pipe cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    group.enter()
    DispatchQueue.global().async {
        errorData = stderr.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus
            : process.terminationStatus,
        stdout: String(decoding: outputData, as: UTF8.self),
        stderr: String(decoding: errorData, as: UTF8.self))
}

/// Literal texts in tests stand for what a person typed and the guard let through: they go
/// through the guard's public door with no kind held, so a test can write `description: "…"`.
extension GuardedText: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = TextGuard().passed(value, rules: GuardRules(held: []))!
    }
}
