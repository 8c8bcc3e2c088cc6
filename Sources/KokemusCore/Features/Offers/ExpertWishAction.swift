import Foundation

/// `order.known_experts`: whether the orderer has worked with an expert before, so that the
/// order flow asks whom they would like (000 §4.2: one expert for the whole process, and the
/// same one again where it helps the client). The wish itself is a `known_experts` choice;
/// `order.submit` stores it, and the ranking offers that expert first while they are suitable.
enum ExpertWishAction {
    static let knownExperts = FlowAction(
        signature: ActionSignature(name: "order.known_experts", outcomes: ["expert_history": ["some", "none"]]),
        run: { context in
            let known = context.state.expertsWorkedWith(context.person.id).compactMap(context.registry.person)
                .filter { $0.has(.expert) }
            return ActionResult(slots: ["expert_history": .text(known.isEmpty ? "none" : "some")])
        })

    /// The expert an order flow's `expert_wish` names, if it names one the orderer worked with.
    static func wish(_ context: ActionContext) -> PersonID? {
        guard case .choice(let value)? = context.slots["expert_wish"], value != GatewayState.noExpertWish else { return nil }
        let expert = PersonID(value)
        guard context.state.expertsWorkedWith(context.person.id).contains(expert) else { return nil }
        return expert
    }
}
