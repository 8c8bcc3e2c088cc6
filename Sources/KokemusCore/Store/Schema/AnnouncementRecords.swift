// The journal's and the snapshot's keys for announcements (`Store/FORMAT.md`), written out: a
// Swift member can be renamed (with its case here) while the string on disk stays. A string
// changed here fails the golden records (`JournalFormatTests`). Change a string only with a
// new format and a migration.

extension Announcement {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case by = "by"
        case at = "at"
        case topic = "topic"
        case language = "language"
        case recipients = "recipients"
        case text = "text"
        case sendsAt = "sendsAt"
    }
}
