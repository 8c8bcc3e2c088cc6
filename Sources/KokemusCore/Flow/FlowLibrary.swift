/// The flows the gateway runs now, plus older versions that conversations in progress
/// still follow after a reload.
public struct FlowLibrary: Sendable {
    /// Current flows by id.
    public private(set) var current: [String: FlowDefinition]
    /// Every version seen, current or not, by version hash.
    private var versions: [String: FlowDefinition]
    /// Each trigger word (lower-cased) and the first current flow in id order it starts:
    /// looked up on every message.
    private var triggers: [String: String] = [:]

    public init(flows: [FlowDefinition]) {
        current = Dictionary(flows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        versions = Dictionary(flows.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        triggers = Self.index(current)
    }

    private static func index(_ flows: [String: FlowDefinition]) -> [String: String] {
        var triggers: [String: String] = [:]
        for flow in flows.values.sorted(by: { $0.id > $1.id }) {
            for word in flow.allTriggers { triggers[word] = flow.id }
        }
        return triggers
    }

    /// Adds an old version (read back from the store after a restart).
    public mutating func remember(_ flow: FlowDefinition) {
        if versions[flow.version] == nil { versions[flow.version] = flow }
    }

    public func flow(version: String) -> FlowDefinition? { versions[version] }

    /// Current flows a person with these roles may start, in id order.
    public func flows(for roles: Set<Role>) -> [FlowDefinition] {
        current.values.filter { !$0.roles.isDisjoint(with: roles) }.sorted { $0.id < $1.id }
    }

    /// The current flow whose trigger word the text is or starts with.
    public func flow(triggeredBy text: String) -> FlowDefinition? {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { return nil }
        let whole = words.joined(separator: " ")
        // The first flow in id order that has either as a trigger.
        let ids = [triggers[whole], triggers[first]].compactMap { $0 }
        return ids.min().flatMap { current[$0] }
    }
}
