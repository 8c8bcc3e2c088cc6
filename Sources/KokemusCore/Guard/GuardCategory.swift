/// A kind of detail the guard holds back. The sender is told the kind, never the text.
public enum GuardCategory: String, CaseIterable, Codable, Sendable, Hashable {
    case phone
    case email
    case matrixID = "matrix_id"
    case link
    case iban
    case streetAddress = "street_address"
    case identityCode = "identity_code"
    /// The sender's own full name (an expert's name leads to them on any service).
    case name

    /// Everything that may not reach the employee or client side from an expert.
    public static let contactDetails: Set<GuardCategory> = Set(allCases)
}

/// Which kinds of detail a text may not hold, by who writes it and for what.
public struct GuardRules: Sendable, Hashable {
    public var held: Set<GuardCategory>

    public init(held: Set<GuardCategory>) {
        self.held = held
    }

    /// Text from an expert, or about them, towards anyone else: no contact detail of any kind.
    public static let fromExpert = GuardRules(held: GuardCategory.contactDetails)
    /// Text from the employee side (orderers, approvers, coordinators): no identity code. Their
    /// own work contacts may stand in it.
    public static let fromEmployeeSide = GuardRules(held: [.identityCode])

    /// The rules for what `person` writes: an expert's text holds no contact detail (their
    /// own least of all); anyone else's no identity code.
    public static func forText(from person: Person) -> GuardRules {
        person.has(.expert) ? .fromExpert : .fromEmployeeSide
    }
}
