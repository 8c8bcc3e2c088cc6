import Foundation

/// Travel for an on-site task, agreed before the work (000 §6.2: "Matkat korvataan
/// tapauskohtaisesti, mutta niistä sovitaan aina etukäteen työntekijän kanssa"): what the
/// expert states when taking the task, per session, and the orderer's word on it.
public struct TravelAgreement: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Stated by the expert; waits for the orderer.
        case proposed
        /// Confirmed or adjusted by the orderer: what is paid at most, per session.
        case agreed
    }

    /// Kilometres per session, there and back.
    public var kilometres: Int
    /// Other costs per session (a bus ticket, say).
    public var otherCosts: Money
    public var status: Status
    public var proposedAt: Date
    /// Who confirmed or adjusted it, and when.
    public var decidedBy: PersonID?
    public var decidedAt: Date?

    public init(kilometres: Int, otherCosts: Money, status: Status = .proposed, proposedAt: Date) {
        self.kilometres = kilometres
        self.otherCosts = otherCosts
        self.status = status
        self.proposedAt = proposedAt
    }

    /// The most kilometres a session may claim, as the hours flow bounds them.
    public static let maximumKilometres = 2000
}

extension Order {
    /// The travel the orderer agreed, if any: what is paid at most.
    public var agreedTravel: TravelAgreement? { travel?.status == .agreed ? travel : nil }

    /// Whether hours confirmed for `session` go beyond what was planned and agreed: another
    /// length, or travel or costs beyond the agreement (any at all without one). The orderer
    /// is told, and the fee report marks the line.
    public func exceedsAgreement(_ session: Session, minutes: Int, kilometres: Int, otherCosts: Money) -> Bool {
        minutes != session.durationMinutes || kilometres > (agreedTravel?.kilometres ?? 0)
            || otherCosts > (agreedTravel?.otherCosts ?? .zero)
    }
}
