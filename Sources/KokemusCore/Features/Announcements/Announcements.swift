import Foundation

/// A coordinator's announcement to experts (004: trainings, joint meetings):
/// `tiedote: text` to every expert, `tiedote aihe mielenterveys: text` to those of a topic,
/// `tiedote kieli ruotsi: text` to those who work in a language. Each expert gets it once; out
/// of working time it waits for the next working morning. The same text twice within a day is
/// refused as a slip.
struct Announcements: TurnFeature {
    var turn: ConversationTurn

    /// An announcement's length: a notice, not a newsletter.
    static let maxLength = 2000

    mutating func announce(_ arguments: String, by coordinator: Person, channel: Channel) {
        let language = language(of: coordinator)
        let usage = { (turn: inout Announcements) in
            turn.send(
                turn.catalog.text(.announcementUsage, language, ["announce": turn.catalog.word(.announce, language)]),
                to: coordinator.id, channel: channel)
        }
        guard let colon = arguments.firstIndex(of: ":") else { return usage(&self) }
        let audience = arguments[..<colon].lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        let written = String(arguments[arguments.index(after: colon)...]).trimmed
        guard !written.isEmpty else { return usage(&self) }
        guard written.count <= Self.maxLength else {
            send(
                catalog.text(.textTooLong, language, ["length": String(written.count), "max": String(Self.maxLength)]),
                to: coordinator.id, channel: channel)
            return
        }
        // Who it is for: nothing or "kaikille" is everyone; "aihe X" a topic; "kieli X" a language.
        var topic: String?
        var wanted: Language?
        let vocabulary = catalog.vocabulary
        let experts = engine.registry.people(with: .expert)
        if let first = audience.first, !vocabulary.all.contains(first) && first != "kaikille" {
            let rest = audience.dropFirst().joined(separator: " ")
            if vocabulary.wishTopics.contains(first) {
                let known = Array(Set(experts.flatMap { $0.expert?.topics ?? [] })).sorted()
                topic = SelfService.agreedValue(named: rest, among: known) { choiceLabel(slot: "topic", value: $0, $1) }
                guard topic != nil else {
                    send(
                        catalog.text(
                            .announcementUnknownTopic, language,
                            [
                                "topic": rest,
                                "topics": known.map { choiceLabel(slot: "topic", value: $0, language) }.joined(separator: ", "),
                            ]),
                        to: coordinator.id, channel: channel)
                    return
                }
            } else if Language.allCases.contains(where: { catalog.word(GlobalCommand.language, $0) == first }) {
                wanted =
                    Language(rawValue: rest)
                    ?? Language.allCases.first { code in Language.allCases.contains { catalog.text(code.nameKey, $0).lowercased() == rest }
                    }
                guard wanted != nil else { return usage(&self) }
            } else {
                return usage(&self)
            }
        }
        guard let text = guardedField(written, from: coordinator, channel: channel) else { return }
        // The same words again within a day: a slip, not a second announcement.
        if let earlier = state.announcements.values.first(where: {
            $0.text == text && $0.topic == topic && $0.language == wanted && now.timeIntervalSince($0.at) < 86_400
        }) {
            send(catalog.text(.announcementRepeated, language, ["id": earlier.id]), to: coordinator.id, channel: channel)
            return
        }
        let today = engine.time.day(of: now).iso
        let recipients = experts.filter { expert in
            guard expert.id != coordinator.id, let profile = state.effective(expert).expert else { return false }
            // Not to anyone whose agreement has ended.
            if let until = profile.agreementValidUntil, until < today { return false }
            if let topic, !profile.topics.contains(topic) { return false }
            if let wanted, !profile.languages.contains(wanted) { return false }
            return true
        }
        .map(\.id).sorted()
        guard !recipients.isEmpty else {
            send(catalog.text(.announcementNoOne, language), to: coordinator.id, channel: channel)
            return
        }
        // In working time, unless the county sends offers at any hour (then these go at once too).
        let sendsAt =
            !engine.policy.offersInWorkingTime || engine.working.allows(now) ? now : engine.working.nextAllowed(from: now)
        let announcement = Announcement(
            id: "A-\(state.announcements.count + 1)", by: coordinator.id, at: now, topic: topic, language: wanted,
            recipients: recipients, text: text, sendsAt: sendsAt)
        emit(.announcementMade(announcement))
        for id in recipients {
            guard let expert = engine.registry.person(id) else { continue }
            let theirs = self.language(of: expert)
            send(
                catalog.text(.announcement, theirs, ["name": expert.firstName, "sender": coordinator.name, "text": text.text]),
                to: id, notBefore: sendsAt > now ? sendsAt : nil, about: .mailSubjectAnnouncement)
        }
        send(
            catalog.text(
                sendsAt > now ? .announcementQueued : .announcementSent, language,
                ["id": announcement.id, "count": String(recipients.count), "when": dateTime(sendsAt, language)]),
            to: coordinator.id, channel: channel)
    }
}
