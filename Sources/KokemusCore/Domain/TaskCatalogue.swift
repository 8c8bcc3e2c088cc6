import Foundation

/// What can be ordered (`Config/tasks.yaml`; 000 §4.1–4.2, 001, 003, 004): each entry a task
/// as the county names it, with the kind of work it is, which drives how it runs and is paid
/// (a group's sessions, planning and stop rules; the fee rate of `Config/fees.yaml`), who may
/// order it and how long it usually takes. The five kinds are entries of their own, so an
/// order from before the catalogue reads as its kind.
public struct TaskCatalogue: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// `individual`, `tilamestari`, `juttupenkki`: what the order keeps.
        public var id: String
        /// How the work runs and is paid.
        public var kind: TaskType
        public var name: LocalizedText
        /// Who may order it; every role that may start the order flow when empty.
        public var orderedBy: Set<Role>
        /// How long it usually takes, shown when the duration is asked.
        public var typicalMinutes: Int?
        /// A role profile of 003 (tilamestari, apusilmät, …): offered only to experts whose
        /// registry entry names it in `role_profiles`, not to everyone who does its kind.
        public var roleProfile: Bool
        /// Where the task is done when that is not the orderer's choice: a reception, a walk-in
        /// shift or outreach is on site; nil lets the orderer choose.
        public var place: FixedPlace?
        /// Demanding work after which the expert is offered a debrief (`debrief: offer`).
        public var offersDebrief: Bool

        /// `place: on_site | remote` in the file.
        public enum FixedPlace: String, Sendable, Hashable, CaseIterable {
            case onSite = "on_site"
            case remote
        }

        public init(
            id: String, kind: TaskType, name: LocalizedText, orderedBy: Set<Role> = [], typicalMinutes: Int? = nil,
            roleProfile: Bool = false, place: FixedPlace? = nil, offersDebrief: Bool = false
        ) {
            self.place = place
            self.offersDebrief = offersDebrief
            self.id = id
            self.kind = kind
            self.name = name
            self.orderedBy = orderedBy
            self.typicalMinutes = typicalMinutes
            self.roleProfile = roleProfile
        }

        /// Whether `person` may order it.
        public func mayBeOrdered(by person: Person) -> Bool {
            orderedBy.isEmpty || !orderedBy.isDisjoint(with: person.roles)
        }
    }

    /// In the order people are shown them.
    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    public func entry(_ id: String) -> Entry? { entries.first { $0.id == id } }

    /// The role profiles no expert of the registry lists: their orders reach no one by
    /// themselves (the coordinator may still offer them by hand).
    public func unstaffedRoleProfiles(in registry: Registry) -> [String] {
        let listed = Set(registry.people(with: .expert).flatMap { $0.expert?.roleProfiles ?? [] })
        return entries.filter { $0.roleProfile && !listed.contains($0.id) }.map(\.id)
    }

    /// The registry's experts may name only the catalogue's role profiles in `role_profiles`:
    /// one problem per expert and name, for the start to refuse (a misspelt profile would
    /// leave the expert out of every offer of it without a word).
    public func roleProfileProblems(in registry: Registry) -> [String] {
        let profiles = Set(entries.filter(\.roleProfile).map(\.id))
        var problems: [String] = []
        for person in registry.people(with: .expert) {
            for name in person.expert?.roleProfiles ?? [] where !profiles.contains(name) {
                problems.append(
                    "\(person.id.rawValue): role_profiles names '\(name)', which is no role profile of the task catalogue"
                        + " (role profiles: \(profiles.sorted().joined(separator: ", ")))")
            }
        }
        return problems
    }

    /// The five kinds alone, named by `Config/messages.yaml`: the catalogue of a county
    /// without a tasks file (an installation from before the catalogue).
    public static func kinds(named catalog: MessageCatalog) -> TaskCatalogue {
        TaskCatalogue(
            entries: TaskType.allCases.map { kind in
                Entry(
                    id: kind.rawValue, kind: kind,
                    name: LocalizedText(
                        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, catalog.text(kind.nameKey, $0)) })))
            })
    }

    /// Reads the file; every problem is reported with its line.
    public static func load(file: URL) throws -> TaskCatalogue {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read the task catalogue: \(error.localizedDescription)", file: file.path)
        }
        return try load(text: text, file: file.path)
    }

    public static func load(text: String, file: String) throws -> TaskCatalogue {
        let diagnostics = Diagnostics()
        guard let root = YAMLValue.parse(text, file: file, diagnostics: diagnostics),
            let map = root.mapping("the task catalogue", allowedKeys: ["tasks"]),
            let list = map.required("tasks")?.sequence("tasks")
        else { throw ConfigErrors(diagnostics.errors) }
        var entries: [Entry] = []
        for item in list {
            guard
                let entry = item.mapping(
                    "a task",
                    allowedKeys: ["id", "kind", "name", "ordered_by", "typical_minutes", "role_profile", "place", "seed", "debrief"]),
                let id = entry.required("id")?.identifier("id"),
                let kindText = entry.required("kind")?.string("kind"),
                let name = entry.required("name")?.localizedText("name")
            else { continue }
            guard let kind = TaskType(rawValue: kindText) else {
                entry.required("kind")?.error(
                    "kind must be one of \(TaskType.allCases.map(\.rawValue).joined(separator: ", ")), not '\(kindText)'")
                continue
            }
            if TaskType(rawValue: id) != nil, id != kind.rawValue {
                entry.required("id")?.error("the entry '\(id)' is that kind's own and must have kind: \(id)")
            }
            var roles: Set<Role> = []
            for roleName in entry.optional("ordered_by")?.stringList("ordered_by") ?? [] {
                guard let role = Role(rawValue: roleName) else {
                    entry.optional("ordered_by")?.error("unknown role '\(roleName)'")
                    continue
                }
                roles.insert(role)
            }
            var typical: Int?
            if let value = entry.optional("typical_minutes"), let minutes = value.int("typical_minutes") {
                // As the order flow's duration question takes it.
                if (15...480).contains(minutes) {
                    typical = minutes
                } else {
                    value.error("typical_minutes must be from 15 to 480, not \(minutes)")
                }
            }
            if entries.contains(where: { $0.id == id }) { entry.required("id")?.error("task '\(id)' is listed twice") }
            let roleProfile = entry.optional("role_profile")?.bool("role_profile") ?? false
            var place: Entry.FixedPlace?
            if let value = entry.optional("place"), let text = value.string("place") {
                place = Entry.FixedPlace(rawValue: text)
                if place == nil {
                    value.error(
                        "place must be one of \(Entry.FixedPlace.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'"
                            + " (leave it out to let the orderer choose)")
                }
            }
            var offersDebrief = false
            if let value = entry.optional("debrief"), let text = value.string("debrief") {
                if text == "offer" { offersDebrief = true } else { value.error("debrief must be 'offer' (or left out), not '\(text)'") }
            }
            entries.append(
                Entry(
                    id: id, kind: kind, name: name, orderedBy: roles, typicalMinutes: typical, roleProfile: roleProfile,
                    place: place, offersDebrief: offersDebrief))
        }
        // Every kind is an entry of its own: orders from before the catalogue name it.
        for kind in TaskType.allCases where !entries.contains(where: { $0.id == kind.rawValue }) {
            root.error("the task catalogue needs an entry with id: \(kind.rawValue) (kind: \(kind.rawValue))")
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return TaskCatalogue(entries: entries)
    }
}

extension TaskType {
    /// The message naming the kind when there is no tasks file.
    var nameKey: MessageKey {
        switch self {
        case .individual: .taskKindIndividual
        case .pair: .taskKindPair
        case .group: .taskKindGroup
        case .lecture: .taskKindLecture
        case .development: .taskKindDevelopment
        }
    }
}
