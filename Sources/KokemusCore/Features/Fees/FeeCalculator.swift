import Foundation

/// Works out what is paid for the sessions of a month, by the domain's rules: held sessions,
/// late cancellations, client no-shows and group sessions with no participants are paid;
/// free cancellations, an ill expert and a stopped group are not. Pure: the caller gives
/// the orders, the rates and the time.
public struct FeeCalculator: Sendable {
    public var schedule: FeeSchedule
    public var time: LocalTime
    /// Experts who volunteer (`PaymentMode.volunteer`): their lines carry no fee, only costs.
    public var volunteers: Set<PersonID>

    public init(schedule: FeeSchedule, time: LocalTime = .helsinki, volunteers: Set<PersonID> = []) {
        self.schedule = schedule
        self.time = time
        self.volunteers = volunteers
    }

    /// The paid sessions of `month` that have ended by `now`, per expert and unit.
    public func lines(in month: Month, orders: some Sequence<Order>, now: Date) -> [PersonID: [UnitID: [FeeLine]]] {
        var result: [PersonID: [UnitID: [FeeLine]]] = [:]
        for order in orders {
            // Half a pair not yet standing is no booking: nothing is paid until it stands.
            guard let expert = order.assignment?.expert, order.assignment?.status == .accepted, !order.waitsForPair else { continue }
            for session in order.sessions where month.contains(time.day(of: session.start)) {
                guard let line = line(for: session, of: order, now: now) else { continue }
                result[expert, default: [:]][order.unit, default: []].append(line)
            }
            if let line = planningLine(of: order, now: now), month.contains(time.day(of: line.start)) {
                result[expert, default: [:]][order.unit, default: []].append(line)
            }
            if let line = debriefLine(of: order), month.contains(time.day(of: line.start)) {
                result[expert, default: [:]][order.unit, default: []].append(line)
            }
        }
        for expert in result.keys {
            for unit in result[expert]!.keys {
                result[expert]![unit]!.sort { ($0.start, $0.order, $0.session) < ($1.start, $1.order, $1.session) }
            }
        }
        return result
    }

    /// The paid line of one session, or nil if nothing is paid (or the session is still to come).
    public func line(for session: Session, of order: Order, now: Date) -> FeeLine? {
        var outcome = session.status
        if outcome == .planned {
            guard session.end <= now else { return nil }
            outcome = .held  // held as planned unless someone said otherwise
        }
        guard outcome.feeDue else { return nil }
        let year = time.year(of: session.start)
        let minutes = outcome == .held ? (session.hours?.minutes ?? session.durationMinutes) : session.durationMinutes
        let fee = paysFee(order) ? (schedule.rate(for: order, year: year)?.fee(minutes: minutes) ?? .zero) : .zero
        let reportedKilometres = outcome == .held ? (session.hours?.kilometres ?? 0) : 0
        let reportedCosts = outcome == .held ? (session.hours?.otherCosts ?? .zero) : .zero
        // Travel agreed in advance is what is paid at most (000 §6.2); with no agreement (an
        // order from before agreements, or none stated), what the expert confirmed.
        let agreed = order.agreedTravel
        let kilometres = agreed.map { min(reportedKilometres, $0.kilometres) } ?? reportedKilometres
        let otherCosts = agreed.map { min(reportedCosts, $0.otherCosts) } ?? reportedCosts
        let travel = schedule.kilometreRate(year: year).times(kilometres)
        var line = FeeLine(
            order: order.id, session: session.index, start: session.start, taskType: order.taskType,
            minutes: minutes, outcome: outcome, fee: fee, kilometres: kilometres, travel: travel,
            otherCosts: otherCosts)
        if let hours = session.hours, outcome == .held,
            order.exceedsAgreement(session, minutes: hours.minutes, kilometres: reportedKilometres, otherCosts: reportedCosts)
        {
            line.differsFromAgreement = true
        }
        // Paid as planned, but not silently (002): no one said it took place, or the orderer
        // said it did not.
        if !session.isMarked || session.check?.answer == .notHeld { line.unconfirmed = true }
        return line
    }

    /// A group's planning time (000 §4.3), paid as a line of its own in the month of its first
    /// session once that has begun: the planning was done by then. Not paid when every session
    /// was called off in time (the group was never going to run).
    public func planningLine(of order: Order, now: Date) -> FeeLine? {
        guard order.taskType == .group, let minutes = order.planningMinutes, minutes > 0,
            let first = order.sessions.map({ $0.plannedStart ?? $0.start }).min(), first <= now,
            !order.sessions.allSatisfy({ $0.status == .cancelledFree }),
            // Not to an expert who gave every session up before doing any: whoever runs the
            // group (its substitute order carries the planning) is paid for it.
            order.hasWorkDone(by: now) || !order.sessions.contains(where: { $0.status == .expertWithdrew })
        else { return nil }
        let fee = paysFee(order) ? (schedule.planningRate(year: time.year(of: first))?.fee(minutes: minutes) ?? .zero) : .zero
        var line = FeeLine(
            order: order.id, session: 0, start: first, taskType: order.taskType, minutes: minutes, outcome: .held,
            fee: fee, kilometres: 0, travel: .zero, otherCosts: .zero)
        line.planning = true
        return line
    }

    /// A debrief held after the work (000 §3, §4), in the month it was recorded held, when the
    /// fee table prices debriefs (`debrief:`); without a rate it is recorded and not paid.
    public func debriefLine(of order: Order) -> FeeLine? {
        guard let debrief = order.debrief, let held = debrief.heldAt, let minutes = debrief.minutes, minutes > 0,
            debrief.requestedBy == order.assignment?.expert, order.hasWorkDone(by: held),
            let rate = schedule.debriefRate(year: time.year(of: held))
        else { return nil }
        var line = FeeLine(
            order: order.id, session: 0, start: held, taskType: order.taskType, minutes: minutes, outcome: .held,
            fee: paysFee(order) ? rate.fee(minutes: minutes) : .zero, kilometres: 0, travel: .zero, otherCosts: .zero)
        line.debrief = true
        return line
    }

    /// Whether the order's expert is paid a fee for it (not a volunteer).
    func paysFee(_ order: Order) -> Bool {
        order.assignment.map { !volunteers.contains($0.expert) } ?? true
    }

    /// The fee a session will earn if it is held as planned (or has earned, once it has
    /// ended and is paid): what earnings limits are checked against. Nil when nothing is paid.
    public func expectedFee(for session: Session, of order: Order, expert: PersonID) -> Money? {
        guard !volunteers.contains(expert) else { return nil }
        switch session.status {
        case .planned:
            return schedule.rate(for: order, year: time.year(of: session.start))?.fee(minutes: session.durationMinutes)
        default:
            guard session.status.feeDue else { return nil }
            let minutes = session.status == .held ? (session.hours?.minutes ?? session.durationMinutes) : session.durationMinutes
            return schedule.rate(for: order, year: time.year(of: session.start))?.fee(minutes: minutes)
        }
    }
}
