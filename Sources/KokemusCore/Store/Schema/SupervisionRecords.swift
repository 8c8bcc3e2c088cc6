// The journal's and the snapshot's keys for supervision sessions (`Store/FORMAT.md`), written
// out: a Swift member can be renamed (with its case here) while the string on disk stays. A
// string changed here fails the golden records (`JournalFormatTests`). Change a string only
// with a new format and a migration.

extension Supervision {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case by = "by"
        case createdAt = "createdAt"
        case start = "start"
        case durationMinutes = "durationMinutes"
        case place = "place"
        case seats = "seats"
        case invited = "invited"
        case signedUp = "signedUp"
        case attended = "attended"
        case attendanceRecordedAt = "attendanceRecordedAt"
    }
}
