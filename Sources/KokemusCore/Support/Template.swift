/// Fills `{name}` placeholders in a text. Unknown placeholders stay as written, so a
/// missing value is visible rather than silently empty.
///
/// A count may choose between two forms, the first for exactly one and the second for any
/// other number, `#` standing for the number: `{count|# kerta|# kertaa}`, `{count|1 session|#
/// sessions}`, `{count|jäljellä oleva tapaaminen|jäljellä olevat # tapaamista}` (Finnish,
/// Swedish and English need no more forms than these two).
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
            let name = Substring(rest[inside..<end])
            if let value = values[String(name)] {
                result += value
                rest = rest[rest.index(after: end)...]
            } else if let plural = Self.plural(name, values) {
                result += plural
                rest = rest[rest.index(after: end)...]
            } else {
                result += "{"
                rest = rest[inside...]
            }
        }
        result += Substring(rest)
        return result
    }

    /// `count|one form|other form` with a whole number for `count`: the form for it, `#` the
    /// number. Nil for anything else (left as written, like an unknown placeholder).
    private static func plural(_ inside: Substring, _ values: [String: String]) -> String? {
        let parts = inside.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let value = values[String(parts[0])], let number = Int(value) else { return nil }
        return (number == 1 ? parts[1] : parts[2]).replacingOccurrences(of: "#", with: value)
    }

    /// What is wrong with the text's counts that choose their form: `{count|one}` (a form
    /// missing), `{count|one|other|more}`, an empty form or a placeholder inside a form (left as
    /// written when rendered, so each would show to people as braces).
    public static func pluralProblems(in text: String) -> [String] {
        var problems: [String] = []
        var rest = text.utf8[...]
        while let start = rest.firstIndex(of: open), let end = rest[rest.index(after: start)...].firstIndex(of: close) {
            let inside = Substring(rest[rest.index(after: start)..<end])
            rest = rest[rest.index(after: end)...]
            guard inside.contains("|") else { continue }
            let parts = inside.split(separator: "|", omittingEmptySubsequences: false)
            // What follows the count up to the next space: a form that held a placeholder.
            let after = String(decoding: rest.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
            if inside.contains("{") || after.hasPrefix("}") {
                problems.append("{\(inside)}: a count's forms cannot hold a placeholder")
            } else if parts.count != 3 {
                problems.append("{\(inside)}: a count's forms are {name|one form|other form}, not \(parts.count - 1) form(s)")
            } else if parts[1].trimmingCharacters(in: .whitespaces).isEmpty || parts[2].trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("{\(inside)}: a count's form is empty")
            } else if parts[0].isEmpty || !parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                problems.append("{\(inside)}: '\(parts[0])' is not a placeholder name")
            }
        }
        // A placeholder inside a form ("{n|# {x}|…}") ends the count at its own brace, so it
        // shows above as forms missing.
        return problems
    }

    /// The placeholder names a text uses (a count choosing its form by its name).
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = text.utf8[...]
        while let start = rest.firstIndex(of: open), let end = rest[start...].firstIndex(of: close) {
            var name = Substring(rest[rest.index(after: start)..<end])
            if let bar = name.firstIndex(of: "|") { name = name[..<bar] }
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.append(String(name)) }
            rest = rest[rest.index(after: end)...]
        }
        return names
    }
}
