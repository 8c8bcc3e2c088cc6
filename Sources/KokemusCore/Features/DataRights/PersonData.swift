import Foundation

/// Everything the gateway holds about one person (GDPR Art. 15 and 20: `kokemus person
/// export`): their registry entry, the orders they made, worked on or were offered (with only
/// their own offers, and the feedback they gave or that is about their work), fee reports,
/// what they said about themselves, a conversation in progress, announcements and supervision
/// sessions, applications they recorded, messages waiting for them, the ends of their recent
/// relays, texts the guard held from them and messages of theirs set aside. Pure: from the
/// state and the registry. Other people's offers and other experts' details on the same
/// orders are left out: they are not this person's data.
public struct PersonData: Encodable, Sendable {
    /// An order as far as it concerns the person.
    public struct OrderPart: Encodable, Sendable {
        /// `orderer`, `expert` (the one who took it), `offered` (asked, did not take it).
        public var roles: [String]
        public var id: OrderID
        public var unit: UnitID
        public var task: String
        public var topic: String
        public var createdAt: Date
        public var status: Order.Status
        public var sessions: [Session]
        /// The need as the orderer wrote it: shown to its orderer and to the expert who took it.
        public var description: String?
        /// The offers made to this person.
        public var offers: [Offer]
        /// Feedback the person gave, and for the expert who took it, the feedback on their work.
        public var feedback: [Feedback]
        public var debrief: Debrief?
    }

    /// A registry change not yet written into the registry files: in full when it is about
    /// the person; when they only asked for it (a coordinator), its kind, naming no one else.
    public struct WaitingRegistryChange: Encodable, Sendable {
        public var id: UInt64
        public var askedBy: PersonID
        public var at: Date
        /// Ids and field names (the access log's words) when it is about them, else its kind.
        public var what: String
        /// The change itself, when it is about them.
        public var edit: RegistryChange.Edit?
    }

    /// The format of this export, raised when its members change meaning.
    public var format = 1
    public var person: PersonID
    public var exportedAt: Date
    /// The registry entry; nil when the registry no longer has them but the state does.
    public var registryEntry: Person?
    /// The language they chose in chat, over the registry's.
    public var chosenLanguage: Language?
    public var orders: [OrderPart]
    /// Their fee reports as the expert paid.
    public var feeReports: [FeeReport]
    /// Fee reports they approved as a unit's approver (ids).
    public var feeReportsApproved: [String]
    public var conversationInProgress: Conversation?
    public var draft: Conversation?
    public var selfService: ExpertRecord?
    public var taxCardYearConfirmed: Int?
    public var pausedByCoordinator: Bool
    public var announcementsReceived: [Announcement]
    public var announcementsMade: [Announcement]
    public var supervisions: [Supervision]
    public var applicationsRecorded: [ExpertApplication]
    public var messagesWaiting: [OutboxMessage]
    public var recentRelayEnds: [String]
    public var textsHeldByTheGuard: [HeldText]
    public var messagesSetAside: [QuarantinedInput]
    /// Registry changes about them, or asked for by them, not yet written into the registry files.
    public var registryChangesWaiting: [WaitingRegistryChange]
    /// Who has been shown their data, from the access log (`AuditLog`).
    public var accessesToTheirData: [AuditLog.Entry]

    /// `audit` is the access log's entries (all; those about the person are kept).
    public init(of id: PersonID, state: GatewayState, registry: Registry, now: Date, audit: [AuditLog.Entry] = []) {
        person = id
        exportedAt = now
        registryEntry = registry.person(id)
        chosenLanguage = state.languages[id]
        orders = state.orders.values.sorted { $0.id.rawValue < $1.id.rawValue }.compactMap { order in
            var roles: [String] = []
            if order.orderer == id { roles.append("orderer") }
            let tookIt = order.assignment?.expert == id
            if tookIt { roles.append("expert") }
            let offers = order.offers.filter { $0.expert == id }
            if !tookIt, !offers.isEmpty { roles.append("offered") }
            guard !roles.isEmpty else { return nil }
            let sees = order.orderer == id || tookIt
            return OrderPart(
                roles: roles, id: order.id, unit: order.unit, task: order.taskID, topic: order.topic, createdAt: order.createdAt,
                status: order.status, sessions: sees ? order.sessions : [], description: sees ? order.description.text : nil,
                offers: offers, feedback: order.feedback.filter { $0.by == id || tookIt }, debrief: sees ? order.debrief : nil)
        }
        feeReports = state.feeReports.values.filter { $0.expert == id }.sorted { $0.id < $1.id }
        feeReportsApproved = state.feeReports.values.filter { $0.approvedBy == id }.map(\.id).sorted()
        conversationInProgress = state.conversations[id]
        draft = state.drafts[id]
        selfService = state.expertRecords[id]
        taxCardYearConfirmed = state.taxCards[id]
        pausedByCoordinator = state.pausedExperts.contains(id)
        let announcements = state.announcements.values.sorted { $0.id < $1.id }
        announcementsReceived = announcements.filter { $0.recipients.contains(id) }
        announcementsMade = announcements.filter { $0.by == id }
        supervisions = state.supervisions.values.filter {
            $0.by == id || $0.invited.contains(id) || $0.signedUp.contains(id) || ($0.attended ?? []).contains(id)
        }.sorted { $0.id < $1.id }
        // Those they recorded, and their own that made them an expert.
        applicationsRecorded = state.applications.values.filter { $0.recordedBy == id || $0.expert == id }.sorted { $0.id < $1.id }
        messagesWaiting = state.outbox.filter { $0.recipient == id }
        recentRelayEnds = state.recentTails[id] ?? []
        textsHeldByTheGuard = state.heldTexts.values.filter { $0.sender == id }.sorted { $0.id < $1.id }
        messagesSetAside = state.quarantined.filter { $0.sender == id }
        registryChangesWaiting = state.pendingRegistryChanges.filter { $0.about == id || $0.by == id }.map { change in
            WaitingRegistryChange(
                id: change.id, askedBy: change.by, at: change.at, what: change.about == id ? change.auditWhat : change.kindDescription,
                edit: change.about == id ? change.edit : nil)
        }
        // Whom else an access concerned is not theirs to know.
        accessesToTheirData = audit.filter { $0.about.contains(id) }.map { entry in
            var entry = entry
            entry.about = [id]
            return entry
        }
    }

    /// Whether the state holds anything about them at all (beyond the registry).
    public var isEmpty: Bool {
        orders.isEmpty && feeReports.isEmpty && feeReportsApproved.isEmpty && conversationInProgress == nil && draft == nil
            && selfService == nil && taxCardYearConfirmed == nil && !pausedByCoordinator && announcementsReceived.isEmpty
            && announcementsMade.isEmpty && supervisions.isEmpty && applicationsRecorded.isEmpty && messagesWaiting.isEmpty
            && recentRelayEnds.isEmpty && textsHeldByTheGuard.isEmpty && messagesSetAside.isEmpty && chosenLanguage == nil
            && registryChangesWaiting.isEmpty
    }

    /// Machine-readable (Art. 20): JSON, keys sorted, times in ISO 8601 UTC.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Readable (Art. 15): what is held, section by section, with times in `time`.
    public func text(time: LocalTime = .helsinki) -> String {
        func when(_ date: Date) -> String { time.isoMinuteString(date) }
        var lines = ["Data held about \(person), exported \(when(exportedAt)) (Helsinki time)", ""]
        if let entry = registryEntry {
            lines.append("Registry: \(entry.name); roles \(entry.roles.map(\.rawValue).sorted().joined(separator: ", "))")
            lines.append("  language \(entry.language.rawValue)\(chosenLanguage.map { ", chosen in chat: \($0.rawValue)" } ?? "")")
            let contacts = [
                entry.contacts.email.map { "e-mail \($0)" }, entry.contacts.matrix.map { "Matrix \($0)" },
                entry.contacts.phone.map { "phone \($0)" }, entry.contacts.homeAddress.map { "address \($0)" },
            ].compactMap { $0 }
            if !contacts.isEmpty { lines.append("  contacts: " + contacts.joined(separator: ", ")) }
            if let unit = entry.unit { lines.append("  unit \(unit.rawValue)") }
            if let expert = entry.expert {
                lines.append("  expert \(expert.handle): topics \(expert.topics.joined(separator: ", "))")
                lines.append(
                    "  agreement \(expert.agreementValidFrom ?? "–")…\(expert.agreementValidUntil ?? "–"), "
                        + "payment \(expert.paymentMode.registryName)")
            }
        } else {
            lines.append("Registry: no entry")
        }
        lines.append("")
        lines.append("Orders (\(orders.count)):")
        for order in orders {
            lines.append(
                "- \(order.id) (\(order.roles.joined(separator: ", "))): \(order.task), \(order.topic), unit \(order.unit), "
                    + "\(order.status.rawValue), \(order.sessions.count) session(s)")
            if let description = order.description { lines.append("  need: \(description)") }
            for offer in order.offers { lines.append("  offer \(when(offer.offeredAt)): \(offer.status.rawValue)") }
            for given in order.feedback {
                lines.append("  feedback from \(given.source.rawValue) \(when(given.at)): \(given.rating)/5 \(given.text.text)")
            }
        }
        lines.append("")
        lines.append("Fee reports (\(feeReports.count)):")
        for report in feeReports { lines.append("- \(report.id): \(report.status.rawValue), \(report.lines.count) line(s)") }
        if !feeReportsApproved.isEmpty { lines.append("Fee reports approved: " + feeReportsApproved.joined(separator: ", ")) }
        lines.append("")
        if let conversation = conversationInProgress {
            lines.append(
                "Conversation in progress: \(conversation.flowID), step \(conversation.stepID), \(conversation.slots.count) answer(s)")
        }
        if let draft { lines.append("Draft kept: \(draft.flowID), \(draft.slots.count) answer(s)") }
        if let record = selfService {
            lines.append(
                "Said about themselves: \(record.away.count) period(s) away, introductions in "
                    + "\(record.introductions.keys.sorted().joined(separator: ", ")), "
                    + "confidentiality confirmed \(record.confidentialityConfirmedAt.map(when) ?? "–")")
        }
        if let year = taxCardYearConfirmed { lines.append("Tax card confirmed for \(year)") }
        if pausedByCoordinator { lines.append("Paused by a coordinator: no offers") }
        lines.append("Announcements received: \(announcementsReceived.map(\.id).joined(separator: ", "))")
        if !announcementsMade.isEmpty { lines.append("Announcements made: \(announcementsMade.map(\.id).joined(separator: ", "))") }
        lines.append("Supervision: \(supervisions.map(\.id).joined(separator: ", "))")
        if !applicationsRecorded.isEmpty {
            lines.append("Applications recorded: \(applicationsRecorded.map(\.id).joined(separator: ", "))")
        }
        lines.append("Messages waiting to be delivered: \(messagesWaiting.count)")
        lines.append("Ends of recent relays kept for the guard: \(recentRelayEnds.count)")
        lines.append("Texts the guard held (kinds only): \(textsHeldByTheGuard.count)")
        lines.append("Messages set aside after a crash (no text kept): \(messagesSetAside.count)")
        for change in registryChangesWaiting {
            lines.append("Registry change \(change.id) asked by \(change.askedBy) \(when(change.at)), not yet written: \(change.what)")
        }
        lines.append("")
        lines.append("Who has been shown this data (\(accessesToTheirData.count) times):")
        for entry in accessesToTheirData {
            lines.append("- \(when(entry.at)) \(entry.by) (\(entry.via.rawValue)): \(entry.what) [\(entry.why)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
