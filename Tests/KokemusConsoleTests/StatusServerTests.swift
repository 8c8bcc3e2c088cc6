import Foundation
import KokemusCore
import KokemusStatus
import KokemusTesting
import Prometheus
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The status server on a loopback port: health, readiness that follows the channels,
/// the gauges from the gateway's state, and `/status` as `kokemus status` reads it.
@Suite struct StatusServerTests {
    final class Ready: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isReady: Bool {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    func get(_ port: UInt16, _ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func healthReadinessMetricsAndStatus() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: LocalTime.helsinki.date(year: 2026, month: 12, day: 1, hour: 9)!)
        try await h.placeOrder()
        let ready = Ready()
        let (ports, listening) = AsyncStream.makeStream(of: UInt16.self)
        let server = StatusServer(
            gateway: h.gateway, port: 0, registry: PrometheusCollectorRegistry(),
            readiness: { ["matrix": ready.isReady] }, logger: TestGateway.quietLogger,
            onListening: { listening.yield($0) })
        let task = Task { try await server.run() }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        #expect(try await get(port, "/healthz") == (200, "ok\n"))
        #expect(try await get(port, "/readyz") == (503, "matrix not ready\n"))
        ready.isReady = true
        #expect(try await get(port, "/readyz") == (200, "matrix ready\n"))

        let (status, metrics) = try await get(port, "/metrics")
        #expect(status == 200)
        #expect(metrics.contains("\nkokemus_offers_pending 1.0\n"), "\(metrics)")
        #expect(metrics.contains("# TYPE kokemus_outbox_messages gauge"))
        #expect(metrics.contains("kokemus_journal_bytes "), "\(metrics)")
        #expect(!metrics.contains("Anna") && !metrics.contains("kalle"), "counts only")

        let (_, json) = try await get(port, "/status")
        let report = try StatusReport.decoder.decode(StatusReport.self, from: Data(json.utf8))
        #expect(report.ready == ["matrix": true])
        #expect(report.status.tallies.received["console"] == 12, "\(report.status.tallies)")
        #expect(report.status.pendingOffers == 1 && report.status.openOrders == 1)
        #expect(report.status.lastSyncedAt != nil && report.status.journalBytes > 8)
        #expect(try await get(port, "/nothing").0 == 404)
    }
}
