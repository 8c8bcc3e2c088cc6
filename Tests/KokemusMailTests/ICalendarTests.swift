import Foundation
import KokemusCore
import Testing

@testable import KokemusMail

@Suite struct ICalendarTests {
    let organizer = MailAddress("bot@kokemus.example", displayName: "Kokemus")!
    let attendee = MailAddress("anna.virtanen@hyvinvointialue.example")!
    let start = LocalTime.helsinki.date(year: 2026, month: 12, day: 8, hour: 14)!

    func invite(weeks: Int = 1) -> CalendarInvite {
        CalendarInvite(
            uid: "kokemus-T-2026-0001", start: start, durationMinutes: 90, weeklyCount: weeks,
            summary: "Kokemusasiantuntija: Yksilötyö asiakkaan kanssa (T-2026-0001)",
            location: "Vanha kirjasto, Porvoo",
            description: "Kokemusasiantuntija K-12\nAsiakas tarvitsee vertaistukea; päihteet, arki.")
    }

    @Test func aRequestHasUTCTimesTheGatewayAsOrganizerAndTheRecipientAsOnlyAttendee() {
        let text = ICalendar.render(invite(), organizer: organizer, attendee: attendee, now: start - 86_400)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.first == "BEGIN:VCALENDAR")
        #expect(lines.contains("METHOD:REQUEST"))
        // 14:00 in Helsinki in December is 12:00 UTC.
        #expect(lines.contains("DTSTART:20261208T120000Z"))
        #expect(lines.contains("DTEND:20261208T133000Z"))
        #expect(lines.contains("UID:kokemus-T-2026-0001@kokemus.example"))
        #expect(lines.contains("ORGANIZER;CN=\"Kokemus\":mailto:bot@kokemus.example"))
        #expect(text.components(separatedBy: "ATTENDEE").count == 2)
        #expect(!text.contains("RRULE"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
    }

    @Test func textIsEscapedAndLongLinesFoldedBetweenCharacters() {
        let text = ICalendar.render(invite(), organizer: organizer, attendee: attendee, now: start)
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("LOCATION:Vanha kirjasto\\, Porvoo"))
        #expect(unfolded.contains("DESCRIPTION:Kokemusasiantuntija K-12\\nAsiakas tarvitsee vertaistukea\\; päihteet\\, arki."))
    }

    @Test func groupSessionsRepeatWeekly() {
        let text = ICalendar.render(invite(weeks: 6), organizer: organizer, attendee: attendee, now: start)
        #expect(text.contains("RRULE:FREQ=WEEKLY;COUNT=6\r\n"))
    }

    @Test func cancellingOneSessionOfASeriesNamesTheOccurrence() {
        var series = invite(weeks: 6)
        series.sequence = 2
        let order = Order(
            id: OrderID(rawValue: "T-2026-0001"), orderer: "anna", unit: "mtp-porvoo", taskType: .group,
            topic: "substance_use", start: start, durationMinutes: 90,
            sessions: (1...6).map { Session(index: $0, start: start + Double(($0 - 1) * 7 * 86_400), durationMinutes: 90) },
            place: .remote, language: .fi, audience: .clientGroup, description: TextGuard().passed("")!, createdAt: start)
        let cancel = series.changing(order.sessions[2], of: order, method: .cancel, time: .helsinki)
        let text = ICalendar.render(cancel, organizer: organizer, attendee: attendee, now: start)
        #expect(text.contains("METHOD:CANCEL\r\n"))
        #expect(text.contains("STATUS:CANCELLED\r\n"))
        // The third session, two weeks after the first: 22.12. 14:00 in Helsinki.
        #expect(text.contains("RECURRENCE-ID:20261222T120000Z\r\n"))
        #expect(!text.contains("RRULE"))
        #expect(text.contains("SEQUENCE:0\r\n"), "the order's own sequence, raised by the change that sends it")
    }

    /// A process every other week (or on dates given one by one) lists its other starts as
    /// RDATEs, and a changed meeting is named by the start it was booked at, not a weekly guess.
    @Test func aSeriesThatIsNotWeeklyListsItsStartsAndNamesAMovedMeetingByItsBookedStart() {
        let starts = SessionSchedule.starts(first: start, count: 3, frequency: .everyOtherWeek, time: .helsinki)
        var order = Order(
            id: OrderID(rawValue: "T-2026-0001"), orderer: "anna", unit: "mtp-porvoo", taskType: .individual,
            topic: "substance_use", start: start, durationMinutes: 90,
            sessions: starts.enumerated().map { Session(index: $0.offset + 1, start: $0.element, durationMinutes: 90) },
            place: .remote, language: .fi, audience: .client, description: TextGuard().passed("")!, createdAt: start)
        order.frequency = .everyOtherWeek
        let series = CalendarInvite.booking(order, summary: "x", location: "y", extra: nil)
        let text = ICalendar.render(series, organizer: organizer, attendee: attendee, now: start)
        #expect(text.replacingOccurrences(of: "\r\n ", with: "").contains("RDATE:20261222T120000Z,20270105T120000Z\r\n"))
        #expect(!text.contains("RRULE"))
        // The second meeting moved by a day: the change names 22.12., where it was booked.
        order.sessions[1].start = starts[1] + 86_400
        let moved = ICalendar.render(
            series.changing(order.sessions[1], of: order, method: .request, time: .helsinki), organizer: organizer,
            attendee: attendee, now: start)
        #expect(moved.contains("RECURRENCE-ID:20261222T120000Z\r\n"))
        #expect(moved.contains("DTSTART:20261223T120000Z\r\n"))
        #expect(!moved.contains("RDATE"))
        // With the third called off, the series lists the first two only.
        order.sessions[2].status = .cancelledFree
        #expect(CalendarInvite.booking(order, summary: "x", location: "y", extra: nil).otherStarts == [starts[1]])
        // With none standing, the event is cancelled.
        for index in order.sessions.indices { order.sessions[index].status = .groupStopped }
        #expect(CalendarInvite.booking(order, summary: "x", location: "y", extra: nil).method == .cancel)
    }
}
