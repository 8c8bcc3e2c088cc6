/// Fills `{name}` placeholders in a text. Unknown placeholders stay as written, so a
/// missing value is visible rather than silently empty.
///
/// Braces are ASCII, so both functions scan UTF-8 bytes rather than characters: every
/// message a flow sends goes through here (scanning by character took 3 % of the engine
/// benchmark).
public enum Template {
    private static let open = UInt8(ascii: "{")
    private static let close = UInt8(ascii: "}")

    public static func render(_ text: String, _ values: [String: String]) -> String {
        let bytes = text.utf8
        guard bytes.contains(open) else { return text }
        var result = ""
        result.reserveCapacity(bytes.count)
        var rest = bytes[...]
        while let start = rest.firstIndex(of: open) {
            let inside = rest.index(after: start)
            // A brace never closed is text like any other.
            guard let end = rest[inside...].firstIndex(of: close) else { break }
            result += Substring(rest[..<start])
            if let value = values[String(Substring(rest[inside..<end]))] {
                result += value
                rest = rest[rest.index(after: end)...]
            } else {
                result += "{"
                rest = rest[inside...]
            }
        }
        result += Substring(rest)
        return result
    }

    /// The placeholder names a text uses.
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = text.utf8[...]
        while let start = rest.firstIndex(of: open), let end = rest[start...].firstIndex(of: close) {
            let name = Substring(rest[rest.index(after: start)..<end])
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.append(String(name)) }
            rest = rest[rest.index(after: end)...]
        }
        return names
    }
}
