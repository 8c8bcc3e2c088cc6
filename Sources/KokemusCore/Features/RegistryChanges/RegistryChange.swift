import Foundation

/// A change a coordinator asked for in chat to the registry files (`rekisteri …`): committed
/// to the state first (`registryChangeRequested`), then written into the registry's YAML by
/// the gateway (`RegistryWriter`), audited, and answered (`registryChangeDone`). A crash
/// between the two writes it again: writing a change the files already hold changes nothing.
public struct RegistryChange: Codable, Sendable, Hashable {
    public enum Edit: Codable, Sendable, Hashable {
        /// The last day of an expert's commission agreement (`agreement_valid_until`): later to
        /// extend it, today or earlier to end it.
        case agreementUntil(expert: PersonID, day: String)
        /// The same, ending it (`päätä`): never a day after it already ends.
        case agreementEnds(expert: PersonID, day: String)
        /// Who approves a unit's fee reports (`approver`).
        case approver(unit: UnitID, approver: PersonID)
        /// A person's address on a channel, which becomes their channel (`contacts`, `channel`).
        case contact(person: PersonID, channel: Channel, address: String)
        /// A new expert from an application the coordinator accepted.
        case addExpert(NewExpert)
    }

    /// The gateway's number for it (from 1, in the state).
    public var id: UInt64
    public var edit: Edit
    /// The coordinator who asked, where they asked, when, and with which words (the audit log's "why").
    public var by: PersonID
    public var channel: Channel
    public var at: Date
    public var why: String

    public init(id: UInt64, edit: Edit, by: PersonID, channel: Channel, at: Date, why: String) {
        self.id = id
        self.edit = edit
        self.by = by
        self.channel = channel
        self.at = at
        self.why = why
    }

    /// Whom the change is about (the audit log's "about").
    public var about: PersonID? {
        switch edit {
        case .agreementUntil(let expert, _), .agreementEnds(let expert, _): return expert
        case .approver(_, let approver): return approver
        case .contact(let person, _, _): return person
        case .addExpert(let new): return new.id
        }
    }

    /// The kind of change, naming no one: what the one who asked for it sees of it in their
    /// own data (`PersonData`), the person it is about being another's.
    public var kindDescription: String {
        switch edit {
        case .agreementUntil, .agreementEnds: "registry: an expert's agreement"
        case .approver: "registry: a unit's approver"
        case .contact: "registry: a person's contact"
        case .addExpert: "registry: an expert added"
        }
    }

    /// What changed, for the audit log: ids and field names, never an address.
    public var auditWhat: String {
        switch edit {
        case .agreementEnds(let expert, let day): return "registry: agreement of \(expert) ended on \(day)"
        case .agreementUntil(let expert, let day): return "registry: agreement of \(expert) valid until \(day)"
        case .approver(let unit, let approver): return "registry: approver of unit \(unit) set to \(approver)"
        case .contact(let person, let channel, _): return "registry: \(channel.rawValue) contact of \(person) set"
        case .addExpert(let new): return "registry: expert \(new.id) added from application \(new.application)"
        }
    }

    /// Whether the registry already says what the change says (written before a crash, or
    /// by hand): then it is not written again, whatever `applied` would find in the way.
    public func isIn(_ registry: Registry) -> Bool {
        switch edit {
        case .agreementUntil(let expert, let day), .agreementEnds(let expert, let day):
            return registry.person(expert)?.expert?.agreementValidUntil == day
        case .approver(let unit, let approver): return registry.unit(unit)?.approver == approver
        case .contact(let id, let channel, let address):
            guard let person = registry.person(id), person.preferredChannel == channel else { return false }
            return (channel == .matrix ? person.contacts.matrix : person.contacts.email) == address
        case .addExpert(let new): return registry.person(new.id) == new.person
        }
    }

    /// The registry with the change made, or why it cannot be: the one meaning of a change,
    /// which the files written must load back to (`RegistryWriter`). `checkingWhoAsks`: that
    /// the one who asked may, as this registry says (the files read when it is written may
    /// have been edited since: a role taken away, another coordinator made); off only to
    /// make a change the files already took to the registry in use.
    public func applied(to registry: Registry, checkingWhoAsks: Bool = true) throws(RegistryChangeProblem) -> Registry {
        var people = registry.people
        var units = registry.units
        if checkingWhoAsks {
            guard let asker = people[by], asker.has(.coordinator) else { throw .notCoordinator(by.rawValue) }
            guard !asker.has(.expert) else { throw .expertCoordinator }
        }
        switch edit {
        case .agreementUntil(let id, let day), .agreementEnds(let id, let day):
            guard var expert = people[id], var profile = expert.expert else { throw .unknown(id.rawValue) }
            if let from = profile.agreementValidFrom, day < from { throw .beforeAgreementStart(from) }
            // Ending it on a day after it already ends would lengthen it (the files, read
            // again when it is written, may say an earlier day than the registry in use did).
            if case .agreementEnds = edit, let until = profile.agreementValidUntil, day > until { throw .endsEarlier(until) }
            profile.agreementValidUntil = day
            expert.expert = profile
            people[id] = expert
        case .approver(let unitID, let approverID):
            guard var unit = units[unitID] else { throw .unknown(unitID.rawValue) }
            guard let approver = people[approverID] else { throw .unknown(approverID.rawValue) }
            guard approver.has(.approver), !approver.has(.expert) else { throw .notAnApprover(approverID.rawValue) }
            unit.approver = approverID
            units[unitID] = unit
        case .contact(let id, let channel, let address):
            guard var person = people[id] else { throw .unknown(id.rawValue) }
            // Another coordinator's address is where escalations and notices of changes go:
            // moved from chat, no one would hear of it at the old one.
            if checkingWhoAsks, id != by, person.has(.coordinator) { throw .coordinatorContact(id.rawValue) }
            if let other = registry.person(channel: channel, address: address), other.id != id {
                throw .addressTaken(other.id.rawValue)
            }
            switch channel {
            case .matrix: person.contacts.matrix = address
            case .email: person.contacts.email = address
            case .console: throw .unknown(channel.rawValue)
            }
            person.preferredChannel = channel
            people[id] = person
        case .addExpert(let new):
            if let taken = people.keys.first(where: { $0.rawValue.lowercased() == new.id.rawValue.lowercased() }) {
                throw .idTaken(taken.rawValue)
            }
            if let other = registry.person(channel: new.channel, address: new.address) { throw .addressTaken(other.id.rawValue) }
            people[new.id] = new.person
        }
        return Registry(people: Array(people.values), units: Array(units.values))
    }
}

/// An expert added from an application (000 §5: the interview held and the commission
/// agreement signed): what the registry entry is made of.
public struct NewExpert: Codable, Sendable, Hashable {
    public var id: PersonID
    public var name: String
    public var language: Language
    public var channel: Channel
    public var address: String
    public var handle: String
    public var topics: [String]
    public var taskTypes: [TaskType]
    public var languages: [Language]
    public var municipalities: [String]
    public var training: String?
    public var validFrom: String
    public var validUntil: String
    /// The application it came from (`H-2026-001`).
    public var application: String

    public init(
        id: PersonID, name: String, language: Language, channel: Channel, address: String, handle: String, topics: [String],
        taskTypes: [TaskType], languages: [Language], municipalities: [String], training: String?, validFrom: String,
        validUntil: String, application: String
    ) {
        self.id = id
        self.name = name
        self.language = language
        self.channel = channel
        self.address = address
        self.handle = handle
        self.topics = topics
        self.taskTypes = taskTypes
        self.languages = languages
        self.municipalities = municipalities
        self.training = training
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.application = application
    }

    /// The registry entry, as `people.yaml` would give it.
    public var person: Person {
        var contacts = ContactAddresses()
        if channel == .matrix { contacts.matrix = address } else { contacts.email = address }
        return Person(
            id: id, name: name, roles: [.expert], language: language, contacts: contacts, preferredChannel: channel,
            expert: ExpertProfile(
                handle: handle, topics: topics, taskTypes: taskTypes, languages: languages, municipalities: municipalities,
                training: training, agreementValidFrom: validFrom, agreementValidUntil: validUntil))
    }
}

/// Why a registry change cannot be made (each has its text in `messages.yaml`).
public enum RegistryChangeProblem: Error, Sendable, Hashable {
    /// The person, unit or application is not (or no longer) there.
    case unknown(String)
    case beforeAgreementStart(String)
    case notAnApprover(String)
    case addressTaken(String)
    case idTaken(String)
    /// The id was someone's whose orders, fees or other records the state still keeps.
    case idUsedBefore(String)
    /// `päätä` with a day after the agreement already ends.
    case endsEarlier(String)
    /// A coordinator who is also an expert: they could redirect the fees they earn.
    case expertCoordinator
    /// The process died twice while writing it (`HandlingMarker`): not tried a third time.
    case diedWriting
    /// Another coordinator's address: changed in the files, not from chat.
    case coordinatorContact(String)
    /// The one who asked is not (or no longer) a coordinator in the registry.
    case notCoordinator(String)
    /// The files could not be read, loaded, edited safely or written (for the coordinator:
    /// it may quote the files, so it is not logged).
    case files(String)

    /// What the log may say: the kind, never a value from the files.
    public var logDescription: String {
        switch self {
        case .unknown: "unknown id"
        case .beforeAgreementStart: "before the agreement starts"
        case .notAnApprover: "not an approver"
        case .addressTaken: "address taken"
        case .idTaken: "id taken"
        case .idUsedBefore: "id used before"
        case .endsEarlier: "agreement ends earlier"
        case .expertCoordinator: "coordinator is an expert"
        case .diedWriting: "the gateway died writing it twice"
        case .coordinatorContact: "another coordinator's address"
        case .notCoordinator: "not a coordinator"
        case .files: "registry files"
        }
    }
}
