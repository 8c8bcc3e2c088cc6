import Foundation

/// The actions of the `feedback` flow: `feedback.load` finds the oldest finished task the
/// person has not given feedback on; `feedback.save` stores theirs (and the client's,
/// recorded by the orderer).
enum FeedbackActions {
    static let all = [load, save]

    static let load = FlowAction(
        signature: ActionSignature(
            name: "feedback.load", outputs: ["order_id", "task_type", "when"],
            outcomes: [
                "feedback_state": ["none", "open"],
                "role": Set(Feedback.Source.allCases.map(\.rawValue)),
            ]),
        run: { context in
            guard let (order, source) = context.state.ordersAwaitingFeedback(from: context.person.id).first else {
                return ActionResult(slots: ["feedback_state": .text("none")])
            }
            let language = context.language
            return ActionResult(slots: [
                "feedback_state": .text("open"), "order_id": .text(order.id.rawValue), "role": .text(source.rawValue),
                "task_type": .text(context.taskName(order, language)),
                "when": .text(context.catalog.dateTime(order.start, language, time: context.time)),
            ])
        })

    static let save = FlowAction(
        signature: ActionSignature(
            name: "feedback.save", requiredInputs: ["rating", "comment"],
            outcomes: ["feedback_state": ["closed", "saved"]]),
        run: { context in
            guard case .text(let id)? = context.slots["order_id"], var order = context.state.orders[OrderID(rawValue: id)],
                case .text(let role)? = context.slots["role"], let source = Feedback.Source(rawValue: role),
                case .integer(let rating)? = context.slots["rating"], context.slots["comment"] != nil
            else { throw ActionFailure("feedback.save needs order_id, role, rating and comment") }
            guard !order.feedback.contains(where: { $0.source == source && $0.by == context.person.id }) else {
                return ActionResult(slots: ["feedback_state": .text("closed")])
            }
            order.feedback.append(
                Feedback(
                    source: source, by: context.person.id, rating: rating,
                    text: try context.guardedText("comment"), at: context.now))
            if source == .employee, context.slots["client"]?.comparable == "yes",
                case .integer(let clientRating)? = context.slots["client_rating"],
                context.slots["client_comment"] != nil
            {
                order.feedback.append(
                    Feedback(
                        source: .client, by: context.person.id, rating: clientRating,
                        text: try context.guardedText("client_comment"), at: context.now))
            }
            return ActionResult(slots: ["feedback_state": .text("saved")], events: [.orderUpdated(order)])
        })
}

extension GatewayState {
    public static let feedbackFlowID = "feedback"

    /// Finished tasks this person was asked about and has not answered, oldest first, with
    /// the part they give feedback as.
    public func ordersAwaitingFeedback(from person: PersonID) -> [(order: Order, source: Feedback.Source)] {
        orders.values.compactMap { order -> (Order, Feedback.Source)? in
            guard order.feedbackAskedAt != nil else { return nil }
            let source: Feedback.Source
            if order.assignment?.expert == person {
                source = .expert
            } else if order.orderer == person {
                source = .employee
            } else {
                return nil
            }
            guard !order.feedback.contains(where: { $0.source == source && $0.by == person }) else { return nil }
            return (order, source)
        }.sorted { ($0.0.start, $0.0.id) < ($1.0.start, $1.0.id) }
    }
}
