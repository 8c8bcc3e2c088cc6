import Foundation

/// RFC 2047 encoded words in headers: `=?charset?Q?...?=` and `=?charset?B?...?=`.
/// Whitespace between adjacent encoded words is dropped (§6.2), and adjacent words in one
/// charset are joined as bytes before decoding, because senders split multi-byte
/// characters across words despite §5.
public enum EncodedWords {
    public static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var output = ""
        var pendingBytes = Data()
        var pendingCharset: String?
        var betweenWords = ""
        var rest = Substring(text)

        func flush() {
            if let charset = pendingCharset { output += Charset.decode(pendingBytes, charset: charset) }
            pendingBytes = Data()
            pendingCharset = nil
        }

        while !rest.isEmpty {
            guard let start = rest.range(of: "=?"), let word = parseWord(rest[start.lowerBound...]) else {
                flush()
                output += betweenWords + rest
                betweenWords = ""
                break
            }
            let before = rest[..<start.lowerBound]
            if pendingCharset != nil, before.allSatisfy({ $0 == " " || $0 == "\t" }) {
                // Space between two encoded words is not part of the text.
            } else {
                flush()
                output += before
            }
            if pendingCharset != nil, pendingCharset != word.charset { flush() }
            pendingCharset = word.charset
            pendingBytes.append(word.bytes)
            rest = rest[word.end...]
        }
        flush()
        return output
    }

    private struct Word {
        var charset: String
        var bytes: Data
        var end: Substring.Index
    }

    /// One `=?charset?encoding?text?=` at the start of `text`.
    private static func parseWord(_ text: Substring) -> Word? {
        let parts = text.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("=") else { return nil }
        // RFC 2231 allows a language after '*': utf-8*fi.
        let charset = String(parts[0].split(separator: "*").first ?? "").lowercased()
        let encoded = parts[2]
        guard !charset.isEmpty, !encoded.contains(" ") else { return nil }
        let bytes: Data
        switch parts[1].uppercased() {
        case "B":
            bytes = TransferEncoding.decodeBase64(Data(encoded.utf8))
        case "Q":
            bytes = TransferEncoding.decodeQuotedPrintable(Data(encoded.replacingOccurrences(of: "_", with: " ").utf8))
        default:
            return nil
        }
        return Word(charset: charset, bytes: bytes, end: text.index(parts[3].startIndex, offsetBy: 1))
    }
}
