/// A unit (toimintayksikkö) that orders experts and pays their fees from its budget.
public struct Unit: Codable, Sendable, Hashable, Identifiable {
    public var id: UnitID
    public var name: String
    public var municipality: String?
    /// Where fees are booked (kustannuspaikka).
    public var costCentre: String
    /// The named contact who receives and approves fee reports.
    public var approver: PersonID
    /// The unit's named employee (000 §3: "toimintayksikön nimetty työntekijä") who receives
    /// the expert: introduces the premises and the staff and books rooms. Told of every
    /// booking in the unit; nil: the approver is.
    public var contact: PersonID?
    /// What an expert needs to know to work in the unit (how to get in, rooms, practicalities;
    /// 002: "perehdytysmateriaali"), sent with each booking confirmation.
    public var onboarding: LocalizedText?

    public init(
        id: UnitID, name: String, municipality: String? = nil, costCentre: String, approver: PersonID, contact: PersonID? = nil,
        onboarding: LocalizedText? = nil
    ) {
        self.id = id
        self.name = name
        self.municipality = municipality
        self.costCentre = costCentre
        self.approver = approver
        self.contact = contact
        self.onboarding = onboarding
    }

    /// Who receives the expert in the unit: the named contact, else the approver.
    public var receiver: PersonID { contact ?? approver }
}
