import Foundation

/// The actions of the `session_check` flow ("Toteutuiko?"): `check.load` shows the oldest
/// session the orderer was asked about, `check.record` records her answer on it.
enum SessionCheckActions {
    static let all = [load, record]

    static let load = FlowAction(
        signature: ActionSignature(
            name: "check.load", outputs: ["check_state", "order_id", "session", "when", "task_type", "expert"],
            outcomes: ["check_state": ["none", "open"], "group": ["yes", "no"]]),
        run: { context in
            guard let (order, session) = context.state.sessionsAwaitingCheck(by: context.person.id, time: context.time).first
            else { return ActionResult(slots: ["check_state": .text("none")]) }
            let language = context.language
            let expert = order.assignedExpert.flatMap { context.registry.person($0) }
            return ActionResult(slots: [
                "check_state": .text("open"), "order_id": .text(order.id.rawValue), "session": .integer(session.index),
                "when": .text(context.catalog.dateTime(session.start, language, time: context.time)),
                "task_type": .text(context.taskName(order, language)),
                "expert": .text(expert.map(context.privacy.nameForEmployees) ?? ""),
                "group": .text(order.taskType == .group ? "yes" : "no"),
            ])
        })

    static let record = FlowAction(
        signature: ActionSignature(
            name: "check.record", outputs: ["check_state", "answer_text"], requiredInputs: ["answer"],
            outcomes: ["check_state": ["recorded", "recorded_more", "closed"]]),
        run: { context in
            guard case .text(let id)? = context.slots["order_id"], case .integer(let index)? = context.slots["session"],
                var order = context.state.orders[OrderID(rawValue: id)],
                let position = order.sessions.firstIndex(where: { $0.index == index })
            else { throw ActionFailure("check.record needs the order and session check.load set") }
            // Someone may have marked it since the question (the expert confirmed the hours).
            guard order.orderer == context.person.id,
                context.state.sessionsAwaitingCheck(by: context.person.id, time: context.time)
                    .contains(where: { $0.order.id == order.id && $0.session.index == index }),
                let expertID = order.assignedExpert
            else { return ActionResult(slots: ["check_state": .text("closed")]) }
            let session = order.sessions[position]
            var result = ActionResult()
            let values = { (person: Person) -> [String: String] in
                let language = context.language(of: person)
                return [
                    "name": person.firstName, "order_id": order.id.rawValue,
                    "when": context.catalog.dateTime(session.start, language, time: context.time),
                    "orderer": context.person.name,
                    "expert": context.registry.person(expertID)?.name ?? expertID.rawValue,
                    "release": context.catalog.word(.release, language), "session": String(session.index),
                ]
            }
            switch context.slots["answer"]?.comparable {
            case "held":
                order.sessions[position].check = SessionCheck(answer: .held, by: context.person.id, at: context.now)
            case "no_show":
                // As the orderer's `poissa`: a paid no-show (000 §6.2), a group's "no one came".
                let group = order.taskType == .group
                order.sessions[position].check = SessionCheck(answer: .clientNoShow, by: context.person.id, at: context.now)
                order.sessions[position].status = group ? .noParticipants : .clientNoShow
                order.sessions[position].decision = SessionDecision(
                    by: context.person.id, at: context.now, reason: try context.textGuard.guarded("", from: context.person))
                order.sessions[position].noShowClaim = nil
                if order.pendingMove?.sessionIndex == index { order.pendingMove = nil }
                if let expert = context.registry.person(expertID) {
                    result.messages.append(
                        (
                            expert.id,
                            context.catalog.text(
                                group ? .sessionCheckNoShowGroupExpert : .sessionCheckNoShowExpert, context.language(of: expert),
                                values(expert)),
                            nil
                        ))
                }
            case "not_held":
                let reason = try context.guardedText("reason")
                order.sessions[position].check = SessionCheck(
                    answer: .notHeld, by: context.person.id, at: context.now, reason: reason)
                // Not paid silently, not dropped on one word either: the expert may say it took
                // place (hours), the coordinator sorts it out, the approver sees it marked.
                for person in [context.registry.person(expertID)].compactMap({ $0 }) + context.registry.coordinators {
                    let key: MessageKey = person.id == expertID ? .sessionCheckNotHeldExpert : .sessionCheckNotHeldCoordinator
                    result.messages.append(
                        (
                            person.id,
                            context.catalog.text(
                                key, context.language(of: person), values(person).merging(["reason": reason.text]) { a, _ in a }),
                            nil
                        ))
                }
            default:
                throw ActionFailure("check.record: unknown answer")
            }
            result.events.append(.orderUpdated(order))
            let more = context.state.sessionsAwaitingCheck(by: context.person.id, time: context.time)
                .contains { $0.order.id != order.id || $0.session.index != index }
            result.slots["check_state"] = .text(more ? "recorded_more" : "recorded")
            result.slots["answer_text"] = .text(context.display("answer", context.language))
            return result
        })
}
