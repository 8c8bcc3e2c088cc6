import Foundation

/// Feedback on a task (000 §4.5): from the expert, the orderer, or the client through the
/// orderer. Compiled yearly by the coordinator.
public struct Feedback: Codable, Sendable, Hashable {
    public enum Source: String, Codable, Sendable, CaseIterable {
        case expert, employee, client
    }

    public var source: Source
    /// Who gave it (for a client's feedback, the employee who recorded it).
    public var by: PersonID
    /// 1 (poorly) … 5 (very well).
    public var rating: Int
    /// Free text as the guard let it through; "-" when there was nothing to add.
    public var text: GuardedText
    public var at: Date

    public init(source: Source, by: PersonID, rating: Int, text: GuardedText, at: Date) {
        self.source = source
        self.by = by
        self.rating = rating
        self.text = text
        self.at = at
    }
}
