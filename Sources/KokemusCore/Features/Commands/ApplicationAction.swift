import Foundation

/// `application.submit`: stores an application to become an expert and tells the other
/// coordinators.
enum ApplicationAction {
    static let submit = FlowAction(
        signature: ActionSignature(
            name: "application.submit", outputs: ["application_id"],
            requiredInputs: [
                "applicant", "contact", "topics", "languages", "municipalities", "training", "wishes",
            ]),
        run: { context in
            func text(_ slot: String) throws -> GuardedText { try context.guardedText(slot) }
            func values(_ slot: String) throws -> [String] {
                guard case .choices(let list)? = context.slots[slot] else { throw ActionFailure("slot '\(slot)' is not choices") }
                return list
            }
            let year = context.time.year(of: context.now)
            // After the highest ever given that year (kept in the state: an erased or expired
            // application's number is not given again), and after every one that stands (a
            // state from before `applicationNumbers` was kept).
            let given = context.state.applications.keys.filter { $0.hasPrefix("H-\(year)-") }.compactMap { Int($0.dropFirst(7).prefix(9)) }
            let number = max(context.state.applicationNumbers[String(year)] ?? 0, given.max() ?? 0) + 1
            let application = ExpertApplication(
                id: String(format: "H-%04d-%03d", year, number), applicant: try text("applicant"), contact: try text("contact"),
                topics: try values("topics"), languages: try values("languages"), municipalities: try text("municipalities"),
                training: try text("training"), wishes: try text("wishes"), recordedBy: context.person.id,
                recordedAt: context.now)
            var result = ActionResult(
                slots: ["application_id": .text(application.id)],
                events: [.applicationRecorded(application)])
            for coordinator in context.registry.coordinators where coordinator.id != context.person.id {
                let language = context.language(of: coordinator)
                result.messages.append(
                    (
                        coordinator.id,
                        context.catalog.text(
                            .applicationRecordedCoordinator, language,
                            [
                                "name": coordinator.firstName, "application_id": application.id, "applicant": application.applicant.text,
                                "by": context.person.name, "topics": context.display("topics", language),
                            ]), nil
                    ))
            }
            return result
        })
}
