/// What a person does in the service; one person can have several roles.
public enum Role: String, Codable, CaseIterable, Sendable {
    /// A professional who orders experts (työntekijä, tilaaja).
    case employee
    /// An experience expert (kokemusasiantuntija).
    case expert
    /// The unit's named contact who approves fee reports (toimintayksikön nimetty työntekijä).
    case approver
    /// Keeps the registry and helps find experts (järjestötyön ja osallisuuden asiantuntija).
    case coordinator
    /// Receives approved fee reports (palkanlaskenta).
    case payroll
}
