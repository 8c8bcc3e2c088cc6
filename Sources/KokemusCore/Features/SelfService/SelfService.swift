import Foundation

/// An expert's own matters in chat (004; 000 §6.1): days away and back, the coming tasks,
/// their introduction and their wishes. What they say is kept in their `ExpertRecord`, over
/// the registry's agreement: matching, offers and the orderer's view read it at once.
struct SelfService: TurnFeature {
    var turn: ConversationTurn

    /// Days away an expert may have marked at once, and the longest one.
    static let maxAwayPeriods = 20
    /// An introduction's length: long enough to say something, short enough for an offer.
    static let introductionLength = 20...600

    mutating func run(_ command: ChatCommand, arguments: String, for person: Person, channel: Channel) {
        guard person.has(.expert), person.expert != nil else {
            send(catalog.text(.expertsOnly, language(of: person)), to: person.id, channel: channel)
            return
        }
        switch command {
        case .away: away(arguments, person, channel)
        case .available: available(arguments, person, channel)
        case .myTasks: send(comingTasks(of: person), to: person.id, channel: channel)
        case .introduction: introduction(arguments, person, channel)
        case .wishes: wishes(arguments, person, channel)
        default: break
        }
    }

    /// Whether the words are the command even while a flow waits for an answer (an offer is
    /// open as soon as it is made): only when they cannot be an answer's text, a feedback
    /// comment that begins "Toiveet" being one.
    func appliesMidFlow(_ command: ChatCommand, _ arguments: String) -> Bool {
        let words = arguments.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        switch command {
        case .away: return dayRange(arguments) != nil
        case .available: return arguments.isEmpty || dayRange(arguments) != nil
        case .myTasks: return arguments.isEmpty
        case .introduction: return arguments.isEmpty || Self.introductionTarget(arguments) != nil
        case .wishes:
            let vocabulary = catalog.vocabulary
            return arguments.isEmpty
                || words.first.map {
                    vocabulary.wishTopics.contains($0) || vocabulary.wishTasks.contains($0) || vocabulary.wishHours.contains($0)
                } == true
        default: return false
        }
    }

    private var time: LocalTime { engine.time }
    private var today: LocalDay { time.day(of: now) }

    // MARK: Away and back

    private mutating func away(_ arguments: String, _ person: Person, _ channel: Channel) {
        let language = language(of: person)
        var values = awayWords(language)
        values["name"] = person.firstName
        var record = state.expertRecord(of: person.id, now: now)
        // Periods that are over are dropped: they count for nothing and could not be removed.
        record.away = record.away.filter { $0.until >= today.iso }
        guard !arguments.isEmpty else {
            send(awayList(person, record, language, values), to: person.id, channel: channel)
            return
        }
        guard let range = dayRange(arguments) else {
            send(catalog.text(.awayUsage, language, values), to: person.id, channel: channel)
            return
        }
        guard record.away.count < Self.maxAwayPeriods else {
            values["count"] = String(record.away.count)
            send(catalog.text(.awayTooMany, language, values), to: person.id, channel: channel)
            return
        }
        record.away = Self.merged(record.away + [range])
        record.updatedAt = now
        // Offers for those days go back to the round (the next candidate is asked as the turn
        // moves the open orders on); tasks already agreed stand, and the expert is shown them.
        let time = self.time
        let touched = { (order: Order) in
            order.sessions.contains { $0.status == .planned && range.contains(time.day(of: $0.start).iso) }
        }
        let withdrawn = state.pendingOffers(of: person.id).map(\.order).filter(touched).map(\.id)
        let booked = state.orders.values.filter { $0.assignedExpert == person.id && $0.status == .assigned }
            .flatMap { order in
                order.sessions.filter { $0.status == .planned && $0.start > now && range.contains(time.day(of: $0.start).iso) }
                    .map { (order, $0) }
            }
            .sorted { ($0.1.start, $0.0.id) < ($1.1.start, $1.0.id) }
        emit(.expertRecordSaved(record))
        withdrawOffers(withdrawn, of: person.id)
        values["period"] = Self.text(of: range)
        values["offers"] =
            withdrawn.isEmpty
            ? "" : catalog.text(.awayOffersWithdrawn, language, ["orders": withdrawn.map(\.rawValue).sorted().joined(separator: ", ")])
        values["bookings"] =
            booked.isEmpty
            ? ""
            : catalog.text(
                .awayBookings, language,
                [
                    "bookings": booked.map { order, session in
                        "- \(order.id): \(dateTime(session.start, language)), \(taskName(order, language))"
                    }.joined(separator: "\n"),
                    "message": catalog.word(.message, language), "order_id": booked.first?.0.id.rawValue ?? "",
                ])
        send(catalog.text(.awayAdded, language, values), to: person.id, channel: channel)
    }

    /// The command words and a period a week ahead as examples (never a past one).
    private func awayWords(_ language: Language) -> [String: String] {
        let start = LocalDateParsing.offset(today, days: 7, time: time) ?? today
        let end = LocalDateParsing.offset(start, days: 13, time: time) ?? start
        return [
            "away": catalog.word(.away, language), "available": catalog.word(.available, language),
            "example": "\(start.day).\(start.month).–\(end.text)", "example_day": "\(end.day).\(end.month).",
        ]
    }

    private mutating func available(_ arguments: String, _ person: Person, _ channel: Channel) {
        let language = language(of: person)
        var values = ["name": person.firstName, "day": ""]
        var record = state.expertRecord(of: person.id, now: now)
        let todayISO = today.iso
        var day: String?
        if !arguments.isEmpty {
            guard let range = dayRange(arguments), range.from == range.until else {
                values.merge(awayWords(language)) { _, new in new }
                send(catalog.text(.awayUsage, language, values), to: person.id, channel: channel)
                return
            }
            day = range.from
        }
        // The period of that day; without a day, the one going on, else the next to come.
        let index =
            day.map { day in record.away.firstIndex { $0.contains(day) } }
            ?? record.away.firstIndex { $0.contains(todayISO) } ?? record.away.firstIndex { $0.from > todayISO }
        guard let index else {
            values["day"] = day.map { " (" + LocalDay.display($0) + ")" } ?? ""
            send(catalog.text(.availableNothing, language, values), to: person.id, channel: channel)
            return
        }
        let period = record.away[index]
        values["period"] = Self.text(of: period)
        if period.from < todayISO, let yesterday = LocalDateParsing.offset(today, days: -1, time: time) {
            record.away[index].until = yesterday.iso
            values["period"] = Self.text(of: record.away[index])
            record.updatedAt = now
            emit(.expertRecordSaved(record))
            send(catalog.text(.availableShortened, language, values), to: person.id, channel: channel)
        } else {
            record.away.remove(at: index)
            record.updatedAt = now
            emit(.expertRecordSaved(record))
            send(catalog.text(.availableDone, language, values), to: person.id, channel: channel)
        }
    }

    private func awayList(_ person: Person, _ record: ExpertRecord, _ language: Language, _ values: [String: String]) -> String {
        let todayISO = today.iso
        let own = record.away.filter { $0.until >= todayISO }.map { Self.text(of: $0) }
        let registry = (person.expert?.unavailable ?? []).filter { $0.until >= todayISO }
            .map { Self.text(of: $0) + " (" + catalog.text(.awayByCoordinator, language) + ")" }
        guard !(own + registry).isEmpty else { return catalog.text(.awayNone, language, values) }
        var values = values
        values["periods"] = (own + registry).map { "- " + $0 }.joined(separator: "\n")
        return catalog.text(.awayList, language, values)
    }

    /// `1.12.–14.12.2026`, `1.12.-14.12.`, `2026-12-01 2026-12-14` or one day (`24.12.`):
    /// from today on, at most a year; nil for anything else.
    func dayRange(_ text: String) -> DayRange? {
        var lowered = text.lowercased()
        for dash in ["–", "—", "‒", "−"] { lowered = lowered.replacingOccurrences(of: dash, with: " ") }
        var tokens: [String] = []
        for word in lowered.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init) where word != "-" {
            if LocalDateParsing.isoDay(word) != nil { tokens.append(word) } else { tokens += word.split(separator: "-").map(String.init) }
        }
        guard (1...2).contains(tokens.count) else { return nil }
        let days = tokens.compactMap { LocalDateParsing.day($0, today: today, vocabulary: catalog.vocabulary, time: time) }
        // At most a year: the last day no later than the same date a year on, less one.
        guard days.count == tokens.count, let from = days.first, let until = days.last, from >= today, until >= from,
            let noon = time.date(year: from.year, month: from.month, day: from.day, hour: 12),
            let yearOn = time.calendar.date(byAdding: .year, value: 1, to: noon),
            let last = LocalDateParsing.offset(time.day(of: yearOn), days: -1, time: time), until <= last
        else { return nil }
        return DayRange(from: from.iso, until: until.iso)
    }

    /// Withdraws the expert's waiting offers of these orders; the next candidate is asked as
    /// the turn moves the open orders on.
    private mutating func withdrawOffers(_ orders: [OrderID], of expert: PersonID) {
        lend(to: OfferRound.self) { $0.withdrawOffers(of: expert, in: orders) }
    }

    /// Periods sorted, overlapping ones joined.
    static func merged(_ ranges: [DayRange]) -> [DayRange] {
        var result: [DayRange] = []
        for range in ranges.sorted(by: { ($0.from, $0.until) < ($1.from, $1.until) }) {
            if let last = result.last, range.from <= last.until {
                result[result.count - 1].until = max(last.until, range.until)
            } else {
                result.append(range)
            }
        }
        return result
    }

    static func text(of range: DayRange) -> String {
        range.from == range.until ? LocalDay.display(range.from) : LocalDay.display(range.from) + "–" + LocalDay.display(range.until)
    }

    // MARK: Coming tasks

    func comingTasks(of person: Person) -> String {
        let language = language(of: person)
        var lines: [String] = []
        if let offers = view(as: FeeReporting.self).offersWaiting(for: person, language) { lines.append(offers) }
        let coming = state.orders.values.filter { $0.assignedExpert == person.id && $0.status == .assigned }
            .flatMap { order in
                order.sessions.filter { $0.status == .planned && $0.start.addingTimeInterval(Double($0.durationMinutes) * 60) > now }
                    .map { (order, $0) }
            }
            .sorted { ($0.1.start, $0.0.id) < ($1.1.start, $1.0.id) }
        if !coming.isEmpty {
            let tasks = coming.prefix(50).map { order, session -> String in
                var line =
                    "- \(order.id): \(dateTime(session.start, language)), \(durationText(minutes: session.durationMinutes)), "
                    + taskName(order, language) + ", " + placeText(order, language)
                if order.waitsForPair { line += " (" + catalog.text(.myTasksWaitingPair, language) + ")" }
                return line
            }
            lines.append(catalog.text(.myTasksList, language, ["name": person.firstName, "tasks": tasks.joined(separator: "\n")]))
        }
        guard !lines.isEmpty else { return catalog.text(.myTasksNone, language, ["name": person.firstName]) }
        return lines.joined(separator: "\n")
    }

    // MARK: Introduction

    private mutating func introduction(_ arguments: String, _ person: Person, _ channel: Channel) {
        let language = language(of: person)
        let effective = state.effective(person).expert?.introduction
        guard !arguments.isEmpty else {
            var values = [
                "name": person.firstName, "introduction": catalog.word(.introduction, language),
                "max": String(Self.introductionLength.upperBound),
            ]
            for code in Language.allCases { values[code.rawValue] = effective?.texts[code].flatMap { $0.isEmpty ? nil : $0 } ?? "-" }
            send(catalog.text(.introductionShow, language, values), to: person.id, channel: channel)
            return
        }
        // `esittely sv: Text…` for one language (the colon: "En ole…" is Finnish, not English);
        // without a code, the expert's own language.
        let (target, written) = Self.introductionTarget(arguments) ?? (language, arguments)
        // Invisible characters are dropped; the length counts what shows, and runs of
        // combining marks cannot make a short-looking text huge.
        let text = Self.visible(written)
        let length = text.count
        guard Self.introductionLength.contains(length), text.unicodeScalars.count <= Self.introductionLength.upperBound * 2 else {
            send(
                catalog.text(
                    .introductionLength, language,
                    [
                        "length": String(length), "min": String(Self.introductionLength.lowerBound),
                        "max": String(Self.introductionLength.upperBound),
                    ]), to: person.id, channel: channel)
            return
        }
        // Orderers read it for as long as it stands: stricter than a relay, the beginning of a
        // phone number is enough ("040 12, ask me the rest"); then it passes the guard as an
        // expert's relay does, read with their last relays.
        guard !Self.beginsAPhoneNumber(text) else {
            send(
                catalog.text(.textHeld, language, ["name": person.firstName, "kinds": catalog.describe([.phone], language)]),
                to: person.id, channel: channel)
            return
        }
        guard let guarded = guardedField(text, from: person, channel: channel, withRecentRelays: true) else { return }
        var record = state.expertRecord(of: person.id, now: now)
        record.introductions[target.rawValue] = guarded.text
        record.updatedAt = now
        emit(.expertRecordSaved(record))
        send(
            catalog.text(
                .introductionSaved, language,
                ["name": person.firstName, "language": catalog.text(target.nameKey, language), "text": guarded.text]),
            to: person.id, channel: channel)
    }

    /// `sv: Text…` (a language code and a colon first): the language and the text.
    static func introductionTarget(_ arguments: String) -> (Language, String)? {
        guard let colon = arguments.firstIndex(of: ":"),
            let code = Language(rawValue: arguments[..<colon].trimmingCharacters(in: .whitespaces).lowercased())
        else { return nil }
        return (code, String(arguments[arguments.index(after: colon)...]).trimmed)
    }

    /// Whether the text, as the guard reads it (number words and look-alikes folded), holds
    /// three digits or more that begin as a phone number does: `0` or `+` first ("040 12",
    /// "noll fyra noll"). An introduction needs none; years and ages do not begin with 0.
    static func beginsAPhoneNumber(_ text: String) -> Bool {
        let folded = Array(FoldedText(text).string.unicodeScalars)
        var index = 0
        while index < folded.count {
            let scalar = folded[index]
            let startsNumber = index == 0 || !("0"..."9").contains(folded[index - 1])
            if startsNumber, scalar == "0" || scalar == "+" {
                var digits = scalar == "0" ? 1 : 0
                var next = index + 1
                while next < folded.count {
                    let follower = folded[next]
                    if ("0"..."9").contains(follower) {
                        digits += 1
                    } else if follower != " " && follower != "-" && follower != "(" && follower != ")" {
                        break
                    }
                    next += 1
                }
                if digits >= 3 { return true }
            }
            index += 1
        }
        return false
    }

    /// The text without format characters (zero-width spaces and joiners, direction marks).
    static func visible(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.generalCategory != .format })).trimmed
    }

    // MARK: Wishes

    private mutating func wishes(_ arguments: String, _ person: Person, _ channel: Channel) {
        let language = language(of: person)
        guard let agreement = person.expert else { return }
        let vocabulary = catalog.vocabulary
        let lowered = arguments.lowercased().trimmed
        guard let part = lowered.split(whereSeparator: \.isWhitespace).first.map(String.init) else {
            send(wishesText(person, language), to: person.id, channel: channel)
            return
        }
        let rest = String(lowered.dropFirst(part.count)).trimmed
        // Items are separated by commas ("psykisk hälsa, rusmedel"); without one, by spaces
        // unless the whole is one name.
        let words = rest.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" }).map(String.init)
        guard !words.isEmpty else {
            send(wishesText(person, language), to: person.id, channel: channel)
            return
        }
        var record = state.expertRecord(of: person.id, now: now)
        let reset = words.allSatisfy { vocabulary.all.contains($0) || vocabulary.off.contains($0) }
        if vocabulary.wishHours.contains(part) {
            if reset {
                record.monthlyCapHours = nil
            } else if words.count == 1, let hours = Int(words[0]), ExpertRecord.monthlyCapRange.contains(hours) {
                record.monthlyCapHours = hours
            } else {
                send(
                    catalog.text(
                        .wishesHoursRange, language,
                        [
                            "min": String(ExpertRecord.monthlyCapRange.lowerBound), "max": String(ExpertRecord.monthlyCapRange.upperBound),
                        ]), to: person.id, channel: channel)
                return
            }
        } else if vocabulary.wishTopics.contains(part) || vocabulary.wishTasks.contains(part) {
            let topics = vocabulary.wishTopics.contains(part)
            let agreed = topics ? agreement.topics : agreement.taskTypes.map(\.rawValue)
            let slot = topics ? "topic" : "task_type"
            if reset {
                if topics { record.topics = nil } else { record.taskTypes = nil }
            } else {
                // A word is an agreed value by its id or by its name in any language.
                let items =
                    rest.contains(",") || rest.contains(";")
                    ? rest.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmed }.filter { !$0.isEmpty }
                    : (agreed.contains { value in
                        Language.allCases.contains { choiceLabel(slot: slot, value: value, $0).lowercased() == rest }
                    }
                        ? [rest] : words)
                var chosen: [String] = []
                var unknown: [String] = []
                for word in items {
                    if let match = Self.agreedValue(named: word, among: agreed, label: { choiceLabel(slot: slot, value: $0, $1) }) {
                        chosen.append(match)
                    } else {
                        unknown.append(word)
                    }
                }
                guard unknown.isEmpty else {
                    // Said back briefly: a long paste is not echoed whole.
                    let shown = unknown.prefix(5).map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 }
                    send(
                        catalog.text(
                            .wishesNotAgreed, language,
                            [
                                "unknown": shown.joined(separator: ", ") + (unknown.count > 5 ? ", …" : ""),
                                "agreed": agreed.map { choiceLabel(slot: slot, value: $0, language) }.joined(separator: ", "),
                            ]), to: person.id, channel: channel)
                    return
                }
                // Every agreed one is no wish at all: a topic agreed later is then wished for too.
                let kept = agreed.filter(chosen.contains)
                let wish = kept.count == agreed.count ? nil : kept
                if topics {
                    record.topics = wish
                } else {
                    record.taskTypes = wish.map { $0.compactMap(TaskType.init(rawValue:)) }
                }
            }
        } else {
            send(wishesText(person, language), to: person.id, channel: channel)
            return
        }
        record.updatedAt = now
        emit(.expertRecordSaved(record))
        // Offers waiting for an answer that the wishes no longer cover go to the next candidate.
        let wished = record.applied(to: agreement)
        let unwanted = state.pendingOffers(of: person.id).map(\.order).filter {
            !wished.topics.contains($0.topic) || !wished.taskTypes.contains($0.taskType)
        }
        withdrawOffers(unwanted.map(\.id), of: person.id)
        send(
            catalog.text(.wishesSaved, language) + "\n" + wishesText(person, language, record: record),
            to: person.id, channel: channel)
    }

    /// The agreed value a word names: its id, its name in any language, or the one name
    /// that begins with the word ("luento" for "Luento tai koulutus").
    static func agreedValue(named word: String, among agreed: [String], label: (String, Language) -> String) -> String? {
        let names = agreed.map { value in (value, Language.allCases.map { label(value, $0).lowercased() }) }
        if let exact = names.first(where: { $0.0 == word || $0.1.contains(word) }) { return exact.0 }
        guard word.count >= 3 else { return nil }
        let begun = names.filter { $0.1.contains { $0.hasPrefix(word) } }
        return begun.count == 1 ? begun[0].0 : nil
    }

    private func wishesText(_ person: Person, _ language: Language, record: ExpertRecord? = nil) -> String {
        let record = record ?? state.expertRecords[person.id]
        let agreement = person.expert
        let asAgreed = catalog.text(.wishesAsAgreed, language)
        let topics = record?.topics.map { $0.map { choiceLabel(slot: "topic", value: $0, language) }.joined(separator: ", ") }
        let tasks = record?.taskTypes.map {
            $0.map { choiceLabel(slot: "task_type", value: $0.rawValue, language) }.joined(separator: ", ")
        }
        // The limit that applies: the lower of the wish and the agreement's (or the county's).
        let agreedCap = agreement?.monthlyCapHours ?? engine.policy.monthlyCapHours
        let hours = [record?.monthlyCapHours, agreedCap].compactMap { $0 }.min().map(String.init) ?? catalog.text(.wishesNoCap, language)
        return catalog.text(
            .wishesShow, language,
            [
                "name": person.firstName,
                "topics": topics.map { $0.isEmpty ? "-" : $0 } ?? asAgreed + " ("
                    + (agreement?.topics ?? []).map {
                        choiceLabel(slot: "topic", value: $0, language)
                    }.joined(separator: ", ") + ")",
                "tasks": tasks.map { $0.isEmpty ? "-" : $0 } ?? asAgreed + " ("
                    + (agreement?.taskTypes ?? []).map {
                        choiceLabel(slot: "task_type", value: $0.rawValue, language)
                    }.joined(separator: ", ") + ")",
                "hours": hours,
                "wishes": catalog.word(.wishes, language),
            ])
    }
}
