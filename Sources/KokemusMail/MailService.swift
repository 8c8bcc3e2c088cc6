import Foundation
import ServiceLifecycle

/// The e-mail channel as a service: polls (and waits in IDLE) until shut down; a graceful
/// shutdown stops a transfer or a wait in progress at once. Prints `kokemus: email ready` on
/// standard error once the first poll has worked (scripts and tests wait for it).
public struct MailService: Service {
    let channel: MailChannel

    public init(channel: MailChannel) {
        self.channel = channel
    }

    public func run() async throws {
        let client = channel.client
        do {
            try await withGracefulShutdownHandler {
                try await channel.run(onReady: {
                    FileHandle.standardError.write(Data("kokemus: email ready\n".utf8))
                })
            } onGracefulShutdown: {
                client.shutdown()
            }
        } catch is CancellationError {
            // The shutdown ended a wait between polls.
        }
    }
}
