import Foundation
import ServiceLifecycle

/// The e-mail channel as a service: polls (and waits in IDLE) until shut down; a graceful
/// shutdown stops a transfer or a wait in progress at once. Prints `kokemus: email ready` on
/// standard error once the first poll has worked (scripts and tests wait for it).
public struct MailService: Service {
    let channel: MailChannel

    /// Called once the channel runs (after the ready line): the service manager is told when
    /// every channel is.
    let onReady: @Sendable () -> Void

    public init(channel: MailChannel, onReady: @escaping @Sendable () -> Void = {}) {
        self.channel = channel
        self.onReady = onReady
    }

    public func run() async throws {
        let client = channel.client
        do {
            try await withGracefulShutdownHandler {
                try await channel.run(onReady: {
                    FileHandle.standardError.write(Data("kokemus: email ready\n".utf8))
                    onReady()
                })
            } onGracefulShutdown: {
                client.shutdown()
            }
        } catch is CancellationError {
            // The shutdown ended a wait between polls.
        }
    }
}
