import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Tells the service manager how the gateway is (systemd's `sd_notify` protocol, without
/// libsystemd): one datagram per state to the socket named by `NOTIFY_SOCKET`, a path or,
/// with a leading `@`, an abstract name. `READY=1` once every channel runs (the unit is
/// `Type=notify`), `WATCHDOG=1` while the gateway answers (`WatchdogSec=`), `STOPPING=1` on a
/// graceful shutdown. Without `NOTIFY_SOCKET` (not under systemd) it does nothing.
public struct ServiceNotifier: Sendable {
    /// The socket's address; nil when there is none to tell.
    public let socketPath: String?
    /// How often systemd expects `WATCHDOG=1` (half its `WATCHDOG_USEC`), when it asks for it
    /// and means this process (`WATCHDOG_PID` unset or ours).
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        let forUs = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        // Bounded: a microsecond count from the environment, 1 ms to a day.
        if path != nil, forUs, let text = environment["WATCHDOG_USEC"], let usec = Int(text), (1_000...86_400_000_000).contains(usec) {
            watchdogInterval = .microseconds(usec / 2)
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { socketPath != nil }

    /// Sends `state` ("READY=1\nSTATUS=…"); false if it could not (logged by the caller, never fatal).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (abstract ? 0 : 1))
        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let bytes = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == bytes.count
    }
}
