import Foundation

/// `offer.travel`: after taking an on-site task, the expert states the travel per session
/// (kilometres there and back, and other costs such as a bus ticket); the orderer is asked to
/// confirm or adjust it (`matkat T-… kyllä`, `matkat T-… 20 3,30`), because travel is paid
/// only when agreed with the employee in advance (000 §6.2). Nothing stated, nothing to agree.
enum TravelActions {
    static let state = FlowAction(
        signature: ActionSignature(
            name: "offer.travel", requiredInputs: ["travel_km", "travel_costs"],
            outcomes: ["travel_state": ["none", "proposed", "closed"], "booking": ["stands", "waits"]]),
        run: { context in
            guard case .text(let id)? = context.slots["order_id"], var order = context.state.orders[OrderID(rawValue: id)]
            else { throw ActionFailure("offer.travel needs the order offer.load set") }
            guard order.assignedExpert == context.person.id else { return ActionResult(slots: ["travel_state": .text("closed")]) }
            // Read again: the pair's other half may have been taken while the travel was asked.
            let booking = SlotValue.text(order.waitsForPair ? "waits" : "stands")
            var kilometres = 0
            if case .integer(let km)? = context.slots["travel_km"] { kilometres = min(max(km, 0), TravelAgreement.maximumKilometres) }
            var costs = Money.zero
            if case .money(let cents)? = context.slots["travel_costs"], cents > 0, Money(cents: cents).isPlausible {
                costs = Money(cents: cents)
            }
            guard kilometres > 0 || costs > .zero else {
                return ActionResult(slots: ["travel_state": .text("none"), "booking": booking])
            }
            order.travel = TravelAgreement(kilometres: kilometres, otherCosts: costs, proposedAt: context.now)
            var result = ActionResult(slots: ["travel_state": .text("proposed"), "booking": booking], events: [.orderUpdated(order)])
            if let orderer = context.registry.person(order.orderer) {
                let language = context.language(of: orderer)
                var values = figures(order.travel!, of: order, language, context)
                values["name"] = orderer.firstName
                values["expert"] = context.privacy.nameForEmployees(context.person)
                values["order_id"] = order.id.rawValue
                values["travel"] = context.catalog.word(.travel, language)
                values["yes"] = context.catalog.text(.yes, language)
                values["no"] = context.catalog.text(.no, language)
                result.messages.append((orderer.id, context.catalog.text(.travelProposed, language, values), nil))
            }
            return result
        })

    /// `km`, `km_euros` (by the kilometre rate of the order's year) and `costs`, as people read them.
    static func figures(_ travel: TravelAgreement, of order: Order, _ language: Language, _ context: ActionContext)
        -> [String: String]
    {
        figures(travel, of: order, language, fees: context.fees, time: context.time)
    }

    static func figures(_ travel: TravelAgreement, of order: Order, _ language: Language, fees: FeeSchedule, time: LocalTime)
        -> [String: String]
    {
        let rate = fees.kilometreRate(year: time.year(of: order.start))
        let euros = Money(cents: min(rate.cents, Money.limit.cents / max(travel.kilometres, 1)) * travel.kilometres)
        return [
            "km": String(travel.kilometres), "km_euros": euros.text(language), "costs": travel.otherCosts.text(language),
        ]
    }
}
