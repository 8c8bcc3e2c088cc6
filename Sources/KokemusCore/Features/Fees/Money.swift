import Foundation

/// An amount of euros, kept in cents so sums are exact.
///
/// People type amounts and the state keeps them, so nothing here may trap: parsing is
/// bounded (`maximumParsed`), and sums and products saturate at `limit` (far past any real
/// fee report) instead of overflowing. An amount at the limit in a report is visibly absurd;
/// `kokemus state check` names where it is.
public struct Money: Codable, Sendable, Hashable, Comparable, AdditiveArithmetic {
    public var cents: Int

    public init(cents: Int) { self.cents = cents }

    /// The most a person may type as one amount unless a flow says otherwise: 100,000 €.
    public static let maximumParsed = Money(cents: 100_000_00)
    /// Where sums stop growing: 10¹³ €, so that no sum of amounts from the state overflows.
    public static let limit = Money(cents: 1_000_000_000_000_000)

    public static let zero = Money(cents: 0)
    public static func + (lhs: Money, rhs: Money) -> Money { Money(saturating: lhs.cents.addingReportingOverflow(rhs.cents)) }
    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(saturating: lhs.cents.subtractingReportingOverflow(rhs.cents))
    }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    /// The amount `count` times (a rate per kilometre or minute), saturating.
    public func times(_ count: Int) -> Money { Money(saturating: cents.multipliedReportingOverflow(by: count)) }

    private init(saturating result: (partialValue: Int, overflow: Bool)) {
        let limit = Self.limit.cents
        cents = result.overflow ? (result.partialValue < 0 ? limit : -limit) : min(max(result.partialValue, -limit), limit)
    }

    /// Whether the amount lies in 0…`maximumParsed`, as every amount a person typed must.
    public var isPlausible: Bool { cents >= 0 && cents <= Self.maximumParsed.cents }

    /// `20`, `20.5`, `20,50`, `1 250,00` (a euro sign is allowed); nil for anything else,
    /// negative amounts, more than two decimals and more digits than any amount has.
    /// Range checks (`maximumParsed`) are the caller's, who can then say what the range is.
    public init?(parsing text: String) {
        var cleaned = text.replacingOccurrences(of: "€", with: "").replacingOccurrences(
            of: "eur", with: "",
            options: .caseInsensitive)
        cleaned = cleaned.filter { !$0.isWhitespace }.replacingOccurrences(of: ",", with: ".")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...12).contains(parts[0].count), parts[0].allSatisfy(\.isASCIIDigitCharacter),
            let euros = Int(parts[0])
        else { return nil }
        var cents = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard (1...2).contains(decimals.count), decimals.allSatisfy(\.isASCIIDigitCharacter), let value = Int(decimals) else {
                return nil
            }
            cents = decimals.count == 1 ? value * 10 : value
        }
        // At most 12 digits of euros: the product stays far inside Int.
        self.cents = euros * 100 + cents
    }

    /// `1 250,00 €` in Finnish and Swedish, `€1,250.00` in English.
    public func text(_ language: Language) -> String {
        let sign = cents < 0 ? "-" : ""
        let whole = cents.magnitude / 100
        let fraction = String(format: "%02d", Int(cents.magnitude % 100))
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
        (cents < 0 ? "-" : "") + "\(cents.magnitude / 100)." + String(format: "%02d", Int(cents.magnitude % 100))
    }
}
