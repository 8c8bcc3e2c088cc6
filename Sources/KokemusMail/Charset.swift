import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turns bytes in a mail's declared charset into text. glibc's iconv does the work, since
/// Foundation on Linux lacks ISO-8859-15 (whose A4 is €, not ¤). An unknown charset or
/// invalid bytes fall back to UTF-8, then Windows-1252, so a message is never lost over it.
public enum Charset {
    public static func decode(_ bytes: Data, charset: String?) -> String {
        let name = (charset ?? "us-ascii").trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")).lowercased()
        if ["utf-8", "utf8", "us-ascii", "ascii", ""].contains(name) {
            if let text = String(data: bytes, encoding: .utf8) { return normalized(text) }
        } else if let text = iconv(bytes, from: name) {
            return normalized(text)
        }
        if let text = String(data: bytes, encoding: .utf8) { return normalized(text) }
        return normalized(iconv(bytes, from: "windows-1252") ?? String(decoding: bytes, as: UTF8.self))
    }

    /// NFC: "ä" typed on a Mac (a + combining diaeresis) and "ä" typed elsewhere compare,
    /// hash and store the same.
    static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// Converts with iconv; nil when the charset is unknown or the bytes are invalid in it.
    static func iconv(_ bytes: Data, from charset: String) -> String? {
        let converter = iconv_open("UTF-8", charset)
        guard let converter, Int(bitPattern: converter) != -1 else { return nil }
        defer { iconv_close(converter) }
        var input = [UInt8](bytes).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        var inputLeft = input.count
        var outputLeft = output.count
        let result: Int = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inputPointer: UnsafeMutablePointer<CChar>? = inputBuffer.baseAddress
                var outputPointer: UnsafeMutablePointer<CChar>? = outputBuffer.baseAddress
                return Glibc.iconv(converter, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
            }
        }
        guard result != -1, inputLeft == 0 else { return nil }
        let produced = output.count - outputLeft
        return String(decoding: output[0..<produced].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
