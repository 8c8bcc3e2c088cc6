import Foundation

/// Offers: after every input and every tick, each open order is moved on. Offers past
/// their deadline expire, reminders go out, the next candidates are offered, and the
/// coordinators hear of an order no one has taken. The expert answers in the `offer` flow.
struct OfferRound: TurnFeature {
    var turn: ConversationTurn

    mutating func advanceOrders() {
        for id in state.orders.values.filter({ $0.status == .open }).map(\.id).sorted() {
            advance(id)
        }
    }

    private mutating func advance(_ id: OrderID) {
        guard var order = state.orders[id] else { return }
        let policy = engine.policy
        var expired: [PersonID] = []
        var reminded: [Offer] = []
        var offered: [PersonID] = []
        for index in order.offers.indices where order.offers[index].status == .pending {
            let offer = order.offers[index]
            if offer.deadline <= now {
                order.offers[index].status = .expired
                order.offers[index].answeredAt = now
                expired.append(offer.expert)
            } else if !offer.reminded, now >= offer.deadline - policy.remindBeforeDeadline, engine.working.allows(now),
                offer.offeredAt < offer.deadline - policy.remindBeforeDeadline
            {
                order.offers[index].reminded = true
                reminded.append(order.offers[index])
            }
        }
        let open = order.pendingOffers.count
        // No offer goes out in the quiet hours, at weekends or on holidays unless the task is too
        // near to wait for the morning; the order waits, and the first tick in working time offers it.
        let mayOffer = policy.mayOffer(at: now, taskStart: order.start, working: engine.working)
        if open < policy.offersAtOnce, mayOffer, now + MatchingPolicy.minimumAnswerTime <= order.start {
            for candidate in matcher.rank(order, state: state, now: now).candidates.prefix(policy.offersAtOnce - open) {
                order.offers.append(
                    Offer(
                        expert: candidate.expert, offeredAt: now,
                        deadline: policy.deadline(offeredAt: now, taskStart: order.start, working: engine.working)))
                offered.append(candidate.expert)
            }
        }
        // An order waiting for the working morning has not run out of experts.
        let waiting = !mayOffer && open == 0
        let reportUnfilled =
            !order.unfilledReported
            && ((order.pendingOffers.isEmpty && !waiting) || now >= order.start - policy.reportUnfilledBeforeStart)
        if reportUnfilled { order.unfilledReported = true }
        guard order != state.orders[id] else { return }
        emit(.orderUpdated(order))

        for expert in expired {
            guard let person = engine.registry.person(expert) else { continue }
            endOfferConversation(of: expert, about: id)
            send(
                catalog.text(.offerExpired, language(of: person), ["name": person.firstName, "order_id": id.rawValue]),
                to: expert)
            presentWaitingOffer(to: expert)
        }
        for offer in reminded {
            guard let person = engine.registry.person(offer.expert) else { continue }
            let language = language(of: person)
            send(
                catalog.text(
                    .offerReminder, language,
                    [
                        "name": person.firstName, "order_id": id.rawValue,
                        "deadline": dateTime(offer.deadline, language),
                        "offer": offerTrigger(language),
                    ]),
                to: offer.expert)
        }
        for expert in offered { presentOffer(order, to: expert) }
        if reportUnfilled { reportUnfilledOrder(order) }
    }

    /// Shows the offer at once if the expert is free, else tells them it waits.
    mutating func presentOffer(_ order: Order, to expert: PersonID) {
        guard let person = engine.registry.person(expert) else { return }
        if state.conversations[expert] == nil {
            presentWaitingOffer(to: expert)
        } else {
            let language = language(of: person)
            let deadline = order.offers.last { $0.expert == expert }?.deadline ?? now
            send(
                catalog.text(
                    .offerWaiting, language,
                    [
                        "name": person.firstName, "order_id": order.id.rawValue,
                        "deadline": dateTime(deadline, language),
                        "offer": offerTrigger(language),
                    ]),
                to: expert)
        }
    }

    /// Starts the offer flow for an expert who is free and has an offer waiting. Called
    /// whenever anyone's conversation ends, so the cheap checks come first.
    mutating func presentWaitingOffer(to expert: PersonID) {
        guard state.conversations[expert] == nil, let person = engine.registry.person(expert), person.has(.expert),
            let flow = engine.flows.current[GatewayState.offerFlowID],
            !state.pendingOffers(of: expert).isEmpty
        else { return }
        start(flow, for: person, channel: person.preferredChannel ?? engine.defaultChannel)
    }

    /// Takes back the expert's waiting offers of these orders (paused, away, no longer wished
    /// for, the agreement ended): each is withdrawn and its offer flow ended.
    mutating func withdrawOffers(of expert: PersonID, in orders: [OrderID]) {
        for id in orders {
            guard var changed = state.orders[id] else { continue }
            for index in changed.offers.indices where changed.offers[index].expert == expert && changed.offers[index].status == .pending {
                changed.offers[index].status = .withdrawn
                changed.offers[index].answeredAt = now
            }
            emit(.orderUpdated(changed))
            endOfferConversation(of: expert, about: id)
        }
    }

    /// Ends the expert's offer flow if it is showing this order.
    mutating func endOfferConversation(of expert: PersonID, about order: OrderID) {
        if state.isShowingOffer(order, to: expert) { emit(.conversationEnded(person: expert)) }
    }

    private mutating func reportUnfilledOrder(_ order: Order) {
        let unit = engine.registry.unit(order.unit)?.name ?? order.unit.rawValue
        let asked = Set(order.offers.map(\.expert)).count
        for coordinator in engine.registry.coordinators {
            let language = language(of: coordinator)
            send(
                catalog.text(
                    .orderUnfilledCoordinator, language,
                    [
                        "order_id": order.id.rawValue, "when": dateTime(order.start, language), "unit": unit,
                        "asked": String(asked), "candidates": catalog.word(.candidates, language),
                    ]), to: coordinator.id)
        }
    }

}

extension ConversationEngine {
    /// When open orders next need attention: an offer's deadline or reminder, or the time to
    /// tell the coordinators that no one has accepted.
    func orderDeadlines(in state: GatewayState) -> [Date] {
        var dates: [Date] = []
        for order in state.orders.values where order.status == .open {
            for offer in order.pendingOffers {
                dates.append(offer.deadline)
                let remindAt = offer.deadline - policy.remindBeforeDeadline
                // Not in quiet hours: then the first allowed moment, if it comes before the deadline.
                if !offer.reminded, offer.offeredAt < remindAt { dates.append(working.nextAllowed(from: remindAt)) }
            }
            if !order.unfilledReported { dates.append(order.start - policy.reportUnfilledBeforeStart) }
        }
        return dates
    }
}
