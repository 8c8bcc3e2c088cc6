import Foundation

/// An expert pair whose other order was cancelled while one expert waited for it: the
/// waiting order stands alone, and its expert and orderer are told so (000 §4.3, 004).
struct PairBookings: TurnFeature {
    var turn: ConversationTurn

    mutating func settle() {
        for id in state.orders.values.filter({ $0.status == .assigned && $0.waitsForPair }).map(\.id).sorted() {
            guard var order = state.orders[id], let partnerID = order.pairedWith,
                let partner = state.orders[partnerID], partner.status == .cancelled || partner.status == .completed
            else { continue }
            order.pairStoodAt = now
            emit(.orderUpdated(order))
            for recipient in [order.orderer] + (order.assignedExpert.map { [$0] } ?? []) {
                guard let person = engine.registry.person(recipient) else { continue }
                let language = language(of: person)
                send(
                    catalog.text(
                        .pairSolo, language,
                        [
                            "name": person.firstName, "order_id": order.id.rawValue, "partner_id": partner.id.rawValue,
                            "when": dateTime(order.start, language),
                        ]), to: recipient)
            }
        }
    }
}
