import Foundation

/// An expert pair (000 §4.3, 004) once its orders are taken: a waiting half whose other half
/// no one is to do any more stands alone; a change to one half of a standing pair is told to
/// the expert of the other half, and the orderer is reminded that it did not change with it.
struct PairBookings: TurnFeature {
    var turn: ConversationTurn

    /// What happened to one session of one half of a standing pair.
    enum PartnerChange {
        case cancelled
        case expertIll
        case moved(to: Date)
    }

    mutating func settle() {
        for id in state.orders.values.filter({ $0.status == .assigned && $0.waitsForPair }).map(\.id).sorted() {
            // Only for a session still to come: a booking that never stood is not confirmed
            // afterwards (and not paid; the coordinators hear of the unfilled other half).
            guard var order = state.orders[id], order.sessions.contains(where: { $0.status == .planned && $0.start > now }),
                state.livePairLinks(of: order).isEmpty
            else { continue }
            order.pairStoodAt = now
            emit(.orderUpdated(order))
            let partners = state.pairLinks(of: order).map(\.id.rawValue).joined(separator: ", ")
            for recipient in [order.orderer] + (order.assignedExpert.map { [$0] } ?? []) {
                guard let person = engine.registry.person(recipient) else { continue }
                let language = language(of: person)
                send(
                    catalog.text(
                        .pairSolo, language,
                        [
                            "name": person.firstName, "order_id": order.id.rawValue, "partner_id": partners,
                            "when": dateTime(order.start, language),
                        ]), to: recipient)
            }
        }
    }

    /// Tells the expert of the other half of a standing pair that `session` (as it was before
    /// the change) of `order` changed, when their half of it is still planned: each half is
    /// changed by itself. The orderer is reminded how to change that half too. Nothing for a
    /// session over already (a coordinator's later correction), nor for an order that is no
    /// half of a standing pair. An illness's reason is not passed on: it is the expert's.
    mutating func tellPartner(of order: Order, session: Session, _ change: PartnerChange) {
        guard order.pairStoodAt != nil, session.end > now else { return }
        let partners = state.livePairLinks(of: order, at: session.start).filter {
            $0.status == .assigned && $0.pairStoodAt != nil && $0.assignedExpert != nil
                && $0.assignedExpert != order.assignedExpert
        }
        var told: [(order: Order, session: Session)] = []
        for partner in partners {
            guard let theirs = partner.sessions.first(where: { $0.status == .planned && $0.start == session.start }),
                let expertID = partner.assignedExpert, let expert = engine.registry.person(expertID)
            else { continue }
            let language = language(of: expert)
            var values = [
                "name": expert.firstName, "order_id": partner.id.rawValue, "partner_id": order.id.rawValue,
                "when": dateTime(session.start, language), "your_when": dateTime(theirs.start, language),
            ]
            let key: MessageKey
            switch change {
            case .cancelled: key = .pairPartnerCancelled
            case .expertIll: key = .pairPartnerIll
            case .moved(let newStart):
                key = .pairPartnerMoved
                values["new_when"] = dateTime(newStart, language)
            }
            send(catalog.text(key, language, values), to: expertID)
            told.append((partner, theirs))
        }
        guard let (partner, theirs) = told.first, let orderer = engine.registry.person(order.orderer) else { return }
        let language = language(of: orderer)
        // A command for that half's same session: its number where the order has several.
        let reference = partner.id.rawValue + (partner.sessions.count > 1 ? " \(theirs.index)" : "")
        var example = catalog.text(
            .pairOtherCancelExample, language, ["cancel": catalog.word(.cancelSession, language), "partner_ref": reference])
        if case .moved(let newStart) = change {
            example = catalog.text(
                .pairOtherMoveExample, language,
                [
                    "move": catalog.word(.move, language), "partner_ref": reference,
                    "new_when": dateTime(newStart, language),
                ])
        }
        send(
            catalog.text(
                .pairOtherStands, language,
                [
                    "name": orderer.firstName, "order_id": order.id.rawValue,
                    "partner_id": told.map(\.order.id.rawValue).joined(separator: ", "), "example": example,
                ]), to: orderer.id)
    }
}
