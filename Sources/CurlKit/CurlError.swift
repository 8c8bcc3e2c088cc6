import CCurl

/// A failed libcurl call: the `CURLcode`, curl's own description and, when curl
/// filled it, the more specific text of its error buffer.
public struct CurlError: Error, CustomStringConvertible, Sendable {
    /// The raw `CURLcode` (for example 7 for "could not connect", 28 for a timeout).
    public let code: UInt32
    /// What was being done when the call failed, for the log.
    public let operation: String
    /// curl's detail for this transfer, if any.
    public let detail: String

    /// An error found in what a server said, with curl's closest code (8: weird server reply).
    public init(code: UInt32, operation: String, detail: String) {
        self.code = code
        self.operation = operation
        self.detail = detail
    }

    init(_ code: CURLcode, operation: String, detail: String = "") {
        self.code = code.rawValue
        self.operation = operation
        self.detail = detail
    }

    /// True when the failure is about reaching the peer and is worth retrying later.
    public var isTransient: Bool {
        [
            CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT,
            CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
        ]
        .map(\.rawValue).contains(code)
    }

    /// True when the transfer was stopped on purpose through ``CurlCancellation``.
    public var isCancelled: Bool { code == CURLE_ABORTED_BY_CALLBACK.rawValue }

    public var description: String {
        let summary = String(cString: curl_easy_strerror(CURLcode(rawValue: code)))
        let extra = detail.isEmpty || detail == summary ? "" : " (\(detail))"
        return "\(operation) failed: curl error \(code): \(summary)\(extra)"
    }
}
