import CCurl
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A connection curl opens and hands over (`CURLOPT_CONNECT_ONLY`): curl connects, does TLS
/// and the protocol's greeting and login (for IMAP: capabilities, STARTTLS, authentication),
/// then the caller talks the protocol itself with `curl_easy_send` and `curl_easy_recv`. For
/// what curl's transfers cannot do, such as IMAP IDLE (RFC 2177).
extension CurlEasy {
    /// Opens the connection to the URL set on the handle and stops after the login.
    public func connectOnly() throws {
        try set(CURLOPT_CONNECT_ONLY, 1)
        _ = try perform()
    }

    /// Sends all of `bytes`, waiting for the socket up to `timeout` seconds in all.
    public func send(_ bytes: [UInt8], timeout: Double) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var offset = 0
        while offset < bytes.count {
            var sent = 0
            let code = bytes[offset...].withUnsafeBytes { raw in curl_easy_send(rawHandle, raw.baseAddress, raw.count, &sent) }
            if code == CURLE_AGAIN {
                guard deadline.timeIntervalSinceNow > 0 else { throw CurlError(CURLE_OPERATION_TIMEDOUT, operation: "send") }
                try waitForSocket(events: Int16(POLLOUT), milliseconds: 250)
                continue
            }
            guard code == CURLE_OK else { throw CurlError(code, operation: "send") }
            offset += sent
        }
    }

    /// What has arrived, waiting up to `milliseconds` for something; empty when nothing came in
    /// that time. Throws when the peer has closed the connection.
    public func receive(waitingMilliseconds milliseconds: Int32) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        for attempt in 0..<2 {
            var received = 0
            let code = buffer.withUnsafeMutableBytes { raw in curl_easy_recv(rawHandle, raw.baseAddress, raw.count, &received) }
            if code == CURLE_OK {
                // Zero bytes with OK: the peer closed the connection.
                guard received > 0 else { throw CurlError(CURLE_RECV_ERROR, operation: "receive", detail: "connection closed") }
                return Array(buffer[..<received])
            }
            guard code == CURLE_AGAIN else { throw CurlError(code, operation: "receive") }
            // Nothing buffered (TLS included): wait for the socket once, then read again.
            if attempt == 0 { try waitForSocket(events: Int16(POLLIN), milliseconds: milliseconds) }
        }
        return []
    }

    private func waitForSocket(events: Int16, milliseconds: Int32) throws {
        var socket: curl_socket_t = CURL_SOCKET_BAD
        let code = kokemus_curl_getinfo_socket(rawHandle, &socket)
        guard code == CURLE_OK, socket != CURL_SOCKET_BAD else {
            throw CurlError(code == CURLE_OK ? CURLE_RECV_ERROR : code, operation: "receive", detail: "no open connection")
        }
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR { throw CurlError(CURLE_RECV_ERROR, operation: "poll", detail: "errno \(errno)") }
    }
}
