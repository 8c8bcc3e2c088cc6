import Foundation

/// Debriefs (purku) after client work (000 §3, §4, §4.3): the expert asks (`purku T-…`), the
/// orderer, or the unit's named employee when the orderer is gone, hears of it and arranges it
/// (messages go as any: `viesti T-…`), and records it held with its length (`purku T-…
/// pidetty 45 min`), paid where the fee table prices debriefs. After a task the catalogue
/// marks demanding (`debrief: offer`) the expert is offered one; a debrief asked and not held
/// in a week is told to the coordinators once.
struct Debriefs: TurnFeature {
    var turn: ConversationTurn

    mutating func run(_ arguments: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        let first = arguments.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        guard let (order, rest) = order(in: arguments) else {
            let key: MessageKey = Order.looksLikeID(first) ? .orderUnknown : .debriefUsage
            send(
                catalog.text(key, language, ["order_id": first, "debrief": catalog.word(.debrief, language)]), to: person.id,
                channel: channel)
            return
        }
        let isExpert = order.assignment?.expert == person.id && order.assignment?.status == .accepted
        let receiver = engine.registry.unit(order.unit)?.receiver
        let mayRecord = order.orderer == person.id || receiver == person.id || person.has(.coordinator)
        if isExpert, rest.isEmpty {
            request(order, by: person, channel: channel)
        } else if mayRecord, !isExpert, let minutes = heldMinutes(rest) {
            record(order, minutes: minutes, by: person, channel: channel)
        } else if mayRecord || isExpert {
            send(
                catalog.text(.debriefUsage, language, ["order_id": order.id.rawValue, "debrief": catalog.word(.debrief, language)]),
                to: person.id, channel: channel)
        } else {
            // Not theirs: the same answer as for an order that does not exist.
            send(catalog.text(.orderUnknown, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
        }
    }

    /// `pidetty 45 min` (or `hållen`, `held`): the minutes, within a debrief's bounds.
    func heldMinutes(_ rest: String) -> Int? {
        let words = rest.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, catalog.vocabulary.held.contains(first) else { return nil }
        let duration = words.dropFirst().joined(separator: " ")
        // With its unit: "pidetty 4" is not taken as four hours.
        let vocabulary = catalog.vocabulary
        guard
            words.dropFirst().contains(where: { word in
                vocabulary.hourUnits.union(vocabulary.minuteUnits).contains { word.hasSuffix($0) }
            })
        else { return nil }
        guard
            case .success(.duration(let minutes)) = engine.parser.parse(
                duration, as: .duration(minMinutes: Debrief.minutes.lowerBound, maxMinutes: Debrief.minutes.upperBound), now: now),
            Debrief.minutes.contains(minutes)
        else { return nil }
        return minutes
    }

    private mutating func request(_ order: Order, by expert: Person, channel: Channel) {
        let language = language(of: expert)
        // Of work done: a session held (or paid as held) or begun as planned, not one given up.
        guard order.hasWorkDone(by: now) else {
            send(catalog.text(.debriefTooEarly, language, ["order_id": order.id.rawValue]), to: expert.id, channel: channel)
            return
        }
        if let debrief = order.debrief, debrief.requestedBy == expert.id {
            let key: MessageKey = debrief.heldAt == nil ? .debriefAlreadyAsked : .debriefAlreadyHeld
            send(
                catalog.text(
                    key, language, ["order_id": order.id.rawValue, "when": dateTime(debrief.heldAt ?? debrief.requestedAt, language)]),
                to: expert.id, channel: channel)
            return
        }
        // With the orderer; if they are no longer in the registry, the unit's named employee.
        let with =
            engine.registry.person(order.orderer) != nil
            ? order.orderer : (engine.registry.unit(order.unit)?.receiver ?? order.orderer)
        var changed = order
        changed.debrief = Debrief(requestedBy: expert.id, requestedAt: now, with: with)
        emit(.orderUpdated(changed))
        if let them = engine.registry.person(with) {
            let theirs = self.language(of: them)
            send(
                catalog.text(
                    .debriefRequested, theirs,
                    [
                        "name": them.firstName, "expert": engine.privacy.nameForEmployees(expert), "order_id": order.id.rawValue,
                        "task_type": taskName(order, theirs), "message": catalog.word(.message, theirs),
                        "debrief": catalog.word(.debrief, theirs),
                    ]), to: with)
        }
        send(
            catalog.text(
                .debriefAsked, language,
                [
                    "name": expert.firstName, "order_id": order.id.rawValue,
                    "with": engine.registry.person(with)?.name ?? with.rawValue, "message": catalog.word(.message, language),
                ]), to: expert.id, channel: channel)
    }

    private mutating func record(_ order: Order, minutes: Int, by person: Person, channel: Channel) {
        let language = language(of: person)
        guard var debrief = order.debrief else {
            send(catalog.text(.debriefNotAsked, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
            return
        }
        guard debrief.heldAt == nil else {
            send(
                catalog.text(.debriefAlreadyHeld, language, ["order_id": order.id.rawValue, "when": dateTime(debrief.heldAt!, language)]),
                to: person.id, channel: channel)
            return
        }
        debrief.heldAt = now
        debrief.heldBy = person.id
        debrief.minutes = minutes
        var changed = order
        changed.debrief = debrief
        emit(.orderUpdated(changed))
        let paid =
            engine.fees.debriefRate(year: engine.time.year(of: now)) != nil
            && engine.registry.person(debrief.requestedBy)?.expert?.paymentMode != .volunteer
        send(
            catalog.text(.debriefRecorded, language, ["order_id": order.id.rawValue, "duration": durationText(minutes: minutes)]),
            to: person.id, channel: channel)
        if let expert = engine.registry.person(debrief.requestedBy) {
            let theirs = self.language(of: expert)
            send(
                catalog.text(
                    paid ? .debriefHeldPaid : .debriefHeld, theirs,
                    ["name": expert.firstName, "order_id": order.id.rawValue, "duration": durationText(minutes: minutes)]),
                to: expert.id)
        }
    }

    /// After a task the catalogue marks demanding, told to its expert with the feedback
    /// request (once per task, in working time).
    func offerText(for order: Order, to expert: Person) -> String? {
        guard engine.tasks.entry(order.taskID)?.offersDebrief == true, order.debrief == nil else { return nil }
        let language = language(of: expert)
        return catalog.text(
            .debriefOffered, language,
            ["name": expert.firstName, "order_id": order.id.rawValue, "debrief": catalog.word(.debrief, language)])
    }

    /// A debrief asked and not held in a week: each coordinator told once.
    func waitingReminders() -> [PlannedReminder] {
        var reminders: [PlannedReminder] = []
        for order in state.orders.values {
            guard let debrief = order.debrief, debrief.heldAt == nil else { continue }
            for coordinator in engine.registry.people(with: .coordinator) {
                let language = language(of: coordinator)
                let key = "debrief:\(order.id):\(coordinator.id)"
                reminders.append(
                    PlannedReminder(
                        key: key, series: key, recipient: coordinator.id, dueAt: debrief.requestedAt + Debrief.waitBeforeReminder,
                        expiresAt: debrief.requestedAt + 60 * 86_400,
                        text: catalog.text(
                            .debriefWaiting, language,
                            [
                                "order_id": order.id.rawValue, "when": dateTime(debrief.requestedAt, language),
                                "expert": engine.registry.person(debrief.requestedBy)?.name ?? debrief.requestedBy.rawValue,
                                "with": engine.registry.person(debrief.with)?.name ?? debrief.with.rawValue,
                            ])))
            }
        }
        return reminders
    }
}
