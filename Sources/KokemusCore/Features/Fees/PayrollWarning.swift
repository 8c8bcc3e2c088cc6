import Foundation

/// What a person must read before sending a payroll file, told in their language
/// (`kokemus payroll export --language`): the texts are in `Config/messages.yaml`.
public enum PayrollWarning: Sendable, Hashable {
    /// Reports of the month not yet approved, left out; each with why (its state).
    case notApproved(month: Month, reports: [FeeReport])
    /// Approved reports of the month paid in another mode, left out of this file.
    case otherMode(month: Month, count: Int, mode: PaymentMode)
    /// An expert paid a fee without the payday year's tax card.
    case noTaxCard(report: String, expert: String, year: Int, latest: Int?)
    /// An expert paid business income without a business ID in the registry.
    case noBusinessID(report: String, expert: String)
    /// A report's unit is gone from the registry: no cost centre.
    case noUnit(report: String, unit: UnitID)
    /// The gateway hands the reports over by itself: a month's file is a copy to check.
    case automaticHandover

    /// Why a report is not approved, in words: with the expert, returned (and why), or
    /// waiting for the unit's approver (named).
    static func whyNotApproved(_ report: FeeReport, _ catalog: MessageCatalog, _ language: Language, registry: Registry) -> String {
        switch report.status {
        case .awaitingExpert: catalog.text(.payrollLateExpert, language)
        case .returned: catalog.text(.payrollLateReturned, language, ["reason": report.returnReason?.text ?? ""])
        case .awaitingApproval:
            catalog.text(
                .payrollLateApprover, language,
                ["approver": registry.unit(report.unit).flatMap { registry.person($0.approver) }?.name ?? ""])
        case .approved: ""
        }
    }

    /// The warning as `language` reads it.
    public func text(_ catalog: MessageCatalog, _ language: Language, registry: Registry) -> String {
        switch self {
        case .notApproved(let month, let reports):
            let listed = reports.map { "\($0.id) (\(Self.whyNotApproved($0, catalog, language, registry: registry)))" }
            return catalog.text(
                .payrollExportNotApproved, language,
                ["count": String(reports.count), "month": month.text, "reports": listed.joined(separator: ", ")])
        case .otherMode(let month, let count, let mode):
            return catalog.text(
                .payrollExportOtherMode, language,
                ["count": String(count), "month": month.text, "mode": mode.registryName])
        case .noTaxCard(let report, let expert, let year, let latest):
            return "\(report): \(expert): " + catalog.text(.payrollNoTaxCard, language, ["year": String(year)])
                + (latest.map { " (" + catalog.text(.payrollExportLatestTaxCard, language, ["year": String($0)]) + ")" } ?? "")
        case .noBusinessID(let report, let expert):
            return "\(report): \(expert): " + catalog.text(.payrollNoBusinessID, language)
        case .noUnit(let report, let unit):
            return "\(report): \(unit): " + catalog.text(.payrollNoUnit, language)
        case .automaticHandover:
            return catalog.text(.payrollExportCopy, language)
        }
    }
}
