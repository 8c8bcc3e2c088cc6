import Foundation

/// The coordinator's commonest registry changes in chat (`rekisteri …`): extend or end an
/// expert's commission agreement, set a unit's approver, set a person's address and channel,
/// add an expert from an accepted application. A change asked for is checked against the
/// registry in use and committed (`registryChangeRequested`); the gateway then writes it into
/// the registry's files (`RegistryWriter`) and the coordinator is answered by `done`.
struct RegistryCommands: TurnFeature {
    var turn: ConversationTurn

    /// The longest person id a new expert may be given.
    static let idLength = 40
    /// How far ahead an agreement may be set to run.
    static let yearsAhead = 10

    mutating func run(_ arguments: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        let words = arguments.split(whereSeparator: \.isWhitespace).map(String.init)
        let vocabulary = catalog.vocabulary
        let part = words.first?.lowercased() ?? ""
        let rest = Array(words.dropFirst())
        var values = ["name": person.firstName]
        let reply = { (feature: inout RegistryCommands, key: MessageKey, extra: [String: String]) in
            feature.send(
                feature.catalog.text(key, language, values.merging(extra) { _, new in new }), to: person.id, channel: channel)
        }
        // A coordinator who is also an expert could send the fees they earn to an approver
        // of their own choosing, or to an address of theirs: such changes are left to another.
        guard !person.has(.expert) else {
            values["problem"] = problem(.expertCoordinator, language)
            return reply(&self, .registryRefused, [:])
        }
        // An identity code typed anywhere in the command (one word, or spread over several:
        // `131052 -308T`) is not repeated back in an answer (which the state keeps until
        // delivered), logged or written anywhere.
        guard !words.contains(where: Self.holdsIdentityCode), !Self.holdsIdentityCode(arguments) else {
            return reply(&self, .registryIdentityCode, [:])
        }
        // The registry in use with the changes still being written made: what a change is
        // checked against, so the same id, address or application is not given twice.
        let upcoming = self.upcoming
        let edit: RegistryChange.Edit
        if vocabulary.registryAgreement.contains(part) || vocabulary.registryEnd.contains(part) {
            let ending = vocabulary.registryEnd.contains(part)
            guard rest.count == (ending ? 1 : 2) || (ending && rest.count == 2) else { return usage(person, channel) }
            guard let expert = registryPerson(rest[0]), expert.has(.expert) else {
                return reply(&self, .expertUnknown, ["expert": rest[0]])
            }
            guard let day = rest.count == 2 ? self.day(rest[1]) : today else {
                return reply(&self, .registryBadDay, ["day": rest.count == 2 ? rest[1] : "", "example": exampleDay])
            }
            edit = ending ? .agreementEnds(expert: expert.id, day: day.iso) : .agreementUntil(expert: expert.id, day: day.iso)
        } else if vocabulary.registryApprover.contains(part) {
            guard rest.count == 2 else { return usage(person, channel) }
            let unitWord = rest[0].lowercased()
            guard
                let unit = engine.registry.unit(UnitID(rest[0]))
                    ?? engine.registry.sortedUnits.first(where: { $0.id.rawValue.lowercased() == unitWord })
            else {
                return reply(&self, .registryUnknown, ["what": rest[0]])
            }
            guard let approver = registryPerson(rest[1]) else {
                return reply(&self, .registryUnknown, ["what": rest[1]])
            }
            edit = .approver(unit: unit.id, approver: approver.id)
        } else if vocabulary.registryContact.contains(part) {
            guard rest.count == 2 else { return usage(person, channel) }
            guard let target = registryPerson(rest[0]) else {
                return reply(&self, .registryUnknown, ["what": rest[0]])
            }
            guard let (addressChannel, address) = Self.address(rest[1]) else {
                return reply(&self, .registryBadAddress, ["address": rest[1]])
            }
            edit = .contact(person: target.id, channel: addressChannel, address: address)
        } else if vocabulary.registryAdd.contains(part) {
            guard rest.count == 4 else { return usage(person, channel) }
            guard let application = state.applications[rest[0].uppercased()] else {
                return reply(&self, .registryUnknown, ["what": rest[0]])
            }
            let pending = state.pendingRegistryChanges.lazy.compactMap { change -> NewExpert? in
                if case .addExpert(let new) = change.edit, new.application == application.id { return new }
                return nil
            }.first
            if let expert = application.expert ?? pending?.id {
                return reply(&self, .registryApplicationUsed, ["application_id": application.id, "expert": expert.rawValue])
            }
            let id = rest[1].lowercased()
            guard Self.isPersonID(id) else { return reply(&self, .registryBadID, ["id": rest[1], "max": String(Self.idLength)]) }
            // An id the state still holds records of (an earlier person's orders, fees, words)
            // would hand them to the new person.
            // (An id in the registry, or waiting to be written, is taken: `applied` says so.)
            guard
                upcoming.people.keys.contains(where: { $0.rawValue.lowercased() == id })
                    || PersonData(of: PersonID(id), state: state, registry: engine.registry, now: now).isEmpty
            else {
                values["problem"] = problem(.idUsedBefore(id), language)
                return reply(&self, .registryRefused, [:])
            }
            guard let (addressChannel, address) = Self.address(rest[2]) else {
                return reply(&self, .registryBadAddress, ["address": rest[2]])
            }
            guard let until = day(rest[3]), until >= today else {
                return reply(&self, .registryBadDay, ["day": rest[3], "example": exampleDay])
            }
            edit = .addExpert(
                newExpert(application, id: PersonID(id), channel: addressChannel, address: address, until: until, registry: upcoming))
        } else {
            return usage(person, channel)
        }
        // The access log's "why": the command and its ids, never an address.
        var shown = Array(rest.prefix(2))
        if case .contact = edit { shown = Array(rest.prefix(1)) }
        let change = RegistryChange(
            id: state.nextRegistryChangeID, edit: edit, by: person.id, channel: channel, at: now,
            why: DataAccess.clean(([catalog.word(.registry, language), part] + shown).joined(separator: " "), limit: 100))
        // Checked against the registry in use, so a mistake is answered at once; the files
        // are checked again when the gateway writes them. The changes still being written
        // count as made (the same id, address or application cannot be given twice), and a
        // change that changes nothing is only answered.
        if change.isIn(upcoming) {
            return reply(&self, .registryAlreadyThere, ["change": describe(change, before: upcoming, language, changed: false)])
        }
        do {
            _ = try change.applied(to: upcoming)
        } catch {
            values["problem"] = problem(error, language)
            return reply(&self, .registryRefused, [:])
        }
        emit(.registryChangeRequested(change))
    }

    /// The registry in use with the changes still being written made.
    private var upcoming: Registry {
        state.pendingRegistryChanges.reduce(engine.registry) { registry, change in (try? change.applied(to: registry)) ?? registry }
    }

    /// A registry person by id as typed: exactly, else ignoring case (ids differ in more than case).
    private func registryPerson(_ word: String) -> Person? {
        if let person = engine.registry.person(PersonID(word)) { return person }
        let lowered = word.lowercased()
        return engine.registry.people.values.first { $0.id.rawValue.lowercased() == lowered }
    }

    private mutating func usage(_ person: Person, _ channel: Channel) {
        let language = language(of: person)
        send(
            catalog.text(
                .registryUsage, language,
                ["name": person.firstName, "registry": catalog.word(.registry, language), "example": exampleDay]),
            to: person.id, channel: channel)
    }

    // MARK: After the write

    /// Answers the coordinator once the gateway has written the change (or could not), and
    /// records it in the access log. `before` is the registry the change was made to. An
    /// agreement ended takes back the expert's offers for days after it and names their
    /// bookings after it, which the coordinator arranges.
    mutating func done(_ change: RegistryChange, outcome: RegistryWriter.Outcome, before: Registry) {
        let coordinator = engine.registry.person(change.by) ?? before.person(change.by)
        let language: Language = coordinator.map { turn.language(of: $0) } ?? .fi
        var values = ["name": coordinator?.firstName ?? ""]
        let key: MessageKey
        switch outcome {
        case .written(_, let file, _):
            key = .registryWritten
            values["file"] = (file as NSString).lastPathComponent
            values["change"] = describe(change, before: before, language)
        case .alreadyThere:
            key = .registryAlreadyThere
            values["change"] = describe(change, before: before, language, changed: false)
        case .refused(let problem):
            key = .registryRefused
            values["problem"] = self.problem(problem, language)
        }
        var written = false
        if case .refused = outcome {} else { written = true }
        if written, let about = change.about {
            // A change is recorded even when it is about the coordinator themself.
            emit(
                .dataAccessed(
                    DataAccess(
                        id: state.nextAccessID, at: now, by: change.by.rawValue, via: .chat, what: change.auditWhat, about: [about],
                        why: change.why)))
        }
        emit(.registryChangeDone(id: change.id, written: written))
        switch change.edit {
        case .agreementUntil(let expert, let day) where written, .agreementEnds(let expert, let day) where written:
            values["change"]! += endedWork(of: expert, after: day, language)
        default: break
        }
        if let coordinator { send(catalog.text(key, language, values), to: coordinator.id, channel: change.channel) }
        let asker = coordinator.map { "\($0.name) (\($0.id))" } ?? change.by.rawValue
        // A change refused whose asker is no longer a coordinator (taken out of the
        // registry, or the role taken away, before it was written) is told to those who are:
        // it is theirs to make, or not.
        if !written, case .refused(let problem) = outcome, !(engine.registry.person(change.by)?.has(.coordinator) ?? false) {
            let refusal = Dictionary(
                uniqueKeysWithValues: Language.allCases.map { theirs in
                    (
                        theirs,
                        [
                            "by": asker, "change": describe(change, before: before, theirs, changed: false),
                            "problem": self.problem(problem, theirs),
                        ]
                    )
                })
            tellOtherCoordinators(than: change.by, .registryRefusedForOther, refusal)
        }
        // Every change written is seen by the other coordinators too: no one changes the
        // registry (an address, an approver) unseen.
        guard written else { return }
        let notice = Dictionary(
            uniqueKeysWithValues: Language.allCases.map { theirs in
                (theirs, ["by": asker, "change": describe(change, before: before, theirs)])
            })
        tellOtherCoordinators(than: change.by, .registryChangedByOther, notice)
    }

    /// Sends `key` to every coordinator but `asker`, each in their language with that
    /// language's `values` in it.
    private mutating func tellOtherCoordinators(than asker: PersonID, _ key: MessageKey, _ values: [Language: [String: String]]) {
        for other in engine.registry.coordinators where other.id != asker {
            let theirs = turn.language(of: other)
            send(catalog.text(key, theirs, (values[theirs] ?? [:]).merging(["name": other.firstName]) { value, _ in value }), to: other.id)
        }
    }

    /// Offers for days after an agreement's last day withdrawn, and bookings after it named.
    private mutating func endedWork(of expert: PersonID, after day: String, _ language: Language) -> String {
        let time = engine.time
        let after = { (order: Order) in order.sessions.contains { $0.status == .planned && time.day(of: $0.start).iso > day } }
        let later = state.pendingOffers(of: expert).map(\.order).filter(after).map(\.id)
        lend(to: OfferRound.self) { $0.withdrawOffers(of: expert, in: later) }
        let withdrawn = later.map(\.rawValue).sorted().joined(separator: ", ")
        // The expert who was asked hears why the offer went, rather than finding it gone.
        if !later.isEmpty, let person = engine.registry.person(expert) {
            let theirs = turn.language(of: person)
            send(
                catalog.text(
                    .offerWithdrawnAgreementEnds, theirs,
                    ["name": person.firstName, "until": LocalDay.display(day), "orders": withdrawn]), to: expert)
        }
        let booked = state.orders.values.filter { $0.assignedExpert == expert && $0.status == .assigned && after($0) }.map(\.id.rawValue)
            .sorted()
        var told = ""
        if !later.isEmpty { told += catalog.text(.registryAgreementOffers, language, ["orders": withdrawn]) }
        if !booked.isEmpty { told += catalog.text(.registryAgreementBookings, language, ["orders": booked.joined(separator: ", ")]) }
        return told
    }

    /// What the change says, in `language`; with what it replaced when it `changed` the
    /// registry (`before` is the registry it was made to: for a change already there, the
    /// registry that already said so, whose value is no "was").
    private func describe(_ change: RegistryChange, before: Registry, _ language: Language, changed: Bool = true) -> String {
        let was = { (value: String) in changed ? catalog.text(.registryWas, language, ["was": value]) : "" }
        switch change.edit {
        case .agreementUntil(let id, let day), .agreementEnds(let id, let day):
            let until = before.person(id)?.expert?.agreementValidUntil.map(LocalDay.display) ?? "–"
            return catalog.text(
                .registryChangeAgreement, language,
                ["person": personName(id, before), "until": LocalDay.display(day), "was": was(until)])
        case .approver(let unit, let approver):
            return catalog.text(
                .registryChangeApprover, language,
                [
                    "unit": before.unit(unit)?.name ?? unit.rawValue, "approver": personName(approver, before),
                    "was": was(before.unit(unit).map { personName($0.approver, before) } ?? "–"),
                ])
        case .contact(let id, let channel, let address):
            return catalog.text(
                .registryChangeContact, language, ["person": personName(id, before), "channel": channel.rawValue, "address": address])
        case .addExpert(let new):
            return catalog.text(
                .registryChangeAdded, language,
                [
                    "person": "\(new.name) (\(new.id))", "application_id": new.application, "handle": new.handle,
                    "channel": new.channel.rawValue, "address": new.address,
                    "topics": new.topics.map { choiceLabel(slot: "topic", value: $0, language) }.joined(separator: ", "),
                    "languages": new.languages.map { catalog.text($0.nameKey, language) }.joined(separator: ", "),
                    // As written into the registry (at most 20 places of 60 characters): the
                    // coordinator sees what an over-long application lost.
                    "places": new.municipalities.isEmpty ? "–" : new.municipalities.joined(separator: ", "),
                    "from": LocalDay.display(new.validFrom), "until": LocalDay.display(new.validUntil),
                ])
        }
    }

    private func personName(_ id: PersonID, _ registry: Registry) -> String {
        (registry.person(id) ?? engine.registry.person(id)).map { "\($0.name) (\(id))" } ?? id.rawValue
    }

    private func problem(_ problem: RegistryChangeProblem, _ language: Language) -> String {
        switch problem {
        case .unknown(let what): return catalog.text(.registryProblemUnknown, language, ["what": what])
        case .beforeAgreementStart(let from): return catalog.text(.registryProblemBeforeStart, language, ["from": LocalDay.display(from)])
        case .notAnApprover(let who): return catalog.text(.registryProblemNotApprover, language, ["person": who])
        case .addressTaken(let who): return catalog.text(.registryProblemAddressTaken, language, ["person": who])
        case .idTaken(let id): return catalog.text(.registryProblemIDTaken, language, ["id": id])
        case .idUsedBefore(let id): return catalog.text(.registryProblemIDUsedBefore, language, ["id": id])
        case .endsEarlier(let until): return catalog.text(.registryProblemEndsEarlier, language, ["until": LocalDay.display(until)])
        case .expertCoordinator: return catalog.text(.registryProblemExpertCoordinator, language, [:])
        case .diedWriting: return catalog.text(.registryProblemDiedWriting, language, [:])
        case .coordinatorContact(let who): return catalog.text(.registryProblemCoordinatorContact, language, ["person": who])
        case .notCoordinator(let who): return catalog.text(.registryProblemNotCoordinator, language, ["person": who])
        case .files(let why): return catalog.text(.registryProblemFiles, language, ["problem": why])
        }
    }

    // MARK: Reading the words

    private var today: LocalDay { LocalDateParsing.today(now, time: engine.time) }

    private var exampleDay: String {
        "31.12.\(today.year + 1)"
    }

    /// A day as people write one (`31.12.2027`, `2027-12-31`, `tänään`), not more than ten
    /// years ahead nor before 2000.
    private func day(_ token: String) -> LocalDay? {
        guard token.count <= 12,
            let day = LocalDateParsing.day(token.lowercased(), today: today, vocabulary: catalog.vocabulary, time: engine.time),
            day.year >= 2000, day.year <= today.year + Self.yearsAhead
        else { return nil }
        return day
    }

    /// A Matrix id (`@name:server`, a port allowed) or an e-mail address, and the channel it
    /// is for. The server or domain is a host name of dot-separated labels (`localhost` alone
    /// too) or, for Matrix, a bracketed IPv6 address.
    static func address(_ text: String) -> (Channel, String)? {
        guard text.count <= 254, text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            return nil
        }
        if text.hasPrefix("@") {
            let parts = text.dropFirst().split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ "abcdefghijklmnopqrstuvwxyz0123456789._=-/".contains($0) })
            else { return nil }
            var server = Substring(parts[1])
            if let colon = server.lastIndex(of: ":"), !server.hasSuffix("]") {
                let port = server[server.index(after: colon)...]
                guard (1...5).contains(port.count), port.allSatisfy(\.isASCIIDigitCharacter), let number = Int(port), number <= 65535
                else { return nil }
                server = server[..<colon]
            }
            if server.hasPrefix("[") {
                guard server.hasSuffix("]"), server.count > 2, server.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" })
                else { return nil }
            } else {
                guard isHostName(server, single: true) else { return nil }
            }
            return (.matrix, text)
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
            parts[0].allSatisfy({ $0.isLetter || $0.isNumber || "!#$%&'*+/=?^_`{|}~.-".contains($0) }),
            !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains(".."),
            isHostName(parts[1], single: parts[1] == "localhost")
        else { return nil }
        return (.email, text)
    }

    /// Labels of letters, digits and inner hyphens joined by dots; one label only if `single`.
    static func isHostName(_ name: Substring, single: Bool) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.count <= 253, labels.count >= (single ? 1 : 2) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCIIDigitCharacter || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "-" }
        }
    }

    /// A registry id: lower-case letters, digits, `_`, `-` and `.`, beginning with a letter
    /// (an identity code in it is refused before: `run`).
    static func isPersonID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.count <= idLength, first.isASCII, CharacterSet.lowercaseLetters.contains(first)
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0))
        }
            && text == text.lowercased()
    }

    /// Whether a henkilötunnus hides in the text, in any form the guard knows (`x131052-308t`).
    static func holdsIdentityCode(_ text: String) -> Bool {
        IdentityCodeDetector.contains(in: FoldedText(text).scalars)
    }

    /// A text as one registry line: control, format and separator characters and runs of
    /// white space become one space, at most `limit` characters.
    static func oneLine(_ text: String, limit: Int) -> String {
        let spaced = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.properties.generalCategory {
                    case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator: return " "
                    default: return scalar
                    }
                }))
        return String(spaced.split(separator: " ").joined(separator: " ").prefix(limit))
    }

    /// The registry entry an application becomes: its topics and languages, its places and
    /// training as written, every kind of task (the expert narrows them with `toiveet`), the
    /// agreement from today, and a handle numbered after the highest in `registry` (with the changes still being written).
    private func newExpert(
        _ application: ExpertApplication, id: PersonID, channel: Channel, address: String, until: LocalDay, registry: Registry
    ) -> NewExpert {
        let languages = application.languages.compactMap(Language.init(rawValue:))
        let language = languages.first ?? .fi
        let numbers = registry.experts.compactMap { expert -> Int? in
            guard let handle = expert.expert?.handle, let dash = handle.lastIndex(of: "-") else { return nil }
            return Int(handle[handle.index(after: dash)...].prefix(6))
        }
        let number = (numbers.max() ?? 0) + 1
        let separators = CharacterSet(charactersIn: ",;\n")
        let places = application.municipalities.text.components(separatedBy: separators)
            .map { Self.oneLine($0, limit: 60) }.filter { !$0.isEmpty }.prefix(20)
        let training = Self.oneLine(application.training.text, limit: 300)
        return NewExpert(
            id: id, name: Self.oneLine(application.applicant.text, limit: 100),
            language: language, channel: channel, address: address,
            handle: catalog.text(.registryNewHandle, language, ["number": String(number)]),
            topics: application.topics, taskTypes: TaskType.allCases, languages: languages.isEmpty ? [language] : languages,
            municipalities: Array(places), training: training.count < 2 ? nil : training,
            validFrom: today.iso, validUntil: until.iso, application: application.id)
    }
}
