import Foundation

/// A year of the service in numbers (000 §8; 002's yearly compilation of feedback): the work
/// done per month, unit, topic and kind of task, the fees, how quickly orders were filled,
/// how experts answered offers, and the feedback with its comments. Pure: built from the
/// state, the registry and the rates; the pages that show it (`YearReportPage`) only draw it.
public struct YearFigures: Sendable, Hashable {
    /// Work done in a group (a month, a unit, a topic): what was paid for.
    public struct Work: Sendable, Hashable {
        /// Orders with a paid session (or planning or debrief) in the group.
        public var tasks = 0
        public var sessions = 0
        public var minutes = 0
        public var fees = Money.zero
        /// Travel and other costs.
        public var costs = Money.zero

        public init() {}

        mutating func add(_ line: FeeLine) {
            if line.isSession { sessions = sessions.addingSaturated(1) }
            minutes = minutes.addingSaturated(line.minutes)
            fees = fees + line.fee
            costs = costs + line.travel + line.otherCosts
        }
    }

    /// A named group and its work; `key` is what the state stores (a unit id, a topic value).
    public struct Group: Sendable, Hashable {
        public var key: String
        public var work: Work
    }

    /// How long orders created in the year took to be filled, from the order to the
    /// expert's yes. The bounds are the upper ends of the first buckets; the last bucket
    /// holds the rest.
    public struct FillTimes: Sendable, Hashable {
        public static let bucketBounds: [TimeInterval] = [4 * 3600, 24 * 3600, 3 * 86400, 7 * 86400]
        /// Orders per bucket: under 4 h, under a day, under 3 days, under a week, a week or more.
        public var buckets = [Int](repeating: 0, count: bucketBounds.count + 1)
        /// Orders no expert took: cancelled before or still open.
        public var unfilled = 0
        /// The middle fill time in seconds, nil without filled orders.
        public var median: TimeInterval?
    }

    /// Answers to offers sent in the year.
    public struct OfferAnswers: Sendable, Hashable {
        public var accepted = 0
        public var declined = 0
        /// No answer by the deadline.
        public var expired = 0
        /// Taken back because another expert took the task or the order ended.
        public var withdrawn = 0
        public var pending = 0
        public var total: Int { [accepted, declined, expired, withdrawn, pending].reduce(0) { $0.addingSaturated($1) } }
    }

    /// Feedback of one source: how many answered and the average, 1–5.
    public struct FeedbackSummary: Sendable, Hashable {
        public var source: Feedback.Source
        public var answers: Int
        /// Sum of ratings; the average is `ratingSum / answers`.
        public var ratingSum: Int
        public var average: Double? { answers == 0 ? nil : Double(ratingSum) / Double(answers) }
    }

    /// A comment given with feedback, as the guard let it through: no names, only what it
    /// was about.
    public struct Comment: Sendable, Hashable {
        public var source: Feedback.Source
        public var month: Int
        public var task: String
        public var rating: Int
        public var text: String
    }

    public var year: Int
    /// Twelve months, January first.
    public var months: [Work]
    public var units: [Group]
    public var topics: [Group]
    public var tasks: [Group]
    public var all: Work
    public var fill: FillTimes
    public var offers: OfferAnswers
    public var feedback: [FeedbackSummary]
    public var comments: [Comment]

    public init(
        year: Int, state: GatewayState, registry: Registry, schedule: FeeSchedule, time: LocalTime = .helsinki, now: Date
    ) {
        self.year = year
        let calculator = FeeCalculator(schedule: schedule, time: time, volunteers: registry.volunteers)
        var monthWork = [Work](repeating: Work(), count: 12)
        var monthTasks = [Set<OrderID>](repeating: [], count: 12)
        var groups: [String: [String: (work: Work, orders: Set<OrderID>)]] = ["unit": [:], "topic": [:], "task": [:]]
        var all = Work()
        var allOrders = Set<OrderID>()
        for month in 1...12 {
            let byExpert = calculator.lines(in: Month(year: year, month: month), orders: state.orders.values, now: now)
            for units in byExpert.values {
                for lines in units.values {
                    for line in lines {
                        guard let order = state.orders[line.order] else { continue }
                        monthWork[month - 1].add(line)
                        monthTasks[month - 1].insert(order.id)
                        all.add(line)
                        allOrders.insert(order.id)
                        for (kind, key) in [("unit", order.unit.rawValue), ("topic", order.topic), ("task", order.taskID)] {
                            groups[kind]![key, default: (Work(), [])].work.add(line)
                            groups[kind]![key]!.orders.insert(order.id)
                        }
                    }
                }
            }
        }
        for month in 0..<12 { monthWork[month].tasks = monthTasks[month].count }
        all.tasks = allOrders.count
        months = monthWork
        self.all = all
        func sorted(_ kind: String) -> [Group] {
            (groups[kind] ?? [:]).map { key, value in
                var work = value.work
                work.tasks = value.orders.count
                return Group(key: key, work: work)
            }.sorted { ($1.work.tasks, $0.key) < ($0.work.tasks, $1.key) }
        }
        units = sorted("unit")
        topics = sorted("topic")
        tasks = sorted("task")

        // Orders of the year: a substitute order (`replaces`) is the same need filled again,
        // not a new order, so only first orders count.
        var fill = FillTimes()
        var waits: [TimeInterval] = []
        var offers = OfferAnswers()
        for order in state.orders.values {
            for offer in order.offers where time.year(of: offer.offeredAt) == year {
                switch offer.status {
                case .accepted: offers.accepted += 1
                case .declined: offers.declined += 1
                case .expired: offers.expired += 1
                case .withdrawn: offers.withdrawn += 1
                case .pending: offers.pending += 1
                }
            }
            guard time.year(of: order.createdAt) == year, order.replaces == nil else { continue }
            let yes = order.offers.filter { $0.status == .accepted }.compactMap(\.answeredAt).min()
            guard let yes, yes >= order.createdAt else {
                fill.unfilled += 1
                continue
            }
            let wait = yes.timeIntervalSince(order.createdAt)
            waits.append(wait)
            let bucket = FillTimes.bucketBounds.firstIndex { wait < $0 } ?? FillTimes.bucketBounds.count
            fill.buckets[bucket] += 1
        }
        waits.sort()
        if !waits.isEmpty {
            fill.median = waits.count % 2 == 1 ? waits[waits.count / 2] : (waits[waits.count / 2 - 1] + waits[waits.count / 2]) / 2
        }
        self.fill = fill
        self.offers = offers

        var summaries = Feedback.Source.allCases.map { FeedbackSummary(source: $0, answers: 0, ratingSum: 0) }
        var comments: [(at: Date, comment: Comment)] = []
        for order in state.orders.values {
            for given in order.feedback where time.year(of: given.at) == year {
                guard let index = summaries.firstIndex(where: { $0.source == given.source }), (1...5).contains(given.rating) else {
                    continue
                }
                summaries[index].answers += 1
                summaries[index].ratingSum += given.rating
                let text = Self.printable(given.text.text)
                if !text.isEmpty, text != "-" {
                    let month = time.day(of: given.at).month
                    comments.append(
                        (given.at, Comment(source: given.source, month: month, task: order.taskID, rating: given.rating, text: text)))
                }
            }
        }
        feedback = summaries
        self.comments = comments.sorted { ($0.at, $0.comment.text) < ($1.at, $1.comment.text) }.map(\.comment)
    }

    /// The most lines a comment keeps on the page; the rest run on in its last line.
    static let commentLines = 12

    /// A comment as the page shows it: its line breaks (also U+2028 and U+2029) kept, but
    /// blank lines and spaces around lines dropped and at most `commentLines` lines, so that
    /// one comment of Enter after Enter cannot fill pages; nothing if nothing in it is visible
    /// (only spaces or zero-width characters).
    static func printable(_ text: String) -> String {
        let lines = text.split(whereSeparator: { $0.isNewline }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { line in
            line.unicodeScalars.contains { !$0.properties.isWhitespace && $0.properties.generalCategory != .format }
        }
        guard lines.count > commentLines else { return lines.joined(separator: "\n") }
        return (lines.prefix(commentLines - 1) + [lines.dropFirst(commentLines - 1).joined(separator: " ")]).joined(separator: "\n")
    }
}
