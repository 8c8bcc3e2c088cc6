/// What a flow may know about a Swift action: its name and the slots it fills.
public struct ActionSignature: Sendable, Hashable {
    public var name: String
    /// Slots the action sets, usable in later texts and conditions (`order_id`).
    public var outputs: Set<String>
    /// Slots the flow must ask before calling it.
    public var requiredInputs: Set<String>
    /// The values an output can take, for outputs a flow branches on (`report_state`: `none`,
    /// `open`): `flows check` refuses a condition comparing it with anything else (`closd`).
    public var outcomes: [String: Set<String>]

    public init(
        name: String, outputs: Set<String> = [], requiredInputs: Set<String> = [],
        outcomes: [String: Set<String>] = [:]
    ) {
        self.name = name
        self.outputs = outputs.union(outcomes.keys)
        self.requiredInputs = requiredInputs
        self.outcomes = outcomes
    }
}
