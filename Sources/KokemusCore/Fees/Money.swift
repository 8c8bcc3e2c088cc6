import Foundation

/// An amount of euros, kept in cents so sums are exact.
public struct Money: Codable, Sendable, Hashable, Comparable, AdditiveArithmetic {
    public var cents: Int

    public init(cents: Int) { self.cents = cents }

    public static let zero = Money(cents: 0)
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    /// `20`, `20.5`, `20,50`, `1 250,00` (a euro sign is allowed); nil for anything else,
    /// negative amounts and more than two decimals.
    public init?(parsing text: String) {
        var cleaned = text.replacingOccurrences(of: "€", with: "").replacingOccurrences(of: "eur", with: "",
                                                                                         options: .caseInsensitive)
        cleaned = cleaned.filter { !$0.isWhitespace }.replacingOccurrences(of: ",", with: ".")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let euros = Int(parts[0]), euros >= 0, !parts[0].hasPrefix("+") else { return nil }
        var cents = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard (1...2).contains(decimals.count), decimals.allSatisfy(\.isASCII), let value = Int(decimals) else { return nil }
            cents = decimals.count == 1 ? value * 10 : value
        }
        self.cents = euros * 100 + cents
    }

    /// `1 250,00 €` in Finnish and Swedish, `€1,250.00` in English.
    public func text(_ language: Language) -> String {
        let sign = cents < 0 ? "-" : ""
        let whole = abs(cents) / 100
        let fraction = String(format: "%02d", abs(cents) % 100)
        var digits = String(whole)
        var grouped = ""
        let separator = language == .en ? "," : "\u{00A0}"
        while digits.count > 3 {
            grouped = separator + String(digits.suffix(3)) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        return language == .en ? "\(sign)€\(grouped).\(fraction)" : "\(sign)\(grouped),\(fraction)\u{00A0}€"
    }

    /// `1250.00`, for CSV files read by payroll systems.
    public var plain: String {
        (cents < 0 ? "-" : "") + "\(abs(cents) / 100)." + String(format: "%02d", abs(cents) % 100)
    }
}
