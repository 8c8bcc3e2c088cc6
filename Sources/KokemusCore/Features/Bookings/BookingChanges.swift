import Foundation

/// Changes to a booked task, given as chat commands with the order's id: cancelling,
/// moving (needs the expert's yes), a client who did not come, an expert who fell ill,
/// a substitute for them, and a group stopped by the coordinator. Each decision is stored
/// on the session with who made it, when and why, and told to both parties in plain words.
struct BookingChanges: TurnFeature {
    var turn: ConversationTurn

    mutating func change(_ command: ChatCommand, _ arguments: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        let first = arguments.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        guard let (order, rest) = order(in: arguments), order.involves(person.id) || person.has(.coordinator) else {
            // An order that does not exist and one that is not theirs get the same answer.
            if Order.looksLikeID(first) {
                send(catalog.text(.orderUnknown, language, ["order_id": first]), to: person.id, channel: channel)
            } else {
                send(catalog.text(.changeUsage, language, changeWords(language)), to: person.id, channel: channel)
            }
            return
        }
        guard order.status == .open || order.status == .assigned else {
            send(
                catalog.text(
                    .orderClosed, language,
                    [
                        "order_id": order.id.rawValue,
                        "state": catalog.text(statusKey(order.status), language),
                    ]),
                to: person.id, channel: channel)
            return
        }
        // Before an expert has taken it an order can only be cancelled; said, not ignored.
        guard order.status == .assigned || command == .cancelSession else {
            send(
                catalog.text(
                    .changeNotBooked, language,
                    [
                        "order_id": order.id.rawValue,
                        "cancel": catalog.word(.cancelSession, language),
                    ]),
                to: person.id, channel: channel)
            return
        }
        let isOrderer = order.orderer == person.id || person.has(.coordinator)
        let isExpert = order.assignedExpert == person.id
        let refuse = { (turn: inout BookingChanges) in
            turn.send(
                turn.catalog.text(.changeNotAllowed, language, ["order_id": order.id.rawValue]),
                to: person.id, channel: channel)
        }
        switch command {
        case .cancelSession:
            guard isOrderer else { return refuse(&self) }
            cancel(order, rest, by: person, channel: channel)
        case .move:
            if isExpert, let answer = yesNo(rest) {
                answerMove(order, yes: answer, by: person, channel: channel)
            } else if order.orderer == person.id || person.has(.coordinator) {
                proposeMove(order, rest, by: person, channel: channel)
            } else {
                refuse(&self)
            }
        case .noShow:
            if isOrderer, let answer = noShowAnswer(rest) {
                answerNoShow(order, session: answer.session, confirmed: answer.yes, by: person, channel: channel)
            } else if isOrderer {
                recordNoShow(order, rest, by: person, channel: channel)
            } else if isExpert {
                claimNoShow(order, rest, by: person, channel: channel)
            } else {
                refuse(&self)
            }
        case .ill:
            guard isExpert || person.has(.coordinator) else { return refuse(&self) }
            recordIllness(order, rest, by: person, channel: channel)
        case .substitute:
            guard isOrderer else { return refuse(&self) }
            findSubstitute(order, rest, by: person, channel: channel)
        case .withdraw:
            guard isExpert else { return refuse(&self) }
            withdraw(order, rest, by: person, channel: channel)
        case .travel:
            // Not the expert's own travel, even for a coordinator who is also an expert.
            guard isOrderer, !isExpert else { return refuse(&self) }
            agreeTravel(order, rest, by: person, channel: channel)
        case .stopGroup, .release:
            guard person.has(.coordinator) else {
                send(catalog.text(.coordinatorOnly, language, ["name": person.firstName]), to: person.id, channel: channel)
                return
            }
            if command == .stopGroup {
                stopGroup(order, rest, by: person, channel: channel)
            } else {
                releaseSession(order, rest, by: person, channel: channel)
            }
        default:
            break
        }
    }

    // MARK: Cancelling

    private mutating func cancel(_ order: Order, _ rest: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        var order = order
        if order.status == .open {
            // No expert yet: the whole order goes, and the experts holding offers are told.
            guard !rest.isEmpty else { return askForReason(.cancelSession, order, person, channel) }
            guard let reason = guardedField(rest, from: person, channel: channel) else { return }
            order.status = .cancelled
            var withdrawn: [PersonID] = []
            for index in order.offers.indices where order.offers[index].status == .pending {
                order.offers[index].status = .withdrawn
                order.offers[index].answeredAt = now
                withdrawn.append(order.offers[index].expert)
            }
            for index in order.sessions.indices {
                order.sessions[index].status = .cancelledFree
                order.sessions[index].decision = SessionDecision(by: person.id, at: now, reason: reason)
            }
            emit(.orderUpdated(order))
            for expert in withdrawn {
                lend(to: OfferRound.self) { $0.endOfferConversation(of: expert, about: order.id) }
                guard let them = engine.registry.person(expert) else { continue }
                send(
                    catalog.text(.offerWithdrawn, self.language(of: them), ["name": them.firstName, "order_id": order.id.rawValue]),
                    to: expert)
                lend(to: OfferRound.self) { $0.presentWaitingOffer(to: expert) }
            }
            send(
                catalog.text(.orderCancelled, language, ["order_id": order.id.rawValue, "reason": reason.text]),
                to: person.id, channel: channel)
            return
        }
        guard order.status == .assigned, let (session, reason) = session(of: order, in: rest, person, channel) else { return }
        guard now < session.start else {
            send(
                catalog.text(
                    .changeTooLate, language,
                    [
                        "order_id": order.id.rawValue,
                        "when": dateTime(session.start, language),
                        "no_show": catalog.word(.noShow, language),
                    ]),
                to: person.id, channel: channel)
            return
        }
        guard !reason.isEmpty else { return askForReason(.cancelSession, order, person, channel) }
        guard let guarded = guardedField(reason, from: person, channel: channel) else { return }
        if order.taskType == .group {
            // 000 §6.2: a group's agreed sessions are paid however early one is called off,
            // unless the reason is compelling or agreed in advance, which the coordinator judges.
            decide(
                session, of: order, .cancelledPaid, reason: guarded, by: person, message: .groupSessionCancelledPaid,
                calendar: .cancel)
            return
        }
        let free = CancellationRule(time: engine.time).isFree(cancellingAt: now, sessionStart: session.start)
        decide(
            session, of: order, free ? .cancelledFree : .cancelledPaid, reason: guarded, by: person,
            message: free ? .sessionCancelledFree : .sessionCancelledPaid, calendar: .cancel)
    }

    // MARK: Moving

    private mutating func proposeMove(_ order: Order, _ rest: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        guard order.status == .assigned, let expertID = order.assignedExpert,
            let (session, whenText) = session(of: order, in: rest, person, channel)
        else { return }
        guard case .success(.dateTime(let newStart)) = engine.parser.parse(whenText, as: .dateTime(notPast: true), now: now),
            newStart > now
        else {
            send(
                catalog.text(.moveUsage, language, changeWords(language).merging(["order_id": order.id.rawValue]) { a, _ in a }),
                to: person.id, channel: channel)
            return
        }
        // A half of a pair not yet standing: its other half is still offered at the old time.
        guard !order.waitsForPair else {
            send(catalog.text(.pairMoveWaits, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
            return
        }
        var changed = order
        changed.pendingMove = MoveRequest(sessionIndex: session.index, newStart: newStart, requestedBy: person.id, requestedAt: now)
        emit(.orderUpdated(changed))
        send(
            catalog.text(.moveProposed, language, ["order_id": order.id.rawValue, "new_when": dateTime(newStart, language)]),
            to: person.id, channel: channel)
        guard let expert = engine.registry.person(expertID) else { return }
        let theirs = self.language(of: expert)
        send(
            catalog.text(
                .moveAskExpert, theirs,
                [
                    "name": expert.firstName, "order_id": order.id.rawValue, "when": dateTime(session.start, theirs),
                    "new_when": dateTime(newStart, theirs), "move": catalog.word(.move, theirs),
                    "yes": catalog.text(.yes, theirs), "no": catalog.text(.no, theirs),
                ]), to: expertID)
    }

    private mutating func answerMove(_ order: Order, yes: Bool, by expert: Person, channel: Channel) {
        let language = language(of: expert)
        guard let move = order.pendingMove,
            let session = order.sessions.first(where: { $0.index == move.sessionIndex && $0.status == .planned })
        else {
            send(catalog.text(.moveNone, language, ["order_id": order.id.rawValue]), to: expert.id, channel: channel)
            return
        }
        var changed = order
        changed.pendingMove = nil
        if yes {
            guard let index = changed.sessions.firstIndex(where: { $0.index == move.sessionIndex }) else { return }
            // The order's start stays: it anchors the weekly series the calendar's occurrences count from.
            changed.sessions[index].start = move.newStart
            // Moved to come, it is a session still to be held: whatever was asked or answered
            // about it ("Toteutuiko?") was about the old time.
            changed.sessions[index].checkAskedAt = nil
            changed.sessions[index].check = nil
            changed.calendarSequence += 1
        }
        emit(.orderUpdated(changed))
        for recipient in [order.orderer, expert.id] {
            guard let person = engine.registry.person(recipient) else { continue }
            let theirs = self.language(of: person)
            let values = [
                "name": person.firstName, "order_id": order.id.rawValue, "when": dateTime(session.start, theirs),
                "new_when": dateTime(move.newStart, theirs), "cancel": catalog.word(.cancelSession, theirs),
            ]
            let moved = changed.sessions.first { $0.index == move.sessionIndex }!
            send(
                catalog.text(yes ? .moveAccepted : .moveDeclined, theirs, values), to: recipient,
                channel: recipient == expert.id ? channel : nil,
                calendar: yes ? calendarChange(moved, of: changed, for: person, method: .request) : nil)
        }
        if yes { lend(to: PairBookings.self) { $0.tellPartner(of: changed, session: session, .moved(to: move.newStart)) } }
    }

    // MARK: Outcomes

    /// The session a no-show names and the rest of the text, once the session has begun;
    /// else the person is told why not and nil is returned.
    private mutating func begunSession(of order: Order, in rest: String, _ person: Person, _ channel: Channel)
        -> (Session, rest: String)?
    {
        guard order.status == .assigned, let (session, text) = session(of: order, in: rest, person, channel) else { return nil }
        guard now >= session.start else {
            send(
                catalog.text(.noShowTooEarly, language(of: person), ["when": dateTime(session.start, language(of: person))]),
                to: person.id, channel: channel)
            return nil
        }
        return (session, text)
    }

    private mutating func recordNoShow(_ order: Order, _ rest: String, by person: Person, channel: Channel) {
        guard let (session, reason) = begunSession(of: order, in: rest, person, channel) else { return }
        let group = order.taskType == .group
        guard let reason = guardedField(reason, from: person, channel: channel) else { return }
        decide(
            session, of: order, group ? .noParticipants : .clientNoShow, reason: reason, by: person,
            message: group ? .noParticipantsRecorded : .noShowRecorded, calendar: nil)
    }

    /// The expert says no one came: the orderer is asked to confirm before a paid no-show is
    /// recorded; until then the session stands as planned. One claim a session: asked once, and
    /// after the orderer disputed it the coordinator decides, not another claim.
    private mutating func claimNoShow(_ order: Order, _ rest: String, by expert: Person, channel: Channel) {
        let language = language(of: expert)
        guard let (session, reason) = begunSession(of: order, in: rest, expert, channel) else { return }
        let values = ["order_id": sessionReference(order, session), "when": dateTime(session.start, language)]
        if let claim = session.noShowClaim {
            send(
                catalog.text(claim.disputedAt == nil ? .noShowClaimed : .noShowDisputed, language, values),
                to: expert.id, channel: channel)
            return
        }
        guard let reason = guardedField(reason, from: expert, channel: channel) else { return }
        var changed = order
        guard let index = changed.sessions.firstIndex(where: { $0.index == session.index }) else { return }
        changed.sessions[index].noShowClaim = NoShowClaim(claimedBy: expert.id, claimedAt: now, reason: reason)
        emit(.orderUpdated(changed))
        send(catalog.text(.noShowClaimed, language, values), to: expert.id, channel: channel)
        guard let orderer = engine.registry.person(order.orderer) else { return }
        let theirs = self.language(of: orderer)
        send(
            catalog.text(
                .noShowConfirmAsk, theirs,
                [
                    "name": orderer.firstName, "expert": engine.privacy.nameForEmployees(expert),
                    "order_id": sessionReference(order, session),
                    "when": dateTime(session.start, theirs), "no_show": catalog.word(.noShow, theirs),
                    "yes": catalog.text(.yes, theirs), "no": catalog.text(.no, theirs),
                ]), to: orderer.id)
    }

    /// `T-2026-0001`, or `T-2026-0003 2` for a session of an order of several: what to write
    /// after the command to name it.
    private func sessionReference(_ order: Order, _ session: Session) -> String {
        order.sessions.count > 1 ? "\(order.id.rawValue) \(session.index)" : order.id.rawValue
    }

    /// The orderer's `[n] kyllä|ei`, when the rest of their `poissa` says only that.
    func noShowAnswer(_ rest: String) -> (session: Int?, yes: Bool)? {
        let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let last = words.last, let answer = yesNo(last) else { return nil }
        if words.count == 1 { return (nil, answer) }
        if words.count == 2, let number = Int(words[0].trimmingCharacters(in: CharacterSet(charactersIn: "#."))) {
            return (number, answer)
        }
        return nil
    }

    /// The orderer's answer to the expert's no-show record: yes records it (paid, in the
    /// expert's words, confirmed by them), no leaves the session as it was and tells the
    /// expert and the coordinators, who decide.
    private mutating func answerNoShow(_ order: Order, session number: Int?, confirmed: Bool, by person: Person, channel: Channel) {
        let language = language(of: person)
        let waiting = order.sessions.filter { session in
            session.status == .planned && session.noShowClaim != nil && session.noShowClaim?.disputedAt == nil
                && (number == nil || session.index == number)
        }
        guard waiting.count == 1, let session = waiting.first, let claim = session.noShowClaim,
            let index = order.sessions.firstIndex(where: { $0.index == session.index })
        else {
            let key: MessageKey = waiting.isEmpty ? .noShowNone : .noShowWhich
            send(
                catalog.text(
                    key, language,
                    [
                        "order_id": order.id.rawValue, "no_show": catalog.word(.noShow, language),
                        "yes": catalog.text(.yes, language),
                    ]),
                to: person.id, channel: channel)
            return
        }
        if confirmed {
            let group = order.taskType == .group
            let expert = engine.registry.person(claim.claimedBy) ?? person
            decide(
                session, of: order, group ? .noParticipants : .clientNoShow, reason: claim.reason, by: expert,
                message: group ? .noParticipantsRecorded : .noShowRecorded, calendar: nil, confirmedBy: person.id,
                at: claim.claimedAt)
            if person.id != order.orderer {
                send(catalog.text(.changeRecorded, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
            }
            return
        }
        var changed = order
        changed.sessions[index].noShowClaim?.disputedAt = now
        emit(.orderUpdated(changed))
        let expert = engine.registry.person(claim.claimedBy)
        for recipient in [claim.claimedBy] + engine.registry.coordinators.map(\.id) where recipient != person.id {
            guard let them = engine.registry.person(recipient) else { continue }
            let theirs = self.language(of: them)
            var values = ["order_id": sessionReference(order, session), "when": dateTime(session.start, theirs)]
            if recipient != claim.claimedBy, let expert {
                // The coordinator decides: who said it and what, beside the order.
                values["order_id"] =
                    sessionReference(order, session)
                    + " (\(expert.name), \(expert.id): \(claim.reason.isEmpty ? "-" : claim.reason.text))"
            }
            send(catalog.text(.noShowDisputed, theirs, values), to: recipient)
        }
        send(catalog.text(.changeRecorded, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
    }

    private mutating func recordIllness(_ order: Order, _ rest: String, by person: Person, channel: Channel) {
        guard order.status == .assigned, let (session, reason) = session(of: order, in: rest, person, channel) else { return }
        let language = language(of: person)
        guard now < session.end else {
            send(
                catalog.text(
                    .changeTooLate, language,
                    [
                        "order_id": order.id.rawValue, "when": dateTime(session.start, language),
                        "no_show": catalog.word(.noShow, language),
                    ]),
                to: person.id, channel: channel)
            return
        }
        guard let reason = guardedField(reason, from: person, channel: channel) else { return }
        decide(session, of: order, .expertIll, reason: reason, by: person, message: .expertIllRecorded, calendar: .cancel)
    }

    /// A new order for the session the ill expert cannot do, offered to others; the ill
    /// expert is not asked.
    private mutating func findSubstitute(_ order: Order, _ rest: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        let chosen = Int(rest.split(whereSeparator: \.isWhitespace).first ?? "")
        let ill = order.sessions.filter {
            ($0.status == .expertIll || $0.status == .expertWithdrew) && $0.start > now + MatchingPolicy.minimumAnswerTime
                && (chosen == nil || $0.index == chosen)
        }
        let taken = Set(state.orders.values.filter { $0.replaces == order.id }.map(\.start))
        guard let session = ill.first(where: { !taken.contains($0.start) }) else {
            send(catalog.text(.substituteNone, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
            return
        }
        let substitute = substituteOrder(for: order, sessions: [session])
        send(
            catalog.text(
                .substituteStarted, language,
                [
                    "order_id": order.id.rawValue, "when": dateTime(session.start, language),
                    "new_order_id": substitute.id.rawValue,
                ]),
            to: person.id, channel: channel)
    }

    /// A new order for sessions the expert cannot do, offered to others (never to them, nor
    /// to anyone ill or gone for those sessions down a chain of substitutes or in the pair's
    /// other half); recorded here, and returned.
    private mutating func substituteOrder(for order: Order, sessions: [Session]) -> Order {
        let year = engine.time.year(of: now)
        let number = (state.orderNumbers[year] ?? 0) + 1
        let first = sessions.min { $0.start < $1.start } ?? sessions[0]
        let copies =
            sessions.count == 1
            ? [Session(index: 0, start: first.start, durationMinutes: first.durationMinutes)]
            : sessions.sorted { $0.start < $1.start }.enumerated().map {
                Session(index: $0.offset + 1, start: $0.element.start, durationMinutes: $0.element.durationMinutes)
            }
        var substitute = Order(
            id: OrderID(year: year, number: number), orderer: order.orderer, unit: order.unit,
            taskType: order.taskType, topic: order.topic, start: first.start,
            durationMinutes: first.durationMinutes, sessions: copies,
            place: order.place, language: order.language, audience: order.audience,
            description: order.description, createdAt: now)
        substitute.replaces = order.id
        // The same task as the catalogue names it, and a group's agreed stop reasons.
        substitute.task = order.task
        substitute.agreedStopReasons = order.agreedStopReasons
        // A group not yet begun: its planning goes with it to whoever runs it.
        if order.taskType == .group, !order.sessions.contains(where: { $0.start <= now }) {
            substitute.planningMinutes = order.planningMinutes
        }
        // Half of an expert pair: the substitute is paired with the half still to do this
        // session (never its expert, and told of its changes); none left, it stands alone.
        substitute.pairedWith = state.livePairLinks(of: order, at: sessions.count == 1 ? first.start : nil).first?.id
        let starts = Set(sessions.map(\.start))
        let goneInPair = state.pairLinks(of: order).filter { link in
            link.sessions.contains { starts.contains($0.start) && ($0.status == .expertIll || $0.status == .expertWithdrew) }
        }
        .compactMap(\.assignment?.expert)
        substitute.excludedExperts = Array(Set(order.excludedExperts + (order.assignment.map { [$0.expert] } ?? []) + goneInPair))
            .sorted { $0.rawValue < $1.rawValue }
        emit(.orderCreated(substitute, year: year, number: number))
        return substitute
    }

    // MARK: Withdrawing

    /// The expert gives up a booked session (`luovu T-… [n] [syy]`) or every one to come
    /// (`luovu T-… kaikki [syy]`) for any reason (004): no fee; the orderer and the
    /// coordinators are told at once (the coordinators with the reason, and whether it came
    /// after the free cancellation deadline); the sessions still far enough ahead are offered
    /// to others as one new order, never to this expert.
    private mutating func withdraw(_ order: Order, _ rest: String, by expert: Person, channel: Channel) {
        let language = language(of: expert)
        let first = rest.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        var sessions: [Session]
        var reasonText: String
        if catalog.vocabulary.all.contains(first.lowercased()) {
            sessions = order.sessions.filter { $0.status == .planned && $0.start > now }
            reasonText = String(rest.dropFirst(first.count)).trimmed
            guard !sessions.isEmpty else {
                send(catalog.text(.changeNoSession, language, ["order_id": order.id.rawValue]), to: expert.id, channel: channel)
                return
            }
        } else {
            guard let (session, rest) = session(of: order, in: rest, expert, channel) else { return }
            guard now < session.start else {
                send(
                    catalog.text(
                        .withdrawTooLate, language,
                        [
                            "order_id": order.id.rawValue, "when": dateTime(session.start, language),
                            "message": catalog.word(.message, language),
                        ]),
                    to: expert.id, channel: channel)
                return
            }
            sessions = [session]
            reasonText = rest
        }
        guard let reason = guardedField(reasonText, from: expert, channel: channel) else { return }
        sessions.sort { $0.start < $1.start }
        var changed = order
        for session in sessions {
            guard let index = changed.sessions.firstIndex(where: { $0.index == session.index }) else { continue }
            changed.sessions[index].status = .expertWithdrew
            changed.sessions[index].decision = SessionDecision(by: expert.id, at: now, reason: reason)
            changed.sessions[index].noShowClaim = nil
            if changed.pendingMove?.sessionIndex == session.index { changed.pendingMove = nil }
        }
        changed.calendarSequence += 1
        // Nothing left to do or paid: the order is closed (the new order carries the work on).
        if changed.sessions.allSatisfy({ [.expertWithdrew, .expertIll, .cancelledFree, .groupStopped].contains($0.status) }) {
            changed.status = .cancelled
        }
        emit(.orderUpdated(changed))
        // One lend for all of them (a lend inside a loop, its closure holding `changed`,
        // crashed the optimiser of Swift 6.3.1 in a release build).
        let told = changed
        lend(to: PairBookings.self) { pairs in
            for session in sessions { pairs.tellPartner(of: told, session: session, .expertIll) }
        }
        // The pair's other orders for these sessions, still open (a substitute not yet taken),
        // are never offered to the one who gave them up.
        let starts = Set(sessions.map(\.start))
        for link in state.pairLinks(of: order) + state.orders.values.filter({ $0.replaces == order.id })
        where link.status == .open && link.sessions.contains(where: { starts.contains($0.start) })
            && !link.excludedExperts.contains(expert.id)
        {
            var excluded = link
            excluded.excludedExperts.append(expert.id)
            emit(.orderUpdated(excluded))
        }
        // Offered to others only where there is time to answer; the rest is the coordinator's.
        let offerable = sessions.filter { $0.start > now + MatchingPolicy.minimumAnswerTime }
        let substitute = offerable.isEmpty ? nil : substituteOrder(for: order, sessions: offerable)
        let time = engine.time
        let catalog = self.catalog
        let startList = sessions.map(\.start)
        let whenText = { (language: Language) in startList.map { catalog.dateTime($0, language, time: time) }.joined(separator: ", ") }
        let newID = substitute?.id.rawValue ?? ""

        let calendar = withdrawalCalendar(sessions, of: changed, waitedForPair: order.waitsForPair, for: expert)
        send(
            catalog.text(
                .withdrawnExpert, language,
                [
                    "name": expert.firstName, "order_id": order.id.rawValue, "when": whenText(language),
                    "offered": substitute == nil ? "" : catalog.text(.withdrawnExpertOffered, language, ["new_order_id": newID]),
                ]), to: expert.id, channel: channel, calendar: calendar)
        // The orderer, never the reason (it is the expert's own).
        if let orderer = engine.registry.person(order.orderer) {
            let theirs = self.language(of: orderer)
            send(
                catalog.text(
                    .withdrawnOrderer, theirs,
                    [
                        "name": orderer.firstName, "expert": engine.privacy.nameForEmployees(expert),
                        "order_id": order.id.rawValue, "when": whenText(theirs),
                        "offered": substitute == nil
                            ? catalog.text(.withdrawnOrdererNotOffered, theirs)
                            : catalog.text(.withdrawnOrdererOffered, theirs, ["new_order_id": newID]),
                    ]), to: orderer.id, calendar: withdrawalCalendar(sessions, of: changed, waitedForPair: order.waitsForPair, for: orderer)
            )
        }
        // The coordinators, with the reason and whether it was late.
        let deadline = CancellationRule(time: engine.time).freeCancellationDeadline(for: sessions[0].start)
        for coordinator in engine.registry.people(with: .coordinator) where coordinator.id != expert.id {
            let theirs = self.language(of: coordinator)
            send(
                catalog.text(
                    .withdrawnCoordinator, theirs,
                    [
                        "expert": "\(expert.name) (\(expert.id))", "order_id": order.id.rawValue,
                        "unit": engine.registry.unit(order.unit)?.name ?? order.unit.rawValue,
                        "orderer": engine.registry.person(order.orderer)?.name ?? order.orderer.rawValue,
                        "when": whenText(theirs), "reason": reason.isEmpty ? "-" : reason.text,
                        "late": now > deadline
                            ? catalog.text(.withdrawnCoordinatorLate, theirs, ["deadline": dateTime(deadline, theirs)]) : "",
                        "offered": substitute == nil
                            ? catalog.text(.withdrawnCoordinatorNotOffered, theirs)
                            : catalog.text(.withdrawnCoordinatorOffered, theirs, ["new_order_id": newID]),
                    ]), to: coordinator.id)
        }
    }

    /// The calendar change a withdrawal sends: one session called off, or the series as it
    /// stands now; none for half a pair that never stood (no invitation was ever sent for it).
    private func withdrawalCalendar(_ sessions: [Session], of order: Order, waitedForPair: Bool, for person: Person) -> CalendarInvite? {
        guard !waitedForPair, let first = sessions.first else { return nil }
        return sessions.count == 1 ? calendarChange(first, of: order, for: person, method: .cancel) : bookingInvite(order, for: person)
    }

    private mutating func stopGroup(_ order: Order, _ rest: String, by coordinator: Person, channel: Channel) {
        let language = language(of: coordinator)
        guard order.status == .assigned, order.taskType == .group else {
            send(catalog.text(.groupOnly, language, ["order_id": order.id.rawValue]), to: coordinator.id, channel: channel)
            return
        }
        guard !rest.isEmpty else { return askForStopReason(order, coordinator, channel) }
        guard let reason = guardedField(rest, from: coordinator, channel: channel) else { return }
        var changed = order
        // The sessions still to come, planned or called off late: a stopped group pays for neither.
        let remaining = changed.sessions.indices.filter {
            let session = changed.sessions[$0]
            return (session.status == .planned || session.status == .cancelledPaid) && session.start > now
        }
        guard !remaining.isEmpty else {
            send(catalog.text(.groupNothingToStop, language, ["order_id": order.id.rawValue]), to: coordinator.id, channel: channel)
            return
        }
        for index in remaining {
            changed.sessions[index].status = .groupStopped
            changed.sessions[index].decision = SessionDecision(by: coordinator.id, at: now, reason: reason)
        }
        changed.calendarSequence += 1
        if let move = changed.pendingMove, changed.sessions.contains(where: { $0.index == move.sessionIndex && $0.status == .groupStopped })
        {
            changed.pendingMove = nil
        }
        if changed.sessions.allSatisfy({ $0.status == .cancelledFree || $0.status == .groupStopped }) {
            changed.status = .cancelled
        }
        emit(.orderUpdated(changed))
        for recipient in [order.orderer] + (order.assignedExpert.map { [$0] } ?? []) {
            guard let person = engine.registry.person(recipient) else { continue }
            let theirs = self.language(of: person)
            // The series as it now stands: the sessions held or still planned (none: cancelled).
            send(
                catalog.text(
                    .groupStopped, theirs,
                    [
                        "name": person.firstName, "order_id": order.id.rawValue, "reason": reason.text,
                        "count": String(remaining.count), "agreed": agreedStopReasons(order, theirs),
                    ]),
                to: recipient, calendar: bookingInvite(changed, for: person))
        }
        stopSubstitutes(of: order, reason: reason, by: coordinator)
        send(catalog.text(.changeRecorded, language, ["order_id": order.id.rawValue]), to: coordinator.id, channel: channel)
    }

    /// Substitute orders made for sessions of a stopped group (an ill expert's) end with it:
    /// their sessions still to come are stopped, offers waiting for an answer withdrawn, and
    /// a substitute who took one is told, with the calendar change.
    private mutating func stopSubstitutes(of group: Order, reason: GuardedText, by coordinator: Person) {
        let substitutes = state.orders.values.filter {
            $0.replaces == group.id && ($0.status == .open || $0.status == .assigned)
        }.sorted { $0.id < $1.id }
        for substitute in substitutes {
            var stopped = substitute
            let remaining = stopped.sessions.indices.filter { stopped.sessions[$0].status == .planned && stopped.sessions[$0].start > now }
            guard !remaining.isEmpty else { continue }
            for index in remaining {
                stopped.sessions[index].status = .groupStopped
                stopped.sessions[index].decision = SessionDecision(by: coordinator.id, at: now, reason: reason)
            }
            var withdrawn: [PersonID] = []
            for index in stopped.offers.indices where stopped.offers[index].status == .pending {
                stopped.offers[index].status = .withdrawn
                stopped.offers[index].answeredAt = now
                withdrawn.append(stopped.offers[index].expert)
            }
            if stopped.sessions.allSatisfy({ $0.status == .cancelledFree || $0.status == .groupStopped }) { stopped.status = .cancelled }
            stopped.calendarSequence += 1
            emit(.orderUpdated(stopped))
            for expert in withdrawn {
                lend(to: OfferRound.self) { $0.endOfferConversation(of: expert, about: stopped.id) }
                guard let them = engine.registry.person(expert) else { continue }
                send(
                    catalog.text(.offerWithdrawn, language(of: them), ["name": them.firstName, "order_id": stopped.id.rawValue]),
                    to: expert)
                lend(to: OfferRound.self) { $0.presentWaitingOffer(to: expert) }
            }
            if let expert = substitute.assignedExpert, let them = engine.registry.person(expert) {
                let theirs = language(of: them)
                send(
                    catalog.text(
                        .groupStopped, theirs,
                        [
                            "name": them.firstName, "order_id": stopped.id.rawValue, "reason": reason.text,
                            "count": String(remaining.count), "agreed": agreedStopReasons(group, theirs),
                        ]),
                    to: expert, calendar: bookingInvite(stopped, for: them))
            }
        }
    }

    private mutating func askForStopReason(_ order: Order, _ coordinator: Person, _ channel: Channel) {
        let language = language(of: coordinator)
        send(
            catalog.text(
                .groupStopReasonNeeded, language,
                [
                    "stop": catalog.word(.stopGroup, language), "release": catalog.word(.release, language),
                    "order_id": order.id.rawValue, "agreed": agreedStopReasons(order, language),
                ]),
            to: coordinator.id, channel: channel)
    }

    /// `vapauta T-… 3 syy`: the coordinator releases one group session from its fee for a
    /// compelling or agreed reason: one still to come, or one the orderer called off (paid),
    /// that no fee report holds yet. A session that has begun was held as far as anyone knows.
    private mutating func releaseSession(_ order: Order, _ rest: String, by coordinator: Person, channel: Channel) {
        let language = language(of: coordinator)
        if releaseNotHeld(order, rest, by: coordinator, channel: channel) { return }
        guard order.status == .assigned, order.taskType == .group else {
            send(catalog.text(.groupOnly, language, ["order_id": order.id.rawValue]), to: coordinator.id, channel: channel)
            return
        }
        let first = rest.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        let reasonText = rest.dropFirst(first.count).trimmingCharacters(in: .whitespaces)
        guard let number = Int(first.trimmingCharacters(in: CharacterSet(charactersIn: "#."))),
            let session = order.sessions.first(where: {
                $0.index == number
                    && (($0.status == .planned && $0.start > now) || $0.status == .cancelledPaid)
            })
        else {
            send(
                catalog.text(
                    .releaseSessionUsage, language,
                    ["release": catalog.word(.release, language), "order_id": order.id.rawValue]),
                to: coordinator.id, channel: channel)
            return
        }
        if let expert = order.assignment?.expert {
            let month = Month(of: engine.time.day(of: session.start))
            let reportID = FeeReport.id(month: month.description, expert: expert, unit: order.unit)
            if state.feeReports[reportID] != nil {
                send(
                    catalog.text(
                        .groupSessionAlreadyReported, language,
                        ["order_id": order.id.rawValue, "when": dateTime(session.start, language), "report_id": reportID]),
                    to: coordinator.id, channel: channel)
                return
            }
        }
        guard !reasonText.isEmpty else { return askForStopReason(order, coordinator, channel) }
        guard let reason = guardedField(reasonText, from: coordinator, channel: channel) else { return }
        // A session called off already has had its calendar cancellation.
        let calendar: CalendarInvite.Method? = session.status == .planned ? .cancel : nil
        decide(session, of: order, .groupStopped, reason: reason, by: coordinator, message: .groupSessionStopped, calendar: calendar)
        send(catalog.text(.changeRecorded, language, ["order_id": order.id.rawValue]), to: coordinator.id, channel: channel)
    }

    /// `vapauta T-… 1 syy` on a session the orderer said did not take place ("Toteutuiko?",
    /// any task type): the coordinator, having looked into it, records it as not held and
    /// unpaid, while its month's report is still with the expert (a report with the approver
    /// is returned first). True when the command was about such a session.
    private mutating func releaseNotHeld(_ order: Order, _ rest: String, by coordinator: Person, channel: Channel) -> Bool {
        let language = language(of: coordinator)
        let first = rest.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        guard let number = Int(first.trimmingCharacters(in: CharacterSet(charactersIn: "#."))),
            let session = order.sessions.first(where: {
                $0.index == number && $0.check?.answer == .notHeld && ($0.status == .planned || $0.status == .held)
            }),
            let expert = order.assignment?.expert
        else { return false }
        let month = Month(of: engine.time.day(of: session.start))
        if state.isReportLocked(expert: expert, unit: order.unit, month: month) {
            let reportID = FeeReport.id(month: month.description, expert: expert, unit: order.unit)
            send(
                catalog.text(
                    .notHeldAlreadyReported, language,
                    ["order_id": order.id.rawValue, "when": dateTime(session.start, language), "report_id": reportID]),
                to: coordinator.id, channel: channel)
            return true
        }
        let reasonText = rest.dropFirst(first.count).trimmingCharacters(in: .whitespaces)
        guard !reasonText.isEmpty else {
            send(
                catalog.text(
                    .releaseSessionUsage, language, ["release": catalog.word(.release, language), "order_id": order.id.rawValue]),
                to: coordinator.id, channel: channel)
            return true
        }
        guard let reason = guardedField(reasonText, from: coordinator, channel: channel) else { return true }
        decide(session, of: order, .cancelledFree, reason: reason, by: coordinator, message: .notHeldReleased, calendar: nil)
        send(catalog.text(.changeRecorded, language, ["order_id": order.id.rawValue]), to: coordinator.id, channel: channel)
        return true
    }

    /// A group's reasons agreed in advance for stopping it, or the words for none.
    private func agreedStopReasons(_ order: Order, _ language: Language) -> String {
        order.agreedStopReasons?.text ?? catalog.text(.groupStopReasonsNone, language)
    }

    // MARK: Travel

    /// `matkat T-… kyllä` agrees the travel the expert stated, `matkat T-… 20 3,30` agrees other
    /// figures (kilometres, then other costs in euros), `matkat T-… ei` agrees none: travel is
    /// paid only as agreed in advance (000 §6.2). Until a session's hours are confirmed.
    private mutating func agreeTravel(_ order: Order, _ rest: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        let usage = { (turn: inout BookingChanges) in
            turn.send(
                turn.catalog.text(
                    .travelUsage, language,
                    [
                        "travel": turn.catalog.word(.travel, language), "order_id": order.id.rawValue,
                        "yes": turn.catalog.text(.yes, language), "no": turn.catalog.text(.no, language),
                    ]), to: person.id, channel: channel)
        }
        // Travel is agreed for an on-site task while a session is still to be confirmed; the
        // orderer may also set it when the expert stated none.
        guard case .onSite = order.place, order.sessions.contains(where: { $0.status == .planned && $0.hours == nil }) else {
            send(catalog.text(.travelNone, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
            return
        }
        var travel = order.travel ?? TravelAgreement(kilometres: 0, otherCosts: .zero, proposedAt: now)
        // Units and punctuation around the figures are the writer's own: "20 km 3,30 €", "kyllä.".
        let words = rest.split(whereSeparator: \.isWhitespace)
            .map { $0.trimmingCharacters(in: CharacterSet.letters.union(.punctuationCharacters).union(.symbols)) }
            .filter { !$0.isEmpty }
        let hasFigures = !words.isEmpty && words.allSatisfy { $0.contains(where: \.isASCIIDigitCharacter) }
        if !hasFigures, let answer = yesNo(rest.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces))) {
            guard order.travel != nil || !answer else { return usage(&self) }
            if !answer {
                travel.kilometres = 0
                travel.otherCosts = .zero
            }
        } else {
            guard (1...2).contains(words.count), let km = Int(words[0]), (0...TravelAgreement.maximumKilometres).contains(km)
            else { return usage(&self) }
            var costs = Money.zero
            if words.count == 2 {
                guard case .success(.money(let cents)) = engine.parser.parse(words[1], as: .money(minCents: 0, maxCents: 100_000), now: now)
                else { return usage(&self) }
                costs = Money(cents: cents)
            }
            travel.kilometres = km
            travel.otherCosts = costs
        }
        travel.status = .agreed
        travel.decidedBy = person.id
        travel.decidedAt = now
        var changed = order
        changed.travel = travel
        emit(.orderUpdated(changed))
        // A coordinator who is neither party hears it too.
        let parties = [order.orderer] + (order.assignedExpert.map { [$0] } ?? [])
        for recipient in parties.contains(person.id) ? parties : parties + [person.id] {
            guard let them = engine.registry.person(recipient) else { continue }
            let theirs = self.language(of: them)
            var values = TravelActions.figures(travel, of: order, theirs, fees: engine.fees, time: engine.time)
            values["order_id"] = order.id.rawValue
            values["by"] = person.name
            send(catalog.text(.travelAgreed, theirs, values), to: recipient, channel: recipient == person.id ? channel : nil)
        }
    }

    // MARK: Helpers

    /// Stores a session's outcome and tells the orderer and the expert.
    private mutating func decide(
        _ session: Session, of order: Order, _ status: Session.Status, reason: GuardedText,
        by person: Person, message: MessageKey, calendar method: CalendarInvite.Method?,
        confirmedBy: PersonID? = nil, at: Date? = nil
    ) {
        var changed = order
        guard let index = changed.sessions.firstIndex(where: { $0.index == session.index }) else { return }
        changed.sessions[index].status = status
        changed.sessions[index].decision = SessionDecision(by: person.id, at: at ?? now, reason: reason, confirmedBy: confirmedBy)
        changed.sessions[index].noShowClaim = nil
        if changed.pendingMove?.sessionIndex == session.index { changed.pendingMove = nil }
        if method != nil { changed.calendarSequence += 1 }
        if changed.sessions.allSatisfy({ $0.status == .cancelledFree || $0.status == .groupStopped }) { changed.status = .cancelled }
        emit(.orderUpdated(changed))
        for recipient in [order.orderer] + (order.assignedExpert.map { [$0] } ?? []) {
            guard let them = engine.registry.person(recipient) else { continue }
            let theirs = language(of: them)
            let decidedBy = recipient == order.orderer && person.has(.expert) ? engine.privacy.nameForEmployees(person) : person.name
            var values = [
                "name": them.firstName, "order_id": order.id.rawValue, "when": dateTime(session.start, theirs),
                "by": decidedBy, "reason": reason.isEmpty ? "-" : reason.text,
                "substitute": catalog.word(.substitute, theirs),
                "deadline": dateTime(CancellationRule(time: engine.time).freeCancellationDeadline(for: session.start), theirs),
                "session": String(session.index), "release": catalog.word(.release, theirs),
                "agreed": agreedStopReasons(order, theirs),
            ]
            if message == .expertIllRecorded, let expert = order.assignedExpert.flatMap(engine.registry.person) {
                values["expert"] = engine.privacy.nameForEmployees(expert)
            }
            let key: MessageKey = message == .expertIllRecorded && recipient != order.orderer ? .expertIllConfirmed : message
            send(
                catalog.text(key, theirs, values), to: recipient,
                calendar: method.map { calendarChange(changed.sessions[index], of: changed, for: them, method: $0) })
        }
        switch status {
        case .cancelledFree, .cancelledPaid:
            lend(to: PairBookings.self) { $0.tellPartner(of: changed, session: session, .cancelled) }
        case .expertIll:
            lend(to: PairBookings.self) { $0.tellPartner(of: changed, session: session, .expertIll) }
        default:
            break
        }
    }

    /// The session a command names (`T-… 3 rest`, the number only for orders of several
    /// sessions), else the next planned one; and the rest of the text. Tells the person if none.
    private mutating func session(of order: Order, in rest: String, _ person: Person, _ channel: Channel)
        -> (Session, rest: String)?
    {
        var text = rest
        var chosen: Session?
        let first = rest.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        if order.sessions.count > 1, let number = Int(first.trimmingCharacters(in: CharacterSet(charactersIn: "#."))) {
            chosen = order.sessions.first { $0.index == number && $0.status == .planned }
            text = rest.dropFirst(first.count).trimmingCharacters(in: .whitespaces)
        } else {
            chosen = order.sessions.filter { $0.status == .planned }.min { $0.start < $1.start }
        }
        guard let chosen else {
            send(
                catalog.text(.changeNoSession, language(of: person), ["order_id": order.id.rawValue]),
                to: person.id, channel: channel)
            return nil
        }
        return (chosen, text)
    }

    private mutating func askForReason(_ command: ChatCommand, _ order: Order, _ person: Person, _ channel: Channel) {
        let language = language(of: person)
        send(
            catalog.text(
                .changeReasonNeeded, language,
                [
                    "command": catalog.word(command, language),
                    "order_id": order.id.rawValue,
                ]),
            to: person.id, channel: channel)
    }

    private func yesNo(_ text: String) -> Bool? {
        let word = text.lowercased()
        if catalog.vocabulary.yes.contains(word) { return true }
        if catalog.vocabulary.no.contains(word) { return false }
        return nil
    }

    private func changeWords(_ language: Language) -> [String: String] {
        [
            "cancel": catalog.word(.cancelSession, language), "move": catalog.word(.move, language),
            "no_show": catalog.word(.noShow, language), "ill": catalog.word(.ill, language),
        ]
    }

    /// The booking's calendar event as this person's copy shows it.
    private func bookingInvite(_ order: Order, for person: Person) -> CalendarInvite {
        let language = language(of: person)
        let summary = catalog.text(
            .bookingCalendarSummary, language,
            [
                "order_id": order.id.rawValue,
                "task_type": taskName(order, language),
                "topic": choiceLabel(slot: "topic", value: order.topic, language),
            ])
        let extra =
            person.id == order.orderer
            ? order.assignedExpert.flatMap(engine.registry.person)
                .map(engine.privacy.nameForEmployees) : nil
        return CalendarInvite.booking(order, summary: summary, location: placeText(order, language), extra: extra)
    }

    private func calendarChange(
        _ session: Session, of order: Order, for person: Person,
        method: CalendarInvite.Method
    ) -> CalendarInvite {
        bookingInvite(order, for: person).changing(session, of: order, method: method, time: engine.time)
    }
}
