import Foundation
import ServiceLifecycle

/// The Matrix channel as a service: follows the homeserver until shut down; a graceful
/// shutdown stops the long-poll at once. Prints `kokemus: matrix ready` on standard error once
/// the first sync position is known (scripts and tests wait for it).
public struct MatrixService: Service {
    let channel: MatrixChannel

    public init(channel: MatrixChannel) {
        self.channel = channel
    }

    public func run() async throws {
        let client = channel.client
        try await withGracefulShutdownHandler {
            do {
                try await channel.run(onReady: {
                    FileHandle.standardError.write(Data("kokemus: matrix ready\n".utf8))
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
