import Foundation

/// What the county's retention (`RetentionPolicy`) takes from a state at a moment: pure, so
/// the daily pass (`Retention`), `kokemus state compact` and `kokemus state check` (which only
/// counts) read it the same way.
public struct RetentionPlan: Sendable {
    /// Orders whose need, reasons and other texts go (their task ended long enough ago), as
    /// they are after it, with feedback comments past their day emptied too.
    public var emptiedOrders: [Order] = []
    /// How many texts those orders lose: needs and reasons, and feedback comments.
    public var taskTexts = 0
    public var feedbackComments = 0
    /// Conversations nobody answered, and drafts, kept too long.
    public var conversations: [PersonID] = []
    public var drafts: [PersonID] = []
    /// Messages that could not be delivered for as long as a task's texts are kept.
    public var staleMessages: [UInt64] = []
    /// Whole records past their years (or days, applications).
    public var expired = RetentionPass.Removed()
    /// Whether the ends of recent relays are held (they carry no time: each pass forgets them).
    public var relayEnds = 0

    public init(state: GatewayState, policy: RetentionPolicy, time: LocalTime, now: Date) {
        let day = 86_400.0
        let textCutoff = now - Double(policy.taskTextDays) * day
        /// Records of a year are kept until the first day of the year `years` after it ends.
        func pastYears(_ date: Date) -> Bool {
            guard let until = time.date(year: time.year(of: date) + 1 + policy.feeRecordYears, month: 1, day: 1) else { return false }
            return now >= until
        }
        /// A comment is kept until the month's first day in the year after it was given.
        func commentPast(_ given: Date) -> Bool {
            guard let until = time.date(year: time.year(of: given) + 1, month: policy.feedbackCommentsUntilMonth, day: 1)
            else { return false }
            return now >= until
        }
        for order in state.orders.values.sorted(by: { $0.id < $1.id }) {
            let ended = order.ended
            if pastYears(ended),
                !state.feeReports.values.contains(where: { report in
                    !pastYears(report.monthStart(time) ?? ended) && report.lines.contains { $0.order == order.id }
                })
            {
                expired.orders.append(order.id)
                continue
            }
            var changed = order
            if ended <= textCutoff {
                taskTexts += changed.emptyTexts()
            }
            for index in changed.feedback.indices where commentPast(changed.feedback[index].at) && !changed.feedback[index].text.isEmpty {
                changed.feedback[index].text = .erased
                feedbackComments += 1
            }
            if changed != order { emptiedOrders.append(changed) }
        }
        for report in state.feeReports.values.sorted(by: { $0.id < $1.id }) where pastYears(report.monthStart(time) ?? now) {
            expired.feeReports.append(report.id)
        }
        for supervision in state.supervisions.values.sorted(by: { $0.id < $1.id }) where pastYears(supervision.start) {
            expired.supervisions.append(supervision.id)
        }
        for announcement in state.announcements.values.sorted(by: { $0.id < $1.id }) where pastYears(announcement.at) {
            expired.announcements.append(announcement.id)
        }
        let applicationCutoff = now - Double(policy.applicationDays) * day
        for application in state.applications.values.sorted(by: { $0.id < $1.id }) where application.recordedAt <= applicationCutoff {
            expired.applications.append(application.id)
        }
        let unfinishedCutoff = now - Double(policy.unfinishedDays) * day
        for (person, conversation) in state.conversations.sorted(by: { $0.key < $1.key })
        where conversation.lastActivity <= unfinishedCutoff {
            conversations.append(person)
        }
        // A draft counts from when it was put aside, as the gateway told its person.
        for (person, draft) in state.drafts.sorted(by: { $0.key < $1.key }) where (draft.giveUpAt ?? draft.askedAt) <= unfinishedCutoff {
            drafts.append(person)
        }
        staleMessages = state.outbox.filter { $0.createdAt <= textCutoff }.map(\.id)
        relayEnds = state.recentTails.count
    }

    /// Whether anything at all would change.
    public var isEmpty: Bool {
        emptiedOrders.isEmpty && conversations.isEmpty && drafts.isEmpty && staleMessages.isEmpty && expired.isEmpty
            && relayEnds == 0
    }

    /// The events that carry it out, marked as the pass of `day`.
    public func events(day: LocalDay) -> [GatewayEvent] {
        var events: [GatewayEvent] = emptiedOrders.map { .orderUpdated($0) }
        events += conversations.map { .conversationEnded(person: $0) }
        events += drafts.map { .draftDropped(person: $0) }
        events += staleMessages.map { .messageDelivered(id: $0) }
        let changed = emptiedOrders.count + conversations.count + drafts.count + staleMessages.count + expired.count + relayEnds
        events.append(.retentionApplied(RetentionPass(day: day, removed: expired, relayEndsCleared: relayEnds > 0, changed: changed)))
        return events
    }

    /// `state check`'s lines: what the next pass would take.
    public var summary: [String] {
        let counts: [(String, Int)] = [
            ("order texts (need, reasons)", taskTexts), ("feedback comments", feedbackComments),
            ("unfinished conversations", conversations.count), ("drafts", drafts.count),
            ("undelivered messages", staleMessages.count), ("orders", expired.orders.count),
            ("fee reports", expired.feeReports.count), ("supervision sessions", expired.supervisions.count),
            ("announcements", expired.announcements.count), ("applications", expired.applications.count),
            ("people's recent relay ends", relayEnds),
        ]
        return counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
    }
}

/// A day's retention pass, as the journal records it: the whole records it removed (texts it
/// emptied are `orderUpdated` events beside it), and whether the relay ends were forgotten.
public struct RetentionPass: Codable, Sendable, Hashable {
    public struct Removed: Codable, Sendable, Hashable {
        public var orders: [OrderID] = []
        public var feeReports: [String] = []
        public var supervisions: [String] = []
        public var announcements: [String] = []
        public var applications: [String] = []

        public init() {}

        var count: Int { orders.count + feeReports.count + supervisions.count + announcements.count + applications.count }
        var isEmpty: Bool { count == 0 }
    }

    public var day: LocalDay
    public var removed: Removed
    public var relayEndsCleared: Bool
    /// Records changed or removed by the whole pass (0: only the day marked).
    public var changed: Int
}

extension Order {
    /// When the task ended: its last session's end, else its planned end.
    var ended: Date {
        ([start + Double(durationMinutes) * 60, createdAt] + sessions.map(\.end)).max() ?? start
    }

    /// Empties the texts people wrote about the task (the need, the agreed reasons to stop,
    /// the second facilitator, reasons given for sessions); returns how many had any.
    mutating func emptyTexts() -> Int {
        var count = 0
        func empty(_ text: inout GuardedText) {
            if !text.isEmpty { count += 1 }
            text = .erased
        }
        empty(&description)
        if agreedStopReasons.map({ !$0.isEmpty }) ?? false { count += 1 }
        if agreedStopReasons != nil { agreedStopReasons = .erased }
        if secondFacilitator.map({ !$0.isEmpty }) ?? false { count += 1 }
        if secondFacilitator != nil { secondFacilitator = .erased }
        for index in sessions.indices {
            if sessions[index].decision != nil { empty(&sessions[index].decision!.reason) }
            if sessions[index].noShowClaim != nil { empty(&sessions[index].noShowClaim!.reason) }
            if let reason = sessions[index].check?.reason {
                if !reason.isEmpty { count += 1 }
                sessions[index].check?.reason = .erased
            }
        }
        return count
    }
}

extension FeeReport {
    /// The first moment of the report's month.
    func monthStart(_ time: LocalTime) -> Date? {
        Month(month).flatMap { time.date(year: $0.year, month: $0.month, day: 1) }
    }
}

extension Conversation {
    /// The last time anything happened or was due in it.
    var lastActivity: Date {
        [askedAt, startedAt, remindAt, giveUpAt].compactMap { $0 }.max() ?? askedAt
    }
}
