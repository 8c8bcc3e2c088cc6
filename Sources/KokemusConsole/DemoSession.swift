import Foundation
import KokemusCore
import Logging

/// The embedded demo: the real gateway on the console, with a clock the script sets.
///
/// Lines are either text from the current person or directives:
/// `/as ID` (speak as a registry person), `/time 2026-12-08T14:30` (set the Helsinki clock
/// and fire due timers), `/who` (list people), `/orders` (list stored orders), `/restart`
/// (close and reopen the gateway on the same state), `/reload` (reload flows), `/help`.
/// `# comments` and blank lines are skipped.
public final class DemoSession {
    public let config: KokemusConfig
    public let clock: ManualClock
    public let writer: TranscriptWriter
    private let logger: Logger
    private let time: LocalTime
    private var gateway: Gateway?
    private var speaker: PersonID?

    public init(config: KokemusConfig, clock: ManualClock, writer: TranscriptWriter, logger: Logger) throws {
        self.config = config
        self.clock = clock
        self.writer = writer
        self.logger = logger
        self.time = try LocalTime(timeZoneIdentifier: config.timeZone)
    }

    /// Copies an example registry into the state directory when it has none yet.
    public static func seedRegistry(from source: URL, into config: KokemusConfig) throws {
        let target = config.effectiveRegistryDirectory
        let manager = FileManager.default
        let existing = (try? manager.contentsOfDirectory(atPath: target.path))?.filter { $0.hasSuffix(".yaml") } ?? []
        guard existing.isEmpty else { return }
        try manager.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let files = try manager.contentsOfDirectory(at: source, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
        guard !files.isEmpty else { throw ConfigError("no registry .yaml files to copy", file: source.path) }
        for file in files {
            let destination = target.appendingPathComponent(file.lastPathComponent)
            try manager.copyItem(at: file, to: destination)
            chmod(destination.path, 0o600)
        }
    }

    /// Opens the gateway on the configured state.
    public func open() async throws {
        let transport = ConsoleTransport(writer: writer)
        let gateway = try GatewayBuilder.open(
            config: config, transports: [transport], clock: clock, logger: logger)
        self.gateway = gateway
        try await gateway.quarantineLeftover()
        // A registry change a crash left unwritten is written now, as the running gateway's
        // first tick does.
        try await gateway.writeRegistryChanges()
        // Anything a crash left undelivered goes out now.
        await gateway.deliverOutbox()
    }

    /// Closes the gateway, releasing the state directory.
    public func close() {
        gateway = nil
    }

    /// Closes the gateway, which releases the state directory, and opens it again: what a
    /// restart of the process does, without leaving the demo.
    private func restart() async throws {
        close()
        try await open()
        guard let gateway else { return }
        let state = await gateway.state
        writer.note("restarted: \(state.orders.count) orders, \(state.conversations.count) conversations in progress")
    }

    /// Runs every line of a script.
    public func run(script: String) async throws {
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            try await handle(line: String(line))
        }
    }

    /// Handles one typed line. Only store failures throw: they stop the demo as they would
    /// stop the gateway.
    public func handle(line rawLine: String) async throws {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { return }
        if line == "/restart" {
            try await restart()
            return
        }
        guard let gateway else { throw ConfigError("the demo gateway is not open") }
        if line.hasPrefix("/") {
            try await directive(line, gateway: gateway)
            return
        }
        guard let speaker else {
            writer.note("choose who you are first: /as NAME (/who lists people)")
            return
        }
        writer.message(from: speaker.rawValue, to: "bot", line)
        let message = InboundMessage(
            id: "console-" + UUID().uuidString, channel: .console, sender: speaker, text: line,
            receivedAt: clock.now())
        try await gateway.receive(message)
        // The demo delivers at once, so the transcript reads in order (no outbox service runs).
        await gateway.deliverOutbox()
    }

    private func directive(_ line: String, gateway: Gateway) async throws {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case "/as":
            let id = PersonID(argument)
            if await gateway.registry.person(id) != nil {
                speaker = id
            } else {
                writer.note("no person '\(argument)' in the registry; /who lists people")
            }
        case "/time":
            guard let date = parseTime(argument) else {
                writer.note("cannot read the time '\(argument)'; write it like 2026-12-08T14:30 (Helsinki time)")
                return
            }
            clock.set(date)
            writer.note("time \(time.isoMinuteString(date))")
            try await gateway.tick()
            await gateway.deliverOutbox()
        case "/who":
            let registry = await gateway.registry
            for person in registry.people.values.sorted(by: { $0.id < $1.id }) {
                let roles = person.roles.map(\.rawValue).sorted().joined(separator: ", ")
                let unit = person.unit.flatMap { registry.unit($0)?.name }.map { ", \($0)" } ?? ""
                writer.note("\(person.id): \(person.name) (\(roles)\(unit)), \(person.language.rawValue)")
            }
        case "/orders":
            let orders = await gateway.state.orders.values.sorted { $0.id < $1.id }
            // A read of people's data like `kokemus orders list`: in the access log.
            do {
                try AuditLog(directory: config.stateDirectory).append([
                    DataAccess(
                        at: Date(), by: DataAccess.operatingSystemUser(), via: .cli, what: "every order",
                        about: orders.flatMap { [$0.orderer] + $0.offers.map(\.expert) }, why: "kokemus demo: /orders")
                ])
            } catch {
                writer.note("the access log cannot be written, so orders are not shown: \(error)")
                return
            }
            if orders.isEmpty { writer.note("no orders stored") }
            for order in orders {
                writer.note(
                    "\(order.id): \(order.taskType.rawValue), \(order.topic), \(time.isoMinuteString(order.start)), "
                        + "\(order.durationMinutes) min, unit \(order.unit), by \(order.orderer), \(order.status.rawValue)"
                        + (order.assignedExpert.map { ", expert \($0)" } ?? "")
                        + (order.offers.isEmpty
                            ? "" : "; offers: " + order.offers.map { "\($0.expert) \($0.status.rawValue)" }.joined(separator: ", ")))
            }
        case "/reload":
            // As the running gateway does on SIGHUP: the whole set, checked first.
            do {
                try await GatewayBuilder.reload(gateway, config: config, logger: logger)
                let flows = await gateway.flowIDs
                writer.note("registry, flows and texts reloaded; flows: \(flows.joined(separator: ", "))")
            } catch {
                writer.note("not reloaded:\n\(error)")
            }
        case "/help":
            writer.note(
                """
                /as ID        speak as a registry person
                /time WHEN    set the clock (Helsinki time, 2026-12-08T14:30) and fire due timers
                /who          list people
                /orders       list stored orders
                /restart      close and reopen the gateway on the same state
                /reload       reload the registry, flow files and texts
                anything else is a message from the current person
                """)
        default:
            writer.note("unknown directive \(parts[0]); /help lists them")
        }
    }

    /// `2026-12-08T14:30`, `2026-12-08 14:30` or `2026-12-08`, Helsinki time.
    private func parseTime(_ text: String) -> Date? {
        let normalized = text.replacingOccurrences(of: "T", with: " ")
        let parts = normalized.split(separator: " ").map(String.init)
        guard let dayPart = parts.first else { return nil }
        let day = dayPart.split(separator: "-").compactMap { Int($0) }
        guard day.count == 3 else { return nil }
        var hour = 0
        var minute = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":").compactMap { Int($0) }
            guard clock.count == 2 || clock.count == 3 else { return nil }
            hour = clock[0]
            minute = clock[1]
        }
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return time.date(year: day[0], month: day[1], day: day[2], hour: hour, minute: minute)
    }
}
