import Foundation

// Every incoming message is trimmed and normalised several times on its way through the
// engine; Foundation's versions go through NSString and took 7 % of the engine benchmark.
extension StringProtocol {
    /// The text without leading and trailing white space and line breaks: the same as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, whose set is Unicode's White_Space
    /// plus the zero width space (a test compares the two).
    var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !Self.isSpace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80
            ? scalar == " " || (0x09...0x0D).contains(scalar.value)
            : scalar.properties.isWhitespace || scalar.value == 0x200B
    }
}

extension String {
    /// The text in Unicode normal form C, so that "ä" typed as "a" and a combining mark reads
    /// as the precomposed "ä". Text without combining marks or other characters from U+0300
    /// on is already in form C (no character below it changes under NFC), and skips Foundation.
    var canonicallyComposed: String {
        unicodeScalars.allSatisfy { $0.value < 0x300 } ? self : precomposedStringWithCanonicalMapping
    }
}

extension Character {
    /// 0–9 only: people's other digits are the guard's business, not the parsers'.
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension Int {
    /// `self + other`, stopping at the ends of `Int` instead of trapping: for sums of counts
    /// that came from people or from the state.
    func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
