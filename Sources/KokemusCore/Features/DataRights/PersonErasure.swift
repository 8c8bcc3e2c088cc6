import Foundation

/// Erasing a person's data (GDPR Art. 17: `kokemus person erase`). What is theirs alone goes:
/// conversations and drafts, what they said about themselves, their language choice, tax card
/// confirmations, messages to or from them waiting, relay ends, held texts and messages set
/// aside, the channels' memory of them. Every free text they wrote is emptied (an order's need,
/// feedback, reasons, notes, announcements). What the county must keep is kept under a
/// pseudonym (`erased-…`, letters only): fee reports and their lines (accounting records, kept
/// six years after the year ends, Kirjanpitolaki 2:10 §), orders, offers and sessions as
/// others' work, supervision attendance. In everyone else's stored texts their name, names,
/// id, handle and contacts are replaced by the pseudonym. Pure: from a state, a new state.
///
/// Not here: the registry (the county's files; the command names the lines to remove) and the
/// access log (kept as the law requires; it holds ids only).
public struct PersonErasure: Sendable {
    /// What was done, for the operator.
    public struct Outcome: Sendable {
        public var pseudonym: PersonID
        /// Kinds of record → how many were removed.
        public var removed: [String: Int] = [:]
        /// Kinds of record → how many were kept under the pseudonym.
        public var pseudonymised: [String: Int] = [:]
        /// Free texts they wrote, emptied.
        public var textsEmptied = 0
        /// Fee report ids, old → new (the old ids hold their id).
        public var renamedReports: [(old: String, new: String)] = []
    }

    public let person: PersonID
    public let pseudonym: PersonID
    /// What identifies them in text: names, id, handle, contacts (longest first).
    public let identifiers: [String]

    /// `entry` is their registry entry (its name, handle and contacts are searched for in
    /// others' texts); without one, only the id is.
    public init(_ person: PersonID, entry: Person?, pseudonym: PersonID) {
        self.person = person
        self.pseudonym = pseudonym
        var parts = [person.rawValue]
        if let entry {
            parts.append(entry.name)
            parts += entry.name.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
            parts += [entry.contacts.email, entry.contacts.matrix, entry.contacts.phone, entry.contacts.homeAddress].compactMap { $0 }
            if let email = entry.contacts.email, let at = email.firstIndex(of: "@") { parts.append(String(email[..<at])) }
            if let handle = entry.expert?.handle { parts.append(handle) }
            if let phone = entry.expert?.workPhone { parts.append(phone) }
        }
        identifiers = Array(Set(parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 2 }))
            .sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// A new pseudonym: `erased-` and eight random letters, none of the ids in use.
    public static func newPseudonym(avoiding used: Set<PersonID>) -> PersonID {
        while true {
            let letters = (0..<8).map { _ in String(UnicodeScalar(UInt8.random(in: 97...122))) }.joined()
            let candidate = PersonID("erased-\(letters)")
            if !used.contains(candidate) { return candidate }
        }
    }

    /// `text` with every whole-word occurrence of `parts` (ignoring case) replaced.
    public static func replace(_ parts: [String], in text: String, with replacement: String) -> String {
        var result = text
        for part in parts where !part.isEmpty {
            var searchStart = result.startIndex
            while let range = result.range(of: part, options: [.caseInsensitive], range: searchStart..<result.endIndex) {
                let before = range.lowerBound > result.startIndex ? result[result.index(before: range.lowerBound)] : nil
                let after = range.upperBound < result.endIndex ? result[range.upperBound] : nil
                let whole =
                    !(before?.isLetter ?? false) && !(before?.isNumber ?? false) && !(after?.isLetter ?? false)
                    && !(after?.isNumber ?? false)
                if whole {
                    result.replaceSubrange(range, with: replacement)
                    searchStart = result.index(range.lowerBound, offsetBy: replacement.count, limitedBy: result.endIndex) ?? result.endIndex
                } else {
                    searchStart = range.upperBound
                }
                if searchStart >= result.endIndex { break }
            }
        }
        return result
    }

    func scrub(_ text: String) -> String { Self.replace(identifiers, in: text, with: pseudonym.rawValue) }
    func scrub(_ text: GuardedText) -> GuardedText { text.replacing(identifiers, with: pseudonym.rawValue) }
    func rename(_ id: PersonID) -> PersonID { id == person ? pseudonym : id }

    // MARK: The state

    public func erase(_ old: GatewayState) -> (GatewayState, Outcome) {
        var state = old
        var outcome = Outcome(pseudonym: pseudonym)
        func count(_ kind: String, removed: Int) { if removed > 0 { outcome.removed[kind, default: 0] += removed } }
        func kept(_ kind: String) { outcome.pseudonymised[kind, default: 0] += 1 }
        func mine(_ text: GuardedText, by writer: PersonID) -> GuardedText {
            guard writer == person else { return scrub(text) }
            if !text.isEmpty { outcome.textsEmptied += 1 }
            return .erased
        }

        // Theirs alone.
        count("conversation", removed: state.conversations.removeValue(forKey: person) == nil ? 0 : 1)
        count("draft", removed: state.drafts.removeValue(forKey: person) == nil ? 0 : 1)
        count("language choice", removed: state.languages.removeValue(forKey: person) == nil ? 0 : 1)
        count("tax card confirmation", removed: state.taxCards.removeValue(forKey: person) == nil ? 0 : 1)
        count("self-service record", removed: state.expertRecords.removeValue(forKey: person) == nil ? 0 : 1)
        count("relay ends", removed: state.recentTails.removeValue(forKey: person) == nil ? 0 : 1)
        state.pausedExperts.remove(person)
        state.signatureNoticed.remove(person)
        let outbox = state.outbox.count
        state.outbox.removeAll { $0.recipient == person || $0.relayFrom == person }
        count("waiting message", removed: outbox - state.outbox.count)
        let held = state.heldTexts.count
        state.heldTexts = state.heldTexts.filter { $0.value.sender != person }
        count("held text", removed: held - state.heldTexts.count)
        let quarantined = state.quarantined.count
        state.quarantined.removeAll { $0.sender == person }
        count("message set aside", removed: quarantined - state.quarantined.count)
        state.matrix.forget(person)
        state.mail.forget(person, addresses: identifiers.filter { $0.contains("@") })
        // Channel keys of the first format no channel knew, kept as they were: any naming them goes.
        state.unknownChannelKeys = state.unknownChannelKeys.filter { traces(in: $0.key + " " + $0.value).isEmpty }

        // Orders: kept as others' work, with them under the pseudonym and their texts emptied.
        for (id, order) in old.orders {
            var changed = order
            if order.orderer == person {
                changed.orderer = pseudonym
                changed.description = mine(order.description, by: person)
                changed.agreedStopReasons = order.agreedStopReasons.map { mine($0, by: person) }
                changed.secondFacilitator = order.secondFacilitator.map { mine($0, by: person) }
            } else {
                changed.description = scrub(order.description)
                changed.agreedStopReasons = order.agreedStopReasons.map(scrub)
                changed.secondFacilitator = order.secondFacilitator.map(scrub)
            }
            if case .onSite(let address) = order.place { changed.place = .onSite(address: scrub(address)) }
            if let expert = order.assignment?.expert { changed.assignment?.expert = rename(expert) }
            changed.offers = order.offers.map { offer in
                var offer = offer
                offer.expert = rename(offer.expert)
                return offer
            }
            changed.excludedExperts = order.excludedExperts.map(rename)
            changed.requestedExpert = order.requestedExpert.map(rename)
            for index in changed.sessions.indices {
                if let decision = order.sessions[index].decision {
                    changed.sessions[index].decision?.reason = mine(decision.reason, by: decision.by)
                    changed.sessions[index].decision?.by = rename(decision.by)
                    changed.sessions[index].decision?.confirmedBy = decision.confirmedBy.map(rename)
                }
                if let claim = order.sessions[index].noShowClaim {
                    changed.sessions[index].noShowClaim?.reason = mine(claim.reason, by: claim.claimedBy)
                    changed.sessions[index].noShowClaim?.claimedBy = rename(claim.claimedBy)
                }
                if let check = order.sessions[index].check {
                    changed.sessions[index].check?.reason = check.reason.map { mine($0, by: check.by) }
                    changed.sessions[index].check?.by = rename(check.by)
                }
            }
            if let move = order.pendingMove { changed.pendingMove?.requestedBy = rename(move.requestedBy) }
            changed.feedback = order.feedback.map { given in
                var given = given
                given.text = mine(given.text, by: given.by)
                given.by = rename(given.by)
                return given
            }
            if let debrief = order.debrief {
                changed.debrief?.requestedBy = rename(debrief.requestedBy)
                changed.debrief?.with = rename(debrief.with)
                changed.debrief?.heldBy = debrief.heldBy.map(rename)
            }
            if changed != order {
                state.orders[id] = changed
                if order.involves(person) { kept("order") }
            }
        }

        // Fee reports: accounting records, kept under the pseudonym (and a new id, since the
        // id names the expert).
        var reportIDs: [String: String] = [:]
        for (id, report) in old.feeReports {
            var changed = report
            if report.expert == person {
                changed.expert = pseudonym
                changed.id = FeeReport.id(month: report.month, expert: pseudonym, unit: report.unit)
                changed.expertNote = report.expertNote.map { mine($0, by: person) }
                changed.returnReason = report.returnReason.map(scrub)
                reportIDs[id] = changed.id
                outcome.renamedReports.append((id, changed.id))
                kept("fee report")
            } else {
                changed.expertNote = report.expertNote.map(scrub)
                changed.returnReason = report.returnReason.map(scrub)
            }
            changed.approvedBy = report.approvedBy.map(rename)
            if changed != report {
                state.feeReports[id] = nil
                state.feeReports[changed.id] = changed
            }
        }
        outcome.renamedReports.sort { $0.old < $1.old }
        /// Ids and keys that name the person or one of their reports.
        func renamedKey(_ key: String) -> String {
            var key = key
            for (old, new) in reportIDs where key.contains(old) { key = key.replacingOccurrences(of: old, with: new) }
            return key.split(separator: ":", omittingEmptySubsequences: false)
                .map { $0 == person.rawValue ? pseudonym.rawValue : String($0) }.joined(separator: ":")
        }
        state.sentReminders = Dictionary(
            state.sentReminders.map { (renamedKey($0.key), $0.value) }, uniquingKeysWith: { max($0, $1) })

        for (id, announcement) in old.announcements {
            var changed = announcement
            changed.text = mine(announcement.text, by: announcement.by)
            changed.by = rename(announcement.by)
            changed.recipients = announcement.recipients.filter { $0 != person }
            if changed != announcement { state.announcements[id] = changed }
        }
        for (id, supervision) in old.supervisions {
            var changed = supervision
            changed.by = rename(supervision.by)
            changed.place = scrub(supervision.place)
            changed.invited = supervision.invited.map(rename)
            changed.signedUp = supervision.signedUp.map(rename)
            changed.attended = supervision.attended?.map(rename)
            if changed != supervision {
                state.supervisions[id] = changed
                kept("supervision session")
            }
        }
        for (id, application) in old.applications {
            var changed = application
            for field in [\ExpertApplication.applicant, \.contact, \.municipalities, \.training, \.wishes] {
                changed[keyPath: field] = scrub(application[keyPath: field])
            }
            changed.recordedBy = rename(application.recordedBy)
            if changed != application { state.applications[id] = changed }
        }
        for (id, text) in old.heldTexts where text.releasedBy == person { state.heldTexts[id]?.releasedBy = pseudonym }

        // Everyone else's words and waiting messages: the person named in them is replaced.
        for (owner, conversation) in state.conversations { state.conversations[owner] = scrub(conversation, reportIDs) }
        for (owner, draft) in state.drafts { state.drafts[owner] = scrub(draft, reportIDs) }
        state.outbox = state.outbox.map { message in
            var message = message
            message.text = renamedKey(scrub(message.text))
            message.subject = message.subject.map(scrub)
            message.attachments = message.attachments?.map { attachment in
                var attachment = attachment
                attachment.text = scrub(attachment.text)
                for (old, new) in reportIDs { attachment.text = attachment.text.replacingOccurrences(of: old, with: new) }
                return attachment
            }
            return message
        }
        state.recentTails = state.recentTails.mapValues { $0.map(scrub) }
        state.pendingAccesses = state.pendingAccesses.map { access in
            var access = access
            if access.by == person.rawValue { access.by = pseudonym.rawValue }
            access.about = access.about.map(rename)
            return access
        }
        return (state, outcome)
    }

    private func scrub(_ conversation: Conversation, _ reportIDs: [String: String]) -> Conversation {
        var changed = conversation
        for (slot, value) in conversation.slots {
            switch value {
            case .text(let text): changed.slots[slot] = .text(reportIDs[text] ?? scrub(text))
            case .choice(let choice) where choice == person.rawValue: changed.slots[slot] = .choice(pseudonym.rawValue)
            case .choices(let choices): changed.slots[slot] = .choices(choices.map { $0 == person.rawValue ? pseudonym.rawValue : $0 })
            default: break
            }
        }
        return changed
    }

    // MARK: Checking

    /// Where the person can still be found in `text` (an encoded state, a file): each
    /// identifier found as a whole word, ignoring case. Empty when nothing is left.
    public func traces(in text: String) -> [String] {
        identifiers.filter { Self.replace([$0], in: text, with: "\u{0}") != text }
    }

    /// The same for a state file (snapshot, journal), leaving out the flows the state keeps:
    /// a flow's text is the county's (its examples may name anyone), not a person's data.
    public func traces(inStateFile data: Data, flows: [StoredFlow]) -> [String] {
        var text = String(decoding: data, as: UTF8.self)
        for flow in flows {
            for encoder in [JournalEncoder(sortsKeys: true), JournalEncoder()] {
                guard let encoded = try? encoder.encode(flow.text) else { continue }
                text = text.replacingOccurrences(of: String(decoding: encoded, as: UTF8.self), with: "")
            }
        }
        return traces(in: text)
    }
}
