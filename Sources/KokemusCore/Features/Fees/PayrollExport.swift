import Foundation

/// Approved fee reports as CSV for payroll (RFC 4180: comma-separated, dot decimals, quoted
/// where needed), one file per payment mode (fees, business income and volunteers' costs go
/// different ways in payroll), with warnings a person must read before sending it: experts
/// without the year's tax card or business ID, reports of the month not yet approved.
public struct PayrollExport: Sendable {
    public var csv: String
    public var warnings: [PayrollWarning]
    public var reportCount: Int
    /// The experts whose reports are in it (for the access log).
    public var experts: [PersonID] = []

    public static let header = [
        "report_id", "month", "payday", "expert_id", "expert_name", "unit_id", "unit_name", "cost_centre", "sessions",
        "minutes", "fees_eur", "kilometres", "travel_eur", "other_costs_eur", "total_eur", "approved_by", "approved_at",
        "tax_card_year", "payment_mode", "business_id", "handed_over_at",
    ]

    /// The approved reports of a month paid in `mode`; the month's reports not yet approved,
    /// and those paid in another mode, are named in the warnings.
    public init(month: Month, mode: PaymentMode = .fee, state: GatewayState, registry: Registry, time: LocalTime = .helsinki) {
        let reports = state.feeReports.values.filter { $0.month == month.description }.sorted { $0.id < $1.id }
        self.init(reports: reports.filter { $0.status == .approved && $0.mode == mode }, state: state, registry: registry, time: time)
        let waiting = reports.filter { $0.status != .approved }
        if !waiting.isEmpty { warnings.append(.notApproved(month: month, reports: waiting)) }
        for other in PaymentMode.allCases where other != mode {
            let count = reports.filter { $0.status == .approved && $0.mode == other }.count
            if count > 0 { warnings.append(.otherMode(month: month, count: count, mode: other)) }
        }
    }

    /// The reports the gateway handed to payroll on `day` (`handedToPayrollAt`) paid in `mode`:
    /// the same rows as the files of that handover, for IT when payroll reads chat.
    public init(handedOverOn day: LocalDay, mode: PaymentMode = .fee, state: GatewayState, registry: Registry, time: LocalTime = .helsinki)
    {
        let reports = state.feeReports.values.filter {
            $0.mode == mode && $0.handedToPayrollAt.map { time.day(of: $0) == day } ?? false
        }
        self.init(reports: reports, state: state, registry: registry, time: time)
    }

    /// The given approved reports, in id order, with the warnings about each.
    public init(reports: [FeeReport], state: GatewayState, registry: Registry, time: LocalTime = .helsinki) {
        var rows = [Self.header]
        var warnings: [PayrollWarning] = []
        for report in reports.sorted(by: { $0.id < $1.id }) where report.status == .approved {
            let expert = registry.person(report.expert)
            let unit = registry.unit(report.unit)
            let taxCard = state.taxCardYear(of: report.expert, registry: registry)
            let businessID = expert?.expert?.businessID
            switch report.mode {
            case .fee:
                if taxCard ?? 0 < report.payday.year {
                    warnings.append(
                        .noTaxCard(
                            report: report.id, expert: expert?.name ?? report.expert.rawValue, year: report.payday.year, latest: taxCard))
                }
            case .businessIncome:
                if businessID == nil {
                    warnings.append(.noBusinessID(report: report.id, expert: expert?.name ?? report.expert.rawValue))
                }
            case .volunteer:
                break
            }
            if unit == nil { warnings.append(.noUnit(report: report.id, unit: report.unit)) }
            rows.append([
                report.id, report.month, report.payday.iso, report.expert.rawValue, expert?.name ?? "",
                report.unit.rawValue, unit?.name ?? "", unit?.costCentre ?? "", String(report.sessionCount),
                String(report.minutes), report.fees.plain, String(report.kilometres), report.travel.plain,
                report.otherCosts.plain, report.total.plain, report.approvedBy?.rawValue ?? "",
                report.approvedAt.map(time.isoMinuteString) ?? "", report.mode == .fee ? (taxCard.map(String.init) ?? "") : "",
                report.mode.registryName, report.mode == .businessIncome ? (businessID ?? "") : "",
                report.handedToPayrollAt.map(time.isoMinuteString) ?? "",
            ])
        }
        csv = rows.map { $0.map(Self.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        self.warnings = warnings
        reportCount = rows.count - 1
        experts = reports.filter { $0.status == .approved }.map(\.expert)
    }

    /// A field quoted when it holds a comma, quote or line break; one starting like a formula
    /// (`=`, `+`, `-`, `@`) gets a leading apostrophe, so a spreadsheet shows it as text
    /// (names and units come from the registry, but a CSV file is opened in a spreadsheet).
    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+@\t\r".contains(first) || (first == "-" && Double(text) == nil) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension GatewayState {
    /// The latest year an expert has delivered a tax card for, confirmed in chat or in the registry.
    public func taxCardYear(of expert: PersonID, registry: Registry) -> Int? {
        [taxCards[expert], registry.person(expert)?.expert?.taxCardYear].compactMap { $0 }.max()
    }
}
