import Foundation

extension ChatCommands {
    /// `omat tiedot`: what the state and the registry hold about the person, in their words
    /// (GDPR Art. 15), and the way to have it corrected: the coordinator, who keeps the
    /// registry (Art. 16). Everything, machine-readable, is `kokemus person export`.
    func myData(of person: Person) -> String {
        let language = language(of: person)
        let none = catalog.text(.myDataNone, language)
        let data = PersonData(of: person.id, state: state, registry: engine.registry, now: now)
        func listed(_ items: [String]) -> String {
            guard !items.isEmpty else { return none }
            let shown = items.prefix(20).joined(separator: ", ")
            return items.count > 20 ? shown + ", … (\(items.count))" : shown
        }
        let contacts = [person.contacts.email, person.contacts.matrix, person.contacts.phone, person.contacts.homeAddress]
            .compactMap { $0 }
        var expert = ""
        if let profile = person.expert {
            expert = catalog.text(
                .myDataExpert, language,
                [
                    "handle": profile.handle,
                    "topics": listed(profile.topics.map { choiceLabel(slot: "topic", value: $0, language) }),
                    "from": profile.agreementValidFrom ?? "–", "until": profile.agreementValidUntil ?? "–",
                ])
        }
        let given = data.orders.reduce(0) { $0 + $1.feedback.filter { $0.by == person.id }.count }
        let conversation = (data.conversationInProgress ?? data.draft).flatMap { engine.flows.current[$0.flowID]?.title.text(in: language) }
        return catalog.text(
            .myDataSummary, language,
            [
                "name": person.firstName, "full_name": person.name,
                "language": catalog.text((state.languages[person.id] ?? person.language).nameKey, language),
                "contacts": listed(contacts), "expert": expert, "orders": listed(data.orders.map(\.id.rawValue)),
                "fee_reports": listed(data.feeReports.map(\.id)), "feedback": String(given),
                "conversation": conversation ?? none,
                "coordinators": listed(engine.registry.coordinators.map(\.name)),
                "privacy": catalog.word(.privacy, language),
            ])
    }
}
