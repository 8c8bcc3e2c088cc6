import Foundation

/// A supervision session (työnohjaus) for experts who do client work (000 §3, §4: "mahdollisuus
/// osallistua säännölliseen työnohjaukseen"; 003, 004): announced by a coordinator, signed up
/// for in chat, its attendance recorded afterwards.
public struct Supervision: Codable, Sendable, Hashable {
    /// `TO-1`, `TO-2`, … in the order announced.
    public var id: String
    public var by: PersonID
    public var createdAt: Date
    public var start: Date
    public var durationMinutes: Int
    public var place: GuardedText
    public var seats: Int
    /// The experts it was announced to.
    public var invited: [PersonID]
    /// Who signed up, in the order they did.
    public var signedUp: [PersonID]
    /// Who came, as the coordinator recorded it after the session; nil: not recorded yet.
    public var attended: [PersonID]?
    public var attendanceRecordedAt: Date?

    public init(
        id: String, by: PersonID, createdAt: Date, start: Date, durationMinutes: Int, place: GuardedText, seats: Int,
        invited: [PersonID]
    ) {
        self.id = id
        self.by = by
        self.createdAt = createdAt
        self.start = start
        self.durationMinutes = durationMinutes
        self.place = place
        self.seats = seats
        self.invited = invited
        self.signedUp = []
    }

    public static let seatRange = 1...50

    /// `TO-3` (any case); nil for anything else.
    public static func looksLikeID(_ text: String) -> Bool {
        let upper = text.uppercased()
        guard upper.hasPrefix("TO-"), let number = Int(upper.dropFirst(3)) else { return false }
        return (1...1_000_000).contains(number)
    }
}
