import Foundation

/// One part of a MIME message (the whole message is the root part): its headers, its raw
/// body and, for multiparts, its children.
public struct MIMEPart: Sendable {
    public var headers: MailHeaders
    /// The body as it stands in the message, still transfer-encoded.
    public var rawBody: Data
    public var children: [MIMEPart]

    /// Nesting deeper than this is not followed: no real mail needs it, and a hostile one
    /// must not exhaust the stack.
    static let maximumDepth = 12

    /// `text/plain` when the part does not say (RFC 2045 §5.2).
    public var contentType: String { headers.mainValue("Content-Type") ?? "text/plain" }

    public var isAttachment: Bool {
        headers.mainValue("Content-Disposition") == "attachment"
    }

    /// Parses a part from its bytes (headers, empty line, body).
    public init(parsing data: Data, depth: Int = 0) {
        let (headerBytes, body) = Self.splitHeader(data)
        headers = MailHeaders(parsing: Charset.decode(headerBytes, charset: "utf-8"))
        rawBody = body
        children = []
        if contentType.hasPrefix("multipart/"), depth < Self.maximumDepth,
            let boundary = headers.parameter("boundary", of: "Content-Type"), !boundary.isEmpty
        {
            children = Self.splitMultipart(body, boundary: boundary).map { MIMEPart(parsing: $0, depth: depth + 1) }
        } else if contentType == "message/rfc822" || contentType == "message/delivery-status", depth < Self.maximumDepth {
            // Kept whole as one child for bounce parsing; its text is never shown as an answer.
            children = [MIMEPart(parsing: decodedBody, depth: depth + 1)]
        }
    }

    public init(headers: MailHeaders, rawBody: Data, children: [MIMEPart] = []) {
        self.headers = headers
        self.rawBody = rawBody
        self.children = children
    }

    /// The body with its Content-Transfer-Encoding undone.
    public var decodedBody: Data {
        switch headers.mainValue("Content-Transfer-Encoding") {
        case "quoted-printable": return TransferEncoding.decodeQuotedPrintable(rawBody)
        case "base64": return TransferEncoding.decodeBase64(rawBody)
        default: return rawBody
        }
    }

    /// The body as text in its declared charset, with format=flowed lines rejoined.
    public var text: String {
        let text = Charset.decode(decodedBody, charset: headers.parameter("charset", of: "Content-Type"))
            .replacingOccurrences(of: "\r\n", with: "\n")
        guard headers.parameter("format", of: "Content-Type")?.lowercased() == "flowed" else { return text }
        return FormatFlowed.unflow(text, deleteSpace: headers.parameter("delsp", of: "Content-Type")?.lowercased() == "yes")
    }

    /// Every leaf part, depth first.
    public var leaves: [MIMEPart] {
        children.isEmpty ? [self] : children.flatMap(\.leaves)
    }

    // MARK: Splitting

    static func splitHeader(_ data: Data) -> (Data, Data) {
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { return (Data(bytes[0..<index]), Data(bytes[(index + 2)...])) }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    return (Data(bytes[0..<index]), Data(bytes[(index + 3)...]))
                }
            }
            index += 1
        }
        return (data, Data())
    }

    /// The bodies between `--boundary` lines, up to `--boundary--` (RFC 2046 §5.1.1).
    static func splitMultipart(_ body: Data, boundary: String) -> [Data] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Data] = []
        var current: [UInt8]?
        for line in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            var content = Array(line)
            if content.last == 0x0D { content.removeLast() }
            if content.starts(with: delimiter) {
                let rest = content.dropFirst(delimiter.count)
                let closing = rest.starts(with: Array("--".utf8))
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) || closing {
                    if let part = current { parts.append(Data(part.dropLast())) }  // the CRLF before a delimiter belongs to it
                    current = closing ? nil : []
                    if closing { break }
                    continue
                }
            }
            if current != nil { current! += content + [0x0A] }
        }
        if let part = current, !part.isEmpty { parts.append(Data(part)) }  // unterminated: keep what came
        return parts
    }
}
