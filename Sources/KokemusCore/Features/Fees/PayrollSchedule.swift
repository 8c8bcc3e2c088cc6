import Foundation

/// When fee reports are due and paid, and when payroll gets them (`payroll:` in
/// `kokemus.yaml`). By 000 §6.3 a month's fee report reaches the unit's approver by the 9th
/// of the next month and the fee is paid on that month's last day; a payday on a weekend or a
/// bank holiday moves to the banking day before. The gateway hands the approved reports to
/// the payroll role on `handoverDay` itself; a report approved after its month's handover is
/// paid on the next payday.
public struct PayrollSchedule: Sendable, Hashable {
    /// The day of the month by which last month's reports should be confirmed and approved.
    public var deadlineDay: Int
    /// The day of the month the approved reports go to payroll (in working time).
    public var handoverDay: Int
    /// Whether the gateway hands reports over by itself; off, `kokemus payroll export` is the way.
    public var automaticHandover: Bool

    /// Days of the month a deadline or handover may fall on: early enough that the handover,
    /// moved past a weekend or holiday, still comes well before the month's payday.
    public static let days = 1...20

    public init(deadlineDay: Int = 9, handoverDay: Int = 10, automaticHandover: Bool = true) {
        self.deadlineDay = min(max(deadlineDay, Self.days.lowerBound), Self.days.upperBound)
        self.handoverDay = min(max(handoverDay, Self.days.lowerBound), Self.days.upperBound)
        self.automaticHandover = automaticHandover
    }

    /// The payday of the handover in `month`: its last banking day.
    public func payday(ofHandoverIn month: Month) -> LocalDay {
        var day = month.lastDay
        while !Self.isBankingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The payday of a month's work when its report is approved in time.
    public func payday(for month: Month) -> LocalDay { payday(ofHandoverIn: month.next) }

    /// When the handover of `month` is due: the start of working time on its handover day, or
    /// on the first working day after it (the handover runs only in working time, and a report
    /// approved before it runs goes with it).
    public func handoverDue(in month: Month, working: WorkingTime) -> Date {
        working.start(of: working.workingDay(onOrAfter: month.day(handoverDay)))
    }

    /// The month whose handover takes a report of `month` approved at `approvedAt`: the month
    /// after the work, or the first later one whose handover is still to come.
    public func handoverMonth(for month: Month, approvedAt: Date, working: WorkingTime) -> Month {
        var candidate = month.next
        // Bounded: an approval years late still ends (and far past any real case).
        for _ in 0..<240 where handoverDue(in: candidate, working: working) <= approvedAt {
            candidate = candidate.next
        }
        return candidate
    }

    /// The payday of a report of `month` approved at `approvedAt`.
    public func payday(for month: Month, approvedAt: Date, working: WorkingTime) -> LocalDay {
        payday(ofHandoverIn: handoverMonth(for: month, approvedAt: approvedAt, working: working))
    }

    /// Finnish banks pay on weekdays that are not bank holidays (the holidays of
    /// `FinnishHolidays`, with Christmas Eve and Midsummer Eve).
    public static func isBankingDay(_ day: LocalDay) -> Bool {
        !day.isWeekend && !FinnishHolidays.isHoliday(day)
    }
}
