/// A state rebuilt by applying journaled events in order. `apply` must be deterministic:
/// replaying the same events onto the same snapshot gives the same state.
public protocol JournaledState: Codable, Sendable {
    associatedtype Event: Codable & Sendable
    init()
    mutating func apply(_ event: Event)
}
