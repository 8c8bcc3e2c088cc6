import Foundation

/// An e-mail address checked before it goes near SMTP: curl 7.88 would pass a CR or LF in
/// a recipient straight into the dialogue, so anything but a plain `local@domain` is refused.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: String
    public let displayName: String?

    public init?(_ address: String, displayName: String? = nil) {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        guard Self.isValid(trimmed) else { return nil }
        self.address = trimmed
        self.displayName = displayName
    }

    public var description: String { address }

    static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 254, !address.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }),
            !address.contains("<"), !address.contains(">"), !address.contains(","), !address.contains(";"),
            !address.contains("\""), !address.contains("(")
        else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains("..")
        else { return false }
        return true
    }

    /// `Anna <anna@x.fi>` or `anna@x.fi` → `anna@x.fi` (lower-cased), or nil.
    static func extractAddress(_ field: String) -> String? {
        let candidate: String
        if let open = field.lastIndex(of: "<"), let close = field[open...].firstIndex(of: ">") {
            candidate = String(field[field.index(after: open)..<close])
        } else {
            candidate = field.trimmingCharacters(in: .whitespaces)
        }
        return isValid(candidate) ? candidate.lowercased() : nil
    }

    /// The first `<...>` in a field, without the brackets.
    static func angleBracketed(_ field: String) -> String? {
        angleBracketedAll(field).first
    }

    static func angleBracketedAll(_ field: String) -> [String] {
        var result: [String] = []
        var rest = Substring(field)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let value = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { result.append(value) }
            rest = rest[rest.index(after: close)...]
        }
        return result
    }
}
