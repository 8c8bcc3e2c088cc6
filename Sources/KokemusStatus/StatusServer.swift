import Foundation
import KokemusCore
import Logging
import Prometheus
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Health and metrics for operations, on a loopback port only (`monitoring.port`):
/// - `GET /healthz`: 200 while the gateway's actor answers (a stuck gateway times out);
/// - `GET /readyz`: 200 while every configured channel runs (has worked and not failed three
///   times since), else 503 with which not;
/// - `GET /metrics`: Prometheus text: messages in and out per channel, reminders sent, errors
///   by kind (counters, through swift-metrics), and gauges set at each scrape from the gateway's
///   `status()`: outbox length and its oldest message's age, open orders, pending offers,
///   conversations, reminders due, journal size and last fsync, each channel's last success;
/// - `GET /status`: the same as JSON, for `kokemus status`.
/// No person's data is in any of them: counts and times only.
///
/// A server of its own on a thread of its own, one request at a time, each bounded (a request
/// head of at most 8 KiB, 2 s to send it, `Connection: close`): whatever a client on this
/// machine sends, it can slow these numbers, never the gateway (whose tasks run elsewhere),
/// and it holds no more than one connection open.
public struct StatusServer: Service {
    public typealias Readiness = @Sendable () async -> [String: Bool]

    let gateway: Gateway
    let port: UInt16
    let registry: PrometheusCollectorRegistry
    let readiness: Readiness
    let logger: Logger
    /// Called with the port listened on (the one asked for, or the one the system gave for 0).
    let onListening: @Sendable (UInt16) -> Void

    /// A request head longer than this is refused (431).
    static let headLimit = 8192
    /// Seconds a client has to send its request, and the gateway to answer.
    static let timeout = 2

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
        let listener: Int32
        do {
            listener = try Self.listen(port: port)
        } catch {
            // The port taken, say: the gateway serves people all the same, without its numbers.
            logger.error(
                "status: cannot serve /healthz and /metrics; the gateway goes on without them",
                metadata: ["port": "\(port)", "error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let listening = UInt16(bigEndian: address.sin_port)
        logger.notice("status: listening", metadata: ["address": "127.0.0.1:\(listening)"])
        onListening(listening)
        let stopped = Stopped()
        let thread = Thread { [self] in serve(listener, stopped: stopped) }
        thread.name = "kokemus-status"
        thread.start()
        await withGracefulShutdownHandler {
            try? await gracefulShutdown()
        } onGracefulShutdown: {
            stopped.stop()
            // Wakes the accept: the thread sees `stopped` and ends.
            shutdown(listener, Int32(SHUT_RDWR))
        }
        stopped.stop()
        shutdown(listener, Int32(SHUT_RDWR))
        stopped.waitUntilDone()
        close(listener)
    }

    /// A flag the thread reads, and a signal that it has ended.
    final class Stopped: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        private let done = DispatchSemaphore(value: 0)
        var isStopped: Bool { lock.withLock { value } }
        func stop() { lock.withLock { value = true } }
        func finished() { done.signal() }
        func waitUntilDone() {
            done.wait()
            done.signal()
        }
    }

    struct SocketError: Error, CustomStringConvertible {
        var operation: String
        var code: Int32
        var description: String { "\(operation): \(String(cString: strerror(code)))" }
    }

    /// A listening TCP socket on 127.0.0.1 (IPv4 loopback only: never an address another
    /// machine reaches).
    static func listen(port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(operation: "socket", code: errno) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw SocketError(operation: "bind 127.0.0.1:\(port)", code: code)
        }
        guard Glibc.listen(descriptor, 16) == 0 else {
            let code = errno
            close(descriptor)
            throw SocketError(operation: "listen", code: code)
        }
        return descriptor
    }

    /// The accept loop: one connection at a time, each closed when answered.
    private func serve(_ listener: Int32, stopped: Stopped) {
        defer { stopped.finished() }
        while !stopped.isStopped {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if stopped.isStopped { return }
                // Out of descriptors, say: a pause, not a spin.
                usleep(100_000)
                continue
            }
            var limit = timeval(tv_sec: Self.timeout, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            let response = respond(to: Self.readHead(connection))
            response.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let sent = send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                    if sent <= 0 { break }
                    offset += sent
                }
            }
            close(connection)
        }
    }

    /// The request head (up to the blank line), or nil when it is too long, too slow or broken.
    enum Head {
        case request(method: String, path: String)
        case tooLarge
        case broken
    }

    static func readHead(_ connection: Int32) -> Head {
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 2048)
        let deadline = Date() + Double(timeout)
        while Date() < deadline {
            // What is left of the client's 2 s, not 2 s per piece (a client sending a byte at
            // a time would hold the server far longer).
            let left = max(0.01, deadline.timeIntervalSinceNow)
            var limit = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1_000_000))
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return .broken }
            head += buffer[0..<count]
            if let end = head.firstRange(of: Array("\r\n\r\n".utf8)) ?? head.firstRange(of: Array("\n\n".utf8)) {
                head = Array(head[..<end.lowerBound])
                break
            }
            if head.count > headLimit { return .tooLarge }
        }
        guard head.count <= headLimit else { return .tooLarge }
        let line = String(decoding: head.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return .broken }
        return .request(method: String(parts[0]), path: String(parts[1]))
    }

    /// The answer to a request: routed, the gateway asked (waiting at most `timeout` for it).
    func respond(to head: Head) -> Data {
        switch head {
        case .tooLarge: return Self.response(431, "request head too large\n")
        case .broken: return Self.response(400, "bad request\n")
        case .request(let method, let path):
            guard method == "GET" else { return Self.response(405, "only GET\n") }
            switch path {
            case "/healthz":
                return ask { _ = await gateway.status() } != nil ? Self.response(200, "ok\n") : Self.response(503, "not answering\n")
            case "/readyz":
                guard let channels = ask({ await readiness() }) else { return Self.response(503, "not answering\n") }
                let ready = !channels.isEmpty && channels.values.allSatisfy { $0 }
                let lines = channels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value ? "ready" : "not ready")" }
                return Self.response(ready ? 200 : 503, lines.joined(separator: "\n") + "\n")
            case "/metrics":
                guard let status = ask({ await gateway.status() }) else { return Self.response(503, "not answering\n") }
                Self.record(status, in: registry)
                return Self.response(200, registry.emitToString(), type: "text/plain; version=0.0.4; charset=utf-8")
            case "/status":
                guard let report = ask({ StatusReport(status: await gateway.status(), ready: await readiness()) }),
                    let body = try? StatusReport.encoder.encode(report)
                else { return Self.response(503, "not answering\n") }
                return Self.response(200, String(decoding: body, as: UTF8.self), type: "application/json")
            default:
                return Self.response(404, "not found\n")
            }
        }
    }

    /// Runs `work` on the gateway's side and waits for it on this thread, at most `timeout` s.
    private func ask<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T? {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.set(await work())
            done.signal()
        }
        guard done.wait(timeout: .now() + .seconds(Self.timeout * 2)) == .success else { return nil }
        return box.get()
    }

    final class Box<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: T?
        func set(_ new: T) { lock.withLock { value = new } }
        func get() -> T? { lock.withLock { value } }
    }

    static func response(_ status: Int, _ body: String, type: String = "text/plain; charset=utf-8") -> Data {
        let reasons = [
            200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 431: "Request Header Fields Too Large",
            503: "Service Unavailable",
        ]
        let bytes = Data(body.utf8)
        let head =
            "HTTP/1.1 \(status) \(reasons[status] ?? "Status")\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\n"
            + "Connection: close\r\n\r\n"
        return Data(head.utf8) + bytes
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
