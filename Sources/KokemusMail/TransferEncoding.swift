import Foundation

/// Content-Transfer-Encoding: quoted-printable (RFC 2045 §6.7) and base64 (§6.8), both
/// ways. Decoding is lenient, as mail in the wild needs: broken escapes pass through,
/// non-alphabet characters in base64 are skipped.
public enum TransferEncoding {
    public static func decodeQuotedPrintable(_ text: Data) -> Data {
        let bytes = [UInt8](text)
        var output = Data(capacity: bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "=") else {
                output.append(byte)
                index += 1
                continue
            }
            // Soft line break: "=" at the end of a line (CRLF or LF, trailing blanks allowed).
            var lookahead = index + 1
            while lookahead < bytes.count, bytes[lookahead] == 0x20 || bytes[lookahead] == 0x09 { lookahead += 1 }
            if lookahead < bytes.count, bytes[lookahead] == 0x0D || bytes[lookahead] == 0x0A {
                index = lookahead + (bytes[lookahead] == 0x0D && lookahead + 1 < bytes.count && bytes[lookahead + 1] == 0x0A ? 2 : 1)
                continue
            }
            if lookahead >= bytes.count { break }
            if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    public static func decodeBase64(_ text: Data) -> Data {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var cleaned = [UInt8](text).filter { alphabet.contains($0) }
        // A lone trailing character cannot encode a byte; padding is added back below.
        if cleaned.count % 4 == 1 { cleaned.removeLast() }
        while cleaned.count % 4 != 0 { cleaned.append(UInt8(ascii: "=")) }
        return Data(base64Encoded: Data(cleaned)) ?? Data()
    }

    /// Quoted-printable for outgoing UTF-8 text: CRLF line ends, lines of at most 76
    /// characters, "=" and non-ASCII escaped, trailing blanks escaped, a leading "." escaped
    /// so that SMTP dot-stuffing can never eat it.
    public static func encodeQuotedPrintable(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { line -> String in
            var encoded: [String] = []
            let bytes = Array(String(line).utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let plain = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let dotFirst = index == 0 && byte == UInt8(ascii: ".")
                encoded.append(plain && !dotFirst ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte))
            }
            var output = ""
            var width = 0
            for piece in encoded {
                if width + piece.count > 75 {
                    output += "=\r\n"
                    width = 0
                }
                output += piece
                width += piece.count
            }
            return output
        }.joined(separator: "\r\n")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
