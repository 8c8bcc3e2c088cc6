import Foundation
import KokemusCore
import Logging

/// A gateway on the shipped flows, texts and fees and the example registry, on a state in a
/// directory of the caller's, logging nothing below critical: for tests of the channels.
public enum TestGateway {
    /// The repository's root (this file is `Sources/KokemusTesting/TestGateway.swift`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A logger that writes nothing (tests that check the log capture it themselves).
    public static var quietLogger: Logger {
        Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    }

    public static func open(in directory: URL, transports: [any MessageTransport] = []) throws -> Gateway {
        let config = KokemusConfig(
            stateDirectory: directory.appendingPathComponent("state"),
            flowsDirectory: repositoryRoot.appendingPathComponent("Flows"),
            registryDirectory: repositoryRoot.appendingPathComponent("Config/example"),
            messagesFile: repositoryRoot.appendingPathComponent("Config/messages.yaml"),
            feesFile: repositoryRoot.appendingPathComponent("Config/fees.yaml"), messagesPerMinute: 0)
        return try GatewayBuilder.open(config: config, transports: transports, clock: SystemClock(), logger: quietLogger)
    }
}
