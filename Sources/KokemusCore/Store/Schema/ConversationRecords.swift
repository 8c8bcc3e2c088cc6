// The journal's and the snapshot's keys for conversations and the flows they keep (`Store/FORMAT.md`), written out: a
// Swift member can be renamed (with its case here) while the string on disk stays. A stored
// member without a case here does not compile; a string changed here fails the golden
// records (`JournalFormatTests`). Change a string only with a new format and a migration.

extension Conversation {
    enum CodingKeys: String, CodingKey {
        case person = "person"
        case flowID = "flowID"
        case flowVersion = "flowVersion"
        case stepID = "stepID"
        case slots = "slots"
        case history = "history"
        case tries = "tries"
        case channel = "channel"
        case startedAt = "startedAt"
        case askedAt = "askedAt"
        case remindAt = "remindAt"
        case giveUpAt = "giveUpAt"
        case reminded = "reminded"
        case escalated = "escalated"
    }
}

extension StoredFlow {
    enum CodingKeys: String, CodingKey {
        case version = "version"
        case file = "file"
        case text = "text"
    }
}

extension LocalDay {
    enum CodingKeys: String, CodingKey {
        case year = "year"
        case month = "month"
        case day = "day"
    }
}

extension ConversationChange {
    /// Empty lists, 0 and false are left out of the record: most turns add one answer and
    /// take none back.
    enum CodingKeys: String, CodingKey {
        case person = "person"
        case stepID = "stepID"
        case slots = "slots"
        case removedSlots = "removedSlots"
        case historyKept = "historyKept"
        case history = "history"
        case tries = "tries"
        case channel = "channel"
        case askedAt = "askedAt"
        case remindAt = "remindAt"
        case giveUpAt = "giveUpAt"
        case reminded = "reminded"
        case escalated = "escalated"
    }
}
