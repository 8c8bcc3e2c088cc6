import Foundation

/// A calendar event sent with a booking confirmation (an iCalendar `METHOD:REQUEST` in
/// e-mail). It names the task, time and place, and never an expert's contact details: the
/// organiser is the gateway, and the only attendee is the recipient.
public struct CalendarInvite: Codable, Sendable, Hashable {
    public enum Method: String, Codable, Sendable, CaseIterable {
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
    /// For a change to one session of a series: the original start of that occurrence.
    public var recurrenceID: Date?
    /// The further starts of a series that is not weekly (every other week, or dates given
    /// one by one), as iCalendar RDATEs; nil for a single session or a weekly series.
    public var otherStarts: [Date]?

    public init(
        uid: String, sequence: Int = 0, method: Method = .request, start: Date, durationMinutes: Int,
        weeklyCount: Int = 1, summary: String, location: String, description: String, recurrenceID: Date? = nil
    ) {
        self.uid = uid
        self.sequence = sequence
        self.method = method
        self.start = start
        self.durationMinutes = durationMinutes
        self.weeklyCount = weeklyCount
        self.summary = summary
        self.location = location
        self.description = description
        self.recurrenceID = recurrenceID
    }

    /// The event of an order's booking. A series is one event on the starts its sessions were
    /// booked at, as RDATEs in UTC (a weekly rule on a UTC start would drift an hour across a
    /// daylight-saving change), listing only the sessions still standing: held or planned, not
    /// those called off, stopped or missed for illness; with none standing, it is cancelled.
    /// `extra` (the expert's display name) goes first in the employee's description.
    public static func booking(_ order: Order, summary: String, location: String, extra: String?) -> CalendarInvite {
        var description = order.description.text
        if let extra { description = extra + "\n" + description }
        var invite = CalendarInvite(
            uid: "kokemus-\(order.id.rawValue)", sequence: order.calendarSequence, start: order.start,
            durationMinutes: order.durationMinutes, summary: summary, location: location, description: description)
        let standing = order.sessions.filter { [.planned, .held, .clientNoShow, .noParticipants].contains($0.status) }
        guard order.sessions.count > 1 else {
            // One session: the event is that session where it now is, or cancelled.
            if let only = standing.first { invite.start = only.start } else if !order.sessions.isEmpty { invite.method = .cancel }
            return invite
        }
        let starts = standing.map { $0.plannedStart ?? $0.start }.sorted()
        guard let first = starts.first else {
            invite.method = .cancel
            return invite
        }
        invite.start = first
        invite.otherStarts = Array(starts.dropFirst())
        return invite
    }

    /// The same event changed for one session: cancelled, or moved to the session's new
    /// start. A single-session order changes the event itself; a series, one occurrence.
    public func changing(_ session: Session, of order: Order, method: Method, time: LocalTime) -> CalendarInvite {
        var changed = self
        changed.method = method
        changed.sequence = order.calendarSequence
        changed.start = session.start
        changed.durationMinutes = session.durationMinutes
        if order.sessions.count > 1 {
            changed.weeklyCount = 1
            changed.otherStarts = nil
            changed.recurrenceID =
                session.plannedStart ?? time.calendar.date(byAdding: .day, value: 7 * (session.index - 1), to: order.start)
        }
        return changed
    }
}
