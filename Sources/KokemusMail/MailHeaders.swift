import Foundation

/// A message's or part's header fields, unfolded, in order, looked up without regard to case.
public struct MailHeaders: Sendable, Hashable {
    public private(set) var fields: [(name: String, value: String)]

    public static func == (lhs: MailHeaders, rhs: MailHeaders) -> Bool {
        lhs.fields.map { "\($0.name.lowercased()):\($0.value)" } == rhs.fields.map { "\($0.name.lowercased()):\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name.lowercased())
            hasher.combine(field.value)
        }
    }

    public init(fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Space and tab, the only white space of a header (RFC 5322 WSP): a no-break or zero-width
    /// space is part of the value, as every mail server reads it.
    static let wsp = CharacterSet(charactersIn: " \t")

    /// Parses a header block (the text before the first empty line). Folded lines are
    /// joined (RFC 5322 §2.2.3); a line with no colon is skipped rather than failing the mail.
    public init(parsing block: String) {
        var fields: [(String, String)] = []
        for rawLine in block.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = String(rawLine)
            while line.hasSuffix("\r") { line.removeLast() }
            if let first = line.first, first == " " || first == "\t" {
                if !fields.isEmpty { fields[fields.count - 1].1 += " " + line.trimmingCharacters(in: Self.wsp) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: Self.wsp)
            guard !name.isEmpty, !name.contains(" ") else { continue }
            fields.append((name, line[line.index(after: colon)...].trimmingCharacters(in: Self.wsp)))
        }
        self.fields = fields
    }

    /// The first value of a field, raw (encoded words not decoded).
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of a field, in order.
    public func all(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// A field with RFC 2047 encoded words decoded (`=?ISO-8859-1?Q?Py=F6d=E4t?=`).
    public func decoded(_ name: String) -> String? {
        self[name].map(EncodedWords.decode)
    }

    /// The value before the first `;` of a structured field, lower-cased (`text/plain`).
    public func mainValue(_ name: String) -> String? {
        self[name].map { String($0.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// A parameter of a structured field (`charset` of Content-Type), unquoted.
    public func parameter(_ name: String, of field: String) -> String? {
        guard let value = self[field] else { return nil }
        return Self.parameters(value)[name.lowercased()]
    }

    /// `a=1; b="x; y"` → ["a": "1", "b": "x; y"]; quotes respected, names lower-cased.
    static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let key = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            result[key] = value
        }
        return result
    }
}
