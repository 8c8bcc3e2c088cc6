import Foundation

/// `order.pair_line`: for the order's confirmation step, what the pair of a pair task is (an
/// expert pair, or the named professional), as a clause following the task's name; empty for
/// every other task, so that the confirmation reads the same as before for them.
enum PairLineAction {
    static let action = FlowAction(
        signature: ActionSignature(name: "order.pair_line", outputs: ["pair_line"]),
        run: { context in
            var line = ""
            if case .text("pair")? = context.slots["task_kind"] {
                switch context.slots["pair_with"]?.comparable {
                case "two_experts":
                    line = context.catalog.text(.orderPairTwoExperts, context.language)
                case "with_professional":
                    if context.slots["second_facilitator"] != nil {
                        let second = try context.guardedText("second_facilitator")
                        line = context.catalog.text(.orderPairProfessional, context.language, ["second": second.text])
                    }
                default:
                    break
                }
            }
            return ActionResult(slots: ["pair_line": .text(line)])
        })
}
