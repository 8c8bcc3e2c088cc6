import Foundation

/// What the e-mail channel remembers across restarts, rebuilt from its own journal events
/// (`GatewayEvent.mailMemory`): how far the mailbox is read, each person's thread and reply
/// token, and today's counts per address.
public struct MailMemory: Codable, Sendable, Hashable {
    /// The mailbox's UIDVALIDITY when it was last read, and the last UID read in it.
    public private(set) var uidValidity: UInt32?
    public private(set) var lastUID: UInt32?
    /// The person's last mail, which answers reply to.
    public private(set) var threads: [PersonID: Thread] = [:]
    /// The key reply tokens are signed with, when it is not configured (made once at random).
    public private(set) var tokenKey: String?
    /// Each person's reply token, and the person of each token id.
    public private(set) var replyTokens: [PersonID: String] = [:]
    public private(set) var tokenOwners: [String: PersonID] = [:]
    /// Mails sent today per address (lowercased), answers and reports apart from relays.
    public private(set) var sent = DailyTally()
    public private(set) var relayed = DailyTally()
    /// Strangers answered today, and failing addresses the coordinators were told of today.
    public private(set) var strangersAnswered = DailyTally()
    public private(set) var failuresReported = DailyTally()

    public struct Thread: Codable, Sendable, Hashable {
        /// Empty only for a subject of the first format whose thread key never came.
        public var messageID: String
        public var subject: String

        public init(messageID: String, subject: String) {
            self.messageID = messageID
            self.subject = subject
        }
    }

    public init() {}

    /// Forgets everything about a person whose data is erased (`PersonErasure`): their
    /// thread, reply token, and today's counts of mail to their addresses.
    mutating func forget(_ person: PersonID, addresses: [String]) {
        threads[person] = nil
        replyTokens[person] = nil
        tokenOwners = tokenOwners.filter { $0.value != person }
        let lowercased = Set(addresses.map { $0.lowercased() })
        for keyPath in [\MailMemory.sent, \.relayed, \.strangersAnswered, \.failuresReported] {
            self[keyPath: keyPath].forget(lowercased)
        }
    }

    /// A change to the memory; each is one journal event. The names are the journal's
    /// (`Store/FORMAT.md`) and never change.
    public enum Change: Codable, Sendable, Hashable {
        /// The mailbox is read through `lastUID` (under `validity`).
        case mailboxRead(validity: UInt32, lastUID: UInt32)
        /// The person's newest mail: answers go into its thread.
        case threadNoted(person: PersonID, messageID: String, subject: String)
        case tokenKeyMade(String)
        case replyTokenMade(person: PersonID, id: String, token: String)
        /// One more mail went to the address on `day` (relays counted apart). One more, not a
        /// total: two deliveries at once to one address (two people sharing it) count two.
        case mailSent(address: String, relay: Bool, day: LocalDay)
        case strangerAnswered(address: String, day: LocalDay)
        case failureReported(address: String, day: LocalDay)

    }

    public mutating func apply(_ change: Change) {
        switch change {
        case .mailboxRead(let validity, let last):
            uidValidity = validity
            lastUID = last
        case .threadNoted(let person, let messageID, let subject):
            threads[person] = Thread(messageID: messageID, subject: subject)
        case .tokenKeyMade(let key):
            // Made once: of two made at the same moment the first stands (the maker reads it back).
            if tokenKey == nil { tokenKey = key }
        case .replyTokenMade(let person, let id, let token):
            guard replyTokens[person] == nil else { return }
            replyTokens[person] = token
            tokenOwners[id] = person
        case .mailSent(let address, let relay, let day):
            if relay {
                relayed.set(address, to: relayed.count(address, on: day) + 1, on: day)
            } else {
                sent.set(address, to: sent.count(address, on: day) + 1, on: day)
            }
        case .strangerAnswered(let address, let day):
            strangersAnswered.set(address, to: 1, on: day)
        case .failureReported(let address, let day):
            failuresReported.set(address, to: 1, on: day)
        }
    }

    // MARK: Format 1's keys

    /// One `channelStateSet` of the first format (`email.` keys), read into the memory. Only
    /// for reading old journals and snapshots; returns false for a key it does not know.
    mutating func applyFormat1(key: Substring, value: String?) -> Bool {
        func rest(after prefix: String) -> String? { key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : nil }
        if key == "uidvalidity" {
            uidValidity = value.flatMap { UInt32($0) }
        } else if key == "last_uid" {
            lastUID = value.flatMap { UInt32($0) }
        } else if key == "token_key" {
            tokenKey = value
        } else if let person = rest(after: "thread.") {
            // A commit wrote its keys sorted: a mail's subject came before its thread.
            let subject = threads[PersonID(person)]?.subject ?? ""
            threads[PersonID(person)] = value.map { Thread(messageID: $0, subject: subject) }
        } else if let person = rest(after: "subject.") {
            threads[PersonID(person), default: Thread(messageID: "", subject: "")].subject = value ?? ""
        } else if let person = rest(after: "token.person.") {
            replyTokens[PersonID(person)] = value
        } else if let id = rest(after: "token.") {
            tokenOwners[id] = value.map { PersonID($0) }
        } else if let address = rest(after: "sent.") ?? rest(after: "relayed."), let value {
            // "2026-12-08 3": the day and how many went that day.
            let parts = value.split(separator: " ")
            guard parts.count == 2, let day = LocalDay(iso: String(parts[0])), let count = Int(parts[1]), (0...1_000_000).contains(count)
            else { return true }
            if key.hasPrefix("sent.") { sent.set(address, to: count, on: day) } else { relayed.set(address, to: count, on: day) }
        } else if let address = rest(after: "stranger."), let day = value.flatMap(LocalDay.init(iso:)) {
            strangersAnswered.set(address, to: 1, on: day)
        } else if let address = rest(after: "failing."), let day = value.flatMap(LocalDay.init(iso:)) {
            failuresReported.set(address, to: 1, on: day)
        } else if ["sent.", "relayed.", "stranger.", "failing."].contains(where: { key.hasPrefix($0) }) {
            // A count removed or unreadable: nothing to keep.
        } else {
            return false
        }
        return true
    }
}
