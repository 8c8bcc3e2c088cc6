import Foundation
import Logging

@testable import KokemusCore

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The real message catalog, so tests exercise the shipped texts and vocabulary.
let catalog: MessageCatalog = {
    do {
        return try MessageCatalog.load(file: repositoryRoot.appendingPathComponent("Config/messages.yaml"))
    } catch {
        fatalError("Config/messages.yaml does not load: \(error)")
    }
}()

let helsinki = LocalTime.helsinki

/// A Helsinki wall-clock time.
func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
    helsinki.date(year: year, month: month, day: day, hour: hour, minute: minute)!
}

let quietLogger: Logger = {
    var logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}()

/// A fresh private temporary directory, removed by the caller with `cleanUp`.
func temporaryDirectory(_ name: String = "kokemus-test") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func cleanUp(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
}

/// Keeps log records so tests can check what the log says.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [(Logger.Level, String)] = []

    func append(_ level: Logger.Level, _ message: String) {
        lock.lock()
        records.append((level, message))
        lock.unlock()
    }

    var entries: [(level: Logger.Level, message: String)] {
        lock.lock()
        defer { lock.unlock() }
        return records.map { (level: $0.0, message: $0.1) }
    }

    var logger: Logger {
        Logger(label: "captured") { _ in CapturingHandler(log: self) }
    }
}

struct CapturingHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        log.append(event.level, ([event.message.description] + fields).joined(separator: " "))
    }
}

/// Literal texts in tests stand for what a person typed and the guard let through: they go
/// through the guard's public door with no kind held, so a test can write `description: "…"`.
extension GuardedText: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = TextGuard().passed(value, rules: GuardRules(held: []))!
    }
}

/// The example registry copied to a temporary directory, its `people.yaml` changed by `edit`;
/// the caller removes it (`cleanUp`).
func exampleRegistry(people edit: (String) -> String = { $0 }) throws -> URL {
    let directory = temporaryDirectory("kokemus-registry")
    let example = repositoryRoot.appendingPathComponent("Config/example")
    for file in try FileManager.default.contentsOfDirectory(atPath: example.path) {
        let text = try String(contentsOf: example.appendingPathComponent(file), encoding: .utf8)
        try (file == "people.yaml" ? edit(text) : text).write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    return directory
}
