import Foundation

/// Questions about offers that the engine and the offer flow's actions both ask.
extension GatewayState {
    /// The flow in which an expert answers an offer.
    public static let offerFlowID = "offer"

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
