import Foundation

/// `order.task_kind`: the task chosen from the catalogue (`task_type`, an entry's id) gives
/// the kind of work the rest of the order flow asks by (`task_kind`: a group's sessions and
/// planning, a process's meetings), and the duration it usually takes (`typical`, a sentence
/// for the duration question, empty when the catalogue gives none).
enum TaskKindAction {
    static let action = FlowAction(
        signature: ActionSignature(
            name: "order.task_kind", outputs: ["typical"], requiredInputs: ["task_type"],
            outcomes: ["task_kind": Set(TaskType.allCases.map(\.rawValue))]),
        run: { context in
            guard case .choice(let id)? = context.slots["task_type"], let entry = context.tasks.entry(id),
                entry.mayBeOrdered(by: context.person)
            else { throw ActionFailure("task_type is not a task of the catalogue this person may order") }
            let typical =
                entry.typicalMinutes.map {
                    " " + context.catalog.text(.typicalDuration, context.language, ["duration": durationText(minutes: $0)])
                } ?? ""
            return ActionResult(slots: ["task_kind": .text(entry.kind.rawValue), "typical": .text(typical)])
        })
}
