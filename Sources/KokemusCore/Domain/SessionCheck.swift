import Foundation

/// The orderer's answer to "Toteutuiko?" (002), asked the working day after a session the
/// expert has not confirmed: it took place, the client did not come, or it did not take place
/// (with what happened). Kept on the session with who answered and when.
public struct SessionCheck: Codable, Sendable, Hashable {
    public enum Answer: String, Codable, Sendable, CaseIterable {
        /// It took place as planned.
        case held
        /// The client did not come (a group: no one came): recorded as a paid no-show.
        case clientNoShow
        /// It did not take place: the coordinator and the expert are told, and the approver
        /// sees it marked on the fee report.
        case notHeld
    }

    public var answer: Answer
    public var by: PersonID
    public var at: Date
    /// What happened, when it did not take place, as the guard let it through.
    public var reason: GuardedText?

    public init(answer: Answer, by: PersonID, at: Date, reason: GuardedText? = nil) {
        self.answer = answer
        self.by = by
        self.at = at
        self.reason = reason
    }
}
