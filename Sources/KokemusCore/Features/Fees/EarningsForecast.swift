import Foundation

/// The fees an expert has earned and is booked to earn, per month of payment: sessions held
/// or paid as they are paid, sessions still planned as if held as planned, and a group's
/// planning time. What an expert's earnings limits (`ExpertProfile.earningsLimitMonth` /
/// `Year`) are checked against before an offer, and what `palkkio vuosi` sums. By the month
/// the fee is paid in (the month after the work), as benefits count income by its payment
/// date (the incomes register); fees only: travel and costs refunded are not earnings.
public struct EarningsForecast: Sendable {
    /// One limit a task would take the expert past.
    public struct Excess: Sendable, Hashable {
        public enum Period: Sendable, Hashable {
            case month(Month)
            case year(Int)
        }

        public var period: Period
        /// The fees booked in the period with the task.
        public var expected: Money
        public var limit: Money
    }

    public var calculator: FeeCalculator
    public var payroll: PayrollSchedule
    /// The fee reports made so far, by id: a report approved late is paid later than usual.
    public var reports: [String: FeeReport]

    public init(calculator: FeeCalculator, payroll: PayrollSchedule = PayrollSchedule(), reports: [String: FeeReport] = [:]) {
        self.calculator = calculator
        self.payroll = payroll
        self.reports = reports
    }

    /// The month a session's fee is paid in: that of the payday of its month's report, as
    /// the report says once there is one.
    func paymentMonth(of start: Date, expert: PersonID, unit: UnitID) -> Month {
        let month = Month(of: calculator.time.day(of: start))
        let report = reports[FeeReport.id(month: month.description, expert: expert, unit: unit)]
        return Month(of: report?.payday ?? payroll.payday(for: month))
    }

    /// The expert's fees per month of payment from the orders they have taken, and from
    /// `adding`, an order offered to them, as if they took it.
    public func fees(of expert: PersonID, orders: some Sequence<Order>, adding offered: Order? = nil) -> [Month: Money] {
        var months: [Month: Money] = [:]
        var counted = orders.filter { $0.assignment?.expert == expert && $0.assignment?.status == .accepted && $0.id != offered?.id }
        if let offered { counted.append(offered) }
        for order in counted {
            for session in order.sessions {
                guard let fee = calculator.expectedFee(for: session, of: order, expert: expert) else { continue }
                months[paymentMonth(of: session.start, expert: expert, unit: order.unit), default: .zero] += fee
            }
            if let (month, fee) = planningFee(of: order, expert: expert) { months[month, default: .zero] += fee }
        }
        return months
    }

    /// The limits `order` would take `expert` past if they took it, month limits first. A
    /// limit already passed without the order is reported too: the expert should know.
    public func excesses(taking order: Order, expert: Person, orders: some Sequence<Order>) -> [Excess] {
        guard let profile = expert.expert, profile.earningsLimitMonth != nil || profile.earningsLimitYear != nil else { return [] }
        let fees = fees(of: expert.id, orders: orders, adding: order)
        let touched = Set(
            order.sessions.filter { $0.status == .planned }.map { paymentMonth(of: $0.start, expert: expert.id, unit: order.unit) })
        var result: [Excess] = []
        if let limit = profile.earningsLimitMonth {
            for month in touched.sorted() where fees[month, default: .zero] > limit {
                result.append(Excess(period: .month(month), expected: fees[month, default: .zero], limit: limit))
            }
        }
        if let limit = profile.earningsLimitYear {
            for year in Set(touched.map(\.year)).sorted() {
                let total = fees.filter { $0.key.year == year }.values.reduce(Money.zero, +)
                if total > limit { result.append(Excess(period: .year(year), expected: total, limit: limit)) }
            }
        }
        return result
    }

    /// A group's planning time, in the month of its first session.
    private func planningFee(of order: Order, expert: PersonID) -> (Month, Money)? {
        guard order.taskType == .group, let minutes = order.planningMinutes, minutes > 0,
            !calculator.volunteers.contains(expert),
            let first = order.sessions.map({ $0.plannedStart ?? $0.start }).min(),
            !order.sessions.allSatisfy({ $0.status == .cancelledFree })
        else { return nil }
        let year = calculator.time.year(of: first)
        guard let fee = calculator.schedule.planningRate(year: year)?.fee(minutes: minutes) else { return nil }
        return (paymentMonth(of: first, expert: expert, unit: order.unit), fee)
    }
}
