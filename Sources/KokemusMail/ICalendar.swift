import Foundation
import KokemusCore

/// Renders a booking's calendar event as an iCalendar object (RFC 5545) for a
/// `text/calendar; method=REQUEST` (or `CANCEL`) part: times in UTC (no VTIMEZONE needed), text escaped,
/// lines folded at 75 octets, CRLF line ends. The organiser is the gateway and the only
/// attendee the recipient, so no one else's address is in the file.
public enum ICalendar {
    public static func render(_ invite: CalendarInvite, organizer: MailAddress, attendee: MailAddress, now: Date) -> String {
        let domain = organizer.address.split(separator: "@").last.map(String.init) ?? "localhost"
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Kokemus//Kokemus gateway//FI",
            "METHOD:\(invite.method.rawValue)",
            "BEGIN:VEVENT",
            "UID:\(escape(invite.uid))@\(domain)",
            "SEQUENCE:\(invite.sequence)",
            "DTSTAMP:\(utc(now))",
            "DTSTART:\(utc(invite.start))",
            "DTEND:\(utc(invite.start + Double(invite.durationMinutes) * 60))",
        ]
        if let occurrence = invite.recurrenceID {
            lines.append("RECURRENCE-ID:\(utc(occurrence))")
        } else if let others = invite.otherStarts {
            if !others.isEmpty { lines.append("RDATE:" + others.map(utc).joined(separator: ",")) }
        } else if invite.weeklyCount > 1 {
            lines.append("RRULE:FREQ=WEEKLY;COUNT=\(invite.weeklyCount)")
        }
        lines += [
            "SUMMARY:\(escape(invite.summary))",
            "LOCATION:\(escape(invite.location))",
            "DESCRIPTION:\(escape(invite.description))",
            "ORGANIZER;CN=\(parameter(organizer.displayName ?? "Kokemus")):mailto:\(organizer.address)",
            "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:\(attendee.address)",
            "STATUS:\(invite.method == .cancel ? "CANCELLED" : "CONFIRMED")",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func utc(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11).
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r\n", "\n", "\r": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// A parameter value: quoted, without the characters a quoted value cannot hold.
    static func parameter(_ text: String) -> String {
        "\"" + text.filter { $0 != "\"" && !$0.isNewline } + "\""
    }

    /// Lines longer than 75 octets continue on lines that start with a space, split between
    /// characters, never inside one (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
        var parts: [String] = []
        var current = ""
        var limit = 75
        for character in line {
            if current.utf8.count + String(character).utf8.count > limit {
                parts.append(current)
                current = ""
                limit = 74
            }
            current.append(character)
        }
        parts.append(current)
        return parts.joined(separator: "\r\n ")
    }
}
