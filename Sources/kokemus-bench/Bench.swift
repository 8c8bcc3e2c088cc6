import ArgumentParser
import Foundation
import KokemusCore
import Logging

/// `kokemus-bench`: measures the gateway on fictional data it generates itself. Build it in
/// release mode: `swift run -c release kokemus-bench engine`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kokemus-bench",
        abstract: "Benchmarks of the Kokemus gateway on generated fictional data.",
        discussion: "Results go to standard output as Markdown lines for BENCHMARKS.md. Run from the repository root.",
        subcommands: [EngineBench.self, ColdStartBench.self, GuardBench.self, RegistryBench.self])
}

/// Options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @Option(help: "The repository root (for Flows/ and Config/).")
    var root: String = "."

    @Option(help: "Where to put the generated state (a fresh directory under it; removed afterwards unless --keep).")
    var workDirectory: String = NSTemporaryDirectory()

    @Flag(help: "Keep the generated state directory.")
    var keep = false

    var rootURL: URL { URL(fileURLWithPath: root).standardizedFileURL }

    func freshDirectory(_ name: String) throws -> URL {
        let url = URL(fileURLWithPath: workDirectory).appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func cleanUp(_ url: URL) {
        if keep { print("kept \(url.path)") } else { try? FileManager.default.removeItem(at: url) }
    }
}

/// The peak resident set size of this process (VmHWM), in MB.
func peakRSSMegabytes() -> Double {
    resident("VmHWM")
}

/// The current resident set size (VmRSS), in MB.
func currentRSSMegabytes() -> Double {
    resident("VmRSS")
}

private func resident(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

/// Monotonic nanoseconds.
func nanoseconds() -> UInt64 {
    DispatchTime.now().uptimeNanoseconds
}

/// The value at a quantile of sorted samples.
func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))]
}

/// A quiet logger: the benchmarks measure the work, not the log.
let benchLogger: Logger = {
    var logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}()

/// A transport that takes every message and only counts it.
final class CountingTransport: MessageTransport, @unchecked Sendable {
    let channel: Channel = .console
    private let lock = NSLock()
    private(set) var count = 0

    func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange] {
        lock.withLock { count += 1 }
        return []
    }
}

/// A registry of `employees` employees in three units, `experts` experts and a coordinator,
/// written as YAML the way a county would keep it.
func writeRegistry(to directory: URL, employees: Int, experts: Int) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var units = "units:\n"
    for (index, name) in ["Porvoo", "Loviisa", "Sipoo"].enumerated() {
        units +=
            "  - {id: unit-\(index), name: \"Yksikkö \(name)\", municipality: \(name), cost_centre: \"41\(index)0\", approver: approver-\(index)}\n"
    }
    try units.write(to: directory.appendingPathComponent("units.yaml"), atomically: true, encoding: .utf8)
    var people = "people:\n  - {id: coordinator, name: Kaija Koordinaattori, roles: [coordinator]}\n"
    for index in 0..<3 {
        people += "  - {id: approver-\(index), name: Hyväksyjä \(index), roles: [approver], unit: unit-\(index)}\n"
    }
    for index in 0..<employees {
        people += "  - {id: e\(index), name: Työntekijä \(index), roles: [employee], unit: unit-\(index % 3)}\n"
    }
    let topics = ["mental_health", "substance_use", "disability", "homelessness"]
    for index in 0..<experts {
        people += """
              - id: x\(index)
                name: Asiantuntija \(index)
                roles: [expert]
                expert: {handle: "Kokemusasiantuntija X-\(index)", topics: [\(topics[index % 4]), \(topics[(index + 1) % 4])],
                         task_types: [individual, pair, group, lecture, development], languages: [fi],
                         municipalities: [Porvoo, Loviisa, Sipoo], agreement_valid_from: 2025-01-01, confidentiality_signed: 2025-01-01, tax_card_year: 2026}

            """
    }
    try people.write(to: directory.appendingPathComponent("people.yaml"), atomically: true, encoding: .utf8)
}

func benchConfig(root: URL, state: URL, registry: URL) -> KokemusConfig {
    KokemusConfig(
        stateDirectory: state, flowsDirectory: root.appendingPathComponent("Flows"), registryDirectory: registry,
        messagesFile: root.appendingPathComponent("Config/messages.yaml"),
        feesFile: root.appendingPathComponent("Config/fees.yaml"),
        // The benchmark measures throughput: its thousand people write far faster than people do.
        messagesPerMinute: 0)
}

func machineLine() -> String {
    let cpus = ProcessInfo.processInfo.activeProcessorCount
    let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
    var model = "unknown CPU"
    if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") })
    {
        model = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? model
    }
    return "\(cpus) cores (\(model)), \(String(format: "%.1f", memory)) GB RAM"
}
