import Foundation

/// The coordinator's reports from the CLI (`kokemus report fees|year`): what is paid per
/// unit and expert in a month, and the year in tasks, hours, fees and feedback (the
/// service's measures, 000 §8). Pure: built from the state, the registry and the rates.
public enum ServiceReports {
    /// The language a report is read in: its titles, headers and words (`--language`), and
    /// the names of kinds of task. Without one, a report keeps the stable English column
    /// names and ids that spreadsheets and scripts read (CSV always does).
    public struct Reader: Sendable {
        public var catalog: MessageCatalog
        public var language: Language
        public var taskNames: [String: LocalizedText]

        public init(catalog: MessageCatalog, language: Language, taskNames: [String: LocalizedText] = [:]) {
            self.catalog = catalog
            self.language = language
            self.taskNames = taskNames
        }

        func text(_ key: MessageKey, _ values: [String: String] = [:]) -> String { catalog.text(key, language, values) }
    }

    /// A month's fees per unit and expert, with where each fee report is.
    public static func fees(
        month: Month, state: GatewayState, registry: Registry, schedule: FeeSchedule,
        time: LocalTime = .helsinki, now: Date, reader: Reader? = nil
    ) -> [ReportTable] {
        let live = FeeCalculator(schedule: schedule, time: time, volunteers: registry.volunteers).lines(
            in: month, orders: state.orders.values, now: now)
        var keys = Set<String>()
        for (expert, units) in live { for unit in units.keys { keys.insert("\(unit.rawValue)\u{1F}\(expert.rawValue)") } }
        for report in state.feeReports.values where report.month == month.description {
            keys.insert("\(report.unit.rawValue)\u{1F}\(report.expert.rawValue)")
        }
        var rows: [[String]] = []
        var grand = Money.zero
        for key in keys.sorted() {
            let parts = key.split(separator: "\u{1F}").map(String.init)
            let unit = UnitID(parts[0])
            let expert = PersonID(parts[1])
            let report = state.feeReports[FeeReport.id(month: month.description, expert: expert, unit: unit)]
            // A report past the expert is what the approver saw; otherwise the orders as they stand.
            let lines =
                report.flatMap { $0.status == .awaitingApproval || $0.status == .approved ? $0.lines : nil }
                ?? live[expert]?[unit] ?? []
            let total = lines.reduce(Money.zero) { $0 + $1.total }
            grand = grand + total
            rows.append([
                registry.unit(unit)?.name ?? unit.rawValue, registry.unit(unit)?.costCentre ?? "",
                registry.person(expert)?.name ?? expert.rawValue, String(lines.filter(\.isSession).count),
                number(hours(lines.reduce(0) { $0.addingSaturated($1.minutes) }), reader),
                number(lines.reduce(Money.zero) { $0 + $1.fee }.plain, reader),
                number(lines.reduce(Money.zero) { $0 + $1.travel + $1.otherCosts }.plain, reader), number(total.plain, reader),
                status(report, reader, registry: registry),
            ])
        }
        if !rows.isEmpty {
            rows.append([reader?.text(.reportYearTotal) ?? "total", "", "", "", "", "", "", number(grand.plain, reader), ""])
        }
        let headers =
            reader.map { reader in
                [
                    MessageKey.reportYearUnit, .reportCostCentre, .reportExpert, .reportYearSessions, .reportYearHours,
                    .reportFeesEuros, .reportCostsEuros, .reportTotalEuros, .reportFeeReport,
                ].map { reader.text($0) }
            } ?? ["unit", "cost_centre", "expert", "sessions", "hours", "fees_eur", "costs_eur", "total_eur", "report"]
        return [
            ReportTable(title: reader?.text(.reportFeesTitle, ["month": month.text]) ?? "Fees \(month)", headers: headers, rows: rows)
        ]
    }

    /// Where a fee report is: its state's id, or in the reader's words (who has it, why).
    static func status(_ report: FeeReport?, _ reader: Reader?, registry: Registry) -> String {
        guard let reader else { return report.map { $0.status.rawValue } ?? "no report yet" }
        guard let report else { return reader.text(.reportNoFeeReport) }
        return report.status == .approved
            ? reader.text(.reportFeeReportApproved)
            : PayrollWarning.whyNotApproved(report, reader.catalog, reader.language, registry: registry)
    }

    /// The year: paid tasks by type and by unit (tasks, sessions, hours, fees), and
    /// feedback averages by who gave it.
    public static func year(
        _ year: Int, state: GatewayState, registry: Registry, schedule: FeeSchedule,
        time: LocalTime = .helsinki, now: Date, reader: Reader? = nil
    ) -> [ReportTable] {
        let calculator = FeeCalculator(schedule: schedule, time: time, volunteers: registry.volunteers)
        var lines: [(order: Order, line: FeeLine)] = []
        for month in 1...12 {
            let byExpert = calculator.lines(in: Month(year: year, month: month), orders: state.orders.values, now: now)
            for units in byExpert.values {
                for unitLines in units.values {
                    for line in unitLines { if let order = state.orders[line.order] { lines.append((order, line)) } }
                }
            }
        }
        func summary(_ group: [(order: Order, line: FeeLine)]) -> [String] {
            [
                String(Set(group.map(\.order.id)).count), String(group.filter { $0.line.isSession }.count),
                number(hours(group.reduce(0) { $0.addingSaturated($1.line.minutes) }), reader),
                number(group.reduce(Money.zero) { $0 + $1.line.fee }.plain, reader),
                number(group.reduce(Money.zero) { $0 + $1.line.travel + $1.line.otherCosts }.plain, reader),
            ]
        }
        let headers =
            reader.map { reader in
                [MessageKey.reportGroup, .reportYearTasks, .reportYearSessions, .reportYearHours, .reportFeesEuros, .reportCostsEuros]
                    .map { reader.text($0) }
            } ?? ["group", "tasks", "sessions", "hours", "fees_eur", "costs_eur"]
        let byType = TaskType.allCases.compactMap { type -> [String]? in
            let group = lines.filter { $0.order.taskType == type }
            let name = reader.map { $0.taskNames[type.rawValue]?.text(in: $0.language) ?? type.rawValue } ?? type.rawValue
            return group.isEmpty ? nil : [name] + summary(group)
        }
        let units = Set(lines.map(\.order.unit)).sorted()
        let byUnit = units.map { unit in [registry.unit(unit)?.name ?? unit.rawValue] + summary(lines.filter { $0.order.unit == unit }) }
        let all = lines.isEmpty ? [] : [[reader?.text(.reportYearTotal) ?? "all"] + summary(lines)]

        let feedback = state.orders.values.flatMap(\.feedback).filter { time.year(of: $0.at) == year }
        let feedbackRows = Feedback.Source.allCases.map { source -> [String] in
            let given = feedback.filter { $0.source == source }
            let average =
                given.isEmpty
                ? "–"
                : number(
                    String(format: "%.1f", Double(given.reduce(0) { $0.addingSaturated($1.rating) }) / Double(given.count)), reader)
            let name: String
            switch (source, reader) {
            case (_, nil): name = source.rawValue
            case (.expert, let reader?): name = reader.text(.reportYearFromExperts)
            case (.employee, let reader?): name = reader.text(.reportYearFromEmployees)
            case (.client, let reader?): name = reader.text(.reportYearFromClients)
            }
            return [name, String(given.count), average]
        }
        guard let reader else {
            return [
                ReportTable(title: "Tasks by type \(year)", headers: headers, rows: byType + all),
                ReportTable(title: "Tasks by unit \(year)", headers: headers, rows: byUnit + all),
                ReportTable(title: "Feedback \(year)", headers: ["from", "answers", "average_1_to_5"], rows: feedbackRows),
            ]
        }
        return [
            ReportTable(title: "\(reader.text(.reportYearByTask)) \(year)", headers: headers, rows: byType + all),
            ReportTable(title: "\(reader.text(.reportYearByUnit)) \(year)", headers: headers, rows: byUnit + all),
            ReportTable(
                title: "\(reader.text(.reportYearFeedback)) \(year)",
                headers: [reader.text(.reportYearFrom), reader.text(.reportYearAnswers), reader.text(.reportYearAverage)],
                rows: feedbackRows),
        ]
    }

    /// `1.5` hours from 90 minutes.
    /// `3,75` for a Finnish or Swedish reader; as written (`3.75`) for English and for files.
    static func number(_ text: String, _ reader: Reader?) -> String {
        guard let reader, reader.language != .en else { return text }
        return text.replacingOccurrences(of: ".", with: ",")
    }

    static func hours(_ minutes: Int) -> String {
        minutes % 60 == 0 ? String(minutes / 60) : String(format: "%.2f", Double(minutes) / 60)
    }
}
