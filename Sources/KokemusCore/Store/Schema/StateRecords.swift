// The snapshot's keys for the whole state (`Store/FORMAT.md`), written out: a Swift member
// can be renamed (with its case here) while the string on disk stays. A string changed here
// fails the snapshot tests (`JournalFormatTests`). Change a string only with a new format and
// a migration.

extension GatewayState {
    /// The set of processed inputs is derived from the list, so only the list is stored.
    /// `channelState` holds first-format channel keys no channel knows (`unknownChannelKeys`).
    enum CodingKeys: String, CodingKey {
        case conversations = "conversations"
        case orders = "orders"
        case orderNumbers = "orderNumbers"
        case outbox = "outbox"
        case nextOutboxID = "nextOutboxID"
        case languages = "languages"
        case flowSources = "flowSources"
        case processedInputs = "processedInputs"
        case matrix = "matrix"
        case mail = "mail"
        case scrubbedWithGuard = "scrubbedWithGuard"
        case pausedExperts = "pausedExperts"
        case sentReminders = "sentReminders"
        case taxCards = "taxCards"
        case expertRecords = "expertRecords"
        case announcements = "announcements"
        case supervisions = "supervisions"
        case feeReports = "feeReports"
        case applications = "applications"
        case heldTexts = "heldTexts"
        case nextHeldNumber = "nextHeldNumber"
        case recentTails = "recentTails"
        case signatureNoticed = "signatureNoticed"
        case privacyNoticeLinked = "privacyNoticeLinked"
        case quarantined = "quarantined"
        case drafts = "drafts"
        case pendingAccesses = "pendingAccesses"
        case nextAccessID = "nextAccessID"
        case auditAnchor = "auditAnchor"
        case retentionAppliedOn = "retentionAppliedOn"
        case pendingRegistryChanges = "pendingRegistryChanges"
        case nextRegistryChangeID = "nextRegistryChangeID"
        case applicationNumbers = "applicationNumbers"
        case unknownChannelKeys = "channelState"
    }
}
