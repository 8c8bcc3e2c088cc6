import Foundation

/// When a question goes unanswered: remind, then escalate or end.
public struct StepTimeout: Codable, Sendable, Hashable {
    public enum Then: String, Codable, Sendable, CaseIterable {
        /// Tell the coordinators; the conversation stays open.
        case escalate
        /// End the conversation politely.
        case end
        /// Put the conversation aside as the person's draft, resumed with `luonnos`
        /// (`draft`), kept `retention.unfinished_days` (30).
        case draft
    }

    public var remindAfter: TimeInterval?
    public var reminder: LocalizedText?
    public var giveUpAfter: TimeInterval?
    public var then: Then
    /// Sent to the person when the conversation ends this way.
    public var endMessage: LocalizedText?
}

/// A `next:` entry: go to `target` when `condition` holds (or always).
public struct Transition: Codable, Sendable, Hashable {
    public var condition: Condition?
    public var target: String
    public var line: Int?
}

/// One step of a flow.
public struct FlowStep: Codable, Sendable, Hashable {
    public enum Kind: Codable, Sendable, Hashable {
        /// Ask a question and store the validated answer in `slot`.
        case ask(question: LocalizedText, expect: AnswerSpec, slot: String, retry: LocalizedText?)
        /// Say something and go on.
        case say(LocalizedText)
        /// Run a named action implemented in Swift (`order.submit`).
        case action(name: String, onError: String?)
    }

    public var id: String
    public var kind: Kind
    /// Tried in order; the first whose condition holds wins. Empty: the next step in the file.
    public var next: [Transition]
    /// The conversation ends after this step.
    public var end: Bool
    public var help: LocalizedText?
    public var timeout: StepTimeout?
    public var line: Int?
}
