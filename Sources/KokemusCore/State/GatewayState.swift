import Foundation

/// Everything the gateway must not lose, rebuilt from the snapshot and journal.
public struct GatewayState: JournaledState, Hashable {
    public var conversations: [PersonID: Conversation] = [:]
    public var orders: [OrderID: Order] = [:]
    /// The last order number used per year.
    public var orderNumbers: [Int: Int] = [:]
    /// Messages not yet delivered, oldest first.
    public var outbox: [OutboxMessage] = []
    public var nextOutboxID: UInt64 = 1
    /// Languages people chose in chat, over the registry's.
    public var languages: [PersonID: Language] = [:]
    public var flowSources: [String: StoredFlow] = [:]
    /// What each channel remembers across restarts (fed by its own events).
    public internal(set) var matrix = MatrixMemory()
    public internal(set) var mail = MailMemory()
    /// The guard version whose rules the stored texts were last read with (`StateScrub`).
    public internal(set) var scrubbedWithGuard: String?
    /// Channel keys of the first format that no channel knows (kept, never acted on).
    public internal(set) var unknownChannelKeys: [String: String] = [:]
    /// Unfinished conversations put aside, one per person (`luonnos` resumes it).
    public var drafts: [PersonID: Conversation] = [:]
    /// Experts a coordinator has paused: they get no offers until resumed.
    public var pausedExperts: Set<PersonID> = []
    /// Reminders already sent, by key, with when: each goes out once.
    public var sentReminders: [String: Date] = [:]
    /// The latest tax card year each expert has confirmed in chat.
    public var taxCards: [PersonID: Int] = [:]
    /// What experts have said about themselves in chat (`ExpertRecord`), by expert.
    public var expertRecords: [PersonID: ExpertRecord] = [:]
    /// Coordinators' announcements to experts, by id (`A-1`).
    public var announcements: [String: Announcement] = [:]
    /// Supervision sessions (työnohjaus), by id (`TO-1`).
    public var supervisions: [String: Supervision] = [:]
    /// Monthly fee reports by id.
    public var feeReports: [String: FeeReport] = [:]
    /// Applications to become an expert, by id.
    public var applications: [String: ExpertApplication] = [:]
    /// Relays and questions the guard held, by id (kinds and fingerprints only).
    public var heldTexts: [String: HeldText] = [:]
    public var nextHeldNumber: Int = 1
    /// The ends of each person's last relays that passed the guard, oldest first (at most
    /// `recentTailCount` of `recentTailLength` characters).
    public var recentTails: [PersonID: [String]] = [:]
    /// People told that their signature is cut from relays.
    public var signatureNoticed: Set<PersonID> = []
    /// People whose first message from the gateway said where the privacy notice is.
    public var privacyNoticeLinked: Set<PersonID> = []
    /// Messages set aside because the process died handling them, newest last, bounded.
    public var quarantined: [QuarantinedInput] = []
    /// People's data shown to others, not yet copied to the audit log (`AuditLog`), oldest first.
    public var pendingAccesses: [DataAccess] = []
    public var nextAccessID: UInt64 = 1
    /// The last audit log entry the gateway wrote: a log that no longer has it was cut.
    public var auditAnchor: AuditAnchor?
    /// The day of the last retention pass (`Retention`): one a day.
    public var retentionAppliedOn: LocalDay?
    /// Registry changes asked for in chat and not yet written into the files, oldest first.
    public var pendingRegistryChanges: [RegistryChange] = []
    public var nextRegistryChangeID: UInt64 = 1
    /// The highest application number given each year (`H-2026-007`: "2026": 7): a number is
    /// never given twice, though erasure and retention remove applications.
    public var applicationNumbers: [String: Int] = [:]
    /// Ids of inbound messages already handled, newest last, bounded.
    public var processedInputs: [String] = []
    private var processedInputSet: Set<String> = []

    /// How many handled message ids are remembered for recognising redeliveries.
    public static let processedInputLimit = 50_000

    /// How long a sent reminder's key is kept: far longer than any reminder stays due.
    public static let sentReminderMemory: TimeInterval = 400 * 86_400

    public static let recentTailCount = 3
    public static let recentTailLength = 80

    public init() {}

    /// Orders are the bulk of a state; snapshots write and read them in pieces.
    public func splitForSnapshot() -> (rest: GatewayState, items: [Order]) {
        var rest = self
        rest.orders = [:]
        return (rest, orders.values.sorted { $0.id < $1.id })
    }

    public mutating func insertSnapshotItems(_ items: [Order], total: Int) {
        // Growing the table step by step would hold the old and the new one at once.
        if orders.capacity < total { orders.reserveCapacity(total) }
        for order in items { orders[order.id] = order }
    }

    public func hasProcessed(_ id: String) -> Bool { processedInputSet.contains(id) }

    /// Orders a person made, newest first.
    public func orders(by person: PersonID) -> [Order] {
        // Newest first; orders made in the same instant (a script, a simulated clock) by id, so
        // the list reads the same every time.
        orders.values.filter { $0.orderer == person }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    public mutating func apply(_ event: GatewayEvent) {
        switch event {
        case .conversationSaved(let conversation):
            conversations[conversation.person] = conversation
        case .conversationChanged(let change):
            // A change always follows its conversation's saving in the journal.
            if var conversation = conversations.removeValue(forKey: change.person) {
                change.apply(to: &conversation)
                conversations[change.person] = conversation
            }
        case .conversationEnded(let person):
            conversations[person] = nil
        case .draftKept(let conversation):
            drafts[conversation.person] = conversation
        case .draftDropped(let person):
            drafts[person] = nil
        case .orderCreated(let order, let year, let number):
            orders[order.id] = order
            orderNumbers[year] = max(orderNumbers[year] ?? 0, number)
        case .orderUpdated(let order):
            orders[order.id] = order
        case .expertPaused(let expert, let paused):
            if paused { pausedExperts.insert(expert) } else { pausedExperts.remove(expert) }
        case .remindersSent(let keys, let at):
            for key in keys { sentReminders[key] = at }
            // Every reminder expires within weeks of being due, so keys this old can never be
            // planned again; forgetting them keeps the state from growing for ever.
            let horizon = at - Self.sentReminderMemory
            if sentReminders.values.contains(where: { $0 < horizon }) {
                sentReminders = sentReminders.filter { $0.value >= horizon }
            }
        case .taxCardConfirmed(let expert, let year):
            taxCards[expert] = max(taxCards[expert] ?? 0, year)
        case .expertRecordSaved(let record):
            expertRecords[record.expert] = record
        case .announcementMade(let announcement):
            announcements[announcement.id] = announcement
        case .supervisionSaved(let supervision):
            supervisions[supervision.id] = supervision
        case .feeReportSaved(let report):
            feeReports[report.id] = report
        case .applicationRecorded(let application):
            applications[application.id] = application
            // `H-2026-007`: its year's numbers go on from it, whatever is later removed.
            let parts = application.id.split(separator: "-")
            if parts.count == 3, let number = Int(parts[2].prefix(9)) {
                let year = String(parts[1].prefix(9))
                applicationNumbers[year] = max(applicationNumbers[year] ?? 0, number)
            }
        case .messageQueued(let message):
            outbox.append(message)
            nextOutboxID = max(nextOutboxID, message.id + 1)
        case .messageDelivered(let id):
            outbox.removeAll { $0.id == id }
        case .languageSet(let person, let language):
            languages[person] = language
        case .flowRecorded(let flow):
            flowSources[flow.version] = flow
        case .channelStateSet(let key, let value):
            applyFormat1ChannelKey(key, value)
        case .matrixMemory(let change):
            matrix.apply(change)
        case .mailMemory(let change):
            mail.apply(change)
        case .stateScrubbed(let version):
            scrubbedWithGuard = version
        case .textHeld(let held):
            heldTexts[held.id] = held
            nextHeldNumber = max(nextHeldNumber, (Int(held.id.dropFirst(2)) ?? 0) + 1)
            let horizon = held.at - HeldText.memory
            if heldTexts.values.contains(where: { $0.at < horizon }) { heldTexts = heldTexts.filter { $0.value.at >= horizon } }
        case .heldTextReleased(let id, let by, let at):
            heldTexts[id]?.releasedBy = by
            heldTexts[id]?.releasedAt = at
        case .heldTextResent(let id):
            heldTexts[id]?.resent = true
        case .textPassed(let person, let tail):
            var tails = recentTails[person] ?? []
            tails.append(String(tail.suffix(Self.recentTailLength)))
            recentTails[person] = Array(tails.suffix(Self.recentTailCount))
        case .signatureNoticeSent(let person):
            signatureNoticed.insert(person)
        case .privacyNoticeLinked(let person):
            privacyNoticeLinked.insert(person)
        case .dataAccessed(let access):
            pendingAccesses.append(access)
            nextAccessID = max(nextAccessID, (access.id ?? 0) + 1)
        case .retentionApplied(let pass):
            for id in pass.removed.orders { orders[id] = nil }
            for id in pass.removed.feeReports { feeReports[id] = nil }
            for id in pass.removed.supervisions { supervisions[id] = nil }
            for id in pass.removed.announcements { announcements[id] = nil }
            for id in pass.removed.applications { applications[id] = nil }
            if pass.relayEndsCleared { recentTails = [:] }
            // Reminders already sent about what went: a part of their key (`feereport:ID:…`) names it.
            let gone = Set(pass.removed.orders.map(\.rawValue) + pass.removed.feeReports + pass.removed.supervisions)
            if !gone.isEmpty {
                sentReminders = sentReminders.filter { key, _ in !key.split(separator: ":").contains { gone.contains(String($0)) } }
            }
            retentionAppliedOn = pass.day
        case .registryChangeRequested(let change):
            pendingRegistryChanges.append(change)
            nextRegistryChangeID = max(nextRegistryChangeID, change.id + 1)
        case .registryChangeDone(let id, let written):
            guard let index = pendingRegistryChanges.firstIndex(where: { $0.id == id }) else { return }
            let change = pendingRegistryChanges.remove(at: index)
            if written, case .addExpert(let new) = change.edit, applications[new.application] != nil {
                applications[new.application]?.status = .accepted
                applications[new.application]?.expert = new.id
            }
        case .accessesLogged(let last, let anchor):
            pendingAccesses.removeAll { ($0.id ?? 0) <= last }
            if let anchor { auditAnchor = anchor }
        case .inputQuarantined(let input):
            quarantined.append(input)
            if quarantined.count > QuarantinedInput.memory { quarantined.removeFirst(quarantined.count - QuarantinedInput.memory) }
        case .inputProcessed(let id):
            guard processedInputSet.insert(id).inserted else { return }
            processedInputs.append(id)
            // Forgotten in chunks, so that the array is not shifted on every message.
            if processedInputs.count > Self.processedInputLimit + Self.processedInputLimit / 10 {
                let overflow = processedInputs.count - Self.processedInputLimit
                for old in processedInputs.prefix(overflow) { processedInputSet.remove(old) }
                processedInputs.removeFirst(overflow)
            }
        }
    }

    // The keys are in `Store/Schema/StateRecords.swift`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        conversations = try container.decode([PersonID: Conversation].self, forKey: .conversations)
        orders = try container.decode([OrderID: Order].self, forKey: .orders)
        orderNumbers = try container.decode([Int: Int].self, forKey: .orderNumbers)
        outbox = try container.decode([OutboxMessage].self, forKey: .outbox)
        nextOutboxID = try container.decode(UInt64.self, forKey: .nextOutboxID)
        languages = try container.decode([PersonID: Language].self, forKey: .languages)
        flowSources = try container.decode([String: StoredFlow].self, forKey: .flowSources)
        processedInputs = try container.decode([String].self, forKey: .processedInputs)
        matrix = try container.decodeIfPresent(MatrixMemory.self, forKey: .matrix) ?? MatrixMemory()
        mail = try container.decodeIfPresent(MailMemory.self, forKey: .mail) ?? MailMemory()
        scrubbedWithGuard = try container.decodeIfPresent(String.self, forKey: .scrubbedWithGuard)
        // Snapshots of the first format keep channel memory as keys; read into the typed memory.
        for (key, value) in try container.decodeIfPresent([String: String].self, forKey: .unknownChannelKeys) ?? [:] {
            applyFormat1ChannelKey(key, value)
        }
        pausedExperts = try container.decodeIfPresent(Set<PersonID>.self, forKey: .pausedExperts) ?? []
        sentReminders = try container.decodeIfPresent([String: Date].self, forKey: .sentReminders) ?? [:]
        taxCards = try container.decodeIfPresent([PersonID: Int].self, forKey: .taxCards) ?? [:]
        supervisions = try container.decodeIfPresent([String: Supervision].self, forKey: .supervisions) ?? [:]
        announcements = try container.decodeIfPresent([String: Announcement].self, forKey: .announcements) ?? [:]
        expertRecords = try container.decodeIfPresent([PersonID: ExpertRecord].self, forKey: .expertRecords) ?? [:]
        feeReports = try container.decodeIfPresent([String: FeeReport].self, forKey: .feeReports) ?? [:]
        applications = try container.decodeIfPresent([String: ExpertApplication].self, forKey: .applications) ?? [:]
        heldTexts = try container.decodeIfPresent([String: HeldText].self, forKey: .heldTexts) ?? [:]
        nextHeldNumber = try container.decodeIfPresent(Int.self, forKey: .nextHeldNumber) ?? 1
        recentTails = try container.decodeIfPresent([PersonID: [String]].self, forKey: .recentTails) ?? [:]
        signatureNoticed = try container.decodeIfPresent(Set<PersonID>.self, forKey: .signatureNoticed) ?? []
        privacyNoticeLinked = try container.decodeIfPresent(Set<PersonID>.self, forKey: .privacyNoticeLinked) ?? []
        quarantined = try container.decodeIfPresent([QuarantinedInput].self, forKey: .quarantined) ?? []
        drafts = try container.decodeIfPresent([PersonID: Conversation].self, forKey: .drafts) ?? [:]
        pendingAccesses = try container.decodeIfPresent([DataAccess].self, forKey: .pendingAccesses) ?? []
        nextAccessID = try container.decodeIfPresent(UInt64.self, forKey: .nextAccessID) ?? 1
        auditAnchor = try container.decodeIfPresent(AuditAnchor.self, forKey: .auditAnchor)
        retentionAppliedOn = try container.decodeIfPresent(LocalDay.self, forKey: .retentionAppliedOn)
        pendingRegistryChanges = try container.decodeIfPresent([RegistryChange].self, forKey: .pendingRegistryChanges) ?? []
        nextRegistryChangeID = try container.decodeIfPresent(UInt64.self, forKey: .nextRegistryChangeID) ?? 1
        applicationNumbers = try container.decodeIfPresent([String: Int].self, forKey: .applicationNumbers) ?? [:]
        processedInputSet = Set(processedInputs)
    }
}
