import FlyingFox
import FlyingSocks
import Foundation
import KokemusCore
import Logging
import Prometheus
import ServiceLifecycle

/// Health and metrics for operations, on a loopback port only (`monitoring.port`):
/// - `GET /healthz`: 200 while the gateway's actor answers (a stuck gateway times out);
/// - `GET /readyz`: 200 once every configured channel runs, else 503 (for a load balancer or
///   a deploy script; systemd has `READY=1`);
/// - `GET /metrics`: Prometheus text: messages in and out per channel, reminders sent, errors
///   by kind (counters, through swift-metrics), and gauges set at each scrape from the gateway's
///   `status()`: outbox length and its oldest message's age, open orders, pending offers,
///   conversations, reminders due, journal size and last fsync, each channel's last success;
/// - `GET /status`: the same as JSON, for `kokemus status`.
/// No person's data is in any of them: counts and times only.
public struct StatusServer: Service {
    public typealias Readiness = @Sendable () async -> [String: Bool]

    let gateway: Gateway
    let port: UInt16
    let registry: PrometheusCollectorRegistry
    let readiness: Readiness
    let logger: Logger
    /// Called with the port listened on (the one asked for, or the one the system gave for 0).
    let onListening: @Sendable (UInt16) -> Void

    public init(
        gateway: Gateway, port: UInt16, registry: PrometheusCollectorRegistry, readiness: @escaping Readiness, logger: Logger,
        onListening: @escaping @Sendable (UInt16) -> Void = { _ in }
    ) {
        self.gateway = gateway
        self.port = port
        self.registry = registry
        self.readiness = readiness
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        // IPv4 loopback only: never an address another machine reaches.
        let server = HTTPServer(
            address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 10, logger: LoggingAdapter(logger: logger))
        await server.appendRoute("GET /healthz") { [gateway] _ in
            _ = await gateway.status()
            return Self.text("ok\n")
        }
        await server.appendRoute("GET /readyz") { [readiness] _ in
            let channels = await readiness()
            let ready = !channels.isEmpty && channels.values.allSatisfy { $0 }
            let lines = channels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value ? "ready" : "not ready")" }
            return Self.text(lines.joined(separator: "\n") + "\n", status: ready ? .ok : .serviceUnavailable)
        }
        await server.appendRoute("GET /metrics") { [gateway, registry] _ in
            Self.record(await gateway.status(), in: registry)
            return HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: Data(registry.emitToString().utf8))
        }
        await server.appendRoute("GET /status") { [gateway, readiness] _ in
            let report = StatusReport(status: await gateway.status(), ready: await readiness())
            return HTTPResponse(
                statusCode: .ok, headers: [.contentType: "application/json"], body: try StatusReport.encoder.encode(report))
        }
        try await withGracefulShutdownHandler {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await server.run() }
                    try await server.waitUntilListening()
                    let listening: UInt16
                    if case .ip4(_, let port)? = await server.listeningAddress { listening = port } else { listening = port }
                    logger.notice("status: listening", metadata: ["address": "127.0.0.1:\(listening)"])
                    onListening(listening)
                    try await group.next()
                }
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                // The port taken, say: the gateway serves people all the same, without its numbers.
                logger.error(
                    "status: cannot serve /healthz and /metrics; the gateway goes on without them",
                    metadata: ["port": "\(port)", "error": "\(error)"])
                try? await gracefulShutdown()
            }
        } onGracefulShutdown: {
            Task { await server.stop(timeout: 1) }
        }
    }

    static func text(_ body: String, status: HTTPStatusCode = .ok) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(body.utf8))
    }

    /// The status as gauges (set at each scrape; the counters count as things happen).
    static func record(_ status: GatewayStatus, in registry: PrometheusCollectorRegistry) {
        func gauge(_ name: String, _ help: String, _ value: Double, _ labels: [(String, String)] = []) {
            if labels.isEmpty {
                registry.makeGauge(name: name, help: help).set(value)
            } else {
                registry.makeGauge(name: name, labels: labels, help: help).set(value)
            }
        }
        let now = status.at
        gauge("kokemus_up", "1 while the gateway answers", 1)
        gauge("kokemus_start_timestamp_seconds", "When the process started (Unix time)", status.startedAt.timeIntervalSince1970)
        gauge("kokemus_outbox_messages", "Messages waiting to be delivered", Double(status.outboxLength))
        gauge(
            "kokemus_outbox_oldest_age_seconds", "How long the oldest undelivered message has waited",
            status.oldestUndeliveredAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        gauge("kokemus_orders_open", "Orders waiting for an expert", Double(status.openOrders))
        gauge("kokemus_offers_pending", "Offers not yet answered", Double(status.pendingOffers))
        gauge("kokemus_conversations", "Conversations in progress", Double(status.conversations))
        gauge("kokemus_reminders_due", "Conversations whose reminder is due and not sent", Double(status.remindersDue))
        gauge("kokemus_journal_bytes", "The journal's size", Double(status.journalBytes))
        gauge(
            "kokemus_journal_last_sync_timestamp_seconds", "When a commit last reached the disk (Unix time)",
            status.lastSyncedAt?.timeIntervalSince1970 ?? 0)
        gauge("kokemus_audit_accesses_waiting", "Accesses not yet in the access log", Double(status.accessesWaitingForTheLog))
        for (channel, health) in status.channels {
            gauge(
                "kokemus_channel_last_success_timestamp_seconds", "The channel's last sync or poll that worked (Unix time)",
                health.lastSuccessAt?.timeIntervalSince1970 ?? 0, [("channel", channel)])
            gauge(
                "kokemus_channel_failures_in_a_row", "The channel's failed syncs or polls since the last that worked",
                Double(health.failuresInARow), [("channel", channel)])
        }
    }
}

/// What `/status` answers: the gateway's status and which channels are ready.
public struct StatusReport: Codable, Sendable {
    public var status: GatewayStatus
    public var ready: [String: Bool]

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// FlyingFox's log lines into swift-log, at debug level (a connection is no event to keep).
struct LoggingAdapter: FlyingSocks.Logging {
    let logger: Logger
    func logDebug(_ debug: @autoclosure () -> String) { logger.trace("status: \(debug())") }
    func logInfo(_ info: @autoclosure () -> String) { logger.debug("status: \(info())") }
    func logWarning(_ warning: @autoclosure () -> String) { logger.debug("status: \(warning())") }
    func logError(_ error: @autoclosure () -> String) { logger.warning("status: \(error())") }
    func logCritical(_ critical: @autoclosure () -> String) { logger.error("status: \(critical())") }
}
