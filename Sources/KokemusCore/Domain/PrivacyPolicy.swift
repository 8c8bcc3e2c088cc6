/// Who sees what of an expert: the `privacy:` section of the configuration.
///
/// The expert's own contacts (Matrix ID, e-mail, phone) never reach anyone: messages go
/// through the gateway. How the expert is *named* depends on who reads: the employee side
/// (orderers, the unit) sees the pseudonymous handle or the first name; the unit's approver
/// needs the full name to approve a fee report; payroll always gets the full name (it pays
/// a person, and accounting records name them). A county may give experts a work phone it
/// pays for (`000` §4): with `work_phone_to_orderer: true` the orderer is told it in the
/// booking confirmation; a private number is never shown.
public struct PrivacyPolicy: Sendable, Hashable {
    /// How an expert is named to a reader.
    public enum ExpertName: String, Sendable, CaseIterable {
        /// The registry's pseudonymous handle, "Kokemusasiantuntija K-12".
        case handle
        /// The first name only.
        case firstName = "first_name"
        /// First and last name.
        case fullName = "full_name"
    }

    /// Orderers and units: `handle` (default) or `first_name`; never the full name.
    public var employeesSee: ExpertName
    /// The unit's approver, on fee reports: `full_name` (default) or `handle`.
    public var approversSee: ExpertName
    /// Whether an expert's registry `work_phone` goes to the orderer with the booking.
    public var workPhoneToOrderer: Bool
    /// Whether an orderer may see the suitable candidates for their own open order (by the name
    /// employees see, with each one's introduction) and name one to be offered it first.
    public var orderersSeeCandidates: Bool
    /// Whether the first message the gateway sends a person ends with where to read the privacy
    /// notice (`tietosuoja`): the shipped configuration says yes.
    public var linkNotice = false

    public init(
        employeesSee: ExpertName = .handle, approversSee: ExpertName = .fullName, workPhoneToOrderer: Bool = false,
        orderersSeeCandidates: Bool = false
    ) {
        self.employeesSee = employeesSee
        self.approversSee = approversSee
        self.workPhoneToOrderer = workPhoneToOrderer
        self.orderersSeeCandidates = orderersSeeCandidates
    }

    /// The name the employee side sees for an expert.
    public func nameForEmployees(_ expert: Person) -> String {
        name(expert, employeesSee == .fullName ? .handle : employeesSee)
    }

    /// The name a unit's approver sees on an expert's fee report.
    public func nameForApprovers(_ expert: Person) -> String {
        name(expert, approversSee)
    }

    /// The work phone the orderer may be told, if the county allows it and the expert has one.
    public func workPhoneForOrderer(_ expert: Person) -> String? {
        workPhoneToOrderer ? expert.expert?.workPhone : nil
    }

    private func name(_ expert: Person, _ form: ExpertName) -> String {
        switch form {
        case .handle: return expert.expert?.handle ?? expert.firstName
        case .firstName: return expert.firstName
        case .fullName: return expert.name
        }
    }
}
