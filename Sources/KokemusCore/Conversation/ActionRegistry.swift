/// The actions flows may call.
public struct ActionRegistry: Sendable {
    public private(set) var actions: [String: FlowAction]

    public init(_ actions: [FlowAction]) {
        self.actions = Dictionary(actions.map { ($0.signature.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var signatures: [ActionSignature] { actions.values.map(\.signature) }

    /// Every action the gateway ships.
    public static let standard = ActionRegistry(
        [OrderSubmitAction.action, OrderScheduleAction.action, ExpertWishAction.knownExperts, TaskKindAction.action, PairLineAction.action]
            + OfferActions.all + [
                TravelActions.state
            ]
            + FeeActions.all + SessionCheckActions.all
            + FeedbackActions.all + ConfidentialityActions.all + [SupervisionSessions.create] + [
                ApplicationAction.submit
            ])
}
