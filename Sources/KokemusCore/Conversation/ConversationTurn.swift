import Foundation

/// One handling pass: a working copy of the state and the events that changed it.
struct ConversationTurn {
    let engine: ConversationEngine
    private(set) var state: GatewayState
    private(set) var events: [GatewayEvent] = []
    /// Flows actions asked to start for other people, started when the turn's own flow has moved on.
    var startedFlows: [(person: PersonID, flow: String, notice: MessageKey)] = []
    let now: Date
    /// Whose message the turn answers; nil on a tick and once the turn goes on to the
    /// gateway's own work (`afterInput`). What goes to anyone else, or then, the gateway
    /// starts: a mail of it gets a subject of its own (`mailSubject`).
    var inputSender: PersonID?
    /// A flow being started for someone: its first messages are titled by the flow
    /// ("Tehtävätarjous") and, when the gateway started it (not the person's own word), are
    /// no answer even to the person who just wrote (an offer waiting for them after their fee report).
    private var flowStarting: (person: PersonID, flowID: String, title: LocalizedText, byGateway: Bool)?

    init(engine: ConversationEngine, state: GatewayState, now: Date) {
        self.engine = engine
        self.state = state
        self.now = now
    }

    var catalog: MessageCatalog { engine.catalog }

    /// The state with every event applied, handed back; the turn keeps an empty one.
    mutating func finish() -> GatewayState {
        let finished = state
        state = GatewayState()
        return finished
    }

    mutating func emit(_ event: GatewayEvent) {
        // A conversation that goes on is recorded by what changed, not whole.
        if case .conversationSaved(let conversation) = event, let previous = state.conversations[conversation.person],
            let change = ConversationChange(from: previous, to: conversation)
        {
            let changed = GatewayEvent.conversationChanged(change)
            state.apply(changed)
            events.append(changed)
            return
        }
        state.apply(event)
        events.append(event)
    }

    /// Records that `person` was shown other people's data (`DataAccess`): committed with the
    /// reply that shows it, then copied to the audit log. Nobody else's data, nothing to record.
    mutating func recordAccess(by person: PersonID, what: String, about people: [PersonID], why: String) {
        let others = people.filter { $0 != person }
        guard !others.isEmpty else { return }
        emit(
            .dataAccessed(
                DataAccess(id: state.nextAccessID, at: now, by: person.rawValue, via: .chat, what: what, about: others, why: why)))
    }

    func language(of person: Person) -> Language {
        state.languages[person.id] ?? person.language
    }

    /// Queues a message to `recipient`, on `channel` or their preferred one. `about` says what
    /// a message the gateway starts is ("Muistutus") where nothing else does (`mailSubject`).
    mutating func send(
        _ text: String, to recipient: PersonID, channel: Channel? = nil, calendar: CalendarInvite? = nil,
        relayFrom: PersonID? = nil, relayOrder: OrderID? = nil, attachments: [OutboxAttachment]? = nil,
        notBefore: Date? = nil, about: MessageKey? = nil
    ) {
        // An answer to the person's own message goes into their thread untitled; what the
        // gateway starts, and every calendar invitation (a client shows its subject as the
        // entry's), says what it is.
        let startedForThem = flowStarting.map { $0.person == recipient && $0.byGateway } ?? false
        let answer = recipient == inputSender && !startedForThem && calendar == nil
        let subject = answer ? nil : mailSubject(to: recipient, text: text, calendar: calendar, relayOrder: relayOrder, about: about)
        // The first message a person gets from the gateway says where the privacy notice is.
        var text = text
        if engine.privacy.linkNotice, !state.privacyNoticeLinked.contains(recipient), let person = engine.registry.person(recipient) {
            let language = language(of: person)
            text += "\n\n" + catalog.text(.privacyNoticeLink, language, ["privacy": catalog.word(.privacy, language)])
            emit(.privacyNoticeLinked(person: recipient))
        }
        emit(
            .messageQueued(
                OutboxMessage(
                    id: state.nextOutboxID, recipient: recipient, channel: channel, text: text,
                    createdAt: now, calendar: calendar, relayFrom: relayFrom, relayOrder: relayOrder,
                    attachments: attachments, notBefore: notBefore, subject: subject)))
    }

    /// "Tehtävätarjous: T-2026-0001, ryhmänohjaus 8.12.": what the message is, then the order
    /// it is about (named once in its text, or relayed), its kind of task and its next
    /// session's day; without one order, what it is alone. What it is: `about`, else the
    /// calendar's change (booked, changed, cancelled), a relayed message, the flow being
    /// started for the recipient, or the service's name. In the recipient's language.
    func mailSubject(
        to recipient: PersonID, text: String, calendar: CalendarInvite?, relayOrder: OrderID?, about: MessageKey?
    ) -> String {
        let language = state.languages[recipient] ?? engine.registry.person(recipient)?.language ?? .fi
        let starting = flowStarting.flatMap { $0.person == recipient ? $0 : nil }
        let what: String
        if let about {
            what = catalog.text(about, language)
        } else if let calendar {
            let key: MessageKey =
                calendar.method == .cancel ? .mailSubjectCancelled : calendar.sequence == 0 ? .mailSubjectBooked : .mailSubjectChanged
            what = catalog.text(key, language)
        } else if relayOrder != nil {
            what = catalog.text(.mailSubjectMessage, language)
        } else if let starting {
            // "Toteutuiko tapaaminen?" reads as a title without its question mark.
            what = starting.title.text(in: language).trimmingCharacters(in: CharacterSet(charactersIn: "?!. "))
        } else {
            what = catalog.text(.emailSubject, language)
        }
        // An announcement or payroll's handover may name an order in passing: it is not about one.
        guard about != .mailSubjectAnnouncement, about != .mailSubjectPayroll else { return what }
        // The order: a relay's, a calendar entry's (its UID names it), else the one the text names.
        let named = Order.ids(in: text)
        let calendarOrder = calendar.flatMap { Order.ids(in: $0.uid).first }
        guard let id = relayOrder ?? calendarOrder ?? (named.count == 1 ? named[0] : nil), let order = state.orders[id] else {
            return what
        }
        var values = ["what": what, "order_id": id.rawValue, "task": Self.lowercasingFirst(taskName(order, language))]
        // The day the mail is about: a calendar's own; after a session (hours, "Toteutuiko?",
        // feedback) the last one begun; otherwise the next one not yet over. None: no day.
        let planned = order.sessions.filter { $0.status == .planned }.sorted { $0.start < $1.start }
        let looksBack = starting.map { Self.flowsAfterASession.contains($0.flowID) } ?? false
        let day =
            calendar?.start
            ?? (looksBack
                ? order.sessions.filter { $0.start <= now }.map(\.start).max()
                : planned.first { $0.start.addingTimeInterval(Double($0.durationMinutes) * 60) > now }?.start)
        guard let day else { return catalog.text(.mailSubjectOrderNoDay, language, values) }
        values["date"] = dayText(engine.time.day(of: day), language)
        return catalog.text(.mailSubjectOrder, language, values)
    }

    /// Flows the gateway starts after a session, about it.
    static let flowsAfterASession: Set<String> = [
        GatewayState.hoursFlowID, GatewayState.sessionCheckFlowID, GatewayState.feedbackFlowID,
    ]

    /// `8.12.` in Finnish and Swedish, `8 Dec` in English (where 8.12. could be read as August).
    func dayText(_ day: LocalDay, _ language: Language) -> String {
        guard language == .en else { return "\(day.day).\(day.month)." }
        let months = catalog.text(.reportYearMonthNames, language).split(separator: ";").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return (1...months.count).contains(day.month) ? "\(day.day) \(months[day.month - 1])" : "\(day.day).\(day.month)."
    }

    /// "ryhmänohjaus" for "Ryhmänohjaus" inside a subject; a name with an abbreviation or a
    /// proper name in it ("EKA-ryhmä", "Recovery College", "Pratbänken (Juttupenkki)") stays.
    static func lowercasingFirst(_ name: String) -> String {
        guard let first = name.first, first.isUppercase, !name.dropFirst().contains(where: \.isUppercase) else { return name }
        return first.lowercased() + name.dropFirst()
    }

    // MARK: Input

    mutating func receive(_ text: String, from person: Person, channel: Channel) {
        let reply = { (turn: inout ConversationTurn, text: String) in turn.send(text, to: person.id, channel: channel) }
        if let (command, argument) = catalog.command(in: text) ?? catalog.command(in: Self.firstLine(of: text)) {
            run(command, argument: argument, for: person, channel: channel)
        } else if let (command, arguments) = catalog.chatCommand(in: text),
            view(as: ChatCommands.self).appliesMidFlow(command, arguments, person) || state.conversations[person.id] == nil
        {
            lend(to: ChatCommands.self) { $0.run(command, arguments: arguments, for: person, channel: channel) }
        } else if let conversation = state.conversations[person.id] {
            answer(text, in: conversation, from: person)
        } else if let flow = engine.flows.flow(triggeredBy: text) {
            guard !flow.roles.isDisjoint(with: person.roles) else {
                reply(&self, catalog.text(.notAllowed, language(of: person), ["flow": flow.title.text(in: language(of: person))]))
                return
            }
            // Starting anew while a draft of the same waits: they are told it is there.
            if state.drafts[person.id]?.flowID == flow.id {
                let language = language(of: person)
                reply(&self, catalog.text(.draftAlsoKept, language, ["draft": catalog.word(.draft, language)]))
            }
            start(flow, for: person, channel: channel, byGateway: false)
        } else if engine.flows.flows(for: person.roles).isEmpty {
            reply(&self, catalog.text(.nothingToStart, language(of: person), ["name": person.firstName]))
        } else {
            let language = language(of: person)
            reply(
                &self,
                catalog.text(
                    .didNotUnderstand, language,
                    [
                        "name": person.firstName,
                        "flows": flowList(for: person, language),
                        "help": catalog.word(.help, language),
                    ]))
        }
    }

    /// A yes or no without words (a 👍 or 👎) answers the current question if it is a yes/no
    /// one, or a choice with an option marked with that gesture (an offer: take / decline).
    /// At any other question it gets a hint to write the answer; with no question open it
    /// means nothing (people react to say thanks) and is only logged.
    mutating func receive(_ gesture: InboundMessage.Gesture, from person: Person, channel: Channel) {
        guard let conversation = state.conversations[person.id],
            let flow = engine.flows.flow(version: conversation.flowVersion),
            let step = flow.step(conversation.stepID),
            case .ask(_, let expect, _, _) = step.kind
        else {
            engine.logger.debug("engine: a reaction with no question open; ignored", metadata: ["person": "\(person.id)"])
            return
        }
        switch expect {
        case .yesNo:
            if let word = (gesture == .yes ? catalog.vocabulary.yes : catalog.vocabulary.no).sorted().first {
                answer(word, in: conversation, from: person)
                return
            }
        case .choice(let options):
            if let index = options.firstIndex(where: { $0.gesture == gesture }) {
                answer(String(index + 1), in: conversation, from: person)
                return
            }
        default:
            break
        }
        engine.logger.debug(
            "engine: a reaction that does not answer the open question; hinted",
            metadata: ["person": "\(person.id)", "step": "\(conversation.stepID)"])
        let language = language(of: person)
        send(
            catalog.text(.gestureNotAnAnswer, language, ["question": question(step, conversation, person, language)]),
            to: person.id, channel: channel)
    }

    static func firstLine(of text: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map { $0.trimmed } ?? text
    }

    static func isFreeText(_ spec: AnswerSpec) -> Bool {
        if case .text = spec { return true }
        return false
    }

    private func flowList(for person: Person, _ language: Language) -> String {
        engine.flows.flows(for: person.roles)
            .map { "- \($0.triggers[language]?.first ?? $0.id): \($0.title.text(in: language))" }
            .joined(separator: "\n")
    }

    private func commandList(_ language: Language) -> String {
        [GlobalCommand.cancel, .back, .repeat, .status, .help].map { catalog.word($0, language) }.joined(separator: ", ")
    }

    // MARK: Commands

    private mutating func run(_ command: GlobalCommand, argument: String?, for person: Person, channel: Channel) {
        let conversation = state.conversations[person.id]
        let flow = conversation.flatMap { engine.flows.flow(version: $0.flowVersion) }
        var language = language(of: person)
        var values = [
            "name": person.firstName, "commands": commandList(language),
            "language_command": catalog.word(.language, language),
        ]
        switch command {
        case .help:
            if let conversation, let flow, let step = flow.step(conversation.stepID) {
                values["step_help"] = (step.help ?? flow.help).map { render($0, conversation, person, language) } ?? ""
                values["flow"] = flow.title.text(in: language)
                send(
                    catalog.text(.helpInFlow, language, values).trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n"
                        + question(step, conversation, person, language), to: person.id, channel: channel)
            } else if engine.flows.flows(for: person.roles).isEmpty {
                send(catalog.text(.nothingToStart, language, values), to: person.id, channel: channel)
            } else {
                values["flows"] = flowList(for: person, language)
                send(catalog.text(.helpIdle, language, values), to: person.id, channel: channel)
            }
        case .cancel:
            if conversation != nil {
                emit(.conversationEnded(person: person.id))
                send(catalog.text(.cancelled, language, values), to: person.id, channel: channel)
            } else {
                send(catalog.text(.nothingToCancel, language, values), to: person.id, channel: channel)
            }
        case .back:
            guard var conversation, let flow else {
                send(catalog.text(.nothingToRepeat, language, values), to: person.id, channel: channel)
                return
            }
            guard let previous = conversation.history.popLast(), let step = flow.step(previous),
                case .ask(_, _, let slot, _) = step.kind
            else {
                if let step = flow.step(conversation.stepID) {
                    send(
                        catalog.text(.cannotGoBack, language, values) + "\n\n" + question(step, conversation, person, language),
                        to: person.id, channel: channel)
                }
                return
            }
            conversation.slots[slot] = nil
            ask(step, in: conversation, flow: flow, person: person)
        case .repeat:
            if let conversation, let flow, let step = flow.step(conversation.stepID) {
                send(question(step, conversation, person, language), to: person.id, channel: channel)
            } else {
                send(catalog.text(.nothingToRepeat, language, values), to: person.id, channel: channel)
            }
        case .status:
            var lines: [String] = []
            if let conversation, let flow {
                values["flow"] = flow.title.text(in: language)
                values["answered"] = String(conversation.history.count)
                lines.append(catalog.text(.statusInFlow, language, values))
            } else {
                lines.append(catalog.text(.statusIdle, language, values))
            }
            if let draft = state.drafts[person.id], let flow = engine.flows.flow(version: draft.flowVersion) {
                lines.append(
                    catalog.text(
                        .statusDraft, language,
                        values.merging(["flow": flow.title.text(in: language), "draft": catalog.word(.draft, language)]) { a, _ in a }))
            }
            if person.has(.expert) { lines += view(as: FeeReporting.self).expertStatus(person, language) }
            let orders = state.orders(by: person.id).prefix(10)
            if orders.isEmpty, person.has(.expert), !person.has(.employee) {
                // An expert's own work is listed above; they order nothing.
            } else if orders.isEmpty {
                lines.append(catalog.text(.statusNoOrders, language, values))
            } else {
                let list = orders.map { order in
                    "- \(order.id): " + catalog.dateTime(order.shownStart(now: now), language, time: time) + ", "
                        + catalog.text(statusKey(order.status), language)
                }
                values["orders"] = list.joined(separator: "\n")
                lines.append(catalog.text(.statusOrders, language, values))
            }
            send(lines.joined(separator: "\n"), to: person.id, channel: channel)
        case .draft:
            resumeDraft(of: person, channel: channel, values: values)
        case .language:
            guard let wanted = argument.flatMap(parseLanguage) else {
                send(catalog.text(.languageUnknown, language, values), to: person.id, channel: channel)
                return
            }
            emit(.languageSet(person: person.id, language: wanted))
            language = wanted
            values["language"] = catalog.languageNames[wanted] ?? wanted.rawValue
            var text = catalog.text(.languageChanged, language, values)
            if let conversation, let flow, let step = flow.step(conversation.stepID) {
                text += "\n\n" + question(step, conversation, person, language)
            }
            send(text, to: person.id, channel: channel)
        }
    }

    private var time: LocalTime { engine.time }

    func statusKey(_ status: Order.Status) -> MessageKey {
        switch status {
        case .open: return .orderStatusOpen
        case .assigned: return .orderStatusAssigned
        case .cancelled: return .orderStatusCancelled
        case .completed: return .orderStatusCompleted
        }
    }

    /// `sv`, `svenska`, `ruotsi`: a code or a language's own name.
    private func parseLanguage(_ text: String) -> Language? {
        if let code = Language(rawValue: text) { return code }
        if let own = catalog.languageNames.first(where: { $0.value.lowercased() == text })?.key { return own }
        // Any language's name in any language: `kieli ruotsi`, `språk finska`, `language Swedish`.
        return Language.allCases.first { wanted in
            Language.allCases.contains { reader in catalog.text(wanted.nameKey, reader).lowercased() == text }
        }
    }

    // MARK: Flows

    /// `byGateway`: false when the person's own word started it (an answer to them).
    mutating func start(_ flow: FlowDefinition, for person: Person, channel: Channel, byGateway: Bool = true) {
        guard let first = flow.steps.first else { return }
        if state.flowSources[flow.version] == nil {
            emit(.flowRecorded(StoredFlow(version: flow.version, file: flow.file, text: flow.source)))
        }
        let conversation = Conversation(
            person: person.id, flowID: flow.id, flowVersion: flow.version, stepID: first.id,
            channel: channel, now: now)
        let outer = flowStarting
        flowStarting = (person.id, flow.id, flow.title, byGateway)
        run(from: first, conversation: conversation, flow: flow, person: person)
        flowStarting = outer
    }

    private mutating func answer(_ text: String, in original: Conversation, from person: Person) {
        var conversation = original
        let language = language(of: person)
        guard let flow = engine.flows.flow(version: conversation.flowVersion),
            let step = flow.step(conversation.stepID),
            case .ask(_, let expect, let slot, let retry) = step.kind
        else {
            engine.logger.error(
                "engine: conversation points to a flow version or step that is gone",
                metadata: [
                    "person": "\(person.id)", "flow": "\(conversation.flowID)",
                    "step": "\(conversation.stepID)",
                ])
            emit(.conversationEnded(person: person.id))
            send(catalog.text(.actionFailed, language, ["name": person.firstName]), to: person.id, channel: conversation.channel)
            return
        }
        let options = choices(for: expect, person, language)
        var parsed: Result<SlotValue, AnswerProblem>
        if case .text = expect {
            // Free text passes the guard before anything else; what it holds is never stored.
            switch engine.textGuard.check(text, from: person, rules: .forText(from: person), stripSignature: true) {
            case .passed(let guarded, _):
                parsed = engine.parser.parse(guarded.text, as: expect, choices: options, now: now)
            case .held(let hold):
                parsed = .failure(
                    AnswerProblem(
                        .textHeld,
                        [
                            "name": person.firstName,
                            "kinds": catalog.describe(hold.categories, language),
                        ]))
            case .tooLong(let length, let maximum):
                parsed = .failure(AnswerProblem(.textTooLong, ["length": String(length), "max": String(maximum)]))
            }
        } else {
            parsed = engine.parser.parse(text, as: expect, choices: options, now: now)
        }
        // Mail often ends with a greeting the sender did not mark as a signature ("kyllä" /
        // "Terveisin Anna"): a short answer may stand on its own first line.
        if case .failure = parsed, !Self.isFreeText(expect), Self.firstLine(of: text) != text,
            case .success(let value) = engine.parser.parse(Self.firstLine(of: text), as: expect, choices: options, now: now)
        {
            parsed = .success(value)
        }
        switch parsed {
        case .success(let value):
            conversation.slots[slot] = value
            conversation.history.append(step.id)
            conversation.tries = 0
            continueAfter(step, conversation: conversation, flow: flow, person: person)
        case .failure(let problem):
            conversation.tries += 1
            if conversation.tries >= flow.maxTries {
                conversation.tries = 0
                switch flow.onTooManyTries {
                case .end:
                    emit(.conversationEnded(person: person.id))
                    send(
                        catalog.text(
                            .tooManyTriesEnd, language,
                            [
                                "name": person.firstName,
                                "help": catalog.word(.help, language),
                            ]),
                        to: person.id, channel: conversation.channel)
                case .help:
                    emit(.conversationSaved(conversation))
                    let help = (step.help ?? flow.help).map { render($0, conversation, person, language) } ?? ""
                    send(
                        catalog.text(.tooManyTriesHelp, language, ["help": help, "commands": commandList(language)])
                            .trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n" + question(step, conversation, person, language),
                        to: person.id, channel: conversation.channel)
                }
                return
            }
            emit(.conversationSaved(conversation))
            let reason = catalog.text(problem.key, language, problem.values)
            let again =
                retry.map { render($0, conversation, person, language) + choiceList(expect, person, language) }
                ?? question(step, conversation, person, language)
            send(reason + "\n" + again, to: person.id, channel: conversation.channel)
        }
    }

    /// Goes on from `step`, which is done: by its transitions, or to the next step in the file.
    private mutating func continueAfter(
        _ step: FlowStep, conversation: Conversation, flow: FlowDefinition,
        person: Person
    ) {
        guard !step.end, let next = nextStep(after: step, slots: conversation.slots, flow: flow) else {
            finish(conversation)
            return
        }
        run(from: next, conversation: conversation, flow: flow, person: person)
    }

    private func nextStep(after step: FlowStep, slots: [String: SlotValue], flow: FlowDefinition) -> FlowStep? {
        if let transition = step.next.first(where: { $0.condition?.holds(for: slots) ?? true }) {
            return flow.step(transition.target)
        }
        return flow.stepAfter(step)
    }

    /// Runs say and action steps until a question is asked or the flow ends.
    private mutating func run(
        from first: FlowStep, conversation original: Conversation, flow: FlowDefinition,
        person: Person
    ) {
        var conversation = original
        var step = first
        let language = language(of: person)
        for _ in 0..<ConversationEngine.maximumAutomaticSteps {
            switch step.kind {
            case .ask:
                ask(step, in: conversation, flow: flow, person: person)
                return
            case .say(let text):
                send(render(text, conversation, person, language), to: person.id, channel: conversation.channel)
            case .action(let name, let onError):
                switch perform(name, conversation: conversation, flow: flow, person: person) {
                case .success(let done):
                    conversation.slots.merge(done.slots) { _, new in new }
                    // `back` does not undo what an action did (an offer taken, a report sent):
                    // the questions before it are not asked again.
                    if done.changedState { conversation.history = [] }
                case .failure(let failure):
                    engine.logger.error(
                        "engine: action failed",
                        metadata: [
                            "action": "\(name)", "flow": "\(flow.id)",
                            "person": "\(person.id)",
                            "reason": "\(failure.reason)",
                        ])
                    send(
                        catalog.text(.actionFailed, language, ["name": person.firstName]),
                        to: person.id, channel: conversation.channel)
                    guard let onError, let target = flow.step(onError) else {
                        finish(conversation)
                        return
                    }
                    step = target
                    continue
                }
            }
            guard !step.end, let next = nextStep(after: step, slots: conversation.slots, flow: flow) else {
                finish(conversation)
                return
            }
            step = next
        }
        engine.logger.error("engine: flow runs in a loop without a question", metadata: ["flow": "\(flow.id)"])
        finish(conversation)
    }

    private mutating func perform(
        _ name: String, conversation: Conversation, flow: FlowDefinition,
        person: Person
    ) -> Result<(slots: [String: SlotValue], changedState: Bool), ActionFailure> {
        guard let action = engine.actions.actions[name] else { return .failure(ActionFailure("unknown action \(name)")) }
        let context = ActionContext(
            person: person, language: language(of: person), slots: conversation.slots, registry: engine.registry,
            state: state, now: now, time: engine.time, catalog: catalog,
            display: { [self] slot, language in display(slot, conversation, flow, language) },
            policy: engine.policy, privacy: engine.privacy, fees: engine.fees, payroll: engine.payroll,
            tasks: engine.tasks, working: engine.working,
            choiceLabel: { [self] slot, value, language in choiceLabel(slot: slot, value: value, language) },
            textGuard: engine.textGuard)
        do {
            let result = try action.run(context)
            for event in result.events { emit(event) }
            for access in result.accesses {
                recordAccess(by: context.person.id, what: access.what, about: access.about, why: access.why)
            }
            for message in result.messages {
                send(
                    message.text, to: message.recipient, calendar: message.calendar, notBefore: result.holdMessagesUntil,
                    about: result.about[message.recipient])
            }
            for start in result.startFlows { startedFlows.append(start) }
            return .success((result.slots, !result.events.isEmpty))
        } catch let failure as ActionFailure {
            return .failure(failure)
        } catch {
            return .failure(ActionFailure("\(error)"))
        }
    }

    private mutating func ask(_ step: FlowStep, in original: Conversation, flow: FlowDefinition, person: Person) {
        var conversation = original
        conversation.stepID = step.id
        conversation.tries = 0
        conversation.askedAt = now
        conversation.remindAt = step.timeout?.remindAfter.map { now + $0 }
        conversation.giveUpAt = step.timeout?.giveUpAfter.map { now + $0 }
        conversation.reminded = false
        conversation.escalated = false
        emit(.conversationSaved(conversation))
        send(question(step, conversation, person, language(of: person)), to: person.id, channel: conversation.channel)
    }

    private mutating func finish(_ conversation: Conversation) {
        if state.conversations[conversation.person] != nil {
            emit(.conversationEnded(person: conversation.person))
        }
        // An offer that arrived while the expert was busy is shown now.
        lend(to: OfferRound.self) { $0.presentWaitingOffer(to: conversation.person) }
    }

    // MARK: Drafts

    /// How long a draft is kept before it is dropped.
    /// How long a draft is kept: the county's retention of unfinished conversations.
    var draftDays: Int { engine.retention.unfinishedDays }

    /// `luonnos`: the person's draft becomes their conversation again, at the question it was
    /// left at, with its timers anew. Not over a conversation in progress.
    private mutating func resumeDraft(of person: Person, channel: Channel, values: [String: String]) {
        let language = language(of: person)
        guard var draft = state.drafts[person.id] else {
            send(catalog.text(.draftNone, language, values), to: person.id, channel: channel)
            return
        }
        guard state.conversations[person.id] == nil else {
            send(
                catalog.text(.draftBusy, language, values.merging(["cancel": catalog.word(.cancel, language)]) { a, _ in a }),
                to: person.id, channel: channel)
            return
        }
        emit(.draftDropped(person: person.id))
        // Its flow version must still be known, and open to them (a role may have gone).
        guard let flow = engine.flows.flow(version: draft.flowVersion), var step = flow.step(draft.stepID),
            !flow.roles.isDisjoint(with: person.roles)
        else {
            send(
                catalog.text(.draftGone, language, values.merging(["flows": flowList(for: person, language)]) { a, _ in a }),
                to: person.id, channel: channel)
            return
        }
        // A day or time answered before the draft was put aside may have passed since: that
        // question is asked again, and the ones after it.
        let asked = draft.history + [draft.stepID]
        if let index = asked.firstIndex(where: { id in flow.step(id).map { hasPassed($0, in: draft) } ?? false }),
            let first = flow.step(asked[index])
        {
            for id in asked[index...] {
                if let later = flow.step(id), case .ask(_, _, let slot, _) = later.kind { draft.slots[slot] = nil }
            }
            draft.history = Array(asked[..<index])
            step = first
        }
        draft.channel = channel
        send(
            catalog.text(.draftResumed, language, values.merging(["flow": flow.title.text(in: language)]) { a, _ in a }), to: person.id,
            channel: channel)
        ask(step, in: draft, flow: flow, person: person)
    }

    /// Whether the step asks a day or time that must not be past, and its answer is past now.
    private func hasPassed(_ step: FlowStep, in conversation: Conversation) -> Bool {
        guard case .ask(_, let expect, let slot, _) = step.kind else { return false }
        switch (expect, conversation.slots[slot]) {
        case (.dateTime(notPast: true), .dateTime(let date)?): return date < now
        case (.date(notPast: true), .date(let day)?): return day < time.day(of: now)
        default: return false
        }
    }

    /// Drops drafts kept longer than `draftDays` since they were put aside (when the question
    /// gave up waiting).
    mutating func dropOldDrafts() {
        for (person, draft) in state.drafts.sorted(by: { $0.key < $1.key })
        where now.timeIntervalSince(draft.giveUpAt ?? draft.askedAt) > Double(draftDays) * 86_400 {
            emit(.draftDropped(person: person))
        }
    }

    // MARK: Timers

    mutating func fireTimers(of personID: PersonID) {
        guard var conversation = state.conversations[personID], let person = engine.registry.person(personID),
            let flow = engine.flows.flow(version: conversation.flowVersion), let step = flow.step(conversation.stepID),
            let timeout = step.timeout
        else { return }
        let language = language(of: person)
        if let giveUpAt = conversation.giveUpAt, now >= giveUpAt, !conversation.escalated {
            switch timeout.then {
            case .end:
                emit(.conversationEnded(person: personID))
                let text =
                    timeout.endMessage.map { render($0, conversation, person, language) }
                    ?? catalog.text(.timeoutEnded, language, ["name": person.firstName, "flow": flow.title.text(in: language)])
                send(text, to: personID, channel: conversation.channel)
            case .draft:
                // Put aside, not lost (an order half written over a weekend): `luonnos` resumes it.
                emit(.conversationEnded(person: personID))
                emit(.draftKept(conversation))
                let values = [
                    "name": person.firstName, "flow": flow.title.text(in: language), "draft": catalog.word(.draft, language),
                    "days": String(draftDays),
                ]
                let text =
                    (timeout.endMessage.map { render($0, conversation, person, language) } ?? "") + "\n"
                    + catalog.text(.draftKept, language, values)
                send(text.trimmingCharacters(in: .whitespacesAndNewlines), to: personID, channel: conversation.channel)
            case .escalate:
                conversation.escalated = true
                conversation.reminded = true
                emit(.conversationSaved(conversation))
                let hours = Int((now.timeIntervalSince(conversation.askedAt) / 3600).rounded())
                for coordinator in engine.registry.coordinators {
                    let coordinatorLanguage = state.languages[coordinator.id] ?? coordinator.language
                    send(
                        catalog.text(
                            .escalation, coordinatorLanguage,
                            [
                                "person": person.name, "flow": flow.title.text(in: coordinatorLanguage),
                                "step": step.id, "hours": String(hours),
                            ]), to: coordinator.id)
                }
            }
            return
        }
        if let remindAt = conversation.remindAt, now >= remindAt, !conversation.reminded, let reminder = timeout.reminder {
            conversation.reminded = true
            emit(.conversationSaved(conversation))
            send(
                render(reminder, conversation, person, language) + "\n\n" + question(step, conversation, person, language),
                to: personID, channel: conversation.channel)
        }
    }

    // MARK: Texts

    /// A question with its numbered choices.
    func question(_ step: FlowStep, _ conversation: Conversation, _ person: Person, _ language: Language) -> String {
        guard case .ask(let question, let expect, _, _) = step.kind else { return "" }
        return render(question, conversation, person, language) + choiceList(expect, person, language)
    }

    private func choiceList(_ expect: AnswerSpec, _ person: Person, _ language: Language) -> String {
        let options = choices(for: expect, person, language)
        guard !options.isEmpty else { return "" }
        let lines = options.enumerated().map { "\($0.offset + 1). \($0.element.label.text(in: language))" }
        let hint: MessageKey = if case .choices = expect { .choicesHint } else { .choiceHint }
        return "\n" + lines.joined(separator: "\n") + "\n" + catalog.text(hint, language)
    }

    /// The options of a choice question; registry-backed ones are built here.
    func choices(for expect: AnswerSpec, _ person: Person?, _ language: Language) -> [Choice] {
        switch expect {
        case .choice(let choices), .choices(let choices, _, _):
            return choices
        case .choiceFrom(.units):
            // The units they may order for, their own first: it is the usual answer. Without a
            // person (a label looked up for a stored answer), every unit.
            let ordered = person.map(engine.registry.units(orderableBy:)) ?? engine.registry.sortedUnits
            return ordered.map {
                Choice(value: $0.id.rawValue, label: LocalizedText([.fi: $0.name, .sv: $0.name, .en: $0.name]))
            }
        case .choiceFrom(.tasks):
            // Without a person (a label looked up for a stored order), every entry.
            return engine.tasks.entries.filter { entry in person.map(entry.mayBeOrdered(by:)) ?? true }.map {
                Choice(value: $0.id, label: $0.name)
            }
        case .choiceFrom(.languages):
            // Named in the reader's language ("ruotsi" to a Finnish reader, "Swedish" to an
            // English one); a language's own name is still understood as an answer.
            return Language.allCases.map { code in
                Choice(
                    value: code.rawValue,
                    label: LocalizedText(Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, catalog.text(code.nameKey, $0)) })))
            }
        case .choiceFrom(.knownExperts):
            // Named as employees see them (a handle by default), never by contact details.
            let known = person.map { state.expertsWorkedWith($0.id) } ?? []
            let experts = known.compactMap(engine.registry.person).filter { $0.has(.expert) }.map { expert in
                let name = engine.privacy.nameForEmployees(expert)
                return Choice(value: expert.id.rawValue, label: LocalizedText([.fi: name, .sv: name, .en: name]))
            }
            let none = LocalizedText(
                Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, catalog.text(.expertWishNone, $0)) }))
            // "No wish" first: the numbers of the others never move it.
            return [Choice(value: GatewayState.noExpertWish, label: none)] + experts
        default:
            return []
        }
    }

    func render(_ text: LocalizedText, _ conversation: Conversation, _ person: Person, _ language: Language) -> String {
        let template = text.text(in: language)
        let names = Template.placeholders(in: template)
        guard !names.isEmpty, let flow = engine.flows.flow(version: conversation.flowVersion) else { return template }
        var values: [String: String] = [:]
        for name in names where values[name] == nil {
            // Slots not answered on this path (an address for a remote task) read as empty.
            values[name] =
                name == "name" && conversation.slots["name"] == nil
                ? person.firstName
                : conversation.slots[name] != nil
                    ? display(name, conversation, flow, language)
                    : flow.asksSlot(name) ? "" : nil
        }
        let rendered = Template.render(template, values)
        // An empty value can leave a line ending in spaces; only then are lines trimmed.
        guard rendered.contains(" \n") || rendered.hasSuffix(" ") else { return rendered }
        return rendered.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                var end = line.endIndex
                while end > line.startIndex, line[line.index(before: end)] == " " { end = line.index(before: end) }
                return String(line[..<end])
            }
            .joined(separator: "\n")
    }

    /// A slot's value as a person reads it.
    func display(_ slot: String, _ conversation: Conversation, _ flow: FlowDefinition, _ language: Language) -> String {
        guard let value = conversation.slots[slot] else { return "" }
        switch value {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .date(let day): return day.text
        case .time(let hour, let minute): return String(format: "%d.%02d", hour, minute)
        case .dateTime(let date):
            return catalog.dateTime(date, language, time: time)
        case .duration(let minutes): return durationText(minutes: minutes)
        case .money(let cents): return Money(cents: cents).text(language)
        case .bool(let flag): return catalog.text(flag ? .yes : .no, language)
        case .choice(let choice): return label(of: choice, slot: slot, flow: flow, language)
        case .choices(let values):
            return values.map { label(of: $0, slot: slot, flow: flow, language) }.joined(separator: ", ")
        }
    }

    /// A choice value's label from whichever current flow asks for that slot.
    /// The order's task as the catalogue names it; if the county has since removed that entry,
    /// its kind's name.
    func taskName(_ order: Order, _ language: Language) -> String {
        let name = choiceLabel(slot: "task_type", value: order.taskID, language)
        return name == order.taskID && order.task != nil ? choiceLabel(slot: "task_type", value: order.taskType.rawValue, language) : name
    }

    func choiceLabel(slot: String, value: String, _ language: Language) -> String {
        for flow in engine.flows.current.values.sorted(by: { $0.id < $1.id }) {
            let label = label(of: value, slot: slot, flow: flow, language)
            if label != value { return label }
        }
        return value
    }

    private func label(of value: String, slot: String, flow: FlowDefinition, _ language: Language) -> String {
        for step in flow.steps {
            guard case .ask(_, let expect, let stepSlot, _) = step.kind, stepSlot == slot else { continue }
            if let choice = choices(for: expect, nil, language).first(where: { $0.value == value }) {
                return choice.label.text(in: language)
            }
        }
        return value
    }
}

extension ConversationTurn {
    /// What follows every input and tick: open orders move on, and flows that actions asked
    /// for other people start.
    mutating func afterInput() {
        lend(to: OfferRound.self) { $0.advanceOrders() }
        lend(to: PairBookings.self) { $0.settle() }
        let starts = startedFlows
        startedFlows = []
        for start in starts { offerFlow(start.flow, to: start.person, notice: start.notice) }
    }

    /// Starts `flowID` for a person who is free; one who is busy gets `notice`, which names
    /// the word that opens it.
    mutating func offerFlow(_ flowID: String, to personID: PersonID, notice: MessageKey, values: [String: String] = [:]) {
        guard let person = engine.registry.person(personID), let flow = engine.flows.current[flowID] else { return }
        if state.conversations[personID] == nil {
            start(flow, for: person, channel: person.preferredChannel ?? engine.defaultChannel)
        } else {
            let language = language(of: person)
            let outer = flowStarting
            flowStarting = (person.id, flow.id, flow.title, true)
            send(
                catalog.text(
                    notice, language,
                    values.merging([
                        "name": person.firstName, "trigger": flow.triggers[language]?.first ?? flowID,
                    ]) { a, _ in a }), to: personID)
            flowStarting = outer
        }
    }

    // MARK: Shared by the features

    func dateTime(_ date: Date, _ language: Language) -> String {
        catalog.dateTime(date, language, time: engine.time)
    }

    /// The word that opens the offer flow, for texts that point to it.
    func offerTrigger(_ language: Language) -> String {
        engine.flows.current[GatewayState.offerFlowID]?.triggers[language]?.first ?? GatewayState.offerFlowID
    }

    func placeText(_ order: Order, _ language: Language) -> String {
        catalog.place(of: order, language)
    }

    var matcher: ExpertMatcher { ExpertMatcher(registry: engine.registry, policy: engine.policy, time: engine.time, tasks: engine.tasks) }

    /// `T-2026-0001 rest of the text` → the order and the rest; nil if the text does not
    /// start with an order's id.
    func order(in arguments: String) -> (Order, rest: String)? {
        let first = arguments.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        guard let order = state.orders[OrderID(rawValue: first.uppercased())] else { return nil }
        return (order, arguments.dropFirst(first.count).trimmed)
    }
}
