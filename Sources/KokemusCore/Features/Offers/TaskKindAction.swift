import Foundation

/// `order.task_kind`: the task chosen from the catalogue (`task_type`, an entry's id) gives
/// the kind of work the rest of the order flow asks by (`task_kind`: a group's sessions and
/// planning, a process's meetings), the duration it usually takes (`typical`, a sentence
/// for the duration question, empty when the catalogue gives none), and where it is done when
/// the catalogue fixes it (`place_rule`: `on_site` or `remote`, with `place` set so that the
/// question is not asked; `any` lets the orderer choose).
enum TaskKindAction {
    static let action = FlowAction(
        signature: ActionSignature(
            name: "order.task_kind", outputs: ["typical", "place", "address"], requiredInputs: ["task_type"],
            outcomes: ["task_kind": Set(TaskType.allCases.map(\.rawValue)), "place_rule": ["on_site", "remote", "any"]]),
        run: { context in
            guard case .choice(let id)? = context.slots["task_type"], let entry = context.tasks.entry(id),
                entry.mayBeOrdered(by: context.person)
            else { throw ActionFailure("task_type is not a task of the catalogue this person may order") }
            let typical =
                entry.typicalMinutes.map {
                    " " + context.catalog.text(.typicalDuration, context.language, ["duration": durationText(minutes: $0)])
                } ?? ""
            // A task asked again (`submit_state: not_allowed`) starts from nothing: an
            // address given for the task before would otherwise show with a remote one.
            var slots: [String: SlotValue] = [
                "task_kind": .text(entry.kind.rawValue), "typical": .text(typical), "address": .text(""),
            ]
            switch entry.place {
            case .onSite?:
                slots["place_rule"] = .text("on_site")
                slots["place"] = .choice("onsite")
            case .remote?:
                slots["place_rule"] = .text("remote")
                slots["place"] = .choice("remote")
            case nil:
                slots["place_rule"] = .text("any")
            }
            return ActionResult(slots: slots)
        })
}
