import CurlKit
import Foundation

/// The IMAP connection one poll reads the mailbox on: opened (curl connects and logs in,
/// then SELECT) when the poll asks for the mailbox's status, used for its searches and
/// fetches, closed when the poll ends or after any failure (its state is then unknown).
///
/// One login per poll, not one per command: Dovecot spends tens to hundreds of
/// milliseconds on each login under load, and a burst of a thousand mails took twenty
/// fetches and forty STATUS and SEARCH transfers, each with a login of its own.
///
/// Only the IMAP worker's thread touches it (each job runs there, one at a time), which is
/// what makes it safe to share.
final class IMAPReadingSession: @unchecked Sendable {
    private var easy: CurlEasy?
    private var session: IMAPSession?
    /// What the SELECT of the open session told.
    private(set) var selected: (validity: UInt32?, next: UInt32?) = (nil, nil)

    var isOpen: Bool { session != nil }

    /// Opens a new session on the mailbox (closing one still open) and returns what its
    /// SELECT told.
    @discardableResult
    func open(
        config: MailConfig, cancellation: CurlCancellation, prepare: (CurlEasy) throws -> Void
    ) throws -> (validity: UInt32?, next: UInt32?) {
        close()
        // A handle of its own: a connect-only handle cannot make curl's own transfers.
        let easy = try CurlEasy()
        easy.setCancellation(cancellation)
        try prepare(easy)
        // The connection must outlive the "transfer" that opens it.
        try easy.set(.forbidReuse(false))
        // How long curl waits for each answer while it connects and logs in.
        try easy.set(.serverResponseTimeoutSeconds(30))
        try easy.connectOnly()
        var session = IMAPSession(connection: easy, cancellation: cancellation)
        selected = try session.select(MailClient.mailboxName(config.imapURL), within: 30)
        self.easy = easy
        self.session = session
        return selected
    }

    /// Runs `body` on the open session; any error closes it (without a LOGOUT: the
    /// connection may be in any state).
    func withSession<T>(_ body: (inout IMAPSession) throws -> T) throws -> T {
        guard var session else {
            throw CurlError(code: 8, operation: "IMAP", detail: "no mailbox session is open")
        }
        do {
            defer { self.session = session }
            return try body(&session)
        } catch {
            close(loggingOut: false)
            throw error
        }
    }

    /// Logs out without waiting long (unless told not to) and frees the connection.
    func close(loggingOut: Bool = true) {
        if loggingOut, var session {
            session.logout()
        }
        // Whatever curl itself says or waits for as the handle is freed is bounded too: a
        // shutdown or a failure must not wait for a server that no longer answers.
        try? easy?.set(.serverResponseTimeoutSeconds(1))
        session = nil
        easy = nil
        selected = (nil, nil)
    }
}
