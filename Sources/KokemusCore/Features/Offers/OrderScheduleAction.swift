import Foundation

/// `order.schedule`: the starts of an order's sessions from the order flow's answers (the first
/// start, the number of sessions and their frequency, and for `dates` the further dates given
/// one by one), checked and shown for the summary. The further dates must each be a date and
/// time, in the future, after the first and apart from each other, and as many as the order
/// has sessions after the first; otherwise `schedule_state` is `bad` and `schedule_problem`
/// says what to write.
enum OrderScheduleAction {
    static let action = FlowAction(
        signature: ActionSignature(
            name: "order.schedule", outputs: ["schedule", "schedule_problem"], requiredInputs: ["start"],
            outcomes: ["schedule_state": ["ok", "bad"]]),
        run: run)

    /// What the answers give: the starts, or the problem in the person's words.
    enum Outcome {
        case starts([Date])
        case problem(String)
    }

    @Sendable static func run(_ context: ActionContext) throws -> ActionResult {
        switch try starts(context) {
        case .starts(let starts):
            return ActionResult(slots: [
                "schedule_state": .text("ok"), "schedule": .text(text(of: starts, context.language, context)),
            ])
        case .problem(let problem):
            return ActionResult(slots: ["schedule_state": .text("bad"), "schedule_problem": .text(problem)])
        }
    }

    /// The sessions' starts as the order flow's answers give them; also what `order.submit` stores.
    static func starts(_ context: ActionContext) throws -> Outcome {
        guard case .dateTime(let first)? = context.slots["start"] else { throw ActionFailure("slot 'start' is not a date-time") }
        var count = 1
        if case .integer(let sessions)? = context.slots["sessions"] { count = min(max(sessions, 1), SessionSchedule.maximumCount) }
        guard count > 1 else { return .starts([first]) }
        var frequency = SessionFrequency.weekly
        if case .choice(let value)? = context.slots["frequency"] {
            guard let chosen = SessionFrequency(rawValue: value) else { throw ActionFailure("frequency '\(value)'") }
            frequency = chosen
        }
        guard frequency == .dates else {
            return .starts(SessionSchedule.starts(first: first, count: count, frequency: frequency, time: context.time))
        }
        guard case .text(let written)? = context.slots["dates"] else { throw ActionFailure("slot 'dates' is not text") }
        let catalog = context.catalog
        let language = context.language
        let parser = AnswerParser(vocabulary: catalog.vocabulary, time: context.time)
        // Dates are written "15.12. klo 14, 22.12. klo 10": commas, semicolons or lines apart.
        let pieces = written.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard pieces.count == count - 1 else {
            return .problem(
                catalog.text(.scheduleWrongCount, language, ["count": String(count - 1), "given": String(pieces.count)]))
        }
        var dates: [Date] = []
        for piece in pieces {
            let shown = String(piece.prefix(40))
            guard case .success(.dateTime(let date)) = parser.parse(piece, as: .dateTime(notPast: true), now: context.now),
                date > context.now
            else {
                return .problem(catalog.text(.scheduleNotADate, language, ["text": shown]))
            }
            guard date > first else {
                return .problem(
                    catalog.text(
                        .scheduleBeforeFirst, language,
                        ["text": shown, "first": catalog.dateTime(first, language, time: context.time)]))
            }
            guard !dates.contains(date) else { return .problem(catalog.text(.scheduleTwice, language, ["text": shown])) }
            // Two meetings of one process cannot overlap: the expert is one person.
            if case .duration(let minutes)? = context.slots["duration"] {
                let length = Double(minutes) * 60
                if ([first] + dates).contains(where: { abs($0.timeIntervalSince(date)) < length }) {
                    return .problem(catalog.text(.scheduleOverlap, language, ["text": shown]))
                }
            }
            dates.append(date)
        }
        return .starts(SessionSchedule.starts(first: first, count: count, frequency: .dates, dates: dates, time: context.time))
    }

    /// `2.12.2026 klo 14.00` for one session; `4 kertaa: 2.12.2026 klo 14.00, 9.12.2026 klo 14.00, …` for several.
    static func text(of starts: [Date], _ language: Language, _ context: ActionContext) -> String {
        text(of: starts, language, catalog: context.catalog, time: context.time)
    }

    static func text(of starts: [Date], _ language: Language, catalog: MessageCatalog, time: LocalTime) -> String {
        let dates = starts.map { catalog.dateTime($0, language, time: time) }
        guard dates.count > 1 else { return dates.first ?? "" }
        return catalog.text(.scheduleSeries, language, ["count": String(dates.count), "dates": dates.joined(separator: ", ")])
    }
}
