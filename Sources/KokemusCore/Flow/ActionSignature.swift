/// What a flow may know about a Swift action: its name and the slots it fills.
public struct ActionSignature: Sendable, Hashable {
    public var name: String
    /// Slots the action sets, usable in later texts and conditions (`order_id`).
    public var outputs: Set<String>
    /// Slots the flow must ask before calling it.
    public var requiredInputs: Set<String>

    public init(name: String, outputs: Set<String> = [], requiredInputs: Set<String> = []) {
        self.name = name
        self.outputs = outputs
        self.requiredInputs = requiredInputs
    }
}
