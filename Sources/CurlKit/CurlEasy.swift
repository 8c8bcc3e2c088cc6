import CCurl
import Foundation

/// The result of one transfer: status code (HTTP, SMTP or IMAP response code, as
/// curl reports it), raw response header lines and the body.
public struct CurlResponse: Sendable {
    public var statusCode: Int
    public var headerLines: [String]
    public var body: Data
    /// Seconds the server asked us to wait (`Retry-After`, seconds or HTTP-date), if any.
    public var retryAfterSeconds: Int?

    /// The value of the last header with this name (case-insensitive), without surrounding space.
    public func header(_ name: String) -> String? {
        let prefix = name.lowercased() + ":"
        return headerLines.last { $0.lowercased().hasPrefix(prefix) }
            .map { String($0.dropFirst(prefix.count)).trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}

/// Collects what curl hands to the write and header callbacks; the C callbacks
/// reach it through an unmanaged pointer passed as their user data.
final class CurlResponseSink {
    var body = Data()
    /// What an upload (SMTP DATA) reads, and how far it has read.
    var upload = Data()
    var uploadOffset = 0
    var headerLines: [String] = []
    var maximumBodyBytes: Int
    var bodyLimitExceeded = false
    var cancellation: CurlCancellation?

    init(maximumBodyBytes: Int) {
        self.maximumBodyBytes = maximumBodyBytes
    }
}

/// Owns one libcurl easy handle. Not Sendable: a handle must stay on the thread
/// that uses it (libcurl-thread(3)), so each transport loop keeps its own.
public final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// The handle, for the connection calls in `CurlEasy+Connection.swift`.
    var rawHandle: UnsafeMutableRawPointer { handle }
    private let sink: CurlResponseSink
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Header lists must outlive the transfer that uses them.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var recipientList: UnsafeMutablePointer<curl_slist>?

    /// Creates a handle. `maximumBodyBytes` caps the response body: curl 7.88 ignores
    /// `MAXFILESIZE` when the size is not announced, so the cap is kept here.
    public init(maximumBodyBytes: Int = 16 << 20) throws {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw CurlError(CURLE_FAILED_INIT, operation: "curl_easy_init")
        }
        self.handle = handle
        self.sink = CurlResponseSink(maximumBodyBytes: maximumBodyBytes)
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try installDefaults()
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(recipientList)
        errorBuffer.deallocate()
    }

    // MARK: Options

    /// Sets an option that takes a `long`.
    public func set(_ option: CURLoption, _ value: Int) throws {
        try check(kokemus_curl_setopt_long(handle, option, value), "setting option \(option.rawValue)")
    }

    /// Sets an option that takes a string; libcurl copies it.
    public func set(_ option: CURLoption, _ value: String) throws {
        try check(kokemus_curl_setopt_string(handle, option, value), "setting option \(option.rawValue)")
    }

    /// Sets an option that takes a `curl_off_t` (the `*_LARGE` options).
    public func set(_ option: CURLoption, large value: Int64) throws {
        try check(kokemus_curl_setopt_off_t(handle, option, curl_off_t(value)), "setting option \(option.rawValue)")
    }

    /// The URL of the next transfer.
    public func setURL(_ url: String) throws {
        try set(CURLOPT_URL, url)
    }

    /// Request headers for the next transfers, replacing any set before.
    public func setHeaders(_ lines: [String]) throws {
        let list = try Self.makeList(lines)
        try check(kokemus_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "setting headers")
        curl_slist_free_all(headerList)
        headerList = list
    }

    /// SMTP recipients for the next transfer. Addresses must already be validated:
    /// curl 7.88 passes a CR or LF in them straight into the SMTP dialogue.
    public func setMailRecipients(_ addresses: [String]) throws {
        // Scalars, not Characters: "\r\n" is one Character and equals neither "\r" nor "\n".
        for address in addresses where address.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw CurlError(
                CURLE_BAD_FUNCTION_ARGUMENT, operation: "setting recipients",
                detail: "recipient contains a line break: \(address.debugDescription)")
        }
        let list = try Self.makeList(addresses)
        try check(kokemus_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, list), "setting recipients")
        curl_slist_free_all(recipientList)
        recipientList = list
    }

    /// A POST or PUT body; libcurl copies it (`COPYPOSTFIELDS`).
    public func setBody(_ body: Data) throws {
        try set(CURLOPT_POSTFIELDSIZE_LARGE, large: Int64(body.count))
        let code = body.withUnsafeBytes { raw -> CURLcode in
            // An empty body still needs a valid pointer, or curl reads from the read callback.
            let base = raw.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            return kokemus_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
        }
        try check(code, "setting body")
    }

    /// Sends `data` as the upload of the next transfer (the message of an SMTP transfer).
    public func setUpload(_ data: Data) throws {
        sink.upload = data
        sink.uploadOffset = 0
        try set(CURLOPT_UPLOAD, 1)
        try set(CURLOPT_INFILESIZE_LARGE, large: Int64(data.count))
        try check(kokemus_curl_setopt_data_callback(handle, CURLOPT_READFUNCTION, curlKitReadUpload), "setting read callback")
        try check(
            kokemus_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(sink).toOpaque()),
            "setting read data")
    }

    /// Lets another thread stop the transfer; curl then returns `CURLE_ABORTED_BY_CALLBACK`.
    public func setCancellation(_ cancellation: CurlCancellation?) {
        sink.cancellation = cancellation
    }

    /// Clears every option for the next, different transfer while keeping the handle's
    /// open connections (so a Matrix client reuses one keep-alive connection).
    public func reset() throws {
        curl_easy_reset(handle)
        curl_slist_free_all(headerList)
        headerList = nil
        curl_slist_free_all(recipientList)
        recipientList = nil
        sink.upload = Data()
        sink.uploadOffset = 0
        try installDefaults()
    }

    // MARK: Transfer

    /// Runs the transfer and blocks this thread until it ends.
    public func perform() throws -> CurlResponse {
        sink.body.removeAll(keepingCapacity: true)
        sink.headerLines.removeAll(keepingCapacity: true)
        sink.bodyLimitExceeded = false
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        if sink.bodyLimitExceeded {
            throw CurlError(
                code, operation: "transfer",
                detail: "response body larger than \(sink.maximumBodyBytes) bytes")
        }
        try check(code, "transfer")
        var status = 0
        var retryAfter: curl_off_t = 0
        try check(kokemus_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "reading response code")
        _ = kokemus_curl_getinfo_off_t(handle, CURLINFO_RETRY_AFTER, &retryAfter)
        return CurlResponse(
            statusCode: status, headerLines: sink.headerLines, body: sink.body,
            retryAfterSeconds: retryAfter > 0 ? Int(retryAfter) : nil)
    }

    /// The last response code curl saw (useful after a failed SMTP transfer, whose
    /// 5xx reply curl reports with the same code as a network error).
    public var lastResponseCode: Int {
        var status = 0
        _ = kokemus_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    // MARK: Private

    private func installDefaults() throws {
        // Signals from curl's resolver would hit a random thread; the threaded resolver needs none.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_CONNECTTIMEOUT, 15)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try check(kokemus_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "setting error buffer")
        let userData = Unmanaged.passUnretained(sink).toOpaque()
        try check(kokemus_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlKitWriteBody), "setting write callback")
        try check(kokemus_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, userData), "setting write data")
        try check(kokemus_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlKitWriteHeader), "setting header callback")
        try check(kokemus_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, userData), "setting header data")
        try check(kokemus_curl_setopt_progress_callback(handle, curlKitProgress), "setting progress callback")
        try check(kokemus_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, userData), "setting progress data")
        try set(CURLOPT_NOPROGRESS, 0)
    }

    private func check(_ code: CURLcode, _ operation: String) throws {
        guard code == CURLE_OK else {
            throw CurlError(code, operation: operation, detail: String(cString: errorBuffer))
        }
    }

    private static func makeList(_ lines: [String]) throws -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw CurlError(CURLE_OUT_OF_MEMORY, operation: "building a header list")
            }
            list = extended
        }
        return list
    }
}

/// One-time `curl_global_init`, which must run before any other curl call.
enum CurlGlobal {
    private static let result: CURLcode = kokemus_curl_global_init()

    static func ensureInitialized() throws {
        guard result == CURLE_OK else { throw CurlError(result, operation: "curl_global_init") }
    }
}

private func curlKitWriteBody(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
    _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userData else { return 0 }
    let sink = Unmanaged<CurlResponseSink>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    if sink.body.count + length > sink.maximumBodyBytes {
        sink.bodyLimitExceeded = true
        return 0  // makes curl stop with CURLE_WRITE_ERROR
    }
    buffer.withMemoryRebound(to: UInt8.self, capacity: length) { sink.body.append($0, count: length) }
    return length
}

private func curlKitWriteHeader(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
    _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userData else { return 0 }
    let sink = Unmanaged<CurlResponseSink>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    let line = buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
    let trimmed = line.trimmingCharacters(in: .newlines)
    // A new status line starts a new response (redirects, 100-continue): keep only the last.
    if trimmed.hasPrefix("HTTP/") { sink.headerLines.removeAll() }
    if !trimmed.isEmpty { sink.headerLines.append(trimmed) }
    return length
}

private func curlKitReadUpload(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
    _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userData else { return 0 }
    let sink = Unmanaged<CurlResponseSink>.fromOpaque(userData).takeUnretainedValue()
    let length = min(size * count, sink.upload.count - sink.uploadOffset)
    guard length > 0 else { return 0 }
    sink.upload.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + sink.uploadOffset, byteCount: length)
    }
    sink.uploadOffset += length
    return length
}

private func curlKitProgress(
    _ userData: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t,
    _ downloaded: curl_off_t, _ uploadTotal: curl_off_t, _ uploaded: curl_off_t
) -> Int32 {
    guard let userData else { return 0 }
    let sink = Unmanaged<CurlResponseSink>.fromOpaque(userData).takeUnretainedValue()
    return sink.cancellation?.isCancelled == true ? 1 : 0
}
