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
}
