import Foundation
import KokemusCore
import KokemusStatus
import KokemusTesting
import Prometheus
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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

        // A client that sends a head without end is refused, one that sends nothing is given
        // up on; the gateway answers people meanwhile, and the server others after.
        let idle = try Self.connect(port)
        defer { close(idle) }
        let flood = try Self.connect(port)
        defer { close(flood) }
        let head = "GET /healthz HTTP/1.1\r\nX-A: " + String(repeating: "a", count: 100_000)
        _ = head.withCString { send(flood, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        #expect(try await h.reply("anna", "moi").contains("Anna"))
        #expect(Self.receive(flood).hasPrefix("HTTP/1.1 431"))
        #expect(try await get(port, "/healthz") == (200, "ok\n"))
    }

    static func connect(_ port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        return descriptor
    }

    static func receive(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var all = [UInt8]()
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            all += buffer[0..<count]
        }
        return String(decoding: all, as: UTF8.self)
    }
}
