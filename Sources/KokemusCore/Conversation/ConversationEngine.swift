import Foundation
import Logging

/// Walks people through flows. Given the state and an input (or the clock, for timers), it
/// decides what happens and returns it as events; the caller commits them. It never writes
/// anything itself, so a crash before the commit leaves no trace and the input is handled
/// again from the same state.
public struct ConversationEngine: Sendable {
    public var flows: FlowLibrary
    public var registry: Registry
    public var catalog: MessageCatalog
    public var actions: ActionRegistry
    public var time: LocalTime
    public var policy: MatchingPolicy
    public var reminderPolicy: ReminderPolicy
    /// Who sees what of an expert.
    public var privacy: PrivacyPolicy
    public var fees: FeeSchedule
    /// When fee reports are due and paid, and when payroll gets them.
    public var payroll: PayrollSchedule
    /// How long what is kept (`Retention`).
    public var retention = RetentionPolicy()
    /// What can be ordered (`Config/tasks.yaml`).
    public var tasks: TaskCatalogue
    /// When reminders may go out.
    public var working: WorkingTime
    /// The channel for people whose registry entry names none, for conversations the
    /// gateway starts itself (an offer).
    public var defaultChannel: Channel
    public var logger: Logger
    /// The one guard every free text passes (`Guard/`).
    public var textGuard: TextGuard
    /// Say and action steps in a row without a question, before the engine assumes a loop.
    static let maximumAutomaticSteps = 100

    public init(
        flows: FlowLibrary, registry: Registry, catalog: MessageCatalog, actions: ActionRegistry = .standard,
        time: LocalTime = .helsinki, policy: MatchingPolicy = MatchingPolicy(),
        reminderPolicy: ReminderPolicy = ReminderPolicy(), privacy: PrivacyPolicy = PrivacyPolicy(),
        fees: FeeSchedule = FeeSchedule(), payroll: PayrollSchedule = PayrollSchedule(), tasks: TaskCatalogue? = nil,
        defaultChannel: Channel = .console, logger: Logger
    ) {
        self.flows = flows
        self.registry = registry
        self.catalog = catalog
        self.actions = actions
        self.time = time
        self.policy = policy
        self.reminderPolicy = reminderPolicy
        self.privacy = privacy
        self.fees = fees
        self.payroll = payroll
        self.tasks = tasks ?? .kinds(named: catalog)
        working = WorkingTime(
            time: time, dayStartMinute: reminderPolicy.dayStartMinute,
            dayEndMinute: reminderPolicy.dayEndMinute)
        self.defaultChannel = defaultChannel
        self.logger = logger
        // The servers of the registry's Matrix IDs count as servers even without a dot.
        let servers = registry.people.values.compactMap { person -> String? in
            guard let matrix = person.contacts.matrix, let colon = matrix.firstIndex(of: ":") else { return nil }
            return String(matrix[matrix.index(after: colon)...].prefix { $0 != "." && $0 != ":" })
        }
        textGuard = TextGuard(
            knownMatrixServers: Set(servers + ["localhost"]),
            fingerprintKey: ProcessInfo.processInfo.environment["KOKEMUS_GUARD_KEY"])
        textGuard.know(registry.people.values)
    }

    var parser: AnswerParser { AnswerParser(vocabulary: catalog.vocabulary, time: time) }

    // MARK: Entry points

    /// Handles one inbound message. An id seen before gives no events.
    public func handle(_ message: InboundMessage, state: GatewayState, now: Date) -> [GatewayEvent] {
        var working = state
        return handle(message, state: &working, now: now)
    }

    /// Handles one inbound message on `state` in place (the events are applied to it as
    /// well as returned): the gateway's way, which copies nothing when `state` is the only
    /// reference to its storage.
    public func handle(_ message: InboundMessage, state: inout GatewayState, now: Date) -> [GatewayEvent] {
        guard !state.hasProcessed(message.id) else {
            logger.debug("engine: message seen before, skipped", metadata: ["id": "\(message.id)"])
            return []
        }
        var turn = ConversationTurn(engine: self, state: Self.moving(&state), now: now)
        defer { state = turn.finish() }
        turn.emit(.inputProcessed(id: message.id))
        guard let person = registry.person(message.sender) else {
            logger.warning("engine: message from someone not in the registry", metadata: ["sender": "\(message.sender)"])
            return turn.events
        }
        turn.inputSender = person.id
        if let gesture = message.gesture {
            turn.receive(gesture, from: person, channel: message.channel)
            turn.inputSender = nil
            turn.afterInput()
            return turn.events
        }
        let text = message.text.canonicallyComposed.trimmed
        guard !text.isEmpty else { return turn.events }
        turn.receive(text, from: person, channel: message.channel)
        // What follows (offers moving on, flows started for people) is the gateway's own work.
        turn.inputSender = nil
        turn.afterInput()
        return turn.events
    }

    /// A message from someone sending faster than the gateway's limit: marked handled without
    /// being read; the first such one a minute gets the sender a "slow down".
    public func refuse(_ message: InboundMessage, tellToSlowDown: Bool, state: inout GatewayState, now: Date) -> [GatewayEvent] {
        var turn = ConversationTurn(engine: self, state: Self.moving(&state), now: now)
        defer { state = turn.finish() }
        turn.emit(.inputProcessed(id: message.id))
        turn.inputSender = message.sender
        if tellToSlowDown, let person = registry.person(message.sender) {
            turn.send(
                catalog.text(.slowDown, turn.language(of: person), ["name": person.firstName]), to: person.id,
                channel: message.channel)
        }
        return turn.events
    }

    /// A notice from the gateway itself to every coordinator, in their language (a changed
    /// registry or flow file refused).
    public func tellCoordinators(_ key: MessageKey, _ values: [String: String], state: inout GatewayState, now: Date) -> [GatewayEvent] {
        var turn = ConversationTurn(engine: self, state: Self.moving(&state), now: now)
        defer { state = turn.finish() }
        for coordinator in registry.coordinators {
            let language = turn.language(of: coordinator)
            turn.send(
                catalog.text(key, language, values.merging(["name": coordinator.firstName]) { given, _ in given }), to: coordinator.id)
        }
        return turn.events
    }

    /// Answers the coordinator of a registry change the gateway has written into the files (or
    /// could not), with the access log's entry; `before` is the registry the change was made to.
    /// Called on the engine made with the registry after the change.
    public func registryChangeDone(
        _ change: RegistryChange, outcome: RegistryWriter.Outcome, before: Registry, state: inout GatewayState, now: Date
    ) -> [GatewayEvent] {
        var turn = ConversationTurn(engine: self, state: Self.moving(&state), now: now)
        defer { state = turn.finish() }
        turn.lend(to: RegistryCommands.self) { $0.done(change, outcome: outcome, before: before) }
        turn.afterInput()
        return turn.events
    }

    /// The same engine with another registry (a change written by a coordinator in chat): the
    /// guard learns the registry's people again.
    public func with(registry: Registry) -> ConversationEngine {
        var engine = ConversationEngine(
            flows: flows, registry: registry, catalog: catalog, actions: actions, time: time, policy: policy,
            reminderPolicy: reminderPolicy, privacy: privacy, fees: fees, payroll: payroll, tasks: tasks,
            defaultChannel: defaultChannel, logger: logger)
        engine.retention = retention
        return engine
    }

    /// Sets aside a message the process died handling, as `HandlingMarker` found: it is marked
    /// handled (so it is skipped when its channel delivers it again), recorded by id and
    /// sender, and its sender and the coordinators are told, without its text.
    public func quarantine(_ entry: HandlingMarker.Entry, state: inout GatewayState, now: Date) -> [GatewayEvent] {
        guard !state.hasProcessed(entry.id) else { return [] }
        var turn = ConversationTurn(engine: self, state: Self.moving(&state), now: now)
        defer { state = turn.finish() }
        turn.emit(.inputProcessed(id: entry.id))
        turn.inputSender = entry.sender
        turn.emit(
            .inputQuarantined(
                QuarantinedInput(
                    id: entry.id, sender: entry.sender, channel: entry.channel,
                    attempts: entry.attempts, at: now)))
        logger.error(
            "engine: a message killed the gateway twice while it was handled; set aside, not handled again",
            metadata: ["id": "\(entry.id)", "sender": "\(entry.sender)", "attempts": "\(entry.attempts)"])
        let sender = registry.person(entry.sender)
        if let sender {
            let language = turn.language(of: sender)
            turn.send(
                catalog.text(.inputQuarantinedSender, language, ["name": sender.firstName]), to: sender.id,
                channel: entry.channel)
        }
        for coordinator in registry.coordinators {
            let language = turn.language(of: coordinator)
            turn.send(
                catalog.text(
                    .inputQuarantinedCoordinator, language,
                    [
                        "id": entry.id, "sender": sender.map { "\($0.name) (\($0.id))" } ?? entry.sender.rawValue,
                        "channel": entry.channel.rawValue,
                    ]), to: coordinator.id)
        }
        return turn.events
    }

    /// Fires the reminders and give-ups that are due at `now`.
    public func tick(state: GatewayState, now: Date) -> [GatewayEvent] {
        var working = state
        return tick(state: &working, now: now)
    }

    /// `tick` on `state` in place.
    public func tick(state: inout GatewayState, now: Date) -> [GatewayEvent] {
        var turn = ConversationTurn(engine: self, state: Self.moving(&state), now: now)
        defer { state = turn.finish() }
        for person in turn.state.conversations.keys.sorted() {
            turn.fireTimers(of: person)
        }
        turn.dropOldDrafts()
        turn.afterInput()
        turn.lend(to: FeeReporting.self) { $0.askForHours() }
        turn.lend(to: FeedbackRequests.self) { $0.askForFeedback() }
        turn.lend(to: SessionChecks.self) { $0.askOrderers() }
        turn.lend(to: FeeReporting.self) { $0.sendMonthlyFeeReports() }
        turn.lend(to: PayrollHandover.self) { $0.handOver() }
        turn.lend(to: ReminderPlanner.self) { $0.sendDueReminders() }
        turn.lend(to: Retention.self) { $0.applyDaily() }
        return turn.events
    }

    /// The state, leaving an empty one behind, so the turn holds the only reference.
    private static func moving(_ state: inout GatewayState) -> GatewayState {
        let moved = state
        state = GatewayState()
        return moved
    }

    /// When `tick` next has something to do.
    public func nextDeadline(in state: GatewayState) -> Date? {
        (state.conversations.values.compactMap(\.nextDeadline) + orderDeadlines(in: state)).min()
    }
}
