/// A unit (toimintayksikkö) that orders experts and pays their fees from its budget.
public struct Unit: Codable, Sendable, Hashable, Identifiable {
    public var id: UnitID
    public var name: String
    public var municipality: String?
    /// Where fees are booked (kustannuspaikka).
    public var costCentre: String
    /// The named contact who receives and approves fee reports.
    public var approver: PersonID

    public init(id: UnitID, name: String, municipality: String? = nil, costCentre: String, approver: PersonID) {
        self.id = id
        self.name = name
        self.municipality = municipality
        self.costCentre = costCentre
        self.approver = approver
    }
}
