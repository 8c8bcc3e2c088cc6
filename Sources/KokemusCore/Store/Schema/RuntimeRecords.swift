// The journal's and the snapshot's keys for the outbox, quarantined inputs and held texts (`Store/FORMAT.md`), written out: a
// Swift member can be renamed (with its case here) while the string on disk stays. A stored
// member without a case here does not compile; a string changed here fails the golden
// records (`JournalFormatTests`). Change a string only with a new format and a migration.

extension OutboxMessage {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case recipient = "recipient"
        case channel = "channel"
        case text = "text"
        case createdAt = "createdAt"
        case calendar = "calendar"
        case relayFrom = "relayFrom"
        case relayOrder = "relayOrder"
        case attachments = "attachments"
        case notBefore = "notBefore"
        case subject = "subject"
    }
}

extension OutboxAttachment {
    enum CodingKeys: String, CodingKey {
        case filename = "filename"
        case mediaType = "mediaType"
        case text = "text"
    }
}

extension QuarantinedInput {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case sender = "sender"
        case channel = "channel"
        case attempts = "attempts"
        case at = "at"
    }
}

extension HeldText {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case sender = "sender"
        case order = "order"
        case categories = "categories"
        case fingerprint = "fingerprint"
        case at = "at"
        case releasedBy = "releasedBy"
        case releasedAt = "releasedAt"
        case resent = "resent"
    }
}

extension DataAccess {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case at = "at"
        case by = "by"
        case via = "via"
        case what = "what"
        case about = "about"
        case why = "why"
    }
}

extension RetentionPass {
    enum CodingKeys: String, CodingKey {
        case day = "day"
        case removed = "removed"
        case relayEndsCleared = "relayEndsCleared"
        case changed = "changed"
    }
}

extension RetentionPass.Removed {
    enum CodingKeys: String, CodingKey {
        case orders = "orders"
        case feeReports = "feeReports"
        case supervisions = "supervisions"
        case announcements = "announcements"
        case applications = "applications"
    }
}

extension AuditAnchor {
    enum CodingKeys: String, CodingKey {
        case seq = "seq"
        case hash = "hash"
    }
}

// The audit log's lines (`AuditLog`, `Store/FORMAT.md`).
extension AuditLog.Entry {
    enum CodingKeys: String, CodingKey {
        case v = "v"
        case seq = "seq"
        case prev = "prev"
        case at = "at"
        case by = "by"
        case via = "via"
        case what = "what"
        case about = "about"
        case why = "why"
        case id = "id"
    }
}

extension AuditLog.Checkpoint {
    enum CodingKeys: String, CodingKey {
        case seq = "seq"
        case hash = "hash"
        case dropped = "dropped"
        case before = "before"
    }
}

extension RegistryChange {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case edit = "edit"
        case by = "by"
        case channel = "channel"
        case at = "at"
        case why = "why"
    }
}

extension RegistryChange.Edit {
    enum CodingKeys: String, CodingKey {
        case agreementUntil = "agreementUntil"
        case agreementEnds = "agreementEnds"
        case approver = "approver"
        case contact = "contact"
        case addExpert = "addExpert"
    }
    enum AgreementUntilCodingKeys: String, CodingKey {
        case expert = "expert"
        case day = "day"
    }
    enum AgreementEndsCodingKeys: String, CodingKey {
        case expert = "expert"
        case day = "day"
    }
    enum ApproverCodingKeys: String, CodingKey {
        case unit = "unit"
        case approver = "approver"
    }
    enum ContactCodingKeys: String, CodingKey {
        case person = "person"
        case channel = "channel"
        case address = "address"
    }
    enum AddExpertCodingKeys: String, CodingKey { case _0 = "_0" }
}

extension NewExpert {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case name = "name"
        case language = "language"
        case channel = "channel"
        case address = "address"
        case handle = "handle"
        case topics = "topics"
        case taskTypes = "taskTypes"
        case languages = "languages"
        case municipalities = "municipalities"
        case training = "training"
        case validFrom = "validFrom"
        case validUntil = "validUntil"
        case application = "application"
    }
}
