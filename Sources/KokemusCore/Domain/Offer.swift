import Foundation

/// A task offered to one expert, who answers by a deadline. The expert chooses freely:
/// a decline needs no reason.
public struct Offer: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for the expert's answer.
        case pending
        case accepted
        case declined
        /// The deadline passed without an answer.
        case expired
        /// Someone else accepted first, or the order was cancelled or given to someone else.
        case withdrawn
    }

    public var expert: PersonID
    public var offeredAt: Date
    public var deadline: Date
    public var status: Status
    public var answeredAt: Date?
    /// Whether the "deadline near" reminder has gone out.
    public var reminded: Bool
    /// Offered by a coordinator's hand rather than by the ranking.
    public var byHand: Bool

    public init(
        expert: PersonID, offeredAt: Date, deadline: Date, status: Status = .pending, answeredAt: Date? = nil,
        reminded: Bool = false, byHand: Bool = false
    ) {
        self.expert = expert
        self.offeredAt = offeredAt
        self.deadline = deadline
        self.status = status
        self.answeredAt = answeredAt
        self.reminded = reminded
        self.byHand = byHand
    }
}

extension Offer.Status {
    /// How the status reads in a person's language (`ehdokkaat`).
    var nameKey: MessageKey {
        switch self {
        case .pending: .offerStatusPending
        case .accepted: .offerStatusAccepted
        case .declined: .offerStatusDeclined
        case .expired: .offerStatusExpired
        case .withdrawn: .offerStatusWithdrawn
        }
    }
}
