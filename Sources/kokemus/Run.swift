import ArgumentParser
import Foundation
import KokemusCore
import KokemusMatrix
import Logging
import ServiceLifecycle

/// `kokemus run`: the gateway as a long-running service on the configured channels.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway on the channels in the configuration (Matrix).",
        discussion: """
            Needs a `matrix:` section in the configuration (homeserver, user_id, device_id) and the \
            bot's password in KOKEMUS_MATRIX_PASSWORD (or a token in KOKEMUS_MATRIX_ACCESS_TOKEN). \
            Prints "kokemus: ready" on standard error once it follows the homeserver. SIGTERM or \
            SIGINT stops it promptly, also in the middle of a long-poll.
            """)

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = options.makeLogger(default: .info)
        try await reportingErrors {
            let config = try options.loadConfig()
            guard let section = config.channels[.matrix] else {
                throw ConfigError("no channel configured: add a matrix: section (see README.md)", file: config.file)
            }
            let matrixConfig = try MatrixConfig(section: section, file: config.file)
            let clock = SystemClock()
            let client = MatrixClient(config: matrixConfig, logger: logger)
            let channel = MatrixChannel(client: client, clock: clock, logger: logger)
            let gateway = try GatewayBuilder.open(config: config, transports: [channel.transport], clock: clock,
                                                  logger: logger)
            await channel.attach(gateway)
            let group = ServiceGroup(
                services: [MatrixService(channel: channel, gateway: gateway),
                           TimerService(gateway: gateway, clock: clock, logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            try await group.run()
        }
    }
}

/// Follows the homeserver; a graceful shutdown stops the long-poll at once.
struct MatrixService: Service {
    let channel: MatrixChannel
    let gateway: Gateway

    func run() async throws {
        let client = channel.client
        try await withGracefulShutdownHandler {
            // Anything a crash left undelivered goes out first.
            await gateway.deliverOutbox()
            do {
                try await channel.run(onReady: {
                    FileHandle.standardError.write(Data("kokemus: ready\n".utf8))
                })
            } catch {
                // A transfer aborted by the shutdown is the normal way out.
                if Task.isShuttingDownGracefully { return }
                throw error
            }
        } onGracefulShutdown: {
            client.shutdown()
        }
    }
}

/// Reminders, escalations and outbox retries.
struct TimerService: Service {
    let gateway: Gateway
    let clock: any WallClock
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await gateway.runTimers(clock: clock, logger: logger)
            }
        } catch is CancellationError {
            // Cancelled by the shutdown: the normal way out.
        }
    }
}
