import Foundation

/// Feedback: once a task's last session is over, its expert and its orderer are asked for
/// feedback (the `feedback` flow, whose actions are in `FeedbackActions`), and reminded once.
struct FeedbackRequests: TurnFeature {
    var turn: ConversationTurn

    /// Asks the expert and the orderer for feedback once a task's last session is over (in
    /// working time, once per task).
    mutating func askForFeedback() {
        guard engine.working.allows(now) else { return }
        for id in state.orders.values.filter({ $0.status == .assigned && $0.feedbackAskedAt == nil }).map(\.id).sorted() {
            guard var order = state.orders[id], order.isFinished(at: now), let expert = order.assignment?.expert else { continue }
            order.feedbackAskedAt = now
            emit(.orderUpdated(order))
            for person in [expert, order.orderer] {
                offerFlow(GatewayState.feedbackFlowID, to: person, notice: .feedbackWaiting, values: ["order_id": id.rawValue])
            }
            // After demanding work (the catalogue's `debrief: offer`), a debrief is offered too.
            if let them = engine.registry.person(expert), let offer = view(as: Debriefs.self).offerText(for: order, to: them) {
                send(offer, to: expert)
            }
        }
    }

    /// Feedback not given 3 days after it was asked: one reminder.
    func feedbackReminders() -> [PlannedReminder] {
        var reminders: [PlannedReminder] = []
        for order in state.orders.values {
            guard let asked = order.feedbackAskedAt, let expert = order.assignment?.expert else { continue }
            for (person, source) in [(expert, Feedback.Source.expert), (order.orderer, .employee)]
            where !order.feedback.contains(where: { $0.source == source && $0.by == person }) {
                guard let them = engine.registry.person(person) else { continue }
                let language = language(of: them)
                let key = "feedback:\(order.id):\(person)"
                reminders.append(
                    PlannedReminder(
                        key: key, series: key, recipient: person,
                        dueAt: asked + Double(engine.reminderPolicy.feedbackAfterDays * 86_400),
                        expiresAt: asked + Double(30 * 86_400),
                        text: catalog.text(
                            .reminderFeedback, language,
                            [
                                "name": them.firstName, "order_id": order.id.rawValue,
                                "trigger": engine.flows.current[GatewayState.feedbackFlowID]?.triggers[language]?.first ?? "",
                            ])))
            }
        }
        return reminders
    }
}
