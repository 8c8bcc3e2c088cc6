import Foundation

/// Ranks the experts of the registry for an order. Pure: the same registry, state, order
/// and clock give the same ranking, with the reason for every place and every exclusion,
/// so that a coordinator can see why and pick by hand.
///
/// Order: the expert the orderer named, then the orderer's preferred experts, then
/// suitability (`Suitability`: training, the order's language as their first, the topic as
/// their first, good feedback from this unit), then fairness (fewest hours lately).
public struct ExpertMatcher: Sendable {
    /// Why an expert cannot take the order.
    public enum Exclusion: Sendable, Hashable {
        case topic, taskType, language, municipality, agreement, unavailable, paused
        /// Another task of theirs overlaps a session of this order.
        case booked(OrderID)
        /// This order would take them over their monthly hours.
        case monthlyCap(hours: Int, cap: Int)
        /// They already declined this order, or let its offer lapse.
        case alreadyAnswered
        /// They have this order's offer in hand right now.
        case offerPending
        /// The order replaces a session this expert fell ill for.
        case replacedExpert
        /// They hold, or are offered, the other order of the pair.
        case pairPartner
        /// The task is a role profile of the catalogue (003) their registry entry does not name.
        case roleProfile
        /// Their agreement has the topic and task type, but they wished in chat for others now.
        case wish
    }

    /// A suitable expert and what placed them.
    public struct Candidate: Sendable, Hashable {
        public var expert: PersonID
        /// The orderer named this expert for this order.
        public var requested: Bool
        /// The employee asked for this expert.
        public var preferred: Bool
        /// Minutes of tasks in the fairness window; fewer comes first.
        public var recentMinutes: Int
        /// What makes them suit this order beyond the must-haves; more comes first.
        public var suitability: Suitability = Suitability()
    }

    /// What makes a suitable expert suit an order better, each worth a point (good feedback
    /// two): the must-haves (topic, task type, language, place, time) are already met.
    public struct Suitability: Sendable, Hashable {
        /// They have the training the registry records (kokemusasiantuntijakoulutus).
        public var trained = false
        /// The order's language is the first they listed.
        public var firstLanguage = false
        /// The order's topic is the first they listed.
        public var firstTopic = false
        /// The unit's feedback on their earlier tasks there: average rating in tenths (45 is
        /// 4.5) and how many ratings; nil when the unit has rated none.
        public var unitRating: (tenths: Int, count: Int)?
        /// An average of 4 or more from the unit, over two tasks at least (one rating alone
        /// does not move a ranking).
        public var goodWithUnit: Bool { (unitRating?.tenths ?? 0) >= 40 && (unitRating?.count ?? 0) >= 2 }

        public var score: Int {
            (trained ? 1 : 0) + (firstLanguage ? 1 : 0) + (firstTopic ? 1 : 0) + (goodWithUnit ? 2 : 0)
        }

        public init() {}

        public static func == (a: Suitability, b: Suitability) -> Bool {
            a.trained == b.trained && a.firstLanguage == b.firstLanguage && a.firstTopic == b.firstTopic
                && a.unitRating?.tenths == b.unitRating?.tenths && a.unitRating?.count == b.unitRating?.count
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(trained)
            hasher.combine(firstLanguage)
            hasher.combine(firstTopic)
            hasher.combine(unitRating?.tenths)
            hasher.combine(unitRating?.count)
        }
    }

    public struct Ranking: Sendable {
        /// Suitable experts, best first.
        public var candidates: [Candidate]
        /// Experts who cannot take the order, each with every reason, in id order.
        public var excluded: [(expert: PersonID, reasons: [Exclusion])]
    }

    public let registry: Registry
    public let policy: MatchingPolicy
    public let time: LocalTime
    /// The task catalogue, for its role profiles; without one, no task is a role profile.
    public let tasks: TaskCatalogue?

    public init(registry: Registry, policy: MatchingPolicy, time: LocalTime, tasks: TaskCatalogue? = nil) {
        self.registry = registry
        self.policy = policy
        self.time = time
        self.tasks = tasks
    }

    public func rank(_ order: Order, state: GatewayState, now: Date) -> Ranking {
        let orderer = registry.person(order.orderer)
        let municipality = registry.unit(order.unit)?.municipality
        let sessions = order.sessions.filter { $0.status == .planned }
        let days = Set(sessions.map { time.day(of: $0.start).iso })
        let windowStart = now - Double(policy.fairnessWindowDays) * 86_400
        // One pass over the orders for everyone's bookings, not one per expert.
        let bookings = state.bookedSessions(excluding: order.id)
        let unitRatings = state.unitRatings(of: order.unit)
        // An expert pair is two people: whoever holds or is offered the other order is not this one's.
        // (Only a half still doing one of this order's sessions: a substitute whose other half
        // was cancelled for that meeting may go to that half's expert.)
        let partners = state.livePairLinks(of: order)
        let roleProfile = tasks?.entry(order.taskID)?.roleProfile == true ? order.taskID : nil
        var candidates: [Candidate] = []
        var excluded: [(PersonID, [Exclusion])] = []
        for expert in registry.people(with: .expert) {
            // The agreement as the expert narrowed it in chat: away days, wishes, their cap.
            guard let agreed = expert.expert, let profile = state.effective(expert).expert else { continue }
            var reasons: [Exclusion] = []
            if !agreed.topics.contains(order.topic) { reasons.append(.topic) }
            if !agreed.taskTypes.contains(order.taskType) { reasons.append(.taskType) }
            if reasons.isEmpty, !profile.topics.contains(order.topic) || !profile.taskTypes.contains(order.taskType) {
                reasons.append(.wish)
            }
            if let roleProfile, !profile.roleProfiles.contains(roleProfile) { reasons.append(.roleProfile) }
            if !profile.languages.contains(order.language) { reasons.append(.language) }
            if case .onSite = order.place, let municipality,
                !profile.municipalities.contains(where: { $0.caseInsensitiveCompare(municipality) == .orderedSame })
            {
                reasons.append(.municipality)
            }
            if !days.allSatisfy(profile.agreementCovers(day:)) { reasons.append(.agreement) }
            if days.contains(where: profile.isUnavailable(day:)) { reasons.append(.unavailable) }
            if state.pausedExperts.contains(expert.id) { reasons.append(.paused) }
            let theirs = bookings[expert.id] ?? []
            // The lowest clashing order id, so the reason reads the same every time.
            if let clash = theirs.filter({ other in sessions.contains { overlaps($0, other.session) } }).map(\.order).min() {
                reasons.append(.booked(clash))
            }
            // The agreement's cap (else the county's), lowered by the expert's own wish.
            if let cap = [profile.monthlyCapHours, agreed.monthlyCapHours ?? policy.monthlyCapHours].compactMap({ $0 }).min(),
                let hours = busiestMonthHours(adding: sessions, to: theirs), hours > cap
            {
                reasons.append(.monthlyCap(hours: hours, cap: cap))
            }
            if order.excludedExperts.contains(expert.id) { reasons.append(.replacedExpert) }
            if partners.contains(where: { partner in
                (partner.status == .open || partner.status == .assigned)
                    && (partner.assignedExpert == expert.id || partner.pendingOffers.contains { $0.expert == expert.id })
            }) {
                reasons.append(.pairPartner)
            }
            if let offer = order.offers.last(where: { $0.expert == expert.id }) {
                switch offer.status {
                case .pending: reasons.append(.offerPending)
                case .declined, .expired: reasons.append(.alreadyAnswered)
                case .accepted, .withdrawn: break
                }
            }
            if reasons.isEmpty {
                let recent = theirs.filter { $0.session.start >= windowStart && $0.session.start < now }
                    .reduce(0) { $0.addingSaturated($1.session.durationMinutes) }
                var suitability = Suitability()
                suitability.trained = !(profile.training ?? "").trimmed.isEmpty
                suitability.firstLanguage = profile.languages.first == order.language
                suitability.firstTopic = profile.topics.first == order.topic
                suitability.unitRating = unitRatings[expert.id]
                candidates.append(
                    Candidate(
                        expert: expert.id, requested: order.requestedExpert == expert.id,
                        preferred: orderer?.preferredExperts.contains(expert.id) ?? false,
                        recentMinutes: recent, suitability: suitability))
            } else {
                excluded.append((expert.id, reasons))
            }
        }
        candidates.sort { a, b in
            if a.requested != b.requested { return a.requested }
            if a.preferred != b.preferred { return a.preferred }
            if a.suitability.score != b.suitability.score { return a.suitability.score > b.suitability.score }
            if a.recentMinutes != b.recentMinutes { return a.recentMinutes < b.recentMinutes }
            return a.expert < b.expert
        }
        return Ranking(candidates: candidates, excluded: excluded)
    }

    private func overlaps(_ a: Session, _ b: Session) -> Bool {
        a.start < b.start + Double(b.durationMinutes) * 60 && b.start < a.start + Double(a.durationMinutes) * 60
    }

    /// The most hours in any month this order touches, if the expert took it (rounded up).
    private func busiestMonthHours(adding sessions: [Session], to theirs: [ExpertSession]) -> Int? {
        var minutes: [String: Int] = [:]
        func month(_ date: Date) -> String { String(time.day(of: date).iso.prefix(7)) }
        let touched = Set(sessions.map { month($0.start) })
        for session in sessions {
            minutes[month(session.start), default: 0] = minutes[month(session.start), default: 0].addingSaturated(session.durationMinutes)
        }
        for other in theirs where touched.contains(month(other.session.start)) {
            let key = month(other.session.start)
            minutes[key, default: 0] = minutes[key, default: 0].addingSaturated(other.session.durationMinutes)
        }
        return minutes.values.max().map { $0.addingSaturated(59) / 60 }
    }
}

/// A session of an order an expert has accepted.
public struct ExpertSession: Sendable, Hashable {
    public var order: OrderID
    public var session: Session
}

extension GatewayState {
    /// The average rating (in tenths, rounded down) and count the unit's orderers gave each
    /// expert on the unit's tasks, one rating an order (the orderer's own, the latest): the
    /// client's rating, which the orderer types in, and the expert's own do not count, so no
    /// one casts two votes on a task.
    public func unitRatings(of unit: UnitID) -> [PersonID: (tenths: Int, count: Int)] {
        var sums: [PersonID: (total: Int, count: Int)] = [:]
        for order in orders.values where order.unit == unit {
            guard let expert = order.assignment?.expert, order.assignment?.status == .accepted,
                let feedback = order.feedback.last(where: { $0.source == .employee && (1...5).contains($0.rating) })
            else { continue }
            let sum = sums[expert] ?? (0, 0)
            sums[expert] = (sum.total + feedback.rating, sum.count + 1)
        }
        return sums.mapValues { (tenths: $0.total * 10 / $0.count, count: $0.count) }
    }

    /// Each expert's sessions that still count (not cancelled free of charge, not missed
    /// through illness), in every standing or completed order but `excludedOrder`.
    public func bookedSessions(excluding excludedOrder: OrderID? = nil) -> [PersonID: [ExpertSession]] {
        var result: [PersonID: [ExpertSession]] = [:]
        for order in orders.values where order.id != excludedOrder && (order.status == .assigned || order.status == .completed) {
            guard let expert = order.assignment?.expert else { continue }
            // Planned sessions take the expert's time; paid ones count towards their hours.
            for session in order.sessions where session.status == .planned || session.status.feeDue {
                result[expert, default: []].append(ExpertSession(order: order.id, session: session))
            }
        }
        return result
    }
}
