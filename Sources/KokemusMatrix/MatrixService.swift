import Foundation
import ServiceLifecycle

/// The Matrix channel as a service: follows the homeserver until shut down; a graceful
/// shutdown stops the long-poll at once. Prints `kokemus: matrix ready` on standard error once
/// the first sync position is known (scripts and tests wait for it).
public struct MatrixService: Service {
    let channel: MatrixChannel

    /// Called once the channel runs (after the ready line): the service manager is told when
    /// every channel is.
    let onReady: @Sendable () -> Void

    public init(channel: MatrixChannel, onReady: @escaping @Sendable () -> Void = {}) {
        self.channel = channel
        self.onReady = onReady
    }

    public func run() async throws {
        let client = channel.client
        try await withGracefulShutdownHandler {
            do {
                try await channel.run(onReady: {
                    FileHandle.standardError.write(Data("kokemus: matrix ready\n".utf8))
                    onReady()
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
