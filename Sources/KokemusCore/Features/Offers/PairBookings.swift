import Foundation

/// An expert pair (000 §4.3, 004) once its orders are taken: a waiting order whose other
/// order was cancelled stands alone; a change to one order of a standing pair is told to the
/// other expert, and the orderer is reminded that the other order did not change with it.
struct PairBookings: TurnFeature {
    var turn: ConversationTurn

    /// What happened to one session of one order of a standing pair.
    enum PartnerChange {
        case cancelled
        case expertIll
        case moved(to: Date)
    }

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

    /// Tells the other expert of a standing pair that `session` of `order` changed (the
    /// other order stays as it was: each order is changed by itself), and reminds the orderer
    /// how to change the other order too. Nothing for an order that is not half of a pair
    /// standing with two experts. The expert's reason is not passed on: an illness is theirs.
    mutating func tellPartner(of order: Order, session: Session, _ change: PartnerChange) {
        guard order.pairStoodAt != nil else { return }
        // The other order, and a substitute taken for it (paired with this one, not it with them).
        let partners = state.orders.values.filter {
            ($0.id == order.pairedWith || $0.pairedWith == order.id) && $0.id != order.id && $0.status == .assigned
                && $0.pairStoodAt != nil && $0.assignedExpert != nil && $0.assignedExpert != order.assignedExpert
        }
        .sorted { $0.id.rawValue < $1.id.rawValue }
        guard !partners.isEmpty else { return }
        for partner in partners { tell(partner, of: order, session: session, change) }
        guard let partner = partners.first(where: { $0.id == order.pairedWith }) ?? partners.first else { return }
        if let orderer = engine.registry.person(order.orderer) {
            let language = language(of: orderer)
            send(
                catalog.text(
                    .pairOtherStands, language,
                    [
                        "name": orderer.firstName, "order_id": order.id.rawValue, "partner_id": partner.id.rawValue,
                        "cancel": catalog.word(.cancelSession, language), "move": catalog.word(.move, language),
                        "substitute": catalog.word(.substitute, language),
                    ]), to: orderer.id)
        }
    }

    private mutating func tell(_ partner: Order, of order: Order, session: Session, _ change: PartnerChange) {
        guard let partnerExpertID = partner.assignedExpert else { return }
        let theirSession = partner.sessions.filter { $0.status == .planned && $0.start > now }.min { $0.start < $1.start }
        if let expert = engine.registry.person(partnerExpertID) {
            let language = language(of: expert)
            var values = [
                "name": expert.firstName, "order_id": partner.id.rawValue, "partner_id": order.id.rawValue,
                "when": dateTime(session.start, language),
                "your_when": theirSession.map { dateTime($0.start, language) } ?? "-",
            ]
            let key: MessageKey
            switch change {
            case .cancelled: key = .pairPartnerCancelled
            case .expertIll: key = .pairPartnerIll
            case .moved(let newStart):
                key = .pairPartnerMoved
                values["new_when"] = dateTime(newStart, language)
            }
            send(catalog.text(key, language, values), to: partnerExpertID)
        }
    }
}
