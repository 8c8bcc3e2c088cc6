import Foundation
import Testing

@testable import KokemusCore

/// The year's report as a page: what it counts, and that what people wrote cannot break it.
@Suite struct YearReportTests {
    let registry: Registry
    let schedule: FeeSchedule
    let catalog: MessageCatalog

    init() throws {
        registry = try RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example"))
        schedule = try FeeSchedule.load(file: repositoryRoot.appendingPathComponent("Config/fees.yaml"))
        catalog = try MessageCatalog.load(file: repositoryRoot.appendingPathComponent("Config/messages.yaml"))
    }

    /// An order of one held, remote session, created `wait` before its expert said yes.
    func order(
        _ number: Int, unit: UnitID = "mielenterveys-porvoo", topic: String = "mental_health", start: Date,
        minutes: Int = 60, created: Date, acceptedAfter wait: TimeInterval?, expert: PersonID = "kalle"
    ) -> Order {
        var order = Order(
            id: OrderID(rawValue: String(format: "T-2026-%04d", number)), orderer: "anna", unit: unit, taskType: .individual,
            topic: topic, start: start, durationMinutes: minutes,
            sessions: [Session(index: 1, start: start, durationMinutes: minutes)],
            place: .remote, language: .fi, audience: .client, description: "", createdAt: created)
        if let wait {
            order.offers = [
                Offer(expert: expert, offeredAt: created, deadline: created + 86_400 * 9, status: .accepted, answeredAt: created + wait)
            ]
            order.status = .assigned
            order.assignment = Assignment(expert: expert, status: .accepted, offeredAt: created, answeredAt: created + wait)
        }
        return order
    }

    func yearState() -> GatewayState {
        var state = GatewayState()
        // February: taken in 2 h after a decline; the feedback has a comment and a "-".
        var first = order(1, start: local(2026, 2, 10, 14), created: local(2026, 2, 2, 9), acceptedAfter: 2 * 3600)
        first.offers.insert(
            Offer(
                expert: "sanna", offeredAt: local(2026, 2, 2, 9), deadline: local(2026, 2, 3, 20), status: .declined,
                answeredAt: local(2026, 2, 2, 10)), at: 0)
        first.feedback = [
            Feedback(source: .expert, by: "kalle", rating: 5, text: "Hyvä <b>keskustelu</b>", at: local(2026, 2, 11)),
            Feedback(source: .employee, by: "anna", rating: 4, text: "-", at: local(2026, 2, 11)),
            // A rating out of 1…5 in the state (edited by hand) is left out, not averaged.
            Feedback(source: .client, by: "anna", rating: 99, text: "-", at: local(2026, 2, 11)),
        ]
        state.apply(.orderCreated(first, year: 2026, number: 1))
        // September, another unit and topic: taken after 3 days, 90 minutes.
        state.apply(
            .orderCreated(
                order(
                    2, unit: "asumispalvelut-sipoo", topic: "homelessness", start: local(2026, 9, 15, 9), minutes: 90,
                    created: local(2026, 9, 4, 15), acceptedAfter: 3 * 86_400 + 3600, expert: "sanna"), year: 2026, number: 2))
        // An order nobody took: unfilled, its offer lapsed.
        var open = order(3, start: local(2026, 10, 1, 9), created: local(2026, 9, 20, 9), acceptedAfter: nil)
        open.offers = [Offer(expert: "kalle", offeredAt: local(2026, 9, 20, 9), deadline: local(2026, 9, 21, 20), status: .expired)]
        state.apply(.orderCreated(open, year: 2026, number: 3))
        // A substitute order is the same need again: its wait is not a new order's.
        var substitute = order(4, start: local(2026, 10, 2, 9), created: local(2026, 9, 30, 9), acceptedAfter: 600)
        substitute.replaces = OrderID(rawValue: "T-2026-0003")
        state.apply(.orderCreated(substitute, year: 2026, number: 4))
        // Work of the year before is not this year's.
        state.apply(
            .orderCreated(order(5, start: local(2025, 12, 10, 9), created: local(2025, 12, 1, 9), acceptedAfter: 60), year: 2025, number: 5)
        )
        return state
    }

    @Test func theYearsFiguresCountWorkDoneOrdersFilledAndFeedbackGiven() {
        let figures = YearFigures(
            year: 2026, state: yearState(), registry: registry, schedule: schedule, now: local(2026, 12, 31))
        #expect(figures.months.map(\.tasks) == [0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0])
        #expect(figures.all.tasks == 3 && figures.all.sessions == 3 && figures.all.minutes == 210)
        #expect(figures.all.fees == Money(cents: 7000))
        #expect(figures.units.map(\.key) == ["mielenterveys-porvoo", "asumispalvelut-sipoo"])
        #expect(figures.units.map(\.work.tasks) == [2, 1])
        #expect(figures.topics.map(\.key) == ["mental_health", "homelessness"])
        // Two first orders filled (2 h and 3 days 1 h), one unfilled; the substitute and 2025 left out.
        #expect(figures.fill.buckets == [1, 0, 0, 1, 0] && figures.fill.unfilled == 1)
        let middle: TimeInterval = (7200 + 262_800) / 2
        #expect(figures.fill.median == middle)
        #expect(figures.offers == .init(accepted: 3, declined: 1, expired: 1, withdrawn: 0, pending: 0))
        #expect(figures.feedback.map(\.answers) == [1, 1, 0])
        #expect(figures.comments.map(\.text) == ["Hyvä <b>keskustelu</b>"])
        // The page before the first order: an empty year, nothing divided by zero.
        let empty = YearFigures(year: 2026, state: GatewayState(), registry: registry, schedule: schedule, now: local(2026, 12, 31))
        #expect(empty.fill.median == nil && empty.feedback.allSatisfy { $0.average == nil })
        let page = YearReportPage(figures: empty, catalog: catalog, language: .fi, names: .init(), madeAt: "1.1.2027").html()
        #expect(page.contains("Ei tietoja tältä vuodelta.") && !page.contains("nan") && !page.contains("inf"))
    }

    @Test(arguments: Language.allCases)
    func thePageIsInTheReadersLanguageWithItsChartsDrawn(_ language: Language) throws {
        let figures = YearFigures(
            year: 2026, state: yearState(), registry: registry, schedule: schedule, now: local(2026, 12, 31))
        let names = YearReportPage.Names(
            registry: registry, tasks: .kinds(named: catalog),
            flows: try GatewayBuilder.loadFlows(repositoryRoot.appendingPathComponent("Flows")))
        let html = YearReportPage(figures: figures, catalog: catalog, language: language, names: names, madeAt: "31.12.2026 12.00")
            .html()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">"))
        // One chart per measure: month, unit, fees per unit, topic, task, fill time, offers, feedback.
        #expect(html.components(separatedBy: "<svg ").count - 1 == 8)
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("default-src 'none'"))
        // What people wrote shows as text, never as markup.
        #expect(html.contains("Hyvä &lt;b&gt;keskustelu&lt;/b&gt;") && !html.contains("<b>keskustelu"))
        switch language {
        case .fi:
            #expect(html.contains("<h2>Tehtävät kuukausittain</h2>") && html.contains(">helmi</text>"))
            #expect(html.contains("Asunnottomuus") && html.contains("Yksilötyö asiakkaan kanssa"))
            #expect(html.contains("70,00\u{00A0}€") && html.contains("<dd>3,5</dd>"))
            #expect(html.contains("Puolet tilauksista täyttyi ajassa 37,5 h tai nopeammin"))
        case .sv:
            #expect(html.contains("<h2>Uppdrag per månad</h2>") && html.contains(">feb</text>"))
            #expect(html.contains("Bostadslöshet") && !html.contains("Tehtävät"))
            #expect(html.contains("fylldes inom 37,5 h"))
        case .en:
            #expect(html.contains("<h2>Tasks per month</h2>") && html.contains(">Feb</text>"))
            #expect(html.contains("Homelessness") && html.contains("€70.00") && html.contains("<dd>3.5</dd>"))
            #expect(!html.contains("Tehtävät") && !html.contains("suomi") && !html.contains("vrk"))
        }
    }

    /// Every list kept in one text has its items in every language: a month or a bucket
    /// missing would shift every label after it.
    @Test func listsHaveTheirItemsInEveryLanguage() {
        for language in Language.allCases {
            let page = YearReportPage(
                figures: YearFigures(year: 2026, state: GatewayState(), registry: registry, schedule: schedule, now: local(2026, 1, 1)),
                catalog: catalog, language: language, names: .init(), madeAt: "")
            #expect(page.list(.reportYearMonthNames).count == 12, "\(language)")
            #expect(page.list(.reportYearFillBuckets).count == YearFigures.FillTimes.bucketBounds.count + 1, "\(language)")
        }
    }

    /// A comment of Enter after Enter, spaces or zero-width characters cannot fill pages.
    @Test func commentsArePrintedTidily() {
        #expect(YearFigures.printable("alku" + String(repeating: "\r", count: 1990) + "loppu") == "alku\nloppu")
        #expect(YearFigures.printable("  eka\u{2028}  toka \u{2029}\n\n kolmas ") == "eka\ntoka\nkolmas")
        #expect(YearFigures.printable("\u{200B}\u{200B} \n\u{FEFF}").isEmpty)
        let many = (1...30).map { "rivi \($0)" }.joined(separator: "\n")
        let printed = YearFigures.printable(many).split(separator: "\n")
        #expect(printed.count == YearFigures.commentLines && printed.last?.hasSuffix("rivi 30") == true)
    }

    /// Hours with the decimals they need, so that the months add up to the year's total.
    @Test func hoursAddUpAndAveragesKeepTheirDecimal() {
        var state = GatewayState()
        for (number, month) in [(1, 1), (2, 2)] {
            state.apply(
                .orderCreated(
                    order(number, start: local(2026, month, 10, 9), minutes: 75, created: local(2026, month, 1, 9), acceptedAfter: 60),
                    year: 2026, number: number))
        }
        let figures = YearFigures(year: 2026, state: state, registry: registry, schedule: schedule, now: local(2026, 12, 31))
        let html = YearReportPage(figures: figures, catalog: catalog, language: .fi, names: .init(), madeAt: "").html()
        #expect(html.contains("<td>1,25</td>") && html.contains("<td>2,5</td>") && !html.contains("<td>1,2</td>"))
        let english = YearReportPage(figures: figures, catalog: catalog, language: .en, names: .init(), madeAt: "")
        #expect(english.decimal(4, digits: 1, keepZeros: true) == "4.0" && english.decimal(4, digits: 1) == "4")
    }

    @Test func aChartDrawsWhateverItIsGiven() {
        let hostile = SVGBarChart(
            title: "</title><script>alert(1)</script>",
            bars: [
                .init(label: "\"><svg onload=alert(1)>", value: .nan, valueText: "x"),
                .init(label: String(repeating: "Pitkä yksikön nimi ", count: 20), value: .infinity, valueText: "∞"),
                .init(label: "negatiivinen\u{0007}", value: -5, valueText: "-5"),
                .init(label: "iso", value: 1e300, valueText: "1e300"),
            ], layout: .rows)
        let svg = hostile.svg()
        #expect(!svg.contains("<script") && !svg.contains("<svg onload") && svg.contains("&lt;script&gt;"))
        #expect(!svg.lowercased().contains("nan\"") && !svg.contains("inf\"") && !svg.contains("\u{0007}"))
        // A long label is cut beside the bar and whole in its title.
        #expect(svg.contains("Pitkä yksikön nimi Pitkä yksikö…<"))
        #expect(svg.contains("<title>" + String(repeating: "Pitkä yksikön nimi ", count: 20) + ": ∞</title>"))
        // Widths stay inside the drawing: the largest finite bar is full, the others empty.
        let widths = svg.components(separatedBy: "width=\"").dropFirst(2).compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(widths.count == 4 && widths.allSatisfy { (0...Double(SVGBarChart.width)).contains($0) })
        #expect(widths.filter { $0 > 0 }.count == 1)
        // No bars at all still makes a chart.
        #expect(SVGBarChart(title: "t", bars: [], layout: .columns).svg().hasSuffix("</svg>"))
    }
}
