// The journal's and the snapshot's keys for what experts say about themselves in chat
// (`Store/FORMAT.md`), written out: a Swift member can be renamed (with its case here) while
// the string on disk stays. A string changed here fails the golden records
// (`JournalFormatTests`). Change a string only with a new format and a migration.

extension ExpertRecord {
    enum CodingKeys: String, CodingKey {
        case expert = "expert"
        case confidentialityConfirmedAt = "confidentialityConfirmedAt"
        case away = "away"
        case introductions = "introductions"
        case topics = "topics"
        case taskTypes = "taskTypes"
        case monthlyCapHours = "monthlyCapHours"
        case updatedAt = "updatedAt"
    }
}

extension DayRange {
    enum CodingKeys: String, CodingKey {
        case from = "from"
        case until = "until"
    }
}
