import Foundation

/// A reminder the gateway owes someone. It is recorded under its key when it goes out, in
/// the same commit as the message, so it goes out once even across crashes and restarts.
struct PlannedReminder {
    /// Unique per occurrence: `session:T-2026-0001:0:2026-12-08T14:00:kalle`.
    var key: String
    /// Reminders of one series for one person replace each other: after downtime only the
    /// newest of a series goes out (the 8th's fee reminder, not also the 5th's).
    var series: String
    var recipient: PersonID
    var dueAt: Date
    /// After this the reminder is pointless (the session has started) and is dropped.
    var expiresAt: Date
    var text: String
}

/// Reminders: planned from the state after every tick, sent only in working time (not
/// 21–08, weekends or Finnish public holidays), at most one message per person per pass.
struct ReminderPlanner: TurnFeature {
    var turn: ConversationTurn

    mutating func sendDueReminders() {
        guard engine.working.allows(now) else { return }
        let due = plannedReminders().filter { $0.dueAt <= now && now < $0.expiresAt && state.sentReminders[$0.key] == nil }
        guard !due.isEmpty else { return }
        var keys: [String] = []
        for recipient in Set(due.map(\.recipient)).sorted() {
            let theirs = due.filter { $0.recipient == recipient }
            keys += theirs.map(\.key)
            // The newest of each series stands for the older ones missed while the gateway was down.
            var newest: [String: PlannedReminder] = [:]
            for reminder in theirs where (newest[reminder.series]?.dueAt ?? .distantPast) <= reminder.dueAt {
                newest[reminder.series] = reminder
            }
            let texts = newest.values.sorted { ($0.dueAt, $0.key) < ($1.dueAt, $1.key) }.map(\.text)
            guard let person = engine.registry.person(recipient) else { continue }
            if texts.count == 1 {
                send(texts[0], to: recipient, about: .mailSubjectReminder)
            } else {
                send(
                    catalog.text(
                        .remindersCombined, language(of: person),
                        [
                            "name": person.firstName, "items": texts.map { "- " + $0 }.joined(separator: "\n"),
                        ]), to: recipient, about: .mailSubjectReminder)
            }
        }
        emit(.remindersSent(keys: keys.sorted(), at: now))
    }

    /// Every reminder the state calls for now, sent or not.
    func plannedReminders() -> [PlannedReminder] {
        sessionReminders() + agreementReminders() + taxCardReminders() + view(as: FeeReporting.self).feeReportReminders()
            + view(as: FeedbackRequests.self).feedbackReminders() + view(as: PayrollHandover.self).lateCaseReminders()
            + view(as: Debriefs.self).waitingReminders() + view(as: SupervisionSessions.self).reminders()
    }

    /// A session tomorrow: to the expert and the employee, in the morning of the working day
    /// before it, unless the booking was made after that.
    private func sessionReminders() -> [PlannedReminder] {
        var reminders: [PlannedReminder] = []
        for order in state.orders.values where order.status == .assigned && !order.waitsForPair {
            guard let expertID = order.assignedExpert, let expert = engine.registry.person(expertID),
                let orderer = engine.registry.person(order.orderer)
            else { continue }
            for session in order.sessions where session.status == .planned && session.start > now {
                let dueAt = engine.working.start(of: engine.working.workingDay(before: engine.time.day(of: session.start)))
                guard (order.assignment?.answeredAt ?? .distantPast) < dueAt else { continue }
                let stamp = engine.time.isoMinuteString(session.start)
                for (person, key) in [(expert, MessageKey.reminderSessionExpert), (orderer, .reminderSessionEmployee)] {
                    let language = language(of: person)
                    let text = catalog.text(
                        key, language,
                        [
                            "name": person.firstName, "order_id": order.id.rawValue, "when": dateTime(session.start, language),
                            "duration": durationText(minutes: session.durationMinutes), "place": placeText(order, language),
                            "task_type": taskName(order, language),
                            "expert": engine.privacy.nameForEmployees(expert),
                        ])
                    let id = "session:\(order.id):\(session.index):\(stamp):\(person.id)"
                    reminders.append(
                        PlannedReminder(
                            key: id, series: id, recipient: person.id, dueAt: dueAt,
                            expiresAt: session.start, text: text))
                }
            }
        }
        return reminders
    }

    /// A commission agreement ending in 30 days: to the expert and every coordinator.
    private func agreementReminders() -> [PlannedReminder] {
        var reminders: [PlannedReminder] = []
        for expert in engine.registry.experts {
            guard let until = expert.expert?.agreementValidUntil, let last = LocalDay(iso: until) else { continue }
            let noticeDay = engine.working.workingDay(onOrAfter: last.adding(days: -engine.reminderPolicy.agreementNoticeDays))
            let dueAt = engine.working.start(of: noticeDay)
            let expiresAt = engine.working.start(of: last.adding(days: 1))
            guard now < expiresAt else { continue }
            for person in [expert] + engine.registry.coordinators {
                let language = language(of: person)
                let isExpert = person.id == expert.id
                let text = catalog.text(
                    isExpert ? .reminderAgreementExpert : .reminderAgreementCoordinator, language,
                    [
                        "name": person.firstName, "expert": "\(expert.name) (\(expert.id))",
                        "until": last.text,
                    ])
                let key = "agreement:\(expert.id):\(until):\(person.id)"
                reminders.append(
                    PlannedReminder(
                        key: key, series: key, recipient: person.id, dueAt: dueAt,
                        expiresAt: expiresAt, text: text))
            }
        }
        return reminders
    }

    /// The year's tax card: in the first working day of January, and when an agreement
    /// starts, to experts who have not confirmed delivering it.
    private func taxCardReminders() -> [PlannedReminder] {
        var reminders: [PlannedReminder] = []
        let today = engine.time.day(of: now)
        for expert in engine.registry.experts {
            guard let profile = expert.expert, profile.agreementCovers(day: today.iso) else { continue }
            let language = language(of: expert)
            func reminder(year: Int, kind: String, from day: LocalDay, days: Int) -> PlannedReminder? {
                guard taxCardYear(of: expert) ?? 0 < year else { return nil }
                let text = catalog.text(
                    .reminderTaxCard, language,
                    [
                        "name": expert.firstName, "year": String(year), "tax_card": catalog.word(.taxCard, language),
                    ])
                return PlannedReminder(
                    key: "taxcard-\(kind):\(expert.id):\(day.iso)", series: "taxcard:\(expert.id):\(year)",
                    recipient: expert.id, dueAt: engine.working.start(of: engine.working.workingDay(onOrAfter: day)),
                    expiresAt: engine.working.start(of: day.adding(days: days)), text: text)
            }
            let january = LocalDay(year: today.year, month: 1, day: 1)
            if let january = reminder(year: today.year, kind: "january", from: january, days: 31) {
                reminders.append(january)
            }
            if let from = profile.agreementValidFrom.flatMap(LocalDay.init(iso:)),
                let start = reminder(year: from.year, kind: "agreement", from: from, days: 30)
            {
                reminders.append(start)
            }
        }
        return reminders
    }

    /// The latest year an expert has delivered a tax card for, from chat or the registry.
    func taxCardYear(of expert: Person) -> Int? {
        state.taxCardYear(of: expert.id, registry: engine.registry)
    }

}

/// How early reminders go out: the `reminders:` section of `Config/kokemus.yaml`.
public struct ReminderPolicy: Sendable, Hashable {
    /// Days before a commission agreement ends that the expert and coordinators hear of it.
    public var agreementNoticeDays: Int
    /// Days after feedback was asked that one reminder goes out if it has not been given.
    public var feedbackAfterDays: Int
    /// Minutes after midnight when reminders may start (08:00) and must stop (21:00).
    public var dayStartMinute: Int
    public var dayEndMinute: Int
    /// Whether relays written in the quiet hours wait for the morning unless marked urgent.
    public var holdRelaysAtNight: Bool

    public init(
        agreementNoticeDays: Int = 30, feedbackAfterDays: Int = 3, dayStartMinute: Int = 8 * 60,
        dayEndMinute: Int = 21 * 60, holdRelaysAtNight: Bool = true
    ) {
        self.agreementNoticeDays = agreementNoticeDays
        self.feedbackAfterDays = feedbackAfterDays
        self.dayStartMinute = dayStartMinute
        self.dayEndMinute = dayEndMinute
        self.holdRelaysAtNight = holdRelaysAtNight
    }
}

extension LocalDay {
    /// `2026-12-08`; nil for anything else.
    public init?(iso: String) {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }
}
