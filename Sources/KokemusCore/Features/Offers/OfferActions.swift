import Foundation

/// The actions of the `offer` flow, in which an expert answers a task offered to them:
/// `offer.load` shows the nearest waiting offer, `offer.accept` and `offer.decline` answer
/// it, `offer.ask` relays a question about it to the employee who ordered.
enum OfferActions {
    static let all = [load, accept, decline, ask]

    static let load = FlowAction(
        signature: ActionSignature(
            name: "offer.load",
            outputs: [
                "offer_state", "order_id", "task_type", "topic", "when", "duration", "sessions", "place", "language",
                "description", "deadline", "unit", "terms", "schedule",
            ], outcomes: ["offer_state": ["none", "open"], "onsite": ["yes", "no"]]),
        run: { context in
            guard let (order, offer) = context.state.pendingOffers(of: context.person.id).first else {
                return ActionResult(slots: ["offer_state": .text("none")])
            }
            let language = context.language
            var slots = values(for: order, language: language, context).mapValues { SlotValue.text($0) }
            slots["offer_state"] = .text("open")
            slots["deadline"] = .text(context.catalog.dateTime(offer.deadline, language, time: context.time))
            slots["terms"] = .text(OfferTerms.text(for: order, language: language, context))
            if case .onSite = order.place { slots["onsite"] = .text("yes") } else { slots["onsite"] = .text("no") }
            return ActionResult(slots: slots)
        })

    static let accept = FlowAction(
        signature: ActionSignature(
            name: "offer.accept",
            outcomes: ["offer_state": ["accepted", "clash", "expired", "taken", "commitment"], "booking": ["stands", "waits"]]),
        run: { context in
            var (order, index) = try pendingOffer(context)
            guard let index else { return ActionResult(slots: ["offer_state": .text(closedState(order, context))]) }
            // 003: no task without the confidentiality commitment, whatever flow led here (an
            // older version of the offer flow, a county's own): `commitment`, nothing taken.
            guard ConfidentialityActions.isConfirmed(by: context.person, in: context.state) else {
                return ActionResult(slots: ["offer_state": .text("commitment")])
            }
            let matcher = ExpertMatcher(registry: context.registry, policy: context.policy, time: context.time, tasks: context.tasks)
            let clash =
                matcher.rank(order, state: context.state, now: context.now).excluded
                .first { $0.expert == context.person.id }?.reasons
                .contains { if case .booked = $0 { return true } else { return false } } ?? false
            guard !clash else { return ActionResult(slots: ["offer_state": .text("clash")]) }

            // The first to accept wins: the order is assigned and every other offer withdrawn,
            // all in this one commit.
            order.offers[index].status = .accepted
            order.offers[index].answeredAt = context.now
            var withdrawn: [PersonID] = []
            for other in order.offers.indices where order.offers[other].status == .pending {
                order.offers[other].status = .withdrawn
                order.offers[other].answeredAt = context.now
                withdrawn.append(order.offers[other].expert)
            }
            order.status = .assigned
            order.assignment = Assignment(
                expert: context.person.id, status: .accepted,
                offeredAt: order.offers[index].offeredAt, answeredAt: context.now)
            // `booking`: whether the confirmation has gone (it stands) or waits for a pair's other half.
            var result = ActionResult(
                slots: ["offer_state": .text("accepted"), "booking": .text("stands")], events: [.orderUpdated(order)])
            for expert in withdrawn {
                if context.state.isShowingOffer(order.id, to: expert) {
                    result.events.append(.conversationEnded(person: expert))
                }
                guard let person = context.registry.person(expert) else { continue }
                result.messages.append(
                    (
                        expert,
                        context.catalog.text(
                            .offerWithdrawn, context.language(of: person),
                            [
                                "name": person.firstName, "order_id": order.id.rawValue,
                            ]), nil
                    ))
            }
            // An expert pair stands when both halves are taken: the first to accept waits (the
            // flow says so), the orderer hears it; the second's acceptance confirms both, to
            // everyone. A half no one is to do any more (cancelled, or its expert ill) leaves
            // this one to stand alone; a substitute joining a standing pair is told to the other.
            if order.taskType == .pair, order.pairedWith != nil || !context.state.pairLinks(of: order).isEmpty {
                let live = context.state.livePairLinks(of: order)
                if !live.isEmpty, live.allSatisfy({ $0.status == .open }) {
                    if let orderer = context.registry.person(order.orderer) {
                        result.messages.append(
                            (
                                orderer.id,
                                context.catalog.text(
                                    .pairWaitingOrderer, context.language(of: orderer),
                                    [
                                        "name": orderer.firstName, "order_id": order.id.rawValue,
                                        "partner_id": live.map(\.id.rawValue).joined(separator: ", "),
                                        "expert": context.privacy.nameForEmployees(context.person),
                                    ]), nil
                            ))
                    }
                    result.slots["booking"] = .text("waits")
                    return result
                }
                for partner in live where partner.status == .assigned {
                    guard let other = partner.assignedExpert.flatMap(context.registry.person) else { continue }
                    if partner.pairStoodAt == nil {
                        var stood = partner
                        stood.pairStoodAt = context.now
                        result.events.append(.orderUpdated(stood))
                        result.messages += confirmations(of: partner, expert: other, context)
                    } else {
                        let language = context.language(of: other)
                        result.messages.append(
                            (
                                other.id,
                                context.catalog.text(
                                    .pairPartnerFound, language,
                                    [
                                        "name": other.firstName, "order_id": partner.id.rawValue, "partner_id": order.id.rawValue,
                                        "expert": context.privacy.nameForEmployees(context.person),
                                        "when": context.catalog.dateTime(order.start, language, time: context.time),
                                    ]), nil
                            ))
                    }
                }
                order.pairStoodAt = context.now
                result.events = result.events.map {
                    if case .orderUpdated(let updated) = $0, updated.id == order.id { return .orderUpdated(order) }
                    return $0
                }
            }
            result.messages += confirmations(of: order, expert: context.person, context)
            return result
        })

    /// The booking confirmations of an order taken by `expert`: to the orderer, with the
    /// expert's handle and introduction, and to the expert; each with its calendar invitation.
    static func confirmations(of order: Order, expert: Person, _ context: ActionContext) -> [(
        recipient: PersonID, text: String, calendar: CalendarInvite?
    )] {
        var messages: [(recipient: PersonID, text: String, calendar: CalendarInvite?)] = []
        if let orderer = context.registry.person(order.orderer) {
            let language = context.language(of: orderer)
            let name = context.privacy.nameForEmployees(expert)
            let values = values(for: order, language: language, context).merging([
                "name": orderer.firstName, "expert": name,
                "introduction": context.state.effective(expert).expert?.introduction?.text(in: language) ?? "",
                // Only a phone the county pays for, and only if the county allows it.
                "work_phone": context.privacy.workPhoneForOrderer(expert).map {
                    "\n" + context.catalog.text(.expertWorkPhone, language, ["phone": $0])
                } ?? "",
                "message": context.catalog.word(.message, language),
            ]) { _, new in new }
            messages.append(
                (
                    orderer.id, context.catalog.text(.bookingConfirmedEmployee, language, values),
                    invite(order, language: language, extra: name, context)
                ))
        }
        let language = context.language(of: expert)
        let values = values(for: order, language: language, context).merging([
            "name": expert.firstName, "message": context.catalog.word(.message, language),
        ]) { _, new in new }
        // Onboarding (000 §3, 002): the unit's information and who receives the expert there.
        let onSite = if case .onSite = order.place { true } else { false }
        var onboarding = ""
        let unit = context.registry.unit(order.unit)
        // Both are about coming to the unit: a remote task has neither.
        if let unit, onSite, let text = unit.onboarding?.text(in: language), !text.trimmed.isEmpty {
            onboarding += context.catalog.text(.bookingOnboarding, language, ["unit": unit.name, "onboarding": text])
        }
        if let unit, onSite, let receiver = context.registry.person(unit.receiver) {
            onboarding +=
                (onboarding.isEmpty ? "\n" : "") + context.catalog.text(.bookingUnitReceiver, language, ["receiver": receiver.name])
        }
        messages.append(
            (
                expert.id, context.catalog.text(.bookingConfirmedExpert, language, values) + onboarding,
                invite(order, language: language, extra: nil, context)
            ))
        // The unit's named employee hears of a booking in their unit they did not make, and
        // receives the expert when the task is done on site.
        if let unit, let receiver = context.registry.person(unit.receiver), receiver.id != order.orderer {
            let language = context.language(of: receiver)
            messages.append(
                (
                    receiver.id,
                    context.catalog.text(
                        .bookingUnitContact, language,
                        Self.values(for: order, language: language, context).merging([
                            "name": receiver.firstName, "expert": context.privacy.nameForEmployees(expert),
                            "orderer": context.registry.person(order.orderer)?.name ?? order.orderer.rawValue,
                        ]) { _, new in new })
                        + (onSite
                            ? context.catalog.text(.bookingUnitContactOnSite, language)
                                + (onboarding.isEmpty ? "" : context.catalog.text(.bookingUnitContactOnboardingSent, language))
                            : ""),
                    nil
                ))
        }
        return messages
    }

    static let decline = FlowAction(
        signature: ActionSignature(name: "offer.decline", outcomes: ["offer_state": ["declined", "expired", "taken"]]),
        run: { context in
            var (order, index) = try pendingOffer(context)
            guard let index else { return ActionResult(slots: ["offer_state": .text(closedState(order, context))]) }
            order.offers[index].status = .declined
            order.offers[index].answeredAt = context.now
            // The next candidate is offered when the turn moves the open orders on.
            return ActionResult(slots: ["offer_state": .text("declined")], events: [.orderUpdated(order)])
        })

    static let ask = FlowAction(
        signature: ActionSignature(
            name: "offer.ask", outputs: ["held"], requiredInputs: ["question"],
            outcomes: ["question_state": ["closed", "held", "sent"]]),
        run: { context in
            let (order, index) = try pendingOffer(context)
            guard index != nil else { return ActionResult(slots: ["question_state": .text("closed")]) }
            guard case .text(let text)? = context.slots["question"] else { throw ActionFailure("slot 'question' is not text") }
            // The answer passed the guard already; a question from before the guard is read again.
            let question: GuardedText
            switch context.textGuard.check(text, from: context.person, rules: .fromExpert) {
            case .passed(let guarded, _): question = guarded
            case .held(let hold):
                return ActionResult(slots: [
                    "question_state": .text("held"),
                    "held": .text(context.catalog.describe(hold.categories, context.language)),
                ])
            case .tooLong: throw ActionFailure("question over the guard's length")
            }
            var result = ActionResult(slots: ["question_state": .text("sent")])
            if let orderer = context.registry.person(order.orderer) {
                let language = context.language(of: orderer)
                result.messages.append(
                    (
                        orderer.id,
                        context.catalog.text(
                            .relayQuestion, language,
                            [
                                "name": orderer.firstName, "sender": context.privacy.nameForEmployees(context.person),
                                "order_id": order.id.rawValue, "text": question.text, "message": context.catalog.word(.message, language),
                            ]), nil
                    ))
            }
            return result
        })

    // MARK: Helpers

    /// The order the flow shows and the index of this expert's pending offer in it, if any.
    private static func pendingOffer(_ context: ActionContext) throws -> (Order, Int?) {
        guard case .text(let id)? = context.slots["order_id"] else { throw ActionFailure("slot 'order_id' is not set") }
        guard let order = context.state.orders[OrderID(rawValue: id)] else { throw ActionFailure("order \(id) is unknown") }
        let index = order.offers.lastIndex { $0.expert == context.person.id && $0.status == .pending }
        return (order, order.status == .open ? index : nil)
    }

    /// Why an offer can no longer be answered: `expired`, or `taken` (by someone else, or the
    /// order is no longer open).
    private static func closedState(_ order: Order, _ context: ActionContext) -> String {
        order.offers.last { $0.expert == context.person.id }?.status == .expired ? "expired" : "taken"
    }

    /// The task as the offer and confirmations tell it: never the client's identity.
    static func values(for order: Order, language: Language, _ context: ActionContext) -> [String: String] {
        return [
            "order_id": order.id.rawValue,
            "task_type": context.taskName(order, language),
            "topic": context.choiceLabel("topic", order.topic, language),
            "when": context.catalog.dateTime(order.start, language, time: context.time),
            "duration": durationText(minutes: order.durationMinutes),
            "sessions": String(order.sessions.count),
            "schedule": OrderScheduleAction.text(of: order.sessions.map(\.start), language, context),
            "place": context.catalog.place(of: order, language),
            "language": context.catalog.text(order.language.nameKey, language),
            "description": order.description.text,
            "unit": context.registry.unit(order.unit)?.name ?? order.unit.rawValue,
        ]
    }

    /// The calendar event of a booking. `extra` names the expert for the employee's copy;
    /// nothing in it reaches the expert's contact details.
    static func invite(_ order: Order, language: Language, extra: String?, _ context: ActionContext) -> CalendarInvite {
        let values = values(for: order, language: language, context)
        return CalendarInvite.booking(
            order, summary: context.catalog.text(.bookingCalendarSummary, language, values),
            location: values["place"] ?? "", extra: extra)
    }
}

extension MessageCatalog {
    /// What the guard found, in words: "puhelinnumero, sähköpostiosoite".
    public func describe(_ findings: [GuardCategory], _ language: Language) -> String {
        findings.map { finding -> String in
            let key: MessageKey =
                switch finding {
                case .phone: .leakPhone
                case .email: .leakEmail
                case .matrixID: .leakMatrixID
                case .link: .leakLink
                case .iban: .leakIBAN
                case .streetAddress: .leakStreetAddress
                case .identityCode: .leakIdentityCode
                case .name: .leakName
                }
            return text(key, language)
        }.joined(separator: ", ")
    }
}
