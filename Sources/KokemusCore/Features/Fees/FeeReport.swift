import Foundation

/// What an expert is paid for one session in a fee report.
public struct FeeLine: Codable, Sendable, Hashable {
    public var order: OrderID
    public var session: Int
    public var start: Date
    public var taskType: TaskType
    /// Minutes paid: confirmed by the expert, else as planned.
    public var minutes: Int
    /// How the session ended; a paid cancellation or no-show is paid as planned.
    public var outcome: Session.Status
    public var fee: Money
    public var kilometres: Int
    public var travel: Money
    public var otherCosts: Money
    /// The expert confirmed a length other than planned, or travel or costs beyond what was
    /// agreed in advance: the orderer was told, and the approver sees it marked.
    public var differsFromAgreement: Bool? = nil
    /// The line pays a group's planning time (000 §4.3), not a session; its `session` is 0.
    public var planning: Bool? = nil
    /// The line pays a debrief after the work (000 §3, §4), not a session; its `session` is 0
    /// and its `start` when the debrief was recorded held.
    public var debrief: Bool? = nil
    /// No one marked the session held, called off or missed: the expert did not confirm its
    /// hours and the orderer did not answer "Toteutuiko?". Paid as planned, shown apart.
    public var unconfirmed: Bool? = nil

    public var total: Money { fee + travel + otherCosts }

    /// Whether the line is a session (not planning time or a debrief).
    public var isSession: Bool { planning != true && debrief != true }
}

/// A month's fee report (palkkionmaksuilmoitus) of one expert for one unit: confirmed by
/// the expert, approved or returned by the unit's approver, then paid on the last day of
/// the month after the work.
public struct FeeReport: Codable, Sendable, Hashable, Identifiable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Sent to the expert to confirm.
        case awaitingExpert
        /// Confirmed; with the unit's approver.
        case awaitingApproval
        /// The approver sent it back with a reason; with the expert again.
        case returned
        /// Approved: goes to payroll.
        case approved
    }

    /// `P-2026-11-kalle-mielenterveys-porvoo`: one per expert, unit and month.
    public var id: String
    public var expert: PersonID
    public var unit: UnitID
    /// The month of the work, `2026-11`.
    public var month: String
    public var lines: [FeeLine]
    public var createdAt: Date
    public var status: Status
    public var confirmedAt: Date?
    /// What the expert wrote when confirming (a correction to the approver).
    public var expertNote: GuardedText?
    public var approvedAt: Date?
    public var approvedBy: PersonID?
    public var returnReason: GuardedText?
    /// When the fee is paid: the last banking day of the month after the work, or of a later
    /// month when the report was approved after that month's payroll handover.
    public var payday: LocalDay
    /// How the expert was paid when the report was made; nil (reports from before payment
    /// modes) is a fee.
    public var paymentMode: PaymentMode?
    /// When the report went to payroll in the scheduled handover; nil: not yet.
    public var handedToPayrollAt: Date?

    public var mode: PaymentMode { paymentMode ?? .fee }

    public init(expert: PersonID, unit: UnitID, month: String, lines: [FeeLine], createdAt: Date, payday: LocalDay) {
        id = Self.id(month: month, expert: expert, unit: unit)
        self.expert = expert
        self.unit = unit
        self.month = month
        self.lines = lines
        self.createdAt = createdAt
        status = .awaitingExpert
        self.payday = payday
    }

    /// The id of the report of an expert for a unit and month.
    public static func id(month: String, expert: PersonID, unit: UnitID) -> String {
        "P-\(month)-\(expert.rawValue)-\(unit.rawValue)"
    }

    public var fees: Money { lines.reduce(.zero) { $0 + $1.fee } }
    public var travel: Money { lines.reduce(.zero) { $0 + $1.travel } }
    public var otherCosts: Money { lines.reduce(.zero) { $0 + $1.otherCosts } }
    public var total: Money { lines.reduce(.zero) { $0 + $1.total } }
    public var minutes: Int { lines.reduce(0) { $0.addingSaturated($1.minutes) } }
    /// The sessions paid, not counting a group's planning line.
    public var sessionCount: Int { lines.filter(\.isSession).count }
    public var kilometres: Int { lines.reduce(0) { $0.addingSaturated($1.kilometres) } }
}

/// A month as `2026-11`, with its neighbours and days.
public struct Month: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// `2026-11`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
            (1...12).contains(month)
        else { return nil }
        self.init(year: year, month: month)
    }

    public init(of day: LocalDay) { self.init(year: day.year, month: day.month) }

    public var description: String { String(format: "%04d-%02d", year, month) }
    /// `11/2026`, as people read a month.
    public var text: String { "\(month)/\(year)" }
    public var previous: Month { month == 1 ? Month(year: year - 1, month: 12) : Month(year: year, month: month - 1) }
    public var next: Month { month == 12 ? Month(year: year + 1, month: 1) : Month(year: year, month: month + 1) }
    public var firstDay: LocalDay { LocalDay(year: year, month: month, day: 1) }
    public var lastDay: LocalDay { next.firstDay.adding(days: -1) }
    public func day(_ number: Int) -> LocalDay { LocalDay(year: year, month: month, day: number) }
    public func contains(_ day: LocalDay) -> Bool { day.year == year && day.month == month }

    public static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}
