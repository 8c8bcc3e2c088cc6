import Foundation

/// Supervision (työnohjaus, 000 §3, §4; 003; 004) for experts who do client work: a coordinator
/// announces a session (`Flows/supervision.yaml`, action `supervision.create`), experts sign up
/// (`ilmoittaudu TO-1`, or off again with `ilmoittaudu TO-1 pois`), are reminded the working
/// day before, and the coordinator records who came (`läsnä TO-1 kalle sanna`).
struct SupervisionSessions: TurnFeature {
    var turn: ConversationTurn

    /// The kinds of work that are client work: their experts are invited.
    static let clientWork: Set<TaskType> = [.individual, .pair, .group]

    static let create = FlowAction(
        signature: ActionSignature(
            name: "supervision.create", outputs: ["supervision_id", "invited", "attended"],
            requiredInputs: ["start", "duration", "place", "seats"], outcomes: ["supervision_state": ["sent", "no_one"]]),
        run: { context in
            guard context.person.has(.coordinator) else { throw ActionFailure("only a coordinator announces supervision") }
            guard case .dateTime(let start)? = context.slots["start"], case .duration(let minutes)? = context.slots["duration"],
                case .integer(let seats)? = context.slots["seats"], Supervision.seatRange.contains(seats)
            else { throw ActionFailure("supervision answers are missing") }
            let place = try context.guardedText("place")
            let today = context.time.day(of: context.now).iso
            let invited = context.registry.people(with: .expert).filter { expert in
                guard expert.id != context.person.id, let profile = context.state.effective(expert).expert else { return false }
                if let until = profile.agreementValidUntil, until < today { return false }
                return !Set(profile.taskTypes).isDisjoint(with: clientWork)
            }
            let attended = context.catalog.word(.attended, context.language)
            guard !invited.isEmpty else {
                return ActionResult(slots: [
                    "supervision_state": .text("no_one"), "invited": .text("0"), "supervision_id": .text(""),
                    "attended": .text(attended),
                ])
            }
            let id = "TO-\(context.state.supervisions.count + 1)"
            let supervision = Supervision(
                id: id, by: context.person.id, createdAt: context.now, start: start, durationMinutes: minutes, place: place,
                seats: seats, invited: invited.map(\.id).sorted())
            var result = ActionResult(
                slots: [
                    "supervision_state": .text("sent"), "supervision_id": .text(id), "invited": .text(String(invited.count)),
                    "attended": .text(attended),
                ], events: [.supervisionSaved(supervision)])
            // Out of working time the invitations wait for the next working morning.
            // (A county that sends offers at any hour, `matching.offers_in_working_time: false`,
            // sends these at once too.)
            if context.policy.offersInWorkingTime, !context.working.allows(context.now) {
                result.holdMessagesUntil = context.working.nextAllowed(from: context.now)
            }
            for expert in invited {
                let language = context.language(of: expert)
                result.messages.append(
                    (
                        expert.id,
                        context.catalog.text(
                            .supervisionInvitation, language,
                            [
                                "name": expert.firstName, "id": id, "when": context.catalog.dateTime(start, language, time: context.time),
                                "duration": durationText(minutes: minutes), "place": place.text, "seats": String(seats),
                                "sign_up": context.catalog.word(.signUp, language),
                            ]), nil
                    ))
            }
            return result
        })

    /// `ilmoittaudu TO-1` / `ilmoittaudu TO-1 pois`: an expert signs up, or off.
    mutating func signUp(_ arguments: String, by expert: Person, channel: Channel) {
        let language = language(of: expert)
        let words = arguments.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, let supervision = state.supervisions[first.uppercased()] else {
            send(
                catalog.text(.supervisionUnknown, language, ["id": words.first ?? "", "sign_up": catalog.word(.signUp, language)]),
                to: expert.id, channel: channel)
            return
        }
        guard expert.has(.expert), supervision.invited.contains(expert.id) else {
            send(catalog.text(.supervisionNotInvited, language, ["id": supervision.id]), to: expert.id, channel: channel)
            return
        }
        guard now < supervision.start else {
            send(catalog.text(.supervisionPast, language, ["id": supervision.id]), to: expert.id, channel: channel)
            return
        }
        var changed = supervision
        let off = words.dropFirst().contains {
            catalog.vocabulary.off.contains($0.lowercased()) || catalog.vocabulary.no.contains($0.lowercased())
        }
        let values = [
            "name": expert.firstName, "id": supervision.id, "when": dateTime(supervision.start, language),
            "place": supervision.place.text, "sign_up": catalog.word(.signUp, language),
        ]
        if off {
            guard let index = changed.signedUp.firstIndex(of: expert.id) else {
                send(catalog.text(.supervisionNotSignedUp, language, values), to: expert.id, channel: channel)
                return
            }
            changed.signedUp.remove(at: index)
            emit(.supervisionSaved(changed))
            send(catalog.text(.supervisionSignedOff, language, values), to: expert.id, channel: channel)
        } else {
            guard !changed.signedUp.contains(expert.id) else {
                send(catalog.text(.supervisionAlreadySignedUp, language, values), to: expert.id, channel: channel)
                return
            }
            guard changed.signedUp.count < changed.seats else {
                send(catalog.text(.supervisionFull, language, values), to: expert.id, channel: channel)
                return
            }
            changed.signedUp.append(expert.id)
            emit(.supervisionSaved(changed))
            // Signed up after the reminder's time: no reminder minutes later, and none promised.
            let late = now >= reminderTime(of: changed)
            if late { emit(.remindersSent(keys: [Self.reminderKey(changed, expert.id)], at: now)) }
            send(catalog.text(late ? .supervisionSignedUpSoon : .supervisionSignedUp, language, values), to: expert.id, channel: channel)
        }
        // The coordinator who announced it hears of each change, with the count.
        if let coordinator = engine.registry.person(supervision.by) {
            let theirs = self.language(of: coordinator)
            send(
                catalog.text(
                    off ? .supervisionCoordinatorSignedOff : .supervisionCoordinatorSignedUp, theirs,
                    [
                        "expert": "\(expert.name) (\(expert.id))", "id": supervision.id, "count": String(changed.signedUp.count),
                        "seats": String(changed.seats),
                    ]), to: coordinator.id)
        }
    }

    /// `läsnä TO-1 kalle sanna`: the coordinator records who came, once the session has begun.
    mutating func recordAttendance(_ arguments: String, by coordinator: Person, channel: Channel) {
        let language = language(of: coordinator)
        let words = arguments.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
        guard let first = words.first, let supervision = state.supervisions[first.uppercased()] else {
            send(
                catalog.text(.supervisionUnknown, language, ["id": words.first ?? "", "sign_up": catalog.word(.signUp, language)]),
                to: coordinator.id, channel: channel)
            return
        }
        guard now >= supervision.start else {
            send(
                catalog.text(.supervisionNotYet, language, ["id": supervision.id, "when": dateTime(supervision.start, language)]),
                to: coordinator.id, channel: channel)
            return
        }
        // Added to what was recorded before (a second message names more people).
        var came: [PersonID] = supervision.attended ?? []
        var unknown: [String] = []
        for word in words.dropFirst().prefix(100) {
            if let person = engine.registry.person(PersonID(word.lowercased())), person.has(.expert) {
                if !came.contains(person.id) { came.append(person.id) }
            } else {
                // Said back as letters and digits only: no control characters echoed.
                unknown.append(
                    String(
                        String.UnicodeScalarView(
                            word.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" }.prefix(40))))
            }
        }
        guard unknown.isEmpty, words.count > 1 else {
            send(
                catalog.text(
                    .supervisionAttendanceUsage, language,
                    [
                        "id": supervision.id, "unknown": unknown.isEmpty ? "-" : unknown.prefix(5).joined(separator: ", "),
                        "attended": catalog.word(.attended, language),
                    ]),
                to: coordinator.id, channel: channel)
            return
        }
        var changed = supervision
        changed.attended = came.sorted()
        changed.attendanceRecordedAt = now
        emit(.supervisionSaved(changed))
        let names = came.sorted().compactMap { engine.registry.person($0)?.name }
        let missing = supervision.signedUp.filter { !came.contains($0) }.compactMap { engine.registry.person($0)?.name }
        send(
            catalog.text(
                .supervisionAttendanceRecorded, language,
                [
                    "id": supervision.id, "count": String(came.count), "names": names.joined(separator: ", "),
                    "missing": missing.isEmpty ? "-" : missing.joined(separator: ", "),
                ]), to: coordinator.id, channel: channel)
    }

    /// When the signed-up are reminded: the morning of the working day before (or at once when
    /// the session was announced later than that).
    private func reminderTime(of supervision: Supervision) -> Date {
        let dayBefore = engine.working.workingDay(before: engine.time.day(of: supervision.start))
        return max(engine.working.start(of: dayBefore), supervision.createdAt)
    }

    static func reminderKey(_ supervision: Supervision, _ expert: PersonID) -> String {
        "supervision:\(supervision.id):\(expert)"
    }

    /// The working day before a session, its signed-up experts are reminded (in the morning).
    func reminders() -> [PlannedReminder] {
        var reminders: [PlannedReminder] = []
        for supervision in state.supervisions.values where supervision.start > now {
            let due = reminderTime(of: supervision)
            for id in supervision.signedUp {
                guard let expert = engine.registry.person(id) else { continue }
                let language = language(of: expert)
                let key = Self.reminderKey(supervision, id)
                reminders.append(
                    PlannedReminder(
                        key: key, series: key, recipient: id, dueAt: due, expiresAt: supervision.start,
                        text: catalog.text(
                            .supervisionReminder, language,
                            [
                                "name": expert.firstName, "id": supervision.id, "when": dateTime(supervision.start, language),
                                "place": supervision.place.text, "sign_up": catalog.word(.signUp, language),
                            ])))
            }
        }
        return reminders
    }
}
