import Foundation

/// An expert's part in an order: offered, then accepted or declined.
public struct Assignment: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case offered, accepted, declined, withdrawn
    }

    public var expert: PersonID
    public var status: Status
    public var offeredAt: Date
    public var answeredAt: Date?

    public init(expert: PersonID, status: Status, offeredAt: Date, answeredAt: Date? = nil) {
        self.expert = expert
        self.status = status
        self.offeredAt = offeredAt
        self.answeredAt = answeredAt
    }
}

/// One meeting of an order; group guidance has several.
public struct Session: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case planned
        case held
        /// Cancelled by 15:00 on the day before: no fee.
        case cancelledFree
        /// Cancelled later: the agreed fee is paid.
        case cancelledPaid
        /// The client did not come: the agreed fee is paid.
        case clientNoShow
        /// A group session no one came to: paid all the same.
        case noParticipants
        /// The expert fell ill: no fee.
        case expertIll
        /// The group was stopped for a reason the coordinator accepted: no fee.
        case groupStopped
        /// The expert gave the session up for a reason of their own (`luovu`): no fee; the
        /// session is offered to others as a new order.
        case expertWithdrew

        /// Whether the agreed fee is paid for a session that ended this way.
        public var feeDue: Bool {
            switch self {
            case .held, .cancelledPaid, .clientNoShow, .noParticipants: return true
            case .planned, .cancelledFree, .expertIll, .groupStopped, .expertWithdrew: return false
            }
        }
    }

    /// The session's number as people use it: 1 for the first.
    public var index: Int
    public var start: Date
    public var durationMinutes: Int
    public var status: Status
    /// Who decided the session's outcome (other than holding it as planned), when and why.
    public var decision: SessionDecision?
    /// The hours and costs the expert confirmed after the session.
    public var hours: SessionHours?
    /// When the expert was asked to confirm the hours.
    public var hoursAskedAt: Date?
    /// The expert's word that no one came, waiting for the orderer (or disputed by them).
    public var noShowClaim: NoShowClaim?
    /// The start the session was booked at, which a move leaves as it was: a calendar names
    /// one meeting of a series by it (RECURRENCE-ID). Nil in sessions stored before it existed.
    public var plannedStart: Date?
    /// When the orderer was asked whether the session took place ("Toteutuiko?").
    public var checkAskedAt: Date?
    /// The orderer's answer to it.
    public var check: SessionCheck?

    /// Whether anyone has said how the session went: the expert confirmed its hours, the
    /// orderer answered that it took place, or it has an outcome other than held (called off,
    /// a no-show, illness). Held without hours is no one's word: confirming a month's fee
    /// report holds its sessions so. A session that ended unmarked is paid as planned, but
    /// shown apart on the fee report.
    public var isMarked: Bool {
        hours != nil || check?.answer == .held || (status != .planned && status != .held)
    }

    public init(index: Int, start: Date, durationMinutes: Int, status: Status = .planned, decision: SessionDecision? = nil) {
        self.index = index
        self.start = start
        self.durationMinutes = durationMinutes
        self.status = status
        self.decision = decision
        self.plannedStart = start
    }

    public var end: Date { start + Double(durationMinutes) * 60 }
}

/// What the expert confirmed after a session: the time it took and costs agreed in advance.
public struct SessionHours: Codable, Sendable, Hashable {
    public var minutes: Int
    public var kilometres: Int
    public var otherCosts: Money
    public var confirmedAt: Date

    public init(minutes: Int, kilometres: Int, otherCosts: Money, confirmedAt: Date) {
        self.minutes = minutes
        self.kilometres = kilometres
        self.otherCosts = otherCosts
        self.confirmedAt = confirmedAt
    }
}

/// A recorded change to a session: cancelled, client absent, expert ill, group stopped.
public struct SessionDecision: Codable, Sendable, Hashable {
    public var by: PersonID
    public var at: Date
    /// In the words of the person who made it, as the guard let them through.
    public var reason: GuardedText
    /// Who confirmed it, when it was someone else's word (an expert's no-show, the orderer).
    public var confirmedBy: PersonID?

    public init(by: PersonID, at: Date, reason: GuardedText, confirmedBy: PersonID? = nil) {
        self.by = by
        self.at = at
        self.reason = reason
        self.confirmedBy = confirmedBy
    }
}

/// An expert's word that the client did not come (or no one came to a group), waiting for the
/// orderer's confirmation: the expert alone cannot record a paid no-show.
public struct NoShowClaim: Codable, Sendable, Hashable {
    public var claimedBy: PersonID
    public var claimedAt: Date
    public var reason: GuardedText
    /// When the orderer said it was not so: then the coordinator decides, and the expert's
    /// claim is not asked again.
    public var disputedAt: Date?

    public init(claimedBy: PersonID, claimedAt: Date, reason: GuardedText, disputedAt: Date? = nil) {
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.reason = reason
        self.disputedAt = disputedAt
    }
}

/// A new time for a session proposed by the orderer, waiting for the expert's yes.
public struct MoveRequest: Codable, Sendable, Hashable {
    public var sessionIndex: Int
    public var newStart: Date
    public var requestedBy: PersonID
    public var requestedAt: Date

    public init(sessionIndex: Int, newStart: Date, requestedBy: PersonID, requestedAt: Date) {
        self.sessionIndex = sessionIndex
        self.newStart = newStart
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }
}
