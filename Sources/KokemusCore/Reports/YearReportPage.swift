import Foundation

/// The year's report as one HTML file (`kokemus report year --format html`): charts drawn
/// as inline SVG, a table under each chart with the same numbers, the feedback comments
/// compiled, in the reader's language, laid out to print on A4. The page runs no script
/// and loads nothing (its content security policy forbids both), so it opens the same
/// from a mail attachment, a shared folder or a printer.
public struct YearReportPage: Sendable {
    /// Names of what the state stores by id, in the reader's language.
    public struct Names: Sendable {
        public var units: [String: String]
        public var topics: [String: LocalizedText]
        public var tasks: [String: LocalizedText]

        public init(units: [String: String] = [:], topics: [String: LocalizedText] = [:], tasks: [String: LocalizedText] = [:]) {
            self.units = units
            self.topics = topics
            self.tasks = tasks
        }
    }

    public var figures: YearFigures
    public var catalog: MessageCatalog
    public var language: Language
    public var names: Names
    /// When the figures were taken, as the reader reads it (`30.11.2026 klo 14.05`).
    public var madeAt: String

    public init(figures: YearFigures, catalog: MessageCatalog, language: Language, names: Names, madeAt: String) {
        self.figures = figures
        self.catalog = catalog
        self.language = language
        self.names = names
        self.madeAt = madeAt
    }

    private func text(_ key: MessageKey, _ values: [String: String] = [:]) -> String {
        catalog.text(key, language, values)
    }

    /// A list kept in one text, its items separated by `;` (month names, fill-time buckets).
    func list(_ key: MessageKey) -> [String] {
        text(key).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    public func html() -> String {
        let title = text(.reportYearTitle, ["year": String(figures.year)])
        var body: [String] = [
            "<header><h1>\(Markup.escape(title))</h1>",
            "<p class=\"made\">\(Markup.escape(text(.reportYearMade, ["time": madeAt])))</p></header>",
            keyFigures(),
        ]
        body.append(byMonth())
        body.append(
            groups(
                .reportYearByUnit, header: .reportYearUnit, figures.units,
                name: { names.units[$0] ?? $0 }))
        body.append(feesByUnit())
        body.append(
            groups(
                .reportYearByTopic, header: .reportYearTopic, figures.topics,
                name: { names.topics[$0]?.text(in: language) ?? $0 }))
        body.append(
            groups(
                .reportYearByTask, header: .reportYearTask, figures.tasks,
                name: { names.tasks[$0]?.text(in: language) ?? $0 }))
        body.append(fillTimes())
        body.append(offerAnswers())
        body.append(feedback())
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Markup.escape(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    static let style = """
        body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#1b1b1b;max-width:700px;\
        margin:2em auto;padding:0 1em;line-height:1.4}
        h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #bbb;margin-top:1.6em}
        .made,.note{color:#555;margin-top:0}.note{font-size:.85em}
        dl.figures{display:grid;grid-template-columns:auto auto;gap:.2em 1.5em;justify-content:start}
        dl.figures dt{color:#444}dl.figures dd{margin:0;font-weight:bold;text-align:right}
        svg.chart{display:block;max-width:100%;height:auto;margin:.6em 0}
        svg.chart .bar{fill:#2a6f97}svg.chart .axis{stroke:#666;stroke-width:1}
        svg.chart text{font-size:13px;fill:#1b1b1b}svg.chart .value{font-weight:bold}
        table{border-collapse:collapse;margin:.4em 0 1em;font-size:.9em}
        th,td{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}
        th:first-child,td:first-child{text-align:left}tr.total td{font-weight:bold;border-top:1px solid #888}
        blockquote{margin:.5em 0;padding:.3em .8em;border-left:3px solid #2a6f97;background:#f4f7f9;white-space:pre-line}
        blockquote,td,th,dd,h1,h2,h3,h4,p{overflow-wrap:anywhere}
        .meta{color:#555;font-size:.85em;display:block}
        svg.chart,table,blockquote,dl.figures{break-inside:avoid}
        @page{size:A4;margin:15mm}
        @media print{body{margin:0;max-width:none}*{print-color-adjust:exact;-webkit-print-color-adjust:exact}\
        h2,h3,h4{break-after:avoid}}
        """

    // MARK: Sections

    private func section(_ heading: MessageKey, _ parts: [String]) -> String {
        "<section><h2>\(Markup.escape(text(heading)))</h2>\n" + parts.joined(separator: "\n") + "\n</section>"
    }

    private func keyFigures() -> String {
        let all = figures.all
        var rows: [(MessageKey, String)] = [
            (.reportYearTasks, String(all.tasks)), (.reportYearSessions, String(all.sessions)),
            (.reportYearHours, hours(all.minutes)), (.reportYearFees, all.fees.text(language)),
            (.reportYearCosts, all.costs.text(language)),
            (.reportYearOffersAccepted, "\(figures.offers.accepted) / \(figures.offers.total)"),
        ]
        if let median = figures.fill.median { rows.append((.reportYearFillMedianShort, duration(median))) }
        let items = rows.map { "<dt>\(Markup.escape(text($0.0)))</dt><dd>\(Markup.escape($0.1))</dd>" }
        var parts = ["<dl class=\"figures\">" + items.joined() + "</dl>"]
        if all.tasks == 0 { parts.append("<p>\(Markup.escape(text(.reportYearNoWork)))</p>") }
        return section(.reportYearKeyFigures, parts)
    }

    private func byMonth() -> String {
        let monthNames = list(.reportYearMonthNames)
        let name = { (index: Int) in index < monthNames.count ? monthNames[index] : String(index + 1) }
        guard figures.months.contains(where: { $0.tasks > 0 }) else { return section(.reportYearByMonth, [empty()]) }
        let chart = SVGBarChart(
            title: text(.reportYearByMonth),
            bars: figures.months.enumerated().map { index, work in
                .init(label: name(index), value: Double(work.tasks), valueText: String(work.tasks))
            }, layout: .columns)
        let rows = figures.months.enumerated().map { [name($0.offset)] + workCells($0.element) }
        var parts = [chart.svg(), table(header: .reportYearMonth, rows, total: true)]
        // A task with sessions in two months is in both; the year counts it once.
        if figures.months.reduce(0, { $0 + $1.tasks }) != figures.all.tasks {
            parts.append("<p class=\"note\">\(Markup.escape(text(.reportYearTasksAcrossMonths)))</p>")
        }
        return section(.reportYearByMonth, parts)
    }

    private func groups(_ heading: MessageKey, header: MessageKey, _ groups: [YearFigures.Group], name: (String) -> String)
        -> String
    {
        let chart = SVGBarChart(
            title: text(heading),
            bars: groups.map { .init(label: name($0.key), value: Double($0.work.tasks), valueText: String($0.work.tasks)) },
            layout: .rows)
        let rows = groups.map { [name($0.key)] + workCells($0.work) }
        return section(heading, groups.isEmpty ? [empty()] : [chart.svg(), table(header: header, rows, total: groups.count > 1)])
    }

    private func feesByUnit() -> String {
        let units = figures.units.sorted { ($1.work.fees, $0.key) < ($0.work.fees, $1.key) }
        let chart = SVGBarChart(
            title: text(.reportYearFeesByUnit),
            bars: units.map {
                .init(label: names.units[$0.key] ?? $0.key, value: Double($0.work.fees.cents), valueText: $0.work.fees.text(language))
            }, layout: .rows)
        return section(.reportYearFeesByUnit, units.isEmpty ? [empty()] : [chart.svg()])
    }

    private func fillTimes() -> String {
        let labels = list(.reportYearFillBuckets)
        var bars = figures.fill.buckets.enumerated().map { index, count in
            SVGBarChart.Bar(label: index < labels.count ? labels[index] : "", value: Double(count), valueText: String(count))
        }
        bars.append(.init(label: text(.reportYearUnfilled), value: Double(figures.fill.unfilled), valueText: String(figures.fill.unfilled)))
        var parts: [String] = []
        if bars.contains(where: { $0.value > 0 }) {
            parts.append(SVGBarChart(title: text(.reportYearFillTime), bars: bars, layout: .rows).svg())
        } else {
            parts.append(empty())
        }
        if let median = figures.fill.median {
            parts.append("<p>\(Markup.escape(text(.reportYearFillMedian, ["time": duration(median)])))</p>")
        }
        return section(.reportYearFillTime, parts)
    }

    private func offerAnswers() -> String {
        let offers = figures.offers
        let bars: [SVGBarChart.Bar] = [
            (MessageKey.offerStatusAccepted, offers.accepted), (.offerStatusDeclined, offers.declined),
            (.offerStatusExpired, offers.expired), (.offerStatusWithdrawn, offers.withdrawn), (.offerStatusPending, offers.pending),
        ].map { .init(label: text($0.0), value: Double($0.1), valueText: String($0.1)) }
        return section(
            .reportYearOffers,
            offers.total == 0 ? [empty()] : [SVGBarChart(title: text(.reportYearOffers), bars: bars, layout: .rows).svg()])
    }

    private func feedback() -> String {
        let summaries = figures.feedback
        let chart = SVGBarChart(
            title: text(.reportYearFeedback),
            bars: summaries.map {
                .init(
                    label: source($0.source), value: $0.average ?? 0,
                    valueText: $0.average.map { decimal($0, digits: 1, keepZeros: true) } ?? "–")
            }, layout: .rows, maximum: 5)
        let rows = summaries.map {
            [source($0.source), String($0.answers), $0.average.map { decimal($0, digits: 1, keepZeros: true) } ?? "–"]
        }
        let header = [text(.reportYearFrom), text(.reportYearAnswers), text(.reportYearAverage)]
        var parts = summaries.allSatisfy({ $0.answers == 0 }) ? [empty()] : [chart.svg(), table(headers: header, rows)]
        parts.append("<h3>\(Markup.escape(text(.reportYearComments)))</h3>")
        if figures.comments.isEmpty {
            parts.append("<p>\(Markup.escape(text(.reportYearNoComments)))</p>")
        }
        let monthNames = list(.reportYearMonthNames)
        for origin in Feedback.Source.allCases {
            let comments = figures.comments.filter { $0.source == origin }
            guard !comments.isEmpty else { continue }
            parts.append("<h4>\(Markup.escape(source(origin)))</h4>")
            for comment in comments {
                let month = comment.month >= 1 && comment.month <= monthNames.count ? monthNames[comment.month - 1] : String(comment.month)
                let meta = text(
                    .reportYearCommentMeta,
                    [
                        "month": month, "task": names.tasks[comment.task]?.text(in: language) ?? comment.task,
                        "rating": String(comment.rating),
                    ])
                parts.append(
                    "<blockquote><span class=\"meta\">\(Markup.escape(meta))</span>\(Markup.escape(comment.text))</blockquote>")
            }
        }
        return section(.reportYearFeedback, parts)
    }

    // MARK: Pieces

    private func empty() -> String { "<p>\(Markup.escape(text(.reportYearNoWork)))</p>" }

    private func source(_ source: Feedback.Source) -> String {
        switch source {
        case .expert: text(.reportYearFromExperts)
        case .employee: text(.reportYearFromEmployees)
        case .client: text(.reportYearFromClients)
        }
    }

    private func workCells(_ work: YearFigures.Work) -> [String] {
        [String(work.tasks), String(work.sessions), hours(work.minutes), work.fees.text(language), work.costs.text(language)]
    }

    private func table(header: MessageKey, _ rows: [[String]], total: Bool) -> String {
        let headers =
            [text(header)]
            + [MessageKey.reportYearTasks, .reportYearSessions, .reportYearHours, .reportYearFees, .reportYearCosts].map { text($0) }
        var rows = rows
        if total { rows.append([text(.reportYearTotal)] + workCells(figures.all)) }
        return table(headers: headers, rows, totalRow: total)
    }

    private func table(headers: [String], _ rows: [[String]], totalRow: Bool = false) -> String {
        var lines = ["<table><thead><tr>" + headers.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr></thead><tbody>"]
        for (index, row) in rows.enumerated() {
            let isTotal = totalRow && index == rows.count - 1
            lines.append(
                (isTotal ? "<tr class=\"total\">" : "<tr>") + row.map { "<td>\(Markup.escape($0))</td>" }.joined() + "</tr>")
        }
        lines.append("</tbody></table>")
        return lines.joined(separator: "\n")
    }

    /// `1,5` in Finnish and Swedish, `1.5` in English; whole numbers without decimals unless
    /// `keepZeros` (an average, `4,0`).
    func decimal(_ value: Double, digits: Int, keepZeros: Bool = false) -> String {
        guard value.isFinite else { return "–" }
        var text = String(format: "%.\(digits)f", value)
        if !keepZeros, text.hasSuffix("." + String(repeating: "0", count: digits)) { text.removeLast(digits + 1) }
        return language == .en ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    /// `1,25` for 75 minutes: two decimals where they are needed, so that months add up to the year.
    private func hours(_ minutes: Int) -> String {
        let text = decimal(Double(minutes) / 60, digits: 2)
        return text.hasSuffix("0") && text.contains(where: { $0 == "," || $0 == "." }) ? String(text.dropLast()) : text
    }

    /// A wait as people say it: `35 min` under an hour, `5,5 h` under two days, `2,7 vrk`.
    func duration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 3600 { return text(.reportYearMinutes, ["minutes": String(Int(seconds / 60))]) }
        if seconds < 48 * 3600 { return text(.reportYearHoursShort, ["hours": decimal(seconds / 3600, digits: 1)]) }
        return text(.reportYearDays, ["days": decimal(seconds / 86400, digits: 1)])
    }
}

extension YearReportPage.Names {
    /// The names a county uses: units from the registry, kinds of task from the catalogue,
    /// topics from the flows' `topic` questions (the first flow, by id, that names a value).
    ///
    /// `earlier` are flows the county has since changed (the state keeps every version a
    /// conversation began with): a topic taken out of today's flows is still named by them.
    public init(registry: Registry, tasks: TaskCatalogue, flows: [FlowDefinition], earlier: [FlowDefinition] = []) {
        var topics: [String: LocalizedText] = [:]
        for flow in flows.sorted(by: { $0.id < $1.id }) + earlier.sorted(by: { ($0.id, $0.version) < ($1.id, $1.version) }) {
            for step in flow.steps {
                guard case .ask(_, let expect, let slot, _) = step.kind, slot == "topic" else { continue }
                switch expect {
                case .choice(let choices), .choices(let choices, _, _):
                    for choice in choices where topics[choice.value] == nil { topics[choice.value] = choice.label }
                default: continue
                }
            }
        }
        self.init(
            units: Dictionary(registry.sortedUnits.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first }),
            topics: topics,
            tasks: Dictionary(tasks.entries.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }))
    }
}
