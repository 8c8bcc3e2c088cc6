import ArgumentParser
import Foundation
import KokemusCore
import KokemusMail
import KokemusMatrix
import KokemusStatus
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `kokemus run`: the gateway as a long-running service on the configured channels.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway on the channels in the configuration (Matrix, e-mail).",
        discussion: """
            Needs a `matrix:` section in the configuration (homeserver, user_id, device_id) with the \
            bot's password in KOKEMUS_MATRIX_PASSWORD (or a token in KOKEMUS_MATRIX_ACCESS_TOKEN), an \
            `email:` section (imap, smtp, address) with KOKEMUS_MAIL_PASSWORD, or both. Prints \
            "kokemus: matrix ready" and "kokemus: email ready" on standard error as each channel \
            starts. SIGTERM or SIGINT stops it promptly, also in the middle of a long-poll.

            For tests only: KOKEMUS_SIMULATED_CLOCK="2026-12-07T06:00:00+02:00 anchor=<Unix seconds> \
            rate=<n>" runs the gateway's clock from that time at the real Unix time anchor, n times \
            faster; KOKEMUS_CRASH_AT=<point>[:n] kills the process at a named step (Config/README.md).
            """)

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = options.makeLogger(default: .info)
        try await reportingErrors {
            let config = try options.loadConfig()
            guard config.channels[.matrix] != nil || config.channels[.email] != nil else {
                throw ConfigError("no channel configured: add a matrix: or email: section (see Config/README.md)", file: config.file)
            }
            let clock = try Self.clock(logger: logger)
            // Each channel's settings are checked before the state is opened.
            let matrixConfig = try config.channels[.matrix].map { try MatrixConfig(section: $0) }
            let mailConfig = try config.channels[.email].map { try MailConfig(section: $0) }
            // Counters go to Prometheus before the gateway opens (it makes its counters once);
            // the status server shows them with the gauges.
            var registry: PrometheusCollectorRegistry?
            if config.monitoringPort > 0 {
                let made = PrometheusCollectorRegistry()
                MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: made))
                registry = made
            }
            let gateway = try GatewayBuilder.open(config: config, transports: [], clock: clock, logger: logger)
            if CrashPoint.isArmed {
                logger.warning("a crash point is armed (KOKEMUS_CRASH_AT / KOKEMUS_CRASH_ON_TEXT): for tests only")
            }
            // A message the last two runs died on is set aside before any channel fetches it again.
            try await gateway.quarantineLeftover()
            // The outbox first: a graceful shutdown stops services last to first, so it delivers
            // until the channels have stopped taking messages in.
            let notifier = ServiceNotifier()
            let channelCount = (matrixConfig == nil ? 0 : 1) + (mailConfig == nil ? 0 : 1)
            let readiness = Readiness(expected: channelCount, notifier: notifier, logger: logger)
            var services: [any Service] = [
                OutboxService(gateway: gateway),
                TimerService(gateway: gateway, clock: clock, logger: logger),
            ]
            if notifier.isActive { services.append(WatchdogService(gateway: gateway, notifier: notifier, logger: logger)) }
            if let matrixConfig {
                let channel = MatrixChannel(
                    client: MatrixClient(config: matrixConfig, logger: logger), gateway: gateway,
                    clock: clock, logger: logger)
                await gateway.connect(channel.transport)
                services.append(MatrixService(channel: channel, onReady: { Task { await readiness.channelReady("matrix") } }))
            }
            if let mailConfig {
                let channel = MailChannel(client: MailClient(config: mailConfig), gateway: gateway, clock: clock, logger: logger)
                await gateway.connect(channel.transport)
                services.append(MailService(channel: channel, onReady: { Task { await readiness.channelReady("email") } }))
            }
            // The registry, flows and texts taken in on SIGHUP and when their files change.
            services.append(ReloadService(reloader: ConfigReloader(gateway: gateway, config: config, logger: logger)))
            await readiness.expect((matrixConfig == nil ? [] : ["matrix"]) + (mailConfig == nil ? [] : ["email"]))
            if config.monitoringPort > 0, let registry {
                services.append(
                    StatusServer(
                        gateway: gateway, port: UInt16(config.monitoringPort), registry: registry,
                        // Ready once a channel has run, and while it has not failed three times since.
                        readiness: {
                            let health = await gateway.status().channels
                            return await readiness.channels.reduce(into: [:]) { ready, channel in
                                ready[channel.key] = channel.value && (health[channel.key]?.failuresInARow ?? 0) < 3
                            }
                        }, logger: logger,
                        onListening: { port in FileHandle.standardError.write(Data("kokemus: status on 127.0.0.1:\(port)\n".utf8)) }))
            }
            let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }

    /// The real clock, or the simulated one a test of the binary asks for; said loudly,
    /// since every reminder and deadline follows it.
    static func clock(logger: Logger) throws -> any WallClock {
        guard let text = ProcessInfo.processInfo.environment["KOKEMUS_SIMULATED_CLOCK"] else { return SystemClock() }
        let clock = try SimulatedClock(parsing: text)
        logger.warning(
            "clock: simulated time from KOKEMUS_SIMULATED_CLOCK (for tests only)",
            metadata: ["now": "\(clock.now())", "rate": "\(clock.rate)"])
        return clock
    }
}

/// Tells the service manager `READY=1` once every channel runs (`Type=notify`).
actor Readiness {
    let expected: Int
    let notifier: ServiceNotifier
    let logger: Logger
    private var ready: Set<String> = []

    init(expected: Int, notifier: ServiceNotifier, logger: Logger) {
        self.expected = expected
        self.notifier = notifier
        self.logger = logger
    }

    /// Each configured channel, and whether it runs (for `/readyz`).
    private var names: [String] = []

    func expect(_ names: [String]) { self.names = names }

    var channels: [String: Bool] { Dictionary(uniqueKeysWithValues: names.map { ($0, ready.contains($0)) }) }

    func channelReady(_ name: String) {
        guard ready.insert(name).inserted, ready.count == expected, notifier.isActive else { return }
        if !notifier.notify("READY=1\nSTATUS=channels running: \(ready.sorted().joined(separator: ", "))") {
            logger.warning("systemd: could not send READY=1 to NOTIFY_SOCKET")
        }
    }
}

/// `WATCHDOG=1` to the service manager at half its `WatchdogSec=`, each only after the gateway
/// has answered (a gateway stuck in its actor stops the pings, and systemd restarts it);
/// `STOPPING=1` when a graceful shutdown begins.
struct WatchdogService: Service {
    let gateway: Gateway
    let notifier: ServiceNotifier
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            guard let interval = notifier.watchdogInterval else {
                // No watchdog asked for: only the shutdown is told.
                try? await gracefulShutdown()
                return
            }
            do {
                try await cancelWhenGracefulShutdown {
                    while true {
                        _ = await gateway.state.nextOutboxID
                        if !notifier.notify("WATCHDOG=1") { logger.warning("systemd: could not send WATCHDOG=1") }
                        try await Task.sleep(for: interval)
                    }
                }
            } catch is CancellationError {
                // The shutdown.
            }
        } onGracefulShutdown: {
            notifier.notify("STOPPING=1")
        }
    }
}

/// `kill -HUP` (`systemctl reload kokemus`) and a look at the files every 2 seconds: the
/// county's edits to the registry, flows and texts taken in without a restart (`ConfigReloader`).
struct ReloadService: Service {
    let reloader: ConfigReloader

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await _ in hangups { await reloader.reload(reason: "SIGHUP") }
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: .seconds(2))
                            await reloader.check()
                        }
                    }
                    try await group.next()
                }
            }
        } catch is CancellationError {
            // The shutdown.
        }
    }
}

/// Reminders and escalations.
struct TimerService: Service {
    let gateway: Gateway
    let clock: any WallClock
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                // A conversation begun meanwhile is not looked at before the next wake: 30 s
                // on the real clock, as many of a simulated clock's seconds (half a second at least).
                try await gateway.runTimers(clock: clock, maximumWait: max(0.5, 30 / clock.rate), logger: logger)
            }
        } catch is CancellationError {
            // Cancelled by the shutdown: the normal way out.
        }
    }
}
