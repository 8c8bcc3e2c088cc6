import CCurl

/// The options the channels set, typed: each passes the C type libcurl reads, and the channel
/// modules need not import the C module (nor can they set an option by a wrong type).
public enum CurlOption: Sendable, Hashable {
    /// The protocols a transfer may use, e.g. `"http,https"` (`CURLOPT_PROTOCOLS_STR`), so a
    /// redirect or a mistyped URL cannot switch to another.
    case protocols(String)
    /// The longest a whole transfer may take (`CURLOPT_TIMEOUT`).
    case timeoutSeconds(Int)
    /// An HTTP POST (`CURLOPT_POST`).
    case post
    /// Another HTTP method, or an IMAP command (`CURLOPT_CUSTOMREQUEST`).
    case customRequest(String)
    case username(String)
    case password(String)
    /// A new connection for this transfer (`CURLOPT_FRESH_CONNECT`).
    case freshConnection(Bool)
    /// Close the connection after this transfer (`CURLOPT_FORBID_REUSE`).
    case forbidReuse(Bool)
    /// The SMTP envelope sender; `""` sends `MAIL FROM:<>` (`CURLOPT_MAIL_FROM`).
    case mailFrom(String)
    /// How long curl waits for an IMAP or SMTP server's answer, its own goodbye when a handle
    /// is freed included (`CURLOPT_SERVER_RESPONSE_TIMEOUT`; curl's default is 120 s).
    case serverResponseTimeoutSeconds(Int)
}

extension CurlEasy {
    public func set(_ option: CurlOption) throws {
        switch option {
        case .protocols(let list): try set(CURLOPT_PROTOCOLS_STR, list)
        case .timeoutSeconds(let seconds): try set(CURLOPT_TIMEOUT, seconds)
        case .post: try set(CURLOPT_POST, 1)
        case .customRequest(let request): try set(CURLOPT_CUSTOMREQUEST, request)
        case .username(let name): try set(CURLOPT_USERNAME, name)
        case .password(let secret): try set(CURLOPT_PASSWORD, secret)
        case .freshConnection(let fresh): try set(CURLOPT_FRESH_CONNECT, fresh ? 1 : 0)
        case .forbidReuse(let forbid): try set(CURLOPT_FORBID_REUSE, forbid ? 1 : 0)
        case .mailFrom(let sender): try set(CURLOPT_MAIL_FROM, sender)
        case .serverResponseTimeoutSeconds(let seconds): try set(CURLOPT_SERVER_RESPONSE_TIMEOUT, seconds)
        }
    }
}
