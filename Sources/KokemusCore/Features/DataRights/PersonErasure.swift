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
    /// What identifies them in text (longest first), each matched as `patterns` says.
    public var identifiers: [String] { patterns.map(\.text) }
    /// Name parts not searched for alone: another person in the registry has them too.
    public let ambiguous: [String]
    let patterns: [Pattern]

    /// One thing that identifies the person, and how it is found in a text.
    struct Pattern: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            /// The text as a whole word (or words), any case.
            case words
            /// A name: also in its Finnish and Swedish inflected forms (Kallen, Kallelle,
            /// Heikkisen, Kalles).
            case name
            /// A phone number: its digits with any spaces, dashes, dots or brackets between,
            /// in the international or the national form.
            case phone([String])
        }
        var text: String
        var kind: Kind
    }

    /// `entry` is their registry entry: its name, name parts, handle, contacts and address
    /// are searched for in others' texts (a name part another person in `registry` shares is
    /// not searched for alone); `also` adds what the registry no longer says. Without an entry,
    /// only the id and `also` are.
    public init(_ person: PersonID, entry: Person?, pseudonym: PersonID, registry: Registry? = nil, also: [String] = []) {
        self.person = person
        self.pseudonym = pseudonym
        var patterns = [Pattern(text: person.rawValue, kind: .words)]
        var ambiguous: [String] = []
        func add(_ text: String?, _ kind: Pattern.Kind = .words) {
            guard let text = text?.trimmingCharacters(in: .whitespaces), text.count >= 2 else { return }
            patterns.append(Pattern(text: text, kind: kind))
        }
        func addPhone(_ text: String?) {
            guard let text else { return }
            let digits = text.filter { $0.isASCIIDigitCharacter }
            guard digits.count >= 6 else { return }
            var forms = [digits]
            if digits.hasPrefix("358") { forms.append("0" + digits.dropFirst(3)) }
            if digits.hasPrefix("0") { forms.append("358" + digits.dropFirst()) }
            patterns.append(Pattern(text: text, kind: .phone(forms)))
        }
        let others = registry?.people.values.filter { $0.id != person } ?? []
        let othersParts = Set(others.flatMap { [$0.id.rawValue.lowercased()] + Self.nameParts($0.name).map { $0.lowercased() } })
        for text in [entry?.name].compactMap({ $0 }) + also where text.filter { $0.isASCIIDigitCharacter }.count < 6 {
            add(text, .name)
            for part in Self.nameParts(text) where part.count >= 3 && part != text {
                if othersParts.contains(part.lowercased()) { ambiguous.append(part) } else { add(part, .name) }
            }
        }
        if let entry {
            add(entry.contacts.email)
            add(entry.contacts.matrix)
            if let email = entry.contacts.email, let at = email.firstIndex(of: "@") { add(String(email[..<at])) }
            if let address = entry.contacts.homeAddress {
                add(address)
                // The street and number alone, as people write it.
                if let street = address.split(separator: ",").first, street.contains(where: \.isNumber) { add(String(street)) }
            }
            addPhone(entry.contacts.phone)
            addPhone(entry.expert?.workPhone)
            add(entry.expert?.handle)
        }
        for text in also where text.filter { $0.isASCIIDigitCharacter }.count >= 6 { addPhone(text) }
        self.patterns = Array(Set(patterns)).sorted { ($0.text.count, $0.text) > ($1.text.count, $1.text) }
        self.ambiguous = Array(Set(ambiguous)).sorted()
    }

    static func nameParts(_ name: String) -> [String] {
        name.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "," }).map(String.init)
    }

    /// A new pseudonym: `erased-` and eight random letters, none of the ids in use.
    public static func newPseudonym(avoiding used: Set<PersonID>) -> PersonID {
        while true {
            let letters = (0..<8).map { _ in String(UnicodeScalar(UInt8.random(in: 97...122))) }.joined()
            let candidate = PersonID("erased-\(letters)")
            if !used.contains(candidate) { return candidate }
        }
    }

    /// Finnish case endings and clitics, and the Swedish genitive, that follow a name.
    static let endings: Set<String> = {
        let cases = [
            "", "n", "a", "ä", "na", "nä", "ksi", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "tta",
            "ttä", "ine", "ineen", "neen", "en", "in", "an", "än", "on", "un", "yn", "ön", "han", "hen", "hin", "hon", "hun",
            "hyn", "hän", "hön", "seen", "ta", "tä", "t", "s", "et", "ten", "ien", "ia", "iä", "ille", "illa", "illä", "ilta",
            "iltä", "issa", "issä", "ista", "istä", "iin", "elle", "ella", "ellä", "elta", "eltä", "ena", "enä", "eksi",
            "essa", "essä", "esta", "estä", "een", "ensa", "ensä", "nsa", "nsä",
        ]
        let clitics = ["", "kin", "kaan", "kään", "ko", "kö", "pa", "pä"]
        return Set(cases.flatMap { ending in clitics.map { ending + $0 } })
    }()

    /// `text` with every whole-word occurrence of `parts` (ignoring case) replaced.
    public static func replace(_ parts: [String], in text: String, with replacement: String) -> String {
        replace(parts.map { Pattern(text: $0, kind: .words) }, in: text, with: replacement)
    }

    static func replace(_ patterns: [Pattern], in text: String, with replacement: String) -> String {
        var result = text
        for pattern in patterns {
            switch pattern.kind {
            case .words: result = replaceWords(pattern.text, in: result, with: replacement, inflected: false)
            case .name:
                result = replaceWords(pattern.text, in: result, with: replacement, inflected: true)
                // Virtanen → Virtasen, Virtaselle: the stem before the ending.
                if pattern.text.count > 4, pattern.text.lowercased().hasSuffix("nen") {
                    result = replaceWords(
                        String(pattern.text.dropLast(3)) + "s", in: result, with: replacement, inflected: true, needsEnding: true)
                }
            case .phone(let forms): result = replacePhone(forms, in: result, with: replacement)
            }
        }
        return result
    }

    private static func replaceWords(
        _ part: String, in text: String, with replacement: String, inflected: Bool, needsEnding: Bool = false
    ) -> String {
        guard !part.isEmpty else { return text }
        var result = text
        var searchStart = result.startIndex
        while searchStart < result.endIndex,
            let range = result.range(of: part, options: [.caseInsensitive], range: searchStart..<result.endIndex)
        {
            let before = range.lowerBound > result.startIndex ? result[result.index(before: range.lowerBound)] : nil
            var end = range.upperBound
            while end < result.endIndex, result[end].isLetter { end = result.index(after: end) }
            let rest = result[range.upperBound..<end].lowercased()
            let after = end < result.endIndex ? result[end] : nil
            let startsWord = !(before?.isLetter ?? false) && !(before?.isNumber ?? false)
            let ending = inflected ? Self.endings.contains(rest) && !(needsEnding && rest.isEmpty) : rest.isEmpty
            if startsWord, ending, !(after?.isNumber ?? false) {
                let offset = result.distance(from: result.startIndex, to: range.lowerBound)
                result.replaceSubrange(range.lowerBound..<end, with: replacement)
                searchStart = result.index(result.startIndex, offsetBy: offset + replacement.count)
            } else {
                searchStart = range.upperBound
            }
        }
        return result
    }

    /// Each phone number in `text` whose digits (any separators between) are one of `forms`.
    private static func replacePhone(_ forms: [String], in text: String, with replacement: String) -> String {
        let characters = Array(text)
        let longest = forms.map(\.count).max() ?? 0
        var output = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let boundary = index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber)
            if boundary, character.isASCIIDigitCharacter || character == "+" {
                var digits = ""
                var cursor = index
                var matchedEnd: Int?
                while cursor < characters.count, digits.count <= longest {
                    let next = characters[cursor]
                    if next.isASCIIDigitCharacter {
                        digits.append(next)
                    } else if !(next == "+" && cursor == index) && !" -./()".contains(next) {
                        break
                    }
                    cursor += 1
                    let ends = cursor >= characters.count || !characters[cursor].isASCIIDigitCharacter
                    if next.isASCIIDigitCharacter, ends, forms.contains(digits) { matchedEnd = cursor }
                    if !digits.isEmpty, !forms.contains(where: { $0.hasPrefix(digits) }) { break }
                }
                if let matchedEnd {
                    output += replacement
                    index = matchedEnd
                    continue
                }
            }
            output.append(character)
            index += 1
        }
        return output
    }

    func scrub(_ text: String) -> String { Self.replace(patterns, in: text, with: pseudonym.rawValue) }
    func scrub(_ text: GuardedText) -> GuardedText { text.replacing(patterns, with: pseudonym.rawValue) }
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
        state.privacyNoticeLinked.remove(person)
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
            if let decider = order.travel?.decidedBy { changed.travel?.decidedBy = rename(decider) }
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
            // By whole parts (`feereport:ID:approver:…`): one report's id may begin another's.
            key.split(separator: ":", omittingEmptySubsequences: false).map { part in
                let part = String(part)
                return part == person.rawValue ? pseudonym.rawValue : reportIDs[part] ?? part
            }.joined(separator: ":")
        }
        /// A text naming their reports: longest ids first, so one that begins another is not
        /// replaced inside it.
        func renamedText(_ text: String) -> String {
            reportIDs.sorted { $0.key.count > $1.key.count }.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
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
            // Their own application (it names them): theirs alone, with its topics of lived experience.
            if application.expert == person || !traces(in: application.applicant.text + " " + application.contact.text).isEmpty {
                state.applications[id] = nil
                count("application", removed: 1)
                continue
            }
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
            message.text = scrub(renamedText(message.text))
            message.subject = message.subject.map(scrub)
            message.attachments = message.attachments?.map { attachment in
                var attachment = attachment
                attachment.text = scrub(renamedText(attachment.text))
                return attachment
            }
            return message
        }
        state.recentTails = state.recentTails.mapValues { $0.map(scrub) }
        // Registry changes asked for and not yet written (open work, so only when forced):
        // one about them would write them back into the registry files, and one they asked
        // for as a coordinator would be refused when written (a pseudonym is no coordinator)
        // with no one to answer. Both go; the registry files are the county's to change.
        let pendingChanges = state.pendingRegistryChanges.count
        state.pendingRegistryChanges.removeAll { $0.about == person || $0.by == person }
        count("registry change waiting", removed: pendingChanges - state.pendingRegistryChanges.count)
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

    /// Work of theirs not finished, which erasing would harm (a fee the county still owes,
    /// a booking someone counts on): the command refuses while there is any, unless forced.
    public func openWork(in state: GatewayState, now: Date, time: LocalTime) -> [String] {
        var work: [String] = []
        for report in state.feeReports.values.sorted(by: { $0.id < $1.id })
        where report.expert == person && report.handedToPayrollAt == nil {
            work.append("fee report \(report.id) not yet handed to payroll (\(report.status.rawValue))")
        }
        for order in state.orders.values.sorted(by: { $0.id < $1.id }) {
            let upcoming = order.sessions.filter { $0.end > now && $0.status == .planned }.map(\.start).min()
            if order.assignedExpert == person, order.status == .assigned, let upcoming {
                work.append("booked for \(order.id) on \(time.isoMinuteString(upcoming))")
            }
            if order.orderer == person, order.status == .open || (order.status == .assigned && upcoming != nil) {
                work.append("ordered \(order.id) (\(order.status.rawValue))")
            }
            if order.pendingOffers.contains(where: { $0.expert == person }) {
                work.append("offered \(order.id), not answered")
            }
        }
        for change in state.pendingRegistryChanges where change.about == person || change.by == person {
            work.append("registry change \(change.id) not yet written (\(change.auditWhat))")
        }
        return work
    }

    /// Where the person can still be found in `text` (an encoded state, a file): each
    /// identifier found as a whole word, ignoring case. Empty when nothing is left.
    public func traces(in text: String) -> [String] {
        patterns.filter { Self.replace([$0], in: text, with: "\u{0}") != text }.map(\.text)
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
