import Foundation

/// A change to the gateway's state. Handling one input commits its events in one record.
public enum GatewayEvent: Codable, Sendable, Hashable {
    /// A conversation started (or saved whole: another flow, a new start).
    case conversationSaved(Conversation)
    /// A conversation went on; only what changed is recorded.
    case conversationChanged(ConversationChange)
    case conversationEnded(person: PersonID)
    /// An unfinished conversation was put aside as the person's draft (a question unanswered
    /// too long), to be resumed with `luonnos`.
    case draftKept(Conversation)
    /// The person's draft was resumed, or dropped as too old.
    case draftDropped(person: PersonID)
    case orderCreated(Order, year: Int, number: Int)
    /// An order changed: an offer made or answered, an assignment, a session's outcome.
    case orderUpdated(Order)
    /// A coordinator paused an expert (true) or let them take offers again (false).
    case expertPaused(PersonID, Bool)
    /// Reminders that went out (or were folded into a newer one of their series), by key.
    case remindersSent(keys: [String], at: Date)
    /// An expert confirmed delivering the tax card of a year.
    case taxCardConfirmed(expert: PersonID, year: Int)
    /// What an expert said about themselves in chat: the whole record as it is now.
    case expertRecordSaved(ExpertRecord)
    /// A coordinator's announcement to experts, with who it went to.
    case announcementMade(Announcement)
    /// A supervision session as it is now: announced, signed up for, its attendance recorded.
    case supervisionSaved(Supervision)
    /// A fee report was created or changed (confirmed, approved, returned).
    case feeReportSaved(FeeReport)
    /// A coordinator recorded an application to become an expert.
    case applicationRecorded(ExpertApplication)
    case messageQueued(OutboxMessage)
    case messageDelivered(id: UInt64)
    case languageSet(person: PersonID, language: Language)
    case flowRecorded(StoredFlow)
    case inputProcessed(id: String)
    /// A channel key of the first format; nil removes it. No longer written: read into the
    /// channels' typed memory (`Store/Schema/ChannelKeysFormat1.swift`).
    case channelStateSet(key: String, value: String?)
    /// What the Matrix channel remembers changed.
    case matrixMemory(MatrixMemory.Change)
    /// What the e-mail channel remembers changed.
    case mailMemory(MailMemory.Change)
    /// The stored texts were read with this guard version (`StateScrub`).
    case stateScrubbed(version: String)
    /// The guard held a relay or a question: the kinds found and a fingerprint, never the text.
    case textHeld(HeldText)
    /// A coordinator released a held text as a false alarm: the same text passes once.
    case heldTextReleased(id: String, by: PersonID, at: Date)
    /// A released text came again and went through.
    case heldTextResent(id: String)
    /// A relay passed the guard; its end is kept to read with the sender's next message (a
    /// number split over messages).
    case textPassed(person: PersonID, tail: String)
    /// A sender was told, once, that their signature is cut from what is relayed.
    case signatureNoticeSent(person: PersonID)
    /// A person's first message from the gateway said where the privacy notice is (once).
    case privacyNoticeLinked(person: PersonID)
    /// The process died twice while handling this message: it is set aside, never handled.
    case inputQuarantined(QuarantinedInput)
    /// Someone was shown another person's data; copied to the audit log after the commit.
    case dataAccessed(DataAccess)
    /// The accesses up to this id are in the audit log, whose last entry is now `anchor`.
    case accessesLogged(through: UInt64, anchor: AuditAnchor?)
    /// The day's retention pass (`Retention`): whole records it removed; the texts it emptied
    /// are `orderUpdated` events in the same record.
    case retentionApplied(RetentionPass)
    /// A coordinator asked for a registry change in chat; the gateway writes it into the files.
    case registryChangeRequested(RegistryChange)
    /// The gateway wrote the change into the files (or found it there), or could not.
    case registryChangeDone(id: UInt64, written: Bool)
}
