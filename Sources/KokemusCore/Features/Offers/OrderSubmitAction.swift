import Foundation

/// `order.submit`: stores the order from the order flow's answers under the next id of the
/// year (`T-2026-0001`), with its sessions (one, a client process's meetings or a group's
/// sessions, as `order.schedule` checked them), and tells the coordinators. Finding and offering an expert is the
/// matching step's work, which starts from the stored order.
enum OrderSubmitAction {
    static let inputs: Set<String> = [
        "task_type", "topic", "unit", "start", "duration", "place", "language",
        "audience", "description",
    ]

    static let action = FlowAction(
        signature: ActionSignature(
            name: "order.submit", outputs: ["order_id"], requiredInputs: inputs,
            outcomes: ["wish_state": ["none", "first", "unavailable"], "submit_state": ["ok", "not_allowed"]]),
        run: run)

    @Sendable static func run(_ context: ActionContext) throws -> ActionResult {
        let slots = context.slots
        func choice(_ name: String) throws -> String {
            guard case .choice(let value)? = slots[name] else { throw ActionFailure("slot '\(name)' is not a choice") }
            return value
        }
        // The task is an entry of the catalogue (`tilamestari`); its kind says how it runs. A
        // conversation from before the catalogue holds the kind itself, an entry of its own.
        let taskValue = try choice("task_type")
        // An answer given before the catalogue or the registry changed (a task gone or not theirs,
        // a unit not theirs): nothing is lost, the flow asks the task again.
        // (A flow version from before the catalogue cannot go back: there it fails as before.)
        let canAskAgain = context.slots["task_kind"] != nil
        guard let entry = context.tasks.entry(taskValue), entry.mayBeOrdered(by: context.person) else {
            guard canAskAgain else { throw ActionFailure("task '\(taskValue)' is not one \(context.person.id) may order") }
            return ActionResult(slots: ["submit_state": .text("not_allowed")])
        }
        let taskType = entry.kind
        let unitValue = try choice("unit")
        guard let unit = context.registry.unit(UnitID(unitValue)) else { throw ActionFailure("unit '\(unitValue)' is unknown") }
        // Asked from the units they may order for; a conversation from before a registry change
        // may hold another, which is not ordered.
        guard context.registry.units(orderableBy: context.person).contains(where: { $0.id == unit.id }) else {
            guard canAskAgain else { throw ActionFailure("\(context.person.id) may not order for unit '\(unitValue)'") }
            return ActionResult(slots: ["submit_state": .text("not_allowed")])
        }
        guard case .dateTime(let start)? = slots["start"] else { throw ActionFailure("slot 'start' is not a date-time") }
        guard case .duration(let minutes)? = slots["duration"] else { throw ActionFailure("slot 'duration' is not a duration") }
        let languageValue = try choice("language")
        guard let language = Language(rawValue: languageValue) else { throw ActionFailure("language '\(languageValue)'") }
        let audienceValue = try choice("audience")
        guard let audience = Audience(rawValue: audienceValue) else {
            throw ActionFailure("audience '\(audienceValue)' is not one of \(Audience.allCases.map(\.rawValue))")
        }
        // The answer already passed the guard; the order's fields take only guarded text.
        let description = try context.guardedText("description")
        var place: TaskPlace
        switch try choice("place") {
        case "remote": place = .remote
        default:
            guard slots["address"] != nil else { throw ActionFailure("on-site order without 'address'") }
            place = .onSite(address: try context.guardedText("address"))
        }
        // The catalogue fixes where some tasks are done; an answer from a flow or a catalogue
        // of before (a reception answered "remote") is asked again, not stored against it.
        switch (entry.place, place) {
        case (.onSite?, .remote):
            guard canAskAgain else { throw ActionFailure("task '\(taskValue)' is done on site, not remotely") }
            return ActionResult(slots: ["submit_state": .text("not_allowed")])
        case (.remote?, .onSite): place = .remote
        default: break
        }
        // One session, or a client process's meetings or a group's sessions, all for one expert.
        guard case .starts(let starts) = try OrderScheduleAction.starts(context) else {
            throw ActionFailure("the sessions' dates were not checked before submitting")
        }
        let sessionCount = starts.count
        let sessions = starts.enumerated().map { Session(index: $0.offset + 1, start: $0.element, durationMinutes: minutes) }
        var frequency: SessionFrequency?
        if sessionCount > 1 {
            frequency = .weekly
            if case .choice(let value)? = slots["frequency"] { frequency = SessionFrequency(rawValue: value) ?? .weekly }
        }
        // A group's reasons agreed in advance for stopping it early (000 §6.2); "ei" is none.
        var agreedStopReasons: GuardedText?
        if taskType == .group, slots["stop_reasons"] != nil {
            let reasons = try context.guardedText("stop_reasons")
            let word = reasons.text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
            if !context.catalog.vocabulary.no.contains(word) { agreedStopReasons = reasons }
        }

        let year = context.time.year(of: context.now)
        let number = (context.state.orderNumbers[year] ?? 0) + 1
        let id = OrderID(year: year, number: number)
        var order = Order(
            id: id, orderer: context.person.id, unit: unit.id, taskType: taskType,
            topic: try choice("topic"), start: start, durationMinutes: minutes, sessions: sessions,
            place: place, language: language, audience: audience, description: description,
            createdAt: context.now)
        order.agreedStopReasons = agreedStopReasons
        order.frequency = frequency
        // The kind's own entry needs no name of its own: such an order reads as before.
        order.task = entry.id == taskType.rawValue ? nil : entry.id
        if taskType == .group, case .duration(let planning)? = slots["planning"], slots["planning_wanted"]?.comparable == "yes" {
            order.planningMinutes = planning
        }
        order.requestedExpert = ExpertWishAction.wish(context)
        if taskType == .pair, slots["pair_with"]?.comparable == "with_professional", slots["second_facilitator"] != nil {
            order.secondFacilitator = try context.guardedText("second_facilitator")
        }
        // An expert pair: two orders alike, linked, each for an expert of its own.
        var partner: Order?
        if taskType == .pair, slots["pair_with"]?.comparable == "two_experts" {
            var other = order
            other.id = OrderID(year: year, number: number + 1)
            other.requestedExpert = nil
            other.pairedWith = order.id
            order.pairedWith = other.id
            partner = other
        }
        // Whether the expert asked for can be offered the order now; if not, the flow says so.
        var wishState = "none"
        if let wished = order.requestedExpert {
            let matcher = ExpertMatcher(registry: context.registry, policy: context.policy, time: context.time, tasks: context.tasks)
            let suitable = matcher.rank(order, state: context.state, now: context.now).candidates.contains { $0.expert == wished }
            wishState = suitable ? "first" : "unavailable"
        }

        // A pair's two orders are named together: `T-2026-0001, T-2026-0002`.
        let shownIDs = ([id] + (partner.map { [$0.id] } ?? [])).map(\.rawValue).joined(separator: ", ")
        var messages: [(PersonID, String)] = []
        for coordinator in context.registry.coordinators where coordinator.id != context.person.id {
            let language = context.language(of: coordinator)
            let text = context.catalog.text(
                .orderCreatedCoordinator, language,
                [
                    "order_id": shownIDs,
                    "orderer": context.person.name,
                    "unit": unit.name,
                    "task_type": context.display("task_type", language),
                    "topic": context.display("topic", language),
                    "start": context.display("start", language),
                    "duration": context.display("duration", language),
                    "sessions": String(sessionCount),
                    "schedule": OrderScheduleAction.text(of: starts, language, context),
                    "place": context.display("place", language),
                    "language": context.display("language", language),
                    "description": description.text,
                ])
            messages.append((coordinator.id, text))
        }
        var events: [GatewayEvent] = [.orderCreated(order, year: year, number: number)]
        if let partner { events.append(.orderCreated(partner, year: year, number: number + 1)) }
        var result = ActionResult(
            slots: ["order_id": .text(shownIDs), "wish_state": .text(wishState), "submit_state": .text("ok")],
            events: events,
            messages: messages)
        for (coordinator, _) in messages { result.about[coordinator] = .mailSubjectNewOrder }
        return result
    }
}
