import Foundation

/// A debrief (purku) after client work (000 §3, §4, §4.3: the expert "tulee olla mahdollisuus
/// asiakastyön purkuun joko työntekijän tai työryhmän kanssa"): asked by the expert, held with
/// the orderer or the unit's named employee, recorded with its length, and paid where the fee
/// table prices debriefs (`fees.yaml` `debrief:`).
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
    /// When the coordinators were told it still waits (once).
    public var remindedAt: Date?

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
