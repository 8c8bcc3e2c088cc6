/// A one-time pass over a state written before the guard (or by an older one): every stored
/// free text is read again under the rules for whoever wrote it, and a text the guard would
/// hold now is replaced by a short note naming only the kinds found (`[poistettu:
/// henkilötunnus]`). Texts in open conversations, messages still waiting in the outbox and
/// the ends of recent relays are read too. `GatewayBuilder` runs it at open while the state's mark is older than
/// ``version`` and then compacts, so no copy of such a text stays on disk.
struct StateScrub {
    /// Raised when the guard learns something old states must be read again for.
    static let version = "1"
    /// Where the state records the version it was scrubbed with: `GatewayEvent.stateScrubbed`
    /// (in the first format, the channel key `kokemus.guard_scrub`, still read).

    let textGuard: TextGuard
    let registry: Registry
    let catalog: MessageCatalog

    /// The events that replace what the guard would hold now, and how many texts they replace.
    func events(for state: GatewayState) -> (events: [GatewayEvent], scrubbed: Int) {
        var events: [GatewayEvent] = []
        var scrubbed = 0
        /// The note a held text becomes, or nil when the guard lets it be.
        func note(for text: String, by writer: PersonID?) -> String? {
            let person = writer.flatMap(registry.person)
            let rules = person.map(GuardRules.forText(from:)) ?? .fromEmployeeSide
            guard case .held(let hold) = textGuard.check(text, from: person, rules: rules) else { return nil }
            scrubbed += 1
            let language = person?.language ?? .fi
            return catalog.text(.textRemoved, language, ["kinds": catalog.describe(hold.categories, language)])
        }
        func clean(_ text: GuardedText, by writer: PersonID?) -> GuardedText {
            guard let note = note(for: text.text, by: writer) else { return text }
            return textGuard.passed(note, rules: .fromEmployeeSide) ?? text
        }
        for order in state.orders.values.sorted(by: { $0.id < $1.id }) {
            var changed = order
            changed.description = clean(order.description, by: order.orderer)
            if case .onSite(let address) = order.place { changed.place = .onSite(address: clean(address, by: order.orderer)) }
            for index in changed.sessions.indices {
                if let decision = changed.sessions[index].decision {
                    changed.sessions[index].decision?.reason = clean(decision.reason, by: decision.by)
                }
                if let claim = changed.sessions[index].noShowClaim {
                    changed.sessions[index].noShowClaim?.reason = clean(claim.reason, by: claim.claimedBy)
                }
                if let check = changed.sessions[index].check, let reason = check.reason {
                    changed.sessions[index].check?.reason = clean(reason, by: check.by)
                }
            }
            if let reasons = changed.agreedStopReasons { changed.agreedStopReasons = clean(reasons, by: order.orderer) }
            if let second = changed.secondFacilitator { changed.secondFacilitator = clean(second, by: order.orderer) }
            for index in changed.feedback.indices {
                changed.feedback[index].text = clean(changed.feedback[index].text, by: changed.feedback[index].by)
            }
            if changed != order { events.append(.orderUpdated(changed)) }
        }
        for report in state.feeReports.values.sorted(by: { $0.id < $1.id }) {
            var changed = report
            changed.expertNote = report.expertNote.map { clean($0, by: report.expert) }
            changed.returnReason = report.returnReason.map { clean($0, by: nil) }
            if changed != report { events.append(.feeReportSaved(changed)) }
        }
        for application in state.applications.values.sorted(by: { $0.id < $1.id }) {
            var changed = application
            for field in [\ExpertApplication.applicant, \.contact, \.municipalities, \.training, \.wishes] {
                // The applicant is not in the registry yet: their own contact is what the form asks for.
                changed[keyPath: field] = clean(application[keyPath: field], by: nil)
            }
            if changed != application { events.append(.applicationRecorded(changed)) }
        }
        // Introductions experts wrote themselves, which orderers read: one the guard would hold
        // now is dropped (the registry's introduction shows again), not replaced by a note.
        for record in state.expertRecords.values.sorted(by: { $0.expert < $1.expert }) {
            var changed = record
            for (code, text) in record.introductions.sorted(by: { $0.key < $1.key }) where note(for: text, by: record.expert) != nil {
                changed.introductions[code] = nil
            }
            if changed != record { events.append(.expertRecordSaved(changed)) }
        }
        // Answers not yet acted on, read as the answer is read now.
        for conversation in state.conversations.values.sorted(by: { $0.person < $1.person }) {
            var changed = conversation
            for (slot, value) in conversation.slots {
                if case .text(let text) = value, let note = note(for: text, by: conversation.person) {
                    changed.slots[slot] = .text(note)
                }
            }
            if changed != conversation { events.append(.conversationSaved(changed)) }
        }
        // Drafts put aside likewise: they are answers not yet acted on.
        for draft in state.drafts.values.sorted(by: { $0.person < $1.person }) {
            var changed = draft
            for (slot, value) in draft.slots {
                if case .text(let text) = value, let note = note(for: text, by: draft.person) { changed.slots[slot] = .text(note) }
            }
            if changed != draft { events.append(.draftKept(changed)) }
        }
        // The ends of a person's last relays, kept to read a number split over messages: an end
        // the guard would hold now is pushed out by empty ones (the table keeps the last few).
        for (person, tails) in state.recentTails.sorted(by: { $0.key < $1.key }) {
            guard tails.contains(where: { note(for: $0, by: person) != nil }) else { continue }
            events += Array(repeating: .textPassed(person: person, tail: ""), count: GatewayState.recentTailCount)
        }
        var nextID = state.nextOutboxID
        for message in state.outbox {
            guard let note = note(for: message.text, by: nil) else { continue }
            var replaced = message
            replaced.id = nextID
            replaced.text = note
            nextID += 1
            events += [.messageDelivered(id: message.id), .messageQueued(replaced)]
        }
        return (events, scrubbed)
    }
}
