import Foundation
import Testing

@testable import KokemusCore

/// Ranking the example registry's experts for orders, rule by rule.
@Suite struct ExpertMatcherTests {
    static let now = local(2026, 12, 1, 9)
    let example: Registry

    init() throws {
        example = try RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example"))
    }

    func order(
        _ number: Int = 1, topic: String = "substance_use", type: TaskType = .individual, language: Language = .fi,
        unit: UnitID = "mielenterveys-porvoo", place: TaskPlace = .onSite(address: "Vanha kirjasto"),
        start: Date = local(2026, 12, 8, 14), minutes: Int = 90, orderer: PersonID = "anna"
    ) -> Order {
        Order(
            id: OrderID(year: 2026, number: number), orderer: orderer, unit: unit, taskType: type, topic: topic,
            start: start, durationMinutes: minutes, sessions: [Session(index: 1, start: start, durationMinutes: minutes)],
            place: place, language: language, audience: .client, description: "Tarve.", createdAt: Self.now)
    }

    /// A state in which `expert` holds an assigned order at `start`.
    func state(booking expert: PersonID, at start: Date, minutes: Int = 60, number: Int = 90) -> GatewayState {
        var state = GatewayState()
        var booked = order(number, start: start, minutes: minutes)
        booked.status = .assigned
        booked.assignment = Assignment(expert: expert, status: .accepted, offeredAt: Self.now)
        state.apply(.orderCreated(booked, year: 2026, number: number))
        return state
    }

    func matcher(_ registry: Registry? = nil, policy: MatchingPolicy = MatchingPolicy()) -> ExpertMatcher {
        ExpertMatcher(registry: registry ?? example, policy: policy, time: helsinki)
    }

    func reasons(_ ranking: ExpertMatcher.Ranking, _ expert: PersonID) -> [ExpertMatcher.Exclusion] {
        ranking.excluded.first { $0.expert == expert }?.reasons ?? []
    }

    func replacing(_ id: PersonID, in registry: Registry, _ change: (inout Person) -> Void) -> Registry {
        var people = Array(registry.people.values)
        let index = people.firstIndex { $0.id == id }!
        change(&people[index])
        return Registry(people: people, units: Array(registry.units.values))
    }

    @Test func suitableExpertsComeWithEqualHoursInIdOrder() {
        let ranking = matcher().rank(order(), state: GatewayState(), now: Self.now)
        #expect(ranking.candidates.map(\.expert) == ["kalle", "sanna"])
        #expect(reasons(ranking, "johan").contains(.topic))
        #expect(reasons(ranking, "pekka") == [.topic])
    }

    @Test func fewerRecentHoursComeFirst() {
        let state = state(booking: "kalle", at: local(2026, 11, 20, 10), minutes: 180)
        let ranking = matcher().rank(order(), state: state, now: Self.now)
        #expect(ranking.candidates.map(\.expert) == ["sanna", "kalle"])
        #expect(ranking.candidates.map(\.recentMinutes) == [0, 180])
    }

    @Test func suitabilityComesBeforeFairness() throws {
        // Kalle has had three hours lately, but the unit's orderers rated two of his tasks there
        // 5 and 4: good feedback with this unit (2 points) puts him before Sanna (no tasks lately).
        var state = state(booking: "kalle", at: local(2026, 11, 20, 10), minutes: 180)
        let text = try TextGuard().guarded("Hyvä.", from: try #require(example.person("anna")))
        var first = try #require(state.orders[OrderID(year: 2026, number: 90)])
        first.feedback = [
            Feedback(source: .employee, by: "anna", rating: 5, text: text, at: Self.now),
            // The client's rating, typed in by the orderer, and the expert's own do not count.
            Feedback(source: .client, by: "anna", rating: 1, text: text, at: Self.now),
            Feedback(source: .expert, by: "kalle", rating: 1, text: text, at: Self.now),
        ]
        state.apply(.orderUpdated(first))
        // One rating alone does not move the ranking.
        #expect(matcher().rank(order(), state: state, now: Self.now).candidates.map(\.expert) == ["sanna", "kalle"])
        var second = order(91, start: local(2026, 10, 1, 10), minutes: 60)
        second.status = .assigned
        second.assignment = Assignment(expert: "kalle", status: .accepted, offeredAt: Self.now)
        second.feedback = [Feedback(source: .employee, by: "anna", rating: 4, text: text, at: Self.now)]
        state.apply(.orderCreated(second, year: 2026, number: 91))
        let ranking = matcher().rank(order(), state: state, now: Self.now)
        #expect(ranking.candidates.map(\.expert) == ["kalle", "sanna"])
        let kalle = try #require(ranking.candidates.first)
        #expect(kalle.suitability.unitRating?.tenths == 45 && kalle.suitability.unitRating?.count == 2)
        #expect(kalle.suitability.score == 4, "trained, Finnish first, good with the unit")
        // Feedback from another unit does not count for this one.
        let elsewhere = matcher().rank(order(unit: "asumispalvelut-sipoo"), state: state, now: Self.now)
        #expect(elsewhere.candidates.first { $0.expert == "kalle" }?.suitability.unitRating == nil)
        // Without the training recorded, Kalle comes after Sanna (ids would put him first).
        let registry = replacing("kalle", in: example) { $0.expert?.training = nil }
        let untrained = matcher(registry).rank(order(), state: GatewayState(), now: Self.now)
        #expect(untrained.candidates.map(\.expert) == ["sanna", "kalle"])
        #expect(untrained.candidates.map(\.suitability.score) == [2, 1])
    }

    @Test func hoursOutsideTheFairnessWindowDoNotCount() {
        let state = state(booking: "kalle", at: local(2026, 8, 20, 10), minutes: 180)
        let ranking = matcher().rank(order(), state: state, now: Self.now)
        #expect(ranking.candidates.map(\.expert) == ["kalle", "sanna"])
    }

    @Test func theOrderersPreferredExpertComesFirst() {
        let registry = replacing("anna", in: example) { $0.preferredExperts = ["sanna"] }
        let state = state(booking: "sanna", at: local(2026, 11, 20, 10), minutes: 180)
        let ranking = matcher(registry).rank(order(), state: state, now: Self.now)
        #expect(ranking.candidates.map(\.expert) == ["sanna", "kalle"])
        #expect(ranking.candidates.first?.preferred == true)
    }

    @Test func municipalityCountsOnSiteButNotRemote() {
        let loviisa = order(topic: "mental_health", unit: "perhepalvelut-loviisa")
        #expect(reasons(matcher().rank(loviisa, state: GatewayState(), now: Self.now), "kalle") == [.municipality])
        var remote = loviisa
        remote.place = .remote
        #expect(matcher().rank(remote, state: GatewayState(), now: Self.now).candidates.map(\.expert).contains("kalle"))
    }

    @Test func anOverlappingBookingExcludesButAnAdjacentOneDoesNot() {
        let overlapping = state(booking: "kalle", at: local(2026, 12, 8, 15), minutes: 60)
        #expect(reasons(matcher().rank(order(), state: overlapping, now: Self.now), "kalle") == [.booked(OrderID(year: 2026, number: 90))])
        // 14:00 + 90 min ends at 15:30; a task from 15:30 does not clash.
        let adjacent = state(booking: "kalle", at: local(2026, 12, 8, 15, 30), minutes: 60)
        #expect(reasons(matcher().rank(order(), state: adjacent, now: Self.now), "kalle").isEmpty)
    }

    @Test func theMonthlyCapCountsTheMonthOfTheTask() {
        let policy = MatchingPolicy(monthlyCapHours: 2)
        let booked = state(booking: "kalle", at: local(2026, 12, 20, 10), minutes: 60)
        #expect(reasons(matcher(policy: policy).rank(order(), state: booked, now: Self.now), "kalle") == [.monthlyCap(hours: 3, cap: 2)])
        // The same hour in November does not count towards December.
        let earlier = state(booking: "kalle", at: local(2026, 11, 20, 10), minutes: 60)
        #expect(reasons(matcher(policy: policy).rank(order(), state: earlier, now: Self.now), "kalle").isEmpty)
        // A profile's own cap wins over the policy's.
        let registry = replacing("kalle", in: example) { $0.expert?.monthlyCapHours = 10 }
        #expect(reasons(matcher(registry, policy: policy).rank(order(), state: booked, now: Self.now), "kalle").isEmpty)
    }

    /// No cap unless one is set (003 foresees work up to half of full time): 30 hours booked in
    /// the task's month do not keep an expert from the offer; their own cap in the registry does.
    @Test func thereIsNoMonthlyCapUnlessOneIsSet() {
        let busy = state(booking: "kalle", at: local(2026, 12, 20, 10), minutes: 30 * 60)
        #expect(MatchingPolicy().monthlyCapHours == nil)
        #expect(reasons(matcher().rank(order(), state: busy, now: Self.now), "kalle").isEmpty)
        let capped = replacing("kalle", in: example) { $0.expert?.monthlyCapHours = 20 }
        #expect(reasons(matcher(capped).rank(order(), state: busy, now: Self.now), "kalle") == [.monthlyCap(hours: 32, cap: 20)])
    }

    @Test func agreementUnavailabilityAndPauseExclude() {
        // Kalle's agreement ends on 2027-12-31.
        let nextYear = order(start: local(2028, 1, 5, 10))
        #expect(reasons(matcher().rank(nextYear, state: GatewayState(), now: Self.now), "kalle") == [.agreement])
        let away = replacing("kalle", in: example) { $0.expert?.unavailable = [DayRange(from: "2026-12-07", until: "2026-12-08")] }
        #expect(reasons(matcher(away).rank(order(), state: GatewayState(), now: Self.now), "kalle") == [.unavailable])
        var paused = GatewayState()
        paused.apply(.expertPaused("kalle", true))
        #expect(reasons(matcher().rank(order(), state: paused, now: Self.now), "kalle") == [.paused])
    }

    @Test func thoseWhoAnsweredOrHoldTheOfferAreNotOfferedAgain() {
        var offered = order()
        offered.offers = [
            Offer(expert: "kalle", offeredAt: Self.now, deadline: Self.now + 3600, status: .declined),
            Offer(expert: "sanna", offeredAt: Self.now, deadline: Self.now + 3600),
        ]
        let ranking = matcher().rank(offered, state: GatewayState(), now: Self.now)
        #expect(ranking.candidates.isEmpty)
        #expect(reasons(ranking, "kalle") == [.alreadyAnswered])
        #expect(reasons(ranking, "sanna") == [.offerPending])
    }

    @Test func offerDeadlinesKeepClearOfTheStart() {
        let policy = MatchingPolicy(answerWithin: 24 * 3600, answerBeforeStart: 2 * 3600)
        // 24 hours of working time (8–21 on working days) from Tuesday 9.00 end on Wednesday at 20.00.
        #expect(policy.deadline(offeredAt: Self.now, taskStart: local(2026, 12, 8, 14)) == local(2026, 12, 2, 20))
        #expect(policy.deadline(offeredAt: Self.now, taskStart: local(2026, 12, 1, 20)) == local(2026, 12, 1, 18))
        // A task very soon still gives a quarter of an hour.
        #expect(policy.deadline(offeredAt: Self.now, taskStart: local(2026, 12, 1, 10)) == Self.now + 15 * 60)
    }
}
