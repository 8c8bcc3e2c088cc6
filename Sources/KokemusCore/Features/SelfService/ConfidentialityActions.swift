import Foundation

/// The confidentiality commitment (vaitiolovelvollisuus, 003: agreed with every expert
/// before the work): `expert.confidentiality` says whether the expert has confirmed it in
/// chat (`confidentiality`: `confirmed` with the day in `confirmed_on`, or `missing` with the
/// commitment's text in `commitment`); `expert.confirm_confidentiality` records it with its
/// time. The offer flow asks for it before the first task is taken; the `vaitiolo` flow
/// shows it at any time.
enum ConfidentialityActions {
    static let all = [state, confirm]

    /// Whether the expert has the commitment: signed on paper (the registry) or confirmed in chat.
    static func isConfirmed(by expert: Person, in state: GatewayState) -> Bool {
        expert.expert?.confidentialitySigned != nil || state.expertRecords[expert.id]?.confidentialityConfirmedAt != nil
    }

    static let state = FlowAction(
        signature: ActionSignature(
            name: "expert.confidentiality", outputs: ["confirmed_on", "commitment"],
            outcomes: ["confidentiality": ["confirmed", "missing"]]),
        run: { context in
            let commitment = context.catalog.text(.confidentialityCommitment, context.language)
            let confirmedOn =
                context.state.expertRecords[context.person.id]?.confidentialityConfirmedAt.map(context.time.dayString)
                ?? context.person.expert?.confidentialitySigned.map(LocalDay.display)
            guard let confirmedOn else {
                return ActionResult(slots: [
                    "confidentiality": .text("missing"), "commitment": .text(commitment), "confirmed_on": .text(""),
                ])
            }
            return ActionResult(slots: [
                "confidentiality": .text("confirmed"), "commitment": .text(commitment), "confirmed_on": .text(confirmedOn),
            ])
        })

    static let confirm = FlowAction(
        signature: ActionSignature(name: "expert.confirm_confidentiality", outputs: ["confirmed_on"]),
        run: { context in
            guard context.person.has(.expert) else { throw ActionFailure("only an expert confirms the commitment") }
            var record = context.state.expertRecord(of: context.person.id, now: context.now)
            // The first confirmation is the one the county relies on; it is not moved later.
            let at = record.confidentialityConfirmedAt ?? context.now
            record.confidentialityConfirmedAt = at
            record.updatedAt = context.now
            return ActionResult(slots: ["confirmed_on": .text(context.time.dayString(at))], events: [.expertRecordSaved(record)])
        })
}
