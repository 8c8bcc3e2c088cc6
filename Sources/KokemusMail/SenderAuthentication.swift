import Foundation

/// Whose word the gateway takes that a mail comes from the address in its `From:`.
///
/// Anyone can write any `From:`; only the receiving mail server can check it (DKIM
/// signatures, SPF, DMARC) and it says what it found in an `Authentication-Results` header
/// (RFC 8601) under its own name, the authserv-id. The gateway serves a mail only when that
/// server, and no one else, says a check aligned with the `From:` domain passed.
public enum SenderTrust: Sendable, Equatable {
    /// `trusted_authserv_id`: the county's receiving server, by the name it writes.
    case authenticationResults(authservID: String)
    /// `trust_from_header: true`: the operator takes `From:` as it stands (warned at every start).
    case fromHeader
}

/// What the trusted server said about one mail, read from its `Authentication-Results` headers.
public struct SenderAuthentication: Sendable, Equatable {
    /// One `method=result` statement with its properties (`header.d`, `smtp.mailfrom`, …).
    public struct Result: Sendable, Equatable {
        public var method: String
        public var result: String
        public var properties: [String: String]
    }

    public var results: [Result]

    /// The statements of every `Authentication-Results` header written under `authservID`;
    /// headers under any other name are left out, since a sender can write any header it likes.
    /// The server must remove such headers under its own name from incoming mail (RFC 8601 §5).
    public init(_ headers: MailHeaders, authservID: String) {
        let trusted = authservID.lowercased()
        results = headers.all("Authentication-Results").flatMap { value -> [Result] in
            let statements = Self.withoutComments(value).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = statements.first?.split(separator: " ").first, first.lowercased() == trusted else { return [] }
            return statements.dropFirst().compactMap(Self.result)
        }
    }

    /// Whether a passing check is aligned with `fromDomain`: DMARC passed for it, or a DKIM
    /// signature of it (or of its parent domain) verified, or SPF passed for a return path in it
    /// (relaxed alignment as in DMARC, RFC 7489 §3.1, without the public-suffix list: the two
    /// domains are equal or one is under the other, and neither is a bare top-level domain).
    public func vouches(for fromDomain: String) -> Bool {
        let from = fromDomain.lowercased()
        return results.contains { result in
            guard result.result == "pass" else { return false }
            switch result.method {
            case "dmarc":
                return result.properties["header.from"].map { Self.aligned($0, from) } ?? true
            case "dkim":
                let signer = result.properties["header.d"]
                    ?? result.properties["header.i"].flatMap { $0.split(separator: "@").last.map(String.init) }
                return signer.map { Self.aligned($0, from) } ?? false
            case "spf":
                let path = result.properties["smtp.mailfrom"].map { $0.split(separator: "@").last.map(String.init) ?? $0 }
                return path.map { Self.aligned($0, from) } ?? false
            default:
                return false
            }
        }
    }

    static func aligned(_ a: String, _ b: String) -> Bool {
        let a = a.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")),
            b = b.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard a.contains("."), b.contains(".") else { return false }
        return a == b || a.hasSuffix("." + b) || b.hasSuffix("." + a)
    }

    private static func result(_ statement: String) -> Result? {
        let tokens = statement.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let head = tokens.first, let equals = head.firstIndex(of: "=") else { return nil }
        var properties: [String: String] = [:]
        for token in tokens.dropFirst() {
            guard let sign = token.firstIndex(of: "=") else { continue }
            let value = token[token.index(after: sign)...].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            properties[token[..<sign].lowercased()] = value.lowercased()
        }
        return Result(method: head[..<equals].lowercased(), result: head[head.index(after: equals)...].lowercased(),
                      properties: properties)
    }

    /// The header without its comments (`(1024-bit key; secure)` holds a `;` of its own),
    /// nested ones too; quoted strings are kept as they are.
    static func withoutComments(_ value: String) -> String {
        var out = ""
        var depth = 0, quoted = false, escaped = false
        for character in value {
            if escaped { escaped = false; if depth == 0 { out.append(character) }; continue }
            if character == "\\" { escaped = true; if depth == 0 { out.append(character) }; continue }
            if quoted {
                if character == "\"" { quoted = false }
                out.append(character)
            } else if character == "\"" && depth == 0 {
                quoted = true
                out.append(character)
            } else if character == "(" {
                depth = min(depth + 1, 64)
            } else if character == ")" && depth > 0 {
                depth -= 1
                if depth == 0 { out.append(" ") }
            } else if depth == 0 {
                out.append(character)
            }
        }
        return out
    }
}
