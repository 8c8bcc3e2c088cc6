import Foundation

/// Questions about hours and fee reports that the engine and the fee flows' actions both ask.
extension GatewayState {
    public static let hoursFlowID = "hours"
    public static let feeReportFlowID = "fee_report"
    public static let feeApprovalFlowID = "fee_approval"

    /// Minutes of the expert's sessions whose hours are confirmed, in the local month (saturating).
    public func confirmedMinutes(of expert: PersonID, in month: Month, time: LocalTime) -> Int {
        var total = 0
        for order in orders.values where order.assignment?.expert == expert {
            for session in order.sessions {
                guard let hours = session.hours, Month(of: time.day(of: session.start)) == month else { continue }
                total = total.addingSaturated(max(0, hours.minutes))
            }
        }
        return total
    }

    /// Sessions the expert has been asked to confirm and has not, oldest first; none that
    /// are already in a confirmed report.
    public func sessionsAwaitingHours(of expert: PersonID, time: LocalTime) -> [(order: Order, session: Session)] {
        var result: [(order: Order, session: Session)] = []
        for order in orders.values where order.assignedExpert == expert {
            for session in order.sessions where session.status == .planned && session.hoursAskedAt != nil && session.hours == nil {
                guard !isReportLocked(expert: expert, unit: order.unit, month: Month(of: time.day(of: session.start))) else {
                    continue
                }
                result.append((order, session))
            }
        }
        return result.sorted { ($0.session.start, $0.order.id) < ($1.session.start, $1.order.id) }
    }

    /// Whether the month's report for the expert and unit is past the expert's hands.
    public func isReportLocked(expert: PersonID, unit: UnitID, month: Month) -> Bool {
        guard let report = feeReports[FeeReport.id(month: month.description, expert: expert, unit: unit)] else { return false }
        return report.status == .awaitingApproval || report.status == .approved
    }

    /// Reports waiting for the expert (new or returned), oldest month first.
    public func reportsAwaitingExpert(_ expert: PersonID) -> [FeeReport] {
        feeReports.values.filter { $0.expert == expert && ($0.status == .awaitingExpert || $0.status == .returned) }
            .sorted { ($0.month, $0.id) < ($1.month, $1.id) }
    }

    /// Confirmed reports of the units this person approves, oldest first.
    public func reportsAwaitingApproval(by approver: PersonID, registry: Registry) -> [FeeReport] {
        feeReports.values.filter { $0.status == .awaitingApproval && registry.unit($0.unit)?.approver == approver }
            .sorted { ($0.confirmedAt ?? $0.createdAt, $0.id) < ($1.confirmedAt ?? $1.createdAt, $1.id) }
    }
}
