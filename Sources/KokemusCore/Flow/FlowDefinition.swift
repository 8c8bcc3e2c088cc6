import Foundation

/// What to do when a person keeps giving answers that do not validate.
public enum TooManyTries: String, Codable, Sendable, CaseIterable {
    /// Send the help text and let them try again.
    case help
    /// End the conversation politely.
    case end
}

/// A conversation flow as loaded from a YAML file in `Flows/`.
public struct FlowDefinition: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var title: LocalizedText
    public var roles: Set<Role>
    public var triggers: [Language: [String]]
    public var maxTries: Int
    public var onTooManyTries: TooManyTries
    public var help: LocalizedText?
    public var steps: [FlowStep]
    /// The file it came from, for messages.
    public var file: String
    /// A hash of the file's bytes: conversations keep the version they started with.
    public var version: String
    /// The file's text, stored with conversations that use this version so that they can
    /// go on after the file changes and the process restarts.
    public var source: String

    /// Whether a question of this flow fills `slot`.
    public func asksSlot(_ slot: String) -> Bool {
        steps.contains { step in
            if case .ask(_, _, let asked, _) = step.kind { return asked == slot }
            return false
        }
    }

    public func step(_ id: String) -> FlowStep? {
        steps.first { $0.id == id }
    }

    /// The step that follows `step` when no transition applies, or nil at the end.
    public func stepAfter(_ step: FlowStep) -> FlowStep? {
        guard let index = steps.firstIndex(where: { $0.id == step.id }), index + 1 < steps.count else { return nil }
        return steps[index + 1]
    }

    /// All the trigger words in every language, lower-cased.
    public var allTriggers: Set<String> {
        Set(triggers.values.flatMap { $0.map { $0.lowercased() } })
    }
}
