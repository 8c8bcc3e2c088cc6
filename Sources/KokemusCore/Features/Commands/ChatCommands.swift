import Foundation

/// Commands with arguments: messages between the parties of an order, relayed through the
/// gateway with the leak filter, and the coordinator's tools.
struct ChatCommands: TurnFeature {
    var turn: ConversationTurn

    mutating func run(_ command: ChatCommand, arguments: String, for person: Person, channel: Channel) {
        let language = language(of: person)
        let reply = { (turn: inout ChatCommands, key: MessageKey, values: [String: String]) in
            turn.send(
                turn.catalog.text(key, language, values.merging(["name": person.firstName]) { a, _ in a }),
                to: person.id, channel: channel)
        }
        switch command {
        case .message:
            relay(arguments, from: person, channel: channel)
        case .cancelSession, .move, .noShow, .ill, .substitute, .stopGroup, .travel, .withdraw:
            lend(to: BookingChanges.self) { $0.change(command, arguments, by: person, channel: channel) }
        case .fee where !arguments.isEmpty && person.has(.expert):
            // `palkkio vuosi` (this year) or `palkkio 2025`, within the years kept.
            let thisYear = engine.time.year(of: now)
            let year = Int(arguments).map { min(max($0, thisYear - 10), thisYear + 1) } ?? thisYear
            send(view(as: FeeReporting.self).yearStatus(for: person, year: year), to: person.id, channel: channel)
        case .fee:
            send(view(as: FeeReporting.self).feeStatus(for: person), to: person.id, channel: channel)
        case .taxCard:
            guard person.has(.expert) else {
                reply(&self, .taxCardExpertsOnly, [:])
                return
            }
            let thisYear = engine.time.year(of: now)
            let year = Int(arguments) ?? thisYear
            guard (Self.taxCardYears).contains(year) else {
                reply(
                    &self, .taxCardYear,
                    [
                        "min": String(Self.taxCardYears.lowerBound), "max": String(Self.taxCardYears.upperBound),
                        "word": catalog.word(.taxCard, language), "year": String(thisYear),
                    ])
                return
            }
            emit(.taxCardConfirmed(expert: person.id, year: year))
            reply(&self, .taxCardConfirmed, ["year": String(year)])
        case .away, .available, .myTasks, .introduction, .wishes:
            lend(to: SelfService.self) { $0.run(command, arguments: arguments, for: person, channel: channel) }
        case .myData:
            send(myData(of: person), to: person.id, channel: channel)
        case .privacy:
            send(catalog.text(.privacyNotice, language, ["name": person.firstName]), to: person.id, channel: channel)
        case .debrief:
            lend(to: Debriefs.self) { $0.run(arguments, by: person, channel: channel) }
        case .signUp:
            lend(to: SupervisionSessions.self) { $0.signUp(arguments, by: person, channel: channel) }
        case .candidates where ordererMaySeeCandidates(person), .offerTo where ordererMaySeeCandidates(person):
            // The county lets orderers see and name candidates for their own open orders.
            ordererCandidates(command, arguments, by: person, channel: channel)
        case .registry:
            guard person.has(.coordinator) else {
                reply(&self, .coordinatorOnly, [:])
                return
            }
            lend(to: RegistryCommands.self) { $0.run(arguments, by: person, channel: channel) }
        case .candidates, .offerTo, .orders, .pause, .resume, .release, .announce, .attended:
            guard person.has(.coordinator) else {
                reply(&self, .coordinatorOnly, [:])
                return
            }
            switch command {
            case .candidates:
                guard let (order, _) = order(in: arguments) else {
                    reply(&self, .orderUnknown, ["order_id": arguments])
                    return
                }
                let list = candidateList(for: order, language)
                recordAccess(
                    by: person.id, what: "candidates for \(order.id)", about: list.about,
                    why: "\(catalog.word(.candidates, language)) \(order.id)")
                send(list.text, to: person.id, channel: channel)
            case .offerTo:
                offerByHand(arguments, from: person, channel: channel)
            case .orders:
                let list = orderList(language)
                recordAccess(by: person.id, what: "orders open or booked", about: list.about, why: catalog.word(.orders, language))
                send(list.text, to: person.id, channel: channel)
            case .announce:
                lend(to: Announcements.self) { $0.announce(arguments, by: person, channel: channel) }
            case .attended:
                lend(to: SupervisionSessions.self) { $0.recordAttendance(arguments, by: person, channel: channel) }
            case .pause, .resume:
                guard let expert = engine.registry.person(PersonID(arguments.lowercased())), expert.has(.expert) else {
                    reply(&self, .expertUnknown, ["expert": arguments])
                    return
                }
                let pausing = command == .pause
                emit(.expertPaused(expert.id, pausing))
                if pausing { withdrawOffers(of: expert.id) }
                reply(
                    &self, pausing ? .expertPaused : .expertResumed,
                    ["expert": "\(expert.name) (\(expert.id))", "resume": catalog.word(.resume, language)])
            case .release:
                // `vapauta P-3` lets a held message through; `vapauta T-2026-0001 3 syy`
                // releases a group session from its fee.
                let first = arguments.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
                if Order.looksLikeID(first) {
                    lend(to: BookingChanges.self) { $0.change(.release, arguments, by: person, channel: channel) }
                } else {
                    releaseHeld(arguments, by: person, channel: channel)
                }
            case .message, .taxCard, .fee, .cancelSession, .move, .noShow, .ill, .substitute, .stopGroup, .travel, .away,
                .available, .myTasks, .introduction, .wishes, .withdraw, .debrief, .signUp, .myData, .privacy, .registry:
                break
            }
        }
    }

    /// Whether a command word in the middle of a flow is the command rather than an answer
    /// ("jatka huomenna" is an answer from anyone but a coordinator): a message needs an
    /// order's id after the word, the coordinator's tools a coordinator.
    func appliesMidFlow(_ command: ChatCommand, _ arguments: String, _ person: Person) -> Bool {
        switch command {
        case .message: return order(in: urgentMark(arguments, beforeOrder: true).rest) != nil
        case .taxCard, .fee: return false
        // Mid-flow only in their two-word form: "omat" alone may be an answer.
        case .myData: return !arguments.isEmpty
        case .privacy: return false
        case .away, .available, .myTasks, .introduction, .wishes:
            return person.has(.expert) && view(as: SelfService.self).appliesMidFlow(command, arguments)
        case .cancelSession, .move, .noShow, .ill, .substitute, .stopGroup, .travel, .withdraw, .debrief:
            return order(in: arguments) != nil
        case .candidates, .offerTo:
            return person.has(.coordinator) || (engine.privacy.orderersSeeCandidates && order(in: arguments) != nil)
        case .orders, .pause, .resume, .release, .announce, .attended, .registry: return person.has(.coordinator)
        case .signUp:
            return person.has(.expert)
                && Supervision.looksLikeID(arguments.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "")
        }
    }

    /// The years a tax card may be confirmed for.
    static let taxCardYears = 2000...2100

    // MARK: Relay

    /// The orders a person takes part in and can write about: their own orders that stand,
    /// and orders they hold or are offered as an expert.
    func ordersInvolving(_ person: PersonID) -> [Order] {
        state.orders.values.filter { order in
            guard order.status == .open || order.status == .assigned else { return false }
            return order.orderer == person || order.assignedExpert == person || order.pendingOffers.contains { $0.expert == person }
        }.sorted { $0.id < $1.id }
    }

    private mutating func relay(_ arguments: String, from person: Person, channel: Channel) {
        let language = language(of: person)
        var target: Order
        var text: String
        // `viesti kiire T-… …` or `viesti T-… kiire: …`: urgent, it may wake the recipient.
        var (urgent, arguments) = urgentMark(arguments, beforeOrder: true)
        let first = arguments.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        if let (order, rest) = order(in: arguments), order.involves(person.id) || person.has(.coordinator) {
            target = order
            text = rest
        } else if Order.looksLikeID(first) {
            // An order that does not exist and one that is not theirs get the same answer, and
            // the text goes nowhere (not to whichever order they do have).
            send(catalog.text(.orderUnknown, language, ["order_id": first]), to: person.id, channel: channel)
            return
        } else {
            let involved = ordersInvolving(person.id)
            guard involved.count == 1 else {
                send(
                    catalog.text(
                        .relayUsage, language,
                        [
                            "message": catalog.word(.message, language),
                            "orders": involved.map(\.id.rawValue).joined(separator: ", "),
                        ]),
                    to: person.id, channel: channel)
                return
            }
            target = involved[0]
            text = arguments
        }
        if !urgent { (urgent, text) = urgentMark(text, beforeOrder: false) }
        guard !text.isEmpty else {
            send(
                catalog.text(
                    .relayUsage, language,
                    [
                        "message": catalog.word(.message, language),
                        "orders": target.id.rawValue,
                    ]), to: person.id, channel: channel)
            return
        }
        let fromOrderer = target.orderer == person.id
        let recipients: [PersonID]
        if fromOrderer {
            recipients = target.assignedExpert.map { [$0] } ?? target.pendingOffers.map(\.expert)
        } else if target.assignedExpert == person.id || target.pendingOffers.contains(where: { $0.expert == person.id }) {
            recipients = [target.orderer]
        } else {
            recipients = []
        }
        guard !recipients.isEmpty, target.status == .open || target.status == .assigned else {
            send(catalog.text(.relayNoParty, language, ["order_id": target.id.rawValue]), to: person.id, channel: channel)
            return
        }
        // Not in the night (the quiet hours of `reminders:`) unless the sender marks it urgent:
        // the relay waits for the morning, and the sender is told when it goes and how to hurry it.
        let notBefore =
            urgent || !engine.reminderPolicy.holdRelaysAtNight ? nil : engine.working.endOfQuietHours(around: now)
        guard
            deliverRelayed(
                text, about: target, from: person, to: recipients, fromExpertSide: !fromOrderer,
                channel: channel, urgent: urgent, notBefore: notBefore)
        else { return }
        let receipt =
            notBefore.map {
                catalog.text(
                    .relaySentMorning, language,
                    [
                        "order_id": target.id.rawValue, "when": dateTime($0, language),
                        "message": catalog.word(.message, language),
                    ])
            } ?? catalog.text(.relaySent, language, ["order_id": target.id.rawValue])
        send(receipt, to: person.id, channel: channel, relayFrom: person.id, relayOrder: target.id)
    }

    /// Whether `text` starts with an urgent word (`kiire`, `brådskande`, `urgent`), and the
    /// text without it. Before the order id the word alone marks it (no message starts
    /// there); after it, in the message itself, only with a `:` or `!` on it (`kiire:`), so
    /// that "Kiire ei ole, …" stays a message.
    func urgentMark(_ text: String, beforeOrder: Bool) -> (urgent: Bool, rest: String) {
        guard let first = text.split(whereSeparator: \.isWhitespace).first else { return (false, text) }
        let marked = first.hasSuffix(":") || first.hasSuffix("!")
        guard beforeOrder || marked else { return (false, text) }
        let word = first.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ":!"))
        guard catalog.vocabulary.urgentWords.contains(word) else { return (false, text) }
        return (true, String(text.dropFirst(first.count)).trimmed)
    }

    /// Relays text to the other party of an order, or holds it back and tells the sender
    /// why (`guardedRelay`). Text from an expert may hold no contact detail of any kind; text
    /// towards an expert no identity code (a client's code must not reach them either).
    /// Returns whether it was relayed.
    private mutating func deliverRelayed(
        _ text: String, about order: Order, from sender: Person, to recipients: [PersonID],
        fromExpertSide: Bool, channel: Channel?, urgent: Bool = false, notBefore: Date? = nil
    ) -> Bool {
        guard
            let guarded = guardedRelay(
                text, about: order, from: sender,
                rules: fromExpertSide ? .fromExpert : .fromEmployeeSide, channel: channel)
        else { return false }
        relay(
            guarded, about: order, from: sender, to: recipients, fromExpertSide: fromExpertSide, urgent: urgent,
            notBefore: notBefore)
        return true
    }

    /// Sends guarded text to the recipients of a relay.
    private mutating func relay(
        _ text: GuardedText, about order: Order, from sender: Person, to recipients: [PersonID],
        fromExpertSide: Bool, urgent: Bool, notBefore: Date?
    ) {
        let senderName = fromExpertSide ? engine.privacy.nameForEmployees(sender) : sender.name
        let key: MessageKey = fromExpertSide ? .relayToEmployee : .relayToExpert
        for recipient in recipients {
            guard let person = engine.registry.person(recipient) else { continue }
            let theirs = self.language(of: person)
            send(
                catalog.text(
                    key, theirs,
                    [
                        "name": person.firstName, "sender": senderName, "order_id": order.id.rawValue,
                        "text": urgent ? catalog.text(.relayUrgentMark, theirs) + " " + text.text : text.text,
                        "message": catalog.word(.message, theirs),
                    ]),
                to: recipient, relayFrom: sender.id, relayOrder: order.id, notBefore: notBefore)
        }
    }

    // MARK: Coordinator tools

    /// The candidates for an order, with the experts it names (for the access log).
    private func candidateList(for order: Order, _ language: Language) -> (text: String, about: [PersonID]) {
        let ranking = matcher.rank(order, state: state, now: now)
        let forecast = EarningsForecast(
            calculator: FeeCalculator(schedule: engine.fees, time: engine.time, volunteers: engine.registry.volunteers),
            payroll: engine.payroll, reports: state.feeReports)
        // The expert's own limits on earnings (a benefit may depend on them): the coordinator
        // sees them before offering (and of an expert offered it already), the expert is
        // warned in the offer.
        func earningsNote(_ expert: PersonID) -> [String] {
            guard let person = engine.registry.person(expert) else { return [] }
            let excesses = forecast.excesses(taking: order, expert: person, orders: state.orders.values)
            guard !excesses.isEmpty else { return [] }
            return [
                catalog.text(
                    .candidateEarningsLimit, language, ["excesses": OfferTerms.excessText(excesses, language, catalog: catalog)])
            ]
        }
        let candidates = ranking.candidates.enumerated().map { index, candidate -> String in
            let person = engine.registry.person(candidate.expert)
            // Suitability first, then fairness: both shown, as they rank.
            var notes = [
                suitabilityText(candidate.suitability, language),
                catalog.text(
                    .candidateHours, language,
                    [
                        "hours": Self.hours(candidate.recentMinutes), "days": String(engine.policy.fairnessWindowDays),
                    ]),
            ]
            if candidate.preferred { notes.insert(catalog.text(.candidatePreferred, language), at: 0) }
            if candidate.requested { notes.insert(catalog.text(.candidateRequested, language), at: 0) }
            notes += earningsNote(candidate.expert)
            return "\(index + 1). \(person?.name ?? candidate.expert.rawValue) (\(candidate.expert)): " + notes.joined(separator: ", ")
        }
        let excluded = ranking.excluded.map { expert, reasons in
            "- \(engine.registry.person(expert)?.name ?? expert.rawValue) (\(expert)): "
                + (reasons.map { exclusionText($0, language) } + earningsNote(expert)).joined(separator: ", ")
        }
        let offers = order.offers.map { offer in
            "- \(offer.expert): \(catalog.text(offer.status.nameKey, language))"
                + (offer.expert == order.requestedExpert ? " (" + catalog.text(.candidateRequested, language) + ")" : "")
        }
        let named = ranking.candidates.map(\.expert) + ranking.excluded.map(\.expert) + order.offers.map(\.expert)
        let text = catalog.text(
            ranking.candidates.isEmpty ? .candidatesNone : .candidatesList, language,
            [
                "order_id": order.id.rawValue,
                "candidates": candidates.joined(separator: "\n"),
                "excluded": excluded.joined(separator: "\n"),
                "offers": offers.isEmpty ? "-" : offers.joined(separator: "\n"),
                "offer_to": catalog.word(.offerTo, language),
            ])
        return (text, named)
    }

    /// `sopivuus 3: koulutettu, tilauksen kieli hänen ensimmäisensä, yksikön palaute 4,5/5 (2 arviota)`.
    private func suitabilityText(_ suitability: ExpertMatcher.Suitability, _ language: Language) -> String {
        var reasons: [String] = []
        if suitability.trained { reasons.append(catalog.text(.candidateTrained, language)) }
        if suitability.firstLanguage { reasons.append(catalog.text(.candidateFirstLanguage, language)) }
        if suitability.firstTopic { reasons.append(catalog.text(.candidateFirstTopic, language)) }
        if let rating = suitability.unitRating {
            let decimal = language == .en ? "." : ","
            reasons.append(
                catalog.text(
                    .candidateUnitRating, language,
                    ["rating": "\(rating.tenths / 10)\(decimal)\(rating.tenths % 10)", "count": String(rating.count)]))
        }
        return catalog.text(
            .candidateSuitability, language,
            ["score": String(suitability.score), "reasons": reasons.isEmpty ? "-" : reasons.joined(separator: ", ")])
    }

    static func hours(_ minutes: Int) -> String {
        minutes % 60 == 0 ? String(minutes / 60) : String(format: "%.1f", Double(minutes) / 60)
    }

    func exclusionText(_ reason: ExpertMatcher.Exclusion, _ language: Language) -> String {
        switch reason {
        case .topic: return catalog.text(.excludeTopic, language)
        case .taskType: return catalog.text(.excludeTaskType, language)
        case .language: return catalog.text(.excludeLanguage, language)
        case .municipality: return catalog.text(.excludeMunicipality, language)
        case .agreement: return catalog.text(.excludeAgreement, language)
        case .unavailable: return catalog.text(.excludeUnavailable, language)
        case .paused: return catalog.text(.excludePaused, language)
        case .booked(let order): return catalog.text(.excludeBooked, language, ["order_id": order.rawValue])
        case .monthlyCap(let hours, let cap):
            return catalog.text(.excludeMonthlyCap, language, ["hours": String(hours), "cap": String(cap)])
        case .alreadyAnswered: return catalog.text(.excludeAnswered, language)
        case .offerPending: return catalog.text(.excludeOfferPending, language)
        case .replacedExpert: return catalog.text(.excludeReplaced, language)
        case .pairPartner: return catalog.text(.excludePairPartner, language)
        case .roleProfile: return catalog.text(.excludeRoleProfile, language)
        case .wish: return catalog.text(.excludeWish, language)
        }
    }

    /// Reasons a coordinator cannot override by hand: the expert could not be there, or has
    /// the offer already. The others (topic, municipality, …) are the coordinator's call.
    static func blocksOfferByHand(_ reason: ExpertMatcher.Exclusion) -> Bool {
        switch reason {
        case .agreement, .unavailable, .paused, .booked, .offerPending, .replacedExpert, .pairPartner: return true
        case .topic, .taskType, .language, .municipality, .monthlyCap, .alreadyAnswered, .roleProfile, .wish: return false
        }
    }

    private mutating func offerByHand(_ arguments: String, from coordinator: Person, channel: Channel) {
        let language = language(of: coordinator)
        let words = arguments.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count == 2, var order = state.orders[OrderID(rawValue: words[0].uppercased())],
            order.status == .open
        else {
            send(
                catalog.text(.offerToUsage, language, ["offer_to": catalog.word(.offerTo, language)]),
                to: coordinator.id, channel: channel)
            return
        }
        guard let expert = engine.registry.person(PersonID(words[1].lowercased())), expert.has(.expert) else {
            send(catalog.text(.expertUnknown, language, ["expert": words[1]]), to: coordinator.id, channel: channel)
            return
        }
        let reasons = matcher.rank(order, state: state, now: now).excluded.first { $0.expert == expert.id }?.reasons ?? []
        let blocking = reasons.filter(Self.blocksOfferByHand)
        guard blocking.isEmpty else {
            // Why not (an agreement ended, away, paused, booked) is the expert's data, shown.
            recordAccess(
                by: coordinator.id, what: "why \(expert.id) cannot be offered \(order.id)", about: [expert.id],
                why: "\(catalog.word(.offerTo, language)) \(order.id) \(expert.id)")
            send(
                catalog.text(
                    .offerToRefused, language,
                    [
                        "expert": expert.name, "order_id": order.id.rawValue,
                        "reasons": blocking.map { exclusionText($0, language) }.joined(separator: ", "),
                    ]), to: coordinator.id, channel: channel)
            return
        }
        let deadline = engine.policy.deadline(offeredAt: now, taskStart: order.start, working: engine.working)
        order.offers.append(Offer(expert: expert.id, offeredAt: now, deadline: deadline, byHand: true))
        emit(.orderUpdated(order))
        send(
            catalog.text(
                .offerToDone, language,
                [
                    "expert": expert.name, "order_id": order.id.rawValue,
                    "deadline": dateTime(deadline, language),
                ]),
            to: coordinator.id, channel: channel)
        lend(to: OfferRound.self) { $0.presentOffer(order, to: expert.id) }
    }

    // MARK: Candidates for the orderer

    /// Whether `ehdokkaat` and `tarjoa` from this person are an orderer's, not a coordinator's.
    private func ordererMaySeeCandidates(_ person: Person) -> Bool {
        !person.has(.coordinator) && engine.privacy.orderersSeeCandidates
    }

    /// `ehdokkaat T-…` and `tarjoa T-… K-12` from the orderer of an open order, where the
    /// county allows it: the suitable experts by the name employees see and their own
    /// introductions, best first (no exclusions, no hours, nothing else of anyone); and a wish
    /// for one of them, who is offered the order at once and stays first in its ranking.
    private mutating func ordererCandidates(_ command: ChatCommand, _ arguments: String, by person: Person, channel: Channel) {
        let language = language(of: person)
        let words = arguments.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, var order = state.orders[OrderID(rawValue: first.uppercased())], order.orderer == person.id
        else {
            send(catalog.text(.orderUnknown, language, ["order_id": words.first ?? ""]), to: person.id, channel: channel)
            return
        }
        guard order.status == .open else {
            send(catalog.text(.ordererCandidatesClosed, language, ["order_id": order.id.rawValue]), to: person.id, channel: channel)
            return
        }
        let ranking = matcher.rank(order, state: state, now: now)
        // By name, not by rank: the ranking weighs others' feedback and hours, which are not
        // the orderer's to see.
        let suitable = ranking.candidates.compactMap { candidate in engine.registry.person(candidate.expert) }
            .sorted { (engine.privacy.nameForEmployees($0), $0.id) < (engine.privacy.nameForEmployees($1), $1.id) }
        let offer = catalog.word(.offerTo, language)
        if command == .candidates {
            recordAccess(
                by: person.id, what: "candidates for \(order.id)", about: suitable.map(\.id),
                why: "\(catalog.word(.candidates, language)) \(order.id)")
            let lines = suitable.enumerated().map { index, expert -> String in
                let introduction = state.effective(expert).expert?.introduction?.text(in: language) ?? "-"
                let wished = order.requestedExpert == expert.id ? " (" + catalog.text(.candidateRequested, language) + ")" : ""
                return "\(index + 1). \(engine.privacy.nameForEmployees(expert))\(wished): \(introduction)"
            }
            send(
                catalog.text(
                    lines.isEmpty ? .ordererCandidatesNone : .ordererCandidatesList, language,
                    ["order_id": order.id.rawValue, "candidates": lines.joined(separator: "\n"), "offer_to": offer]),
                to: person.id, channel: channel)
            return
        }
        // One named offer at a time: the orderer's wish waits for its answer before another.
        if let wished = order.requestedExpert, order.pendingOffers.contains(where: { $0.expert == wished }),
            let expert = engine.registry.person(wished)
        {
            send(
                catalog.text(
                    .ordererOfferWaiting, language,
                    ["expert": engine.privacy.nameForEmployees(expert), "order_id": order.id.rawValue]),
                to: person.id, channel: channel)
            return
        }
        // A candidate is named as the orderer sees them ("K-12" or "Kokemusasiantuntija K-12"),
        // and only among the suitable ones: a name that is no one's and one that is not free
        // get the same answer, so nothing is learnt of experts the list does not show.
        let named = words.dropFirst().joined(separator: " ").lowercased()
        let matches = suitable.filter { expert in
            let shown = engine.privacy.nameForEmployees(expert).lowercased()
            return shown == named || shown.split(separator: " ").last.map(String.init) == named
        }
        guard !named.isEmpty, matches.count == 1, let expert = matches.first else {
            send(
                catalog.text(.ordererOfferUsage, language, ["order_id": order.id.rawValue, "offer_to": offer]), to: person.id,
                channel: channel)
            return
        }
        let shown = engine.privacy.nameForEmployees(expert)
        order.requestedExpert = expert.id
        let deadline = engine.policy.deadline(offeredAt: now, taskStart: order.start, working: engine.working)
        order.offers.append(Offer(expert: expert.id, offeredAt: now, deadline: deadline))
        emit(.orderUpdated(order))
        send(
            catalog.text(.ordererOfferDone, language, ["expert": shown, "order_id": order.id.rawValue]), to: person.id,
            channel: channel)
        lend(to: OfferRound.self) { $0.presentOffer(order, to: expert.id) }
    }

    private mutating func withdrawOffers(of expert: PersonID) {
        let orders = state.pendingOffers(of: expert).map(\.order.id)
        lend(to: OfferRound.self) { $0.withdrawOffers(of: expert, in: orders) }
    }

    /// Orders open or booked, with the experts it names (for the access log).
    private func orderList(_ language: Language) -> (text: String, about: [PersonID]) {
        let standing = state.orders.values.filter { $0.status == .open || $0.status == .assigned }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        guard !standing.isEmpty else { return (catalog.text(.ordersNone, language), []) }
        let named = standing.flatMap { order in [order.assignedExpert].compactMap { $0 } + order.pendingOffers.map(\.expert) }
        let lines = standing.map { order -> String in
            let unit = engine.registry.unit(order.unit)?.name ?? order.unit.rawValue
            var state: String
            if let expert = order.assignedExpert {
                state = catalog.text(.orderStatusAssigned, language) + ": " + (engine.registry.person(expert)?.name ?? expert.rawValue)
            } else if !order.pendingOffers.isEmpty {
                state = catalog.text(
                    .candidateOffered, language,
                    [
                        "experts": order.pendingOffers.map(\.expert.rawValue).joined(separator: ", ")
                    ])
            } else {
                state = catalog.text(.orderStatusOpen, language)
            }
            return "- \(order.id) \(dateTime(order.shownStart(now: now), language)), \(unit): \(state)"
        }
        let text = catalog.text(
            .ordersList, language,
            [
                "orders": lines.joined(separator: "\n"),
                "candidates": catalog.word(.candidates, language),
            ])
        return (text, named)
    }
}
