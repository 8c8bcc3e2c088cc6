import Foundation

/// A calendar event sent with a booking confirmation (an iCalendar `METHOD:REQUEST` in
/// e-mail). It names the task, time and place, and never an expert's contact details: the
/// organiser is the gateway, and the only attendee is the recipient.
public struct CalendarInvite: Codable, Sendable, Hashable {
    public enum Method: String, Codable, Sendable {
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    /// Stable per order, so that a later change or cancellation updates the same event.
    public var uid: String
    /// Raised with every change of the event.
    public var sequence: Int
    public var method: Method
    public var start: Date
    public var durationMinutes: Int
    /// Further weekly sessions after the first (group guidance), 1 for a single session.
    public var weeklyCount: Int
    public var summary: String
    public var location: String
    public var description: String

    public init(uid: String, sequence: Int = 0, method: Method = .request, start: Date, durationMinutes: Int,
                weeklyCount: Int = 1, summary: String, location: String, description: String) {
        self.uid = uid
        self.sequence = sequence
        self.method = method
        self.start = start
        self.durationMinutes = durationMinutes
        self.weeklyCount = weeklyCount
        self.summary = summary
        self.location = location
        self.description = description
    }
}
