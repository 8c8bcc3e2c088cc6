// The journal's event kinds and their members (`Store/FORMAT.md`), written out: a Swift case
// or label can be renamed (with its key here) while the string on disk stays. A case without
// a key here does not compile; a string changed here fails the golden records
// (`JournalFormatTests`). Change a string only with a new format and a migration. The hot
// kinds are also written by hand (`GatewayEvent+Journal.swift`) with these same strings.

extension GatewayEvent {
    /// Each kind's name: the one member of an event's object.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case conversationSaved = "conversationSaved"
        case conversationChanged = "conversationChanged"
        case conversationEnded = "conversationEnded"
        case draftKept = "draftKept"
        case draftDropped = "draftDropped"
        case orderCreated = "orderCreated"
        case orderUpdated = "orderUpdated"
        case expertPaused = "expertPaused"
        case remindersSent = "remindersSent"
        case taxCardConfirmed = "taxCardConfirmed"
        case expertRecordSaved = "expertRecordSaved"
        case announcementMade = "announcementMade"
        case supervisionSaved = "supervisionSaved"
        case feeReportSaved = "feeReportSaved"
        case applicationRecorded = "applicationRecorded"
        case messageQueued = "messageQueued"
        case messageDelivered = "messageDelivered"
        case languageSet = "languageSet"
        case flowRecorded = "flowRecorded"
        case inputProcessed = "inputProcessed"
        case channelStateSet = "channelStateSet"
        case textHeld = "textHeld"
        case heldTextReleased = "heldTextReleased"
        case heldTextResent = "heldTextResent"
        case textPassed = "textPassed"
        case signatureNoticeSent = "signatureNoticeSent"
        case privacyNoticeLinked = "privacyNoticeLinked"
        case inputQuarantined = "inputQuarantined"
        case matrixMemory = "matrixMemory"
        case mailMemory = "mailMemory"
        case stateScrubbed = "stateScrubbed"
        case dataAccessed = "dataAccessed"
        case accessesLogged = "accessesLogged"
        case registryChangeRequested = "registryChangeRequested"
        case registryChangeDone = "registryChangeDone"
        case retentionApplied = "retentionApplied"
    }

    // Each kind's members, by label; an unlabelled one is `_0`, `_1`.
    enum ConversationSavedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum ConversationChangedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum ConversationEndedCodingKeys: String, CodingKey { case person = "person" }
    enum DraftKeptCodingKeys: String, CodingKey { case _0 = "_0" }
    enum DraftDroppedCodingKeys: String, CodingKey { case person = "person" }
    enum OrderCreatedCodingKeys: String, CodingKey {
        case _0 = "_0"
        case year = "year"
        case number = "number"
    }
    enum OrderUpdatedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum ExpertPausedCodingKeys: String, CodingKey {
        case _0 = "_0"
        case _1 = "_1"
    }
    enum RemindersSentCodingKeys: String, CodingKey {
        case keys = "keys"
        case at = "at"
    }
    enum TaxCardConfirmedCodingKeys: String, CodingKey {
        case expert = "expert"
        case year = "year"
    }
    enum ExpertRecordSavedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum AnnouncementMadeCodingKeys: String, CodingKey { case _0 = "_0" }
    enum SupervisionSavedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum FeeReportSavedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum ApplicationRecordedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum MessageQueuedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum MessageDeliveredCodingKeys: String, CodingKey { case id = "id" }
    enum LanguageSetCodingKeys: String, CodingKey {
        case person = "person"
        case language = "language"
    }
    enum FlowRecordedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum InputProcessedCodingKeys: String, CodingKey { case id = "id" }
    enum ChannelStateSetCodingKeys: String, CodingKey {
        case key = "key"
        case value = "value"
    }
    enum TextHeldCodingKeys: String, CodingKey { case _0 = "_0" }
    enum HeldTextReleasedCodingKeys: String, CodingKey {
        case id = "id"
        case by = "by"
        case at = "at"
    }
    enum HeldTextResentCodingKeys: String, CodingKey { case id = "id" }
    enum TextPassedCodingKeys: String, CodingKey {
        case person = "person"
        case tail = "tail"
    }
    enum SignatureNoticeSentCodingKeys: String, CodingKey { case person = "person" }
    enum PrivacyNoticeLinkedCodingKeys: String, CodingKey { case person = "person" }
    enum InputQuarantinedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum MatrixMemoryCodingKeys: String, CodingKey { case _0 = "_0" }
    enum MailMemoryCodingKeys: String, CodingKey { case _0 = "_0" }
    enum StateScrubbedCodingKeys: String, CodingKey { case version = "version" }
    enum DataAccessedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum RetentionAppliedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum RegistryChangeRequestedCodingKeys: String, CodingKey { case _0 = "_0" }
    enum RegistryChangeDoneCodingKeys: String, CodingKey {
        case id = "id"
        case written = "written"
    }
    enum AccessesLoggedCodingKeys: String, CodingKey {
        case through = "through"
        case anchor = "anchor"
    }
}
