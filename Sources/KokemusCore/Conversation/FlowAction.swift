import Foundation

/// A named step implemented in Swift that flows call with `action: NAME`.
public struct FlowAction: Sendable {
    public var signature: ActionSignature
    public var run: @Sendable (ActionContext) throws -> ActionResult

    public init(signature: ActionSignature, run: @escaping @Sendable (ActionContext) throws -> ActionResult) {
        self.signature = signature
        self.run = run
    }
}
