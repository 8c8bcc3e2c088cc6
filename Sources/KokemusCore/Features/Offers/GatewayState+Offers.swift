import Foundation

/// Questions about offers that the engine and the offer flow's actions both ask.
extension GatewayState {
    /// The flow in which an expert answers an offer.
    public static let offerFlowID = "offer"

    /// The value of "no wish" among the known experts an orderer may name.
    public static let noExpertWish = "none"

    /// The experts who took an order of this orderer's, each once, in the order they first did
    /// (so that a new booking while the question is open adds a number, never moves one), at
    /// most `limit`: whom an orderer may ask for again (000 §4.2, one expert per process).
    public func expertsWorkedWith(_ orderer: PersonID, limit: Int = 20) -> [PersonID] {
        var seen: Set<PersonID> = []
        var experts: [PersonID] = []
        // By when each expert took the order: a booking made while the question is open comes last.
        let taken = orders.values.filter { $0.orderer == orderer && $0.assignment?.status == .accepted }
            .sorted { ($0.assignment?.answeredAt ?? $0.createdAt, $0.id) < ($1.assignment?.answeredAt ?? $1.createdAt, $1.id) }
        for order in taken {
            guard let assignment = order.assignment, assignment.status == .accepted, !seen.contains(assignment.expert) else {
                continue
            }
            seen.insert(assignment.expert)
            experts.append(assignment.expert)
            if experts.count == limit { break }
        }
        return experts
    }

    /// The offers waiting for this expert's answer, the nearest deadline first.
    public func pendingOffers(of expert: PersonID) -> [(order: Order, offer: Offer)] {
        orders.values.filter { $0.status == .open }
            .compactMap { order in order.pendingOffers.first { $0.expert == expert }.map { (order, $0) } }
            .sorted { ($0.offer.deadline, $0.order.id) < ($1.offer.deadline, $1.order.id) }
    }

    /// Whether the expert has the offer flow open on this order right now.
    public func isShowingOffer(_ order: OrderID, to expert: PersonID) -> Bool {
        guard let conversation = conversations[expert], conversation.flowID == Self.offerFlowID,
            case .text(let shown)? = conversation.slots["order_id"]
        else { return false }
        return shown == order.rawValue
    }
}

/// An expert pair's orders (000 §4.3, 004): the two halves point at each other
/// (`Order.pairedWith`); a substitute taken for one half points at the half still running.
extension GatewayState {
    /// The orders linked to `order` as its pair: the one it names and those naming it.
    /// Only pair orders have any, so other orders cost no scan.
    public func pairLinks(of order: Order) -> [Order] {
        guard order.taskType == .pair else { return [] }
        var links = orders.values.filter { $0.pairedWith == order.id && $0.id != order.id }
        if let named = order.pairedWith, let partner = orders[named], !links.contains(where: { $0.id == named }) {
            links.append(partner)
        }
        return links.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    /// The linked orders still to do the pair's other half of a session at `start` (open, or
    /// taken with that session planned), or, when `start` is nil, of any session this order
    /// has planned (a substitute's one session, a process's every meeting).
    public func livePairLinks(of order: Order, at start: Date? = nil) -> [Order] {
        let starts = start.map { Set([$0]) } ?? Set(order.sessions.filter { $0.status == .planned }.map(\.start))
        return pairLinks(of: order).filter { link in
            (link.status == .open || link.status == .assigned)
                && link.sessions.contains { $0.status == .planned && starts.contains($0.start) }
        }
    }
}
