import Foundation

/// A debrief (purku) after client work (000 §3, §4, §4.3: the expert "tulee olla mahdollisuus
/// asiakastyön purkuun joko työntekijän tai työryhmän kanssa"): asked by the expert, held with
/// the orderer or the unit's named employee, recorded with its length, and paid where the fee
/// table prices debriefs (`fees.yaml` `debrief:`). The coordinators' reminder of one waiting
/// a week is kept with the other reminders (`sentReminders`).
public struct Debrief: Codable, Sendable, Hashable {
    /// The expert who asked, and when.
    public var requestedBy: PersonID
    public var requestedAt: Date
    /// Who it was asked of: the orderer, or the unit's named employee when the orderer is gone.
    public var with: PersonID
    /// When it was recorded held, by whom, and its length in minutes.
    public var heldAt: Date?
    public var heldBy: PersonID?
    public var minutes: Int?

    public init(requestedBy: PersonID, requestedAt: Date, with: PersonID) {
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.with = with
    }

    /// A debrief's length as it may be recorded.
    public static let minutes = 5...240
    /// How long a debrief may wait before the coordinators hear of it.
    public static let waitBeforeReminder: TimeInterval = 7 * 86_400
}

extension Order {
    /// Whether the expert has done work on the order by `now`: a session held or paid as held
    /// (a no-show, a group with no one, a late call-off), or one begun as planned. A session
    /// given up, fallen ill for or called off in time is none.
    public func hasWorkDone(by now: Date) -> Bool {
        sessions.contains { $0.status.feeDue || ($0.status == .planned && $0.start <= now) }
    }
}
