import Foundation

/// A relay or question the guard held back, as the state keeps it: who sent it, about which
/// order, the kinds of detail found and the text's fingerprint. The text itself is never kept.
/// A coordinator may release it (a false alarm); the sender's next message with the same
/// fingerprint then passes once, and both steps are in the journal.
public struct HeldText: Codable, Sendable, Hashable, Identifiable {
    /// `P-12` (pidätetty, held), what the sender and the coordinators refer to it by.
    public var id: String
    public var sender: PersonID
    public var order: OrderID?
    public var categories: [GuardCategory]
    public var fingerprint: String
    public var at: Date
    public var releasedBy: PersonID?
    public var releasedAt: Date?
    /// The released text came again and went through.
    public var resent: Bool

    public init(
        id: String, sender: PersonID, order: OrderID?, categories: [GuardCategory], fingerprint: String, at: Date,
        releasedBy: PersonID? = nil, releasedAt: Date? = nil, resent: Bool = false
    ) {
        self.id = id
        self.sender = sender
        self.order = order
        self.categories = categories
        self.fingerprint = fingerprint
        self.at = at
        self.releasedBy = releasedBy
        self.releasedAt = releasedAt
        self.resent = resent
    }

    /// Holds are kept this long for the coordinators' audit, then forgotten.
    public static let memory: TimeInterval = 180 * 86_400
}
