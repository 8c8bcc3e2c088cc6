import CoreMetrics
import Foundation

/// How the running gateway is, for operations: `/metrics`, `/status` and `kokemus status`.
/// Counts since the process started, what waits, and when each channel last worked.
public struct GatewayStatus: Codable, Sendable, Equatable {
    /// Counts since the process started.
    public struct Tallies: Codable, Sendable, Equatable {
        /// Messages handled and delivered, by channel.
        public var received: [String: Int] = [:]
        public var sent: [String: Int] = [:]
        public var remindersSent = 0
        /// Errors by kind: `delivery`, `undeliverable`, `store`, `audit_log`, `retention`.
        public var errors: [String: Int] = [:]

        public init() {}
    }

    public struct ChannelHealth: Codable, Sendable, Equatable {
        /// The last sync (Matrix) or poll (e-mail) that worked.
        public var lastSuccessAt: Date?
        /// Failures in a row since then.
        public var failuresInARow: Int
    }

    public var at: Date
    public var startedAt: Date
    public var tallies: Tallies
    public var channels: [String: ChannelHealth]
    public var outboxLength: Int
    public var oldestUndeliveredAt: Date?
    public var openOrders: Int
    public var pendingOffers: Int
    public var conversations: Int
    /// Conversations whose reminder time has come and not been sent.
    public var remindersDue: Int
    public var journalBytes: Int64
    public var lastSyncedAt: Date?
    public var accessesWaitingForTheLog: Int
    public var retentionAppliedOn: String?
}

/// The gateway's counters and gauges through swift-metrics (`Metrics`): a no-op until a
/// backend is bootstrapped (`kokemus run` bootstraps Prometheus).
enum GatewayMetrics {
    static func receivedCounter(_ channel: Channel) -> Counter {
        Counter(label: "kokemus_messages_received_total", dimensions: [("channel", channel.rawValue)])
    }

    static func sentCounter(_ channel: Channel) -> Counter {
        Counter(label: "kokemus_messages_sent_total", dimensions: [("channel", channel.rawValue)])
    }

    static func remindersSent(_ count: Int) {
        Counter(label: "kokemus_reminders_sent_total").increment(by: count)
    }

    static func error(_ kind: String) {
        Counter(label: "kokemus_errors_total", dimensions: [("kind", kind)]).increment()
    }
}
