import Foundation

/// How an expert is paid (003: "onko kyseessä vertaistoiminta tai toiminta, josta maksetaan
/// työkorvausta, palkkiota tai palkkaa"; 004: "palkkion tai työkorvauksen"). Payroll handles
/// each apart, so each goes to payroll in a file of its own.
public enum PaymentMode: String, Codable, Sendable, CaseIterable {
    /// A fee (palkkio) paid through payroll, with withholding by the year's tax card.
    case fee
    /// Business income (työkorvaus) to an expert with a business ID, paid against an invoice
    /// or a payment order without withholding by a tax card.
    case businessIncome
    /// Unpaid volunteering (vertaistoiminta): no fee; travel and costs agreed are refunded.
    case volunteer

    /// The registry's and the payroll file's word: `fee`, `business_income`, `volunteer`.
    public var registryName: String {
        switch self {
        case .fee: "fee"
        case .businessIncome: "business_income"
        case .volunteer: "volunteer"
        }
    }

    public init?(registryName: String) {
        guard let mode = Self.allCases.first(where: { $0.registryName == registryName }) else { return nil }
        self = mode
    }

    /// Whether the work itself is paid (a volunteer is refunded costs only).
    public var paysFees: Bool { self != .volunteer }
}

/// A Finnish business ID (Y-tunnus), `1572860-0`: seven digits, a dash and a check digit.
public enum BusinessID {
    /// Whether `text` is a business ID with the right check digit: the digits weighted
    /// 7, 9, 10, 5, 8, 4, 2, summed, the remainder by 11; 0 gives 0, 1 is never issued, else
    /// 11 minus the remainder (Verohallinto / PRH).
    public static func isValid(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 9, characters[7] == "-",
            characters.enumerated().allSatisfy({ $0.offset == 7 || $0.element.isASCIIDigitCharacter })
        else { return false }
        let digits = characters.prefix(7).compactMap(\.wholeNumberValue)
        let weights = [7, 9, 10, 5, 8, 4, 2]
        let remainder = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11
        guard remainder != 1, let check = characters[8].wholeNumberValue else { return false }
        return check == (remainder == 0 ? 0 : 11 - remainder)
    }
}
