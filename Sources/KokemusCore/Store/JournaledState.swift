/// A state rebuilt by applying journaled events in order. `apply` must be deterministic:
/// replaying the same events onto the same snapshot gives the same state.
public protocol JournaledState: Codable, Sendable {
    associatedtype Event: Codable & Sendable
    /// The bulk of the state (the orders), which snapshots write and read in pieces so that
    /// neither holds the whole snapshot in memory at once; `Never` for a state without one.
    associatedtype SnapshotItem: Codable & Sendable = Never
    init()
    mutating func apply(_ event: Event)
    /// The state without its items, and the items in a stable order.
    func splitForSnapshot() -> (rest: Self, items: [SnapshotItem])
    /// Puts items read from a snapshot back (after the rest of the state was read); `total`
    /// is how many the snapshot holds in all, so that room can be made once.
    mutating func insertSnapshotItems(_ items: [SnapshotItem], total: Int)
}

extension JournaledState where SnapshotItem == Never {
    public func splitForSnapshot() -> (rest: Self, items: [Never]) { (self, []) }
    public mutating func insertSnapshotItems(_ items: [Never], total: Int) {}
}
