import CurlKit
import Foundation

/// How a wait for new mail ended.
public enum MailWait: Sendable, Equatable {
    /// The server said a message arrived (or had arrived since the last poll).
    case newMail
    /// The time was up with no new mail.
    case timedOut
    /// The server does not offer IDLE: poll on a timer instead.
    case unsupported
    /// The client is shutting down.
    case cancelled
}

/// Waits for new mail on one IMAP connection with IDLE (RFC 2177): curl connects and logs in
/// (`CURLOPT_CONNECT_ONLY`), then this selects the mailbox, says IDLE and reads what the
/// server pushes until an `EXISTS` or `RECENT` line, the end of the wait, or a shutdown;
/// then `DONE` and `LOGOUT`. The mail itself is read by the poll that follows, on a session
/// of its own (`IMAPReadingSession`).
///
/// Mail that came between the last poll and the IDLE is not missed: SELECT tells the
/// mailbox's next UID, and one above what the poll saw ends the wait at once.
struct IMAPIdle {
    /// A wait is cut into IDLE commands of at most this long: RFC 2177 asks clients to end
    /// IDLE within 29 minutes, and servers drop quieter connections.
    static let longestIdle: Double = 25 * 60

    let mailbox: String
    private var session: IMAPSession

    init(connection: any IMAPConnection, mailbox: String, cancellation: CurlCancellation) {
        self.mailbox = mailbox
        session = IMAPSession(connection: connection, cancellation: cancellation)
    }

    /// Waits up to `seconds` for mail above `knownNext` (the UIDNEXT the last poll saw).
    mutating func wait(after knownNext: UInt32, seconds: Double) throws -> MailWait {
        do {
            return try idle(after: knownNext, seconds: seconds)
        } catch let error as CurlError where error.isCancelled {
            // A shutdown: leave IDLE and log out without waiting, so that the server closes
            // the connection and curl's own goodbye when the handle is freed has nothing to wait for.
            try? session.send("DONE\r\n\(session.makeTag()) LOGOUT\r\n", within: 1)
            return .cancelled
        }
    }

    private mutating func idle(after knownNext: UInt32, seconds: Double) throws -> MailWait {
        if let next = try session.select(mailbox, within: 30).next, next > knownNext { return .newMail }
        let tag = session.makeTag()
        try session.send("\(tag) IDLE\r\n", within: 30)
        // The server answers "+ idling", or refuses IDLE with a tagged NO or BAD.
        let deadline = Date(timeIntervalSinceNow: 30)
        while true {
            guard let line = try session.nextLine(until: deadline) else {
                throw CurlError(code: 28, operation: "IMAP IDLE", detail: "no answer to IDLE")
            }
            if line.hasPrefix("+") { break }
            if line.hasPrefix(tag + " ") { return .unsupported }
            if IMAPLineReader.isNewMail(line) { return try finishIdle(tag, .newMail) }
        }
        let end = Date(timeIntervalSinceNow: min(seconds, Self.longestIdle))
        while end.timeIntervalSinceNow > 0 {
            guard let line = try session.nextLine(until: min(end, Date(timeIntervalSinceNow: 0.25))) else { continue }
            if IMAPLineReader.isNewMail(line) { return try finishIdle(tag, .newMail) }
            if line.uppercased().hasPrefix("* BYE") { throw CurlError(code: 56, operation: "IMAP IDLE", detail: line) }
        }
        return try finishIdle(tag, .timedOut)
    }

    /// Ends IDLE with DONE and waits for its completion, then logs out. What the wait found
    /// stands even if the server is gone by now (the poll that follows will say so).
    private mutating func finishIdle(_ tag: String, _ result: MailWait) throws -> MailWait {
        do {
            try session.send("DONE\r\n", within: 10)
            let deadline = Date(timeIntervalSinceNow: 10)
            while let line = try session.nextLine(until: deadline), !line.hasPrefix(tag + " ") {}
            _ = try session.command("LOGOUT", within: 5)
        } catch let error as CurlError where error.isCancelled {
            throw error
        } catch {
            // Gone or garbled after the news: the news still counts.
        }
        return result
    }
}
