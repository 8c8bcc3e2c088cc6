/// The people and units the gateway serves, loaded from the registry directory.
public struct Registry: Sendable {
    public private(set) var people: [PersonID: Person]
    public private(set) var units: [UnitID: Unit]

    public init(people: [Person], units: [Unit]) {
        self.people = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.units = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func person(_ id: PersonID) -> Person? { people[id] }

    public func unit(_ id: UnitID) -> Unit? { units[id] }

    /// Everyone with the role, in id order so messages go out in a stable order.
    public func people(with role: Role) -> [Person] {
        people.values.filter { $0.has(role) }.sorted { $0.id < $1.id }
    }

    public var coordinators: [Person] { people(with: .coordinator) }
    public var experts: [Person] { people(with: .expert) }

    /// How an expert is paid; a fee unless the registry says otherwise.
    public func paymentMode(of expert: PersonID) -> PaymentMode { people[expert]?.expert?.paymentMode ?? .fee }

    /// The experts who volunteer: no fee, costs refunded.
    public var volunteers: Set<PersonID> { Set(people.values.filter { $0.expert?.paymentMode == .volunteer }.map(\.id)) }

    /// The units a person may order for: their own and those the registry adds
    /// (`orders_for`), or every unit for a coordinator; their own first, then by name.
    public func units(orderableBy person: Person) -> [Unit] {
        let all = sortedUnits
        if person.has(.coordinator) { return all.filter { $0.id == person.unit } + all.filter { $0.id != person.unit } }
        let allowed = Set(person.ordersFor + (person.unit.map { [$0] } ?? []))
        return all.filter { $0.id == person.unit } + all.filter { $0.id != person.unit && allowed.contains($0.id) }
    }

    /// Units sorted by name, the order a person is shown them in.
    public var sortedUnits: [Unit] {
        units.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// The person whose address on `channel` is `address` (case-insensitive for e-mail).
    public func person(channel: Channel, address: String) -> Person? {
        let wanted = address.lowercased()
        return people.values.first { person in
            switch channel {
            case .console: return person.id.rawValue == address
            case .matrix: return person.contacts.matrix?.lowercased() == wanted
            case .email: return person.contacts.email?.lowercased() == wanted
            }
        }
    }
}
