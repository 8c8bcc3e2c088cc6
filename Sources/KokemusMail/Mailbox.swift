import Foundation

/// What the mail channel needs of its mail servers: the IMAP mailbox it reads and the SMTP
/// server it sends through. `MailClient` is the real one (libcurl); tests give the channel an
/// in-memory one, so that its logic (new mail read once, UIDVALIDITY changes, replies,
/// bounces, daily caps) is tested in Swift without servers.
public protocol Mailbox: Sendable {
    var config: MailConfig { get }
    /// The mailbox's UIDVALIDITY and the UID the next message will get; a poll begins here.
    func status() async throws -> (validity: UInt32, next: UInt32)
    /// UIDs in `first...last`, ascending.
    func search(from first: UInt32, through last: UInt32) async throws -> [UInt32]
    /// The messages of `uids`, whole, by UID; a UID the mailbox no longer holds is left out.
    func fetch(validity: UInt32, uids: [UInt32]) async throws -> [UInt32: FetchedMail]
    /// The poll is over (whether it went well or not): what it held open may close.
    func endPoll() async
    /// Sends one message; `MailRejected` when the server refuses it for good.
    func send(_ message: Data, from: MailAddress, to: [MailAddress], nullSender: Bool) async throws
    /// Waits for mail above UID `knownNext - 1` (IMAP IDLE), at most `seconds`.
    func waitForMail(after knownNext: UInt32, seconds: Double) async throws -> MailWait
    /// Waits between polls; false once shut down.
    func sleep(seconds: Double) async -> Bool
    /// Stops every transfer and wait in progress, and all later ones.
    func shutdown()
}

extension MailClient: Mailbox {}
