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

    /// The statements of the topmost `Authentication-Results` header, when it is written under
    /// exactly `authservID`; else none. Only the topmost one: the receiving server adds its own
    /// above everything the mail came with, and a sender can write any header it likes below
    /// it, in forms a server's filter may not recognise as its name (`name(x);`, a no-break or
    /// zero-width space). The server must add one to every mail and drop the ones it came with.
    public init(_ headers: MailHeaders, authservID: String) {
        guard let topmost = headers.all("Authentication-Results").first, Self.isWritten(topmost, under: authservID) else {
            results = []
            return
        }
        let statements = Self.withoutComments(topmost).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        results = statements.dropFirst().compactMap(Self.result)
    }

    /// Whether a header's value begins with exactly the name, then a space, a tab, `;` or its end.
    static func isWritten(_ value: String, under authservID: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        let name = Array(authservID.lowercased().unicodeScalars)
        guard scalars.count >= name.count, !name.isEmpty,
            zip(scalars, name).allSatisfy({ $0.isASCII && Character($0).lowercased() == String($1) })
        else { return false }
        guard scalars.count > name.count else { return true }
        return [" ", "\t", ";"].contains(scalars[name.count])
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
                let signer =
                    result.properties["header.d"]
                    ?? result.properties["header.i"].flatMap { $0.split(separator: "@").last.map(String.init) }
                return signer.map { Self.aligned($0, from) } ?? false
            case "spf":
                return Self.isAlignedSPF(result, from)
            default:
                return false
            }
        }
    }

    /// Whether the passing checks hold for this very mail, by its `DKIM-Signature` headers of
    /// the `From:` domain: a signature with `l=` signs only the first part of the body, so text
    /// added after it would pass; one that leaves out `Message-ID` lets a captured mail be sent
    /// again as new. Either makes a DKIM (or DMARC) pass count for nothing; an aligned SPF pass
    /// (the county's own servers sent it) still does.
    public func vouches(for fromDomain: String, signatures: [String]) -> Bool {
        guard vouches(for: fromDomain) else { return false }
        if results.contains(where: { $0.method == "spf" && $0.result == "pass" && Self.isAlignedSPF($0, fromDomain) }) { return true }
        let ours = signatures.map(Self.tags).filter { tags in tags["d"].map { Self.aligned($0, fromDomain) } ?? false }
        guard !ours.isEmpty else { return false }
        return ours.contains { tags in
            tags["l"] == nil && (tags["h"] ?? "").lowercased().split(separator: ":").contains("message-id")
        }
    }

    /// Whether an SPF result's return path (`smtp.mailfrom`, an address or a domain) is in the domain.
    static func isAlignedSPF(_ result: Result, _ fromDomain: String) -> Bool {
        let path = result.properties["smtp.mailfrom"].map { $0.split(separator: "@").last.map(String.init) ?? $0 }
        return path.map { aligned($0, fromDomain) } ?? false
    }

    /// A `DKIM-Signature`'s tags (`d`, `h`, `l`, …), white space removed (RFC 6376 §3.2).
    static func tags(_ value: String) -> [String: String] {
        var tags: [String: String] = [:]
        for part in value.split(separator: ";") {
            let compact = part.filter { !$0.isWhitespace }
            guard let equals = compact.firstIndex(of: "=") else { continue }
            tags[compact[..<equals].lowercased()] = String(compact[compact.index(after: equals)...])
        }
        return tags
    }

    static func aligned(_ a: String, _ b: String) -> Bool {
        let a = a.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        let b = b.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
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
        return Result(
            method: head[..<equals].lowercased(), result: head[head.index(after: equals)...].lowercased(),
            properties: properties)
    }

    /// The header without its comments (`(1024-bit key; secure)` holds a `;` of its own),
    /// nested ones too; quoted strings are kept as they are.
    static func withoutComments(_ value: String) -> String {
        var out = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                escaped = false
                if depth == 0 { out.append(character) }
                continue
            }
            if character == "\\" {
                escaped = true
                if depth == 0 { out.append(character) }
                continue
            }
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
