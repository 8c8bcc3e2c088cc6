/// Someone in the registry: an employee, an expert, a unit's approver, a coordinator.
public struct Person: Codable, Sendable, Hashable, Identifiable {
    public var id: PersonID
    /// Full name, seen only by coordinators and the person themself.
    public var name: String
    public var roles: Set<Role>
    public var unit: UnitID?
    public var language: Language
    public var contacts: ContactAddresses
    public var preferredChannel: Channel?
    /// Present for experts.
    public var expert: ExpertProfile?
    /// Experts an employee would like first, when they are otherwise suitable.
    public var preferredExperts: [PersonID]
    /// Units other than their own an employee may order for (registry `orders_for`): a unit
    /// is ordered for by its own employees unless the registry says so. Coordinators order
    /// for every unit.
    public var ordersFor: [UnitID]

    public init(
        id: PersonID, name: String, roles: Set<Role>, unit: UnitID? = nil, language: Language = .fi,
        contacts: ContactAddresses = ContactAddresses(), preferredChannel: Channel? = nil,
        expert: ExpertProfile? = nil, preferredExperts: [PersonID] = [], ordersFor: [UnitID] = []
    ) {
        self.id = id
        self.name = name
        self.roles = roles
        self.unit = unit
        self.language = language
        self.contacts = contacts
        self.preferredChannel = preferredChannel
        self.expert = expert
        self.preferredExperts = preferredExperts
        self.ordersFor = ordersFor
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// Whether the person can be reached on `channel` (the console reaches everyone).
    public func isReachable(on channel: Channel) -> Bool {
        switch channel {
        case .console: return true
        case .matrix: return contacts.matrix != nil
        case .email: return contacts.email != nil
        }
    }

    /// The first name, for greetings.
    public var firstName: String {
        String(name.split(separator: " ").first ?? Substring(name))
    }
}
