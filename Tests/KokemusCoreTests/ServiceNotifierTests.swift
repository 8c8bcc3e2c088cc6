import Foundation
import Testing

@testable import KokemusCore

#if canImport(Glibc)
    import Glibc
#endif

/// systemd's notification protocol without libsystemd: datagrams to NOTIFY_SOCKET.
@Suite struct ServiceNotifierTests {
    /// A datagram socket bound to `path` (or an abstract name for "@…"), as systemd holds one.
    func listener(_ path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(descriptor >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0, "bind: \(errno)")
        return descriptor
    }

    func receive(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : "<nothing: \(errno)>"
    }

    @Test func statesReachTheSocketByPathAndByAbstractName() throws {
        let directory = temporaryDirectory("kokemus-notify")
        defer { cleanUp(directory) }
        let path = directory.appendingPathComponent("notify").path
        let socket = try listener(path)
        defer { close(socket) }
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.isActive && notifier.notify("READY=1\nSTATUS=channels running: email"))
        #expect(receive(socket) == "READY=1\nSTATUS=channels running: email")

        let name = "@kokemus-test-\(UUID().uuidString.prefix(8))"
        let abstract = try listener(name)
        defer { close(abstract) }
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": name]).notify("WATCHDOG=1"))
        #expect(receive(abstract) == "WATCHDOG=1")
    }

    @Test func withoutASocketOrWithABadOneNothingHappens() {
        #expect(!ServiceNotifier(environment: [:]).isActive)
        #expect(!ServiceNotifier(environment: [:]).notify("READY=1"))
        #expect(!ServiceNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify"]).notify("READY=1"))
        #expect(!ServiceNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]).notify("READY=1"))
    }

    /// WATCHDOG_USEC is read within bounds, and only for this process.
    @Test func theWatchdogIntervalIsHalfWhatSystemdAsks() {
        let socket = ["NOTIFY_SOCKET": "/run/systemd/notify"]
        #expect(ServiceNotifier(environment: socket.merging(["WATCHDOG_USEC": "60000000"]) { a, _ in a }).watchdogInterval == .seconds(30))
        #expect(
            ServiceNotifier(environment: socket.merging(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": String(getpid())]) { a, _ in a })
                .watchdogInterval == .seconds(1))
        for bad in ["99999999999999999999", "-5", "0", "abc", "", "999"] {
            #expect(ServiceNotifier(environment: socket.merging(["WATCHDOG_USEC": bad]) { a, _ in a }).watchdogInterval == nil, "\(bad)")
        }
        #expect(
            ServiceNotifier(environment: socket.merging(["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"]) { a, _ in a }).watchdogInterval
                == nil)
        #expect(ServiceNotifier(environment: ["WATCHDOG_USEC": "60000000"]).watchdogInterval == nil)
    }
}
