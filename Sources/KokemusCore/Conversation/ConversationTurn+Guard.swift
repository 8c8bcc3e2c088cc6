import Foundation

/// Where a person's free text meets the guard (`Guard/TextGuard`): relays, reasons and other
/// fields. What the guard holds is answered here and never stored; what passes comes back as
/// `GuardedText`, the only type the state's free-text fields take.
extension ConversationTurn {
    /// `text` from `person` for a field that stays in the state or goes to others, under the
    /// rules for their role. On a hold the writer is told the kinds found and nil is returned.
    /// `withRecentRelays`: a text others read for a long time (an expert's introduction) is read
    /// with the ends of the writer's last relays, as a relay is, so that a number split between
    /// it and a relay is seen whole, and its end is kept to read the next one with.
    mutating func guardedField(_ text: String, from person: Person, channel: Channel?, withRecentRelays: Bool = false) -> GuardedText? {
        let language = language(of: person)
        let earlier = withRecentRelays ? state.recentTails[person.id] ?? [] : []
        switch engine.textGuard.check(text, from: person, rules: .forText(from: person), earlier: earlier) {
        case .passed(let guarded, _):
            if withRecentRelays {
                emit(.textPassed(person: person.id, tail: String(guarded.text.suffix(GatewayState.recentTailLength))))
            }
            return guarded
        case .held(let hold):
            send(
                catalog.text(.textHeld, language, ["name": person.firstName, "kinds": catalog.describe(hold.categories, language)]),
                to: person.id, channel: channel)
        case .tooLong(let length, let maximum):
            send(
                catalog.text(.textTooLong, language, ["length": String(length), "max": String(maximum)]),
                to: person.id, channel: channel)
        }
        return nil
    }

    /// A relay's text through the guard. The sender's own signature is cut (they are told
    /// once); the end of what passes is kept to read with their next relay (a number split
    /// over messages). A hold is recorded by kinds and fingerprint only, the sender told the
    /// kinds and the hold's id; a text a coordinator released passes once.
    mutating func guardedRelay(
        _ text: String, about order: Order, from sender: Person, rules: GuardRules,
        channel: Channel?
    ) -> GuardedText? {
        let language = language(of: sender)
        let verdict = engine.textGuard.check(
            text, from: sender, rules: rules, earlier: state.recentTails[sender.id] ?? [],
            stripSignature: true)
        switch verdict {
        case .passed(let guarded, let signatureRemoved):
            emit(.textPassed(person: sender.id, tail: String(guarded.text.suffix(GatewayState.recentTailLength))))
            if signatureRemoved, !state.signatureNoticed.contains(sender.id) {
                emit(.signatureNoticeSent(person: sender.id))
                send(catalog.text(.signatureRemoved, language, ["name": sender.firstName]), to: sender.id, channel: channel)
            }
            return guarded
        case .held(let hold):
            for held in state.heldTexts.values.sorted(by: { $0.at < $1.at }) {
                if let released = engine.textGuard.released(text, from: sender.id, matching: held) {
                    emit(.heldTextResent(id: held.id))
                    engine.logger.notice("guard: a released text passed", metadata: ["held": "\(held.id)", "sender": "\(sender.id)"])
                    return released
                }
            }
            let id = "P-\(state.nextHeldNumber)"
            emit(
                .textHeld(
                    HeldText(
                        id: id, sender: sender.id, order: order.id, categories: hold.categories,
                        fingerprint: hold.fingerprint, at: now)))
            engine.logger.notice(
                "guard: relay held",
                metadata: [
                    "held": "\(id)", "sender": "\(sender.id)", "order": "\(order.id)",
                    "kinds": "\(hold.categories.map(\.rawValue).joined(separator: ","))",
                ])
            send(
                catalog.text(
                    .relayHeld, language,
                    [
                        "name": sender.firstName, "order_id": order.id.rawValue,
                        "kinds": catalog.describe(hold.categories, language), "held_id": id,
                    ]),
                to: sender.id, channel: channel)
        case .tooLong(let length, let maximum):
            send(
                catalog.text(
                    .relayTooLong, language,
                    [
                        "order_id": order.id.rawValue, "length": String(length),
                        "max": String(maximum),
                    ]),
                to: sender.id, channel: channel)
        }
        return nil
    }

    /// `vapauta P-3`: a coordinator releases a held relay as a false alarm. Its sender is told
    /// to send the same text again, which then passes once; both are in the journal.
    mutating func releaseHeld(_ argument: String, by coordinator: Person, channel: Channel) {
        let language = language(of: coordinator)
        let id = argument.uppercased()
        guard let held = state.heldTexts[id], held.releasedBy == nil else {
            send(catalog.text(.heldUnknown, language, ["held_id": argument]), to: coordinator.id, channel: channel)
            return
        }
        emit(.heldTextReleased(id: id, by: coordinator.id, at: now))
        engine.logger.notice("guard: held relay released", metadata: ["held": "\(id)", "by": "\(coordinator.id)"])
        let sender = engine.registry.person(held.sender)
        send(
            catalog.text(
                .heldReleased, language,
                [
                    "held_id": id, "sender": sender.map { "\($0.name) (\($0.id))" } ?? held.sender.rawValue,
                    "kinds": catalog.describe(held.categories, language),
                ]),
            to: coordinator.id, channel: channel)
        if let sender {
            let theirs = self.language(of: sender)
            send(
                catalog.text(
                    .heldReleasedSender, theirs,
                    [
                        "name": sender.firstName, "held_id": id,
                        "order_id": held.order?.rawValue ?? "",
                        "message": catalog.word(.message, theirs),
                    ]),
                to: sender.id)
        }
    }
}
