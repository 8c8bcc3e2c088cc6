import Foundation
import Logging

/// Builds a gateway from configuration: the one path the executable, the demo and the
/// tests all take, so that what the tests run is what ships.
public enum GatewayBuilder {
    /// Loads and checks the flows; any error stops the start with every problem listed.
    /// The flow files, checked; with `requireSystemFlows`, also as the gateway's whole set
    /// (`SystemFlows`): a test of one flow leaves it out.
    public static func loadFlows(
        _ directory: URL, actions: ActionRegistry = .standard,
        requireSystemFlows: Bool = true
    ) throws -> [FlowDefinition] {
        let loaded = FlowLoader(actions: actions.signatures).load(directory: directory)
        if !loaded.errors.isEmpty { throw ConfigErrors(loaded.errors) }
        if requireSystemFlows {
            let problems = SystemFlows.problems(in: loaded.flows, directory: directory.path)
            if !problems.isEmpty { throw ConfigErrors(problems) }
        }
        return loaded.flows
    }

    /// Reads the texts of a state from before the current guard once (`StateScrub`); when any
    /// is replaced the store is compacted, so the old journal records holding it are gone.
    static func scrubOldTexts(_ store: StateStore<GatewayState>, engine: ConversationEngine, logger: Logger) throws {
        guard store.state.scrubbedWithGuard != StateScrub.version else { return }
        let scrub = StateScrub(textGuard: engine.textGuard, registry: engine.registry, catalog: engine.catalog)
        let (events, scrubbed) = scrub.events(for: store.state)
        try store.commit(events + [.stateScrubbed(version: StateScrub.version)])
        guard scrubbed > 0 else { return }
        try store.compact()
        logger.notice(
            "guard: texts stored before the current guard were read again; those it holds now were replaced",
            metadata: ["replaced": "\(scrubbed)"])
    }

    /// What the engine is made of that the county edits: texts, flows, registry, fees, tasks,
    /// each loaded and checked (every problem named with its file and line).
    struct Parts {
        var time: LocalTime
        var catalog: MessageCatalog
        var flows: [FlowDefinition]
        var registry: Registry
        var fees: FeeSchedule
        var tasks: TaskCatalogue?
    }

    static func loadParts(
        config: KokemusConfig, actions: ActionRegistry, requireSystemFlows: Bool, logger: Logger
    ) throws -> Parts {
        let time = try LocalTime(timeZoneIdentifier: config.timeZone)
        let catalog = try MessageCatalog.load(file: config.messagesFile)
        let flows = try loadFlows(config.flowsDirectory, actions: actions, requireSystemFlows: requireSystemFlows)
        let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
        let fees = try config.feesFile.map(FeeSchedule.load(file:)) ?? FeeSchedule()
        if config.feesFile == nil {
            logger.warning("no fee rates configured (fees_file): every fee in fee reports is 0 €")
        }
        let tasks = try config.tasksFile.map(TaskCatalogue.load(file:))
        // A misspelt role profile would leave its expert out of every such offer without a
        // word. Without a catalogue no task is a role profile, and the registry's are unused.
        if let tasks {
            let people = config.effectiveRegistryDirectory.appendingPathComponent("people.yaml")
            let file = FileManager.default.fileExists(atPath: people.path) ? people.path : config.effectiveRegistryDirectory.path
            let problems = tasks.roleProfileProblems(in: registry).map { ConfigError($0, file: file) }
            if !problems.isEmpty { throw ConfigErrors(problems) }
            for task in tasks.unstaffedRoleProfiles(in: registry) {
                logger.warning(
                    "no expert lists this role profile in role_profiles: its orders are offered to no one automatically",
                    metadata: ["task": "\(task)"])
            }
        }
        if config.tasksFile == nil {
            logger.warning("no task catalogue configured (tasks_file): only the five kinds of work can be ordered")
        }
        for gap in fees.taskRateGaps() {
            logger.warning(
                "a task's own fee rate is missing for a year: that year pays it by its kind's rate", metadata: ["rate": "\(gap)"])
        }
        return Parts(time: time, catalog: catalog, flows: flows, registry: registry, fees: fees, tasks: tasks)
    }

    /// A rate for a task the catalogue does not have is a misspelling, unless stored orders
    /// still name it (a task the county has since removed): those are still paid by it.
    static func checkFeeRates(_ parts: Parts, config: KokemusConfig, state: GatewayState) throws {
        guard let tasks = parts.tasks else { return }
        let used = Set(state.orders.values.compactMap(\.task))
        let problems = parts.fees.taskRateProblems(in: tasks, stillUsed: used).map { ConfigError($0, file: config.feesFile?.path) }
        if !problems.isEmpty { throw ConfigErrors(problems) }
    }

    /// The engine from its parts and the state: conversations in progress (and drafts) go on
    /// with the flow version they started with, even if its file has changed since.
    static func makeEngine(
        _ parts: Parts, config: KokemusConfig, actions: ActionRegistry, state: GatewayState, logger: Logger
    ) -> ConversationEngine {
        var library = FlowLibrary(flows: parts.flows)
        let loader = FlowLoader(actions: actions.signatures)
        let versionsInUse = Set(state.conversations.values.map(\.flowVersion) + state.drafts.values.map(\.flowVersion))
        for version in versionsInUse.sorted() where library.flow(version: version) == nil {
            guard let stored = state.flowSources[version] else {
                logger.error("a conversation uses a flow version the store does not hold", metadata: ["version": "\(version)"])
                continue
            }
            let (flow, errors) = loader.load(text: stored.text, file: stored.file)
            if let flow, errors.isEmpty {
                library.remember(flow)
            } else {
                logger.error(
                    "a stored flow version no longer loads",
                    metadata: [
                        "file": "\(stored.file)",
                        "errors": "\(errors)",
                    ])
            }
        }
        var engine = ConversationEngine(
            flows: library, registry: parts.registry, catalog: parts.catalog, actions: actions,
            time: parts.time, policy: config.matching, reminderPolicy: config.reminders, privacy: config.privacy, fees: parts.fees,
            payroll: config.payroll, tasks: parts.tasks, defaultChannel: config.defaultChannel,
            logger: logger)
        engine.retention = config.retention
        return engine
    }

    /// Opens the store and wires the engine with the given transports.
    public static func open(
        config: KokemusConfig, transports: [any MessageTransport], clock: any WallClock,
        logger: Logger, actions: ActionRegistry = .standard, requireSystemFlows: Bool = true,
        deliveryWidth: Int = Gateway.defaultDeliveryWidth
    ) throws -> Gateway {
        // The texts, flows and registry are checked before the state is opened.
        let parts = try loadParts(config: config, actions: actions, requireSystemFlows: requireSystemFlows, logger: logger)
        let store = try StateStore<GatewayState>(
            directory: config.stateDirectory,
            options: .init(snapshotEvery: config.snapshotEvery), logger: logger)
        try checkFeeRates(parts, config: config, state: store.state)
        let engine = makeEngine(parts, config: config, actions: actions, state: store.state, logger: logger)
        try scrubOldTexts(store, engine: engine, logger: logger)
        let marker = try HandlingMarker(directory: config.stateDirectory)
        let auditLog = AuditLog(directory: config.stateDirectory)
        logAuditHead(auditLog, anchor: store.state.auditAnchor, logger: logger)
        return Gateway(
            store: store, engine: engine, transports: transports, defaultChannel: config.defaultChannel,
            clock: clock, logger: logger, marker: marker, messagesPerMinute: config.messagesPerMinute,
            deliveryWidth: deliveryWidth, auditLog: auditLog, registryWriter: RegistryWriter(directory: config.effectiveRegistryDirectory),
            registryMarker: try HandlingMarker(directory: config.stateDirectory, name: "handling-registry"))
    }

    /// Loads the registry, flows, texts, fees and tasks again for the running `gateway`:
    /// checked first, and only a whole good set replaces the old (`Gateway.replaceEngine`);
    /// a broken one throws with every problem and changes nothing. Conversations in progress
    /// keep their flow version.
    public static func reload(
        _ gateway: Gateway, config: KokemusConfig, actions: ActionRegistry = .standard, requireSystemFlows: Bool = true,
        logger: Logger
    ) async throws {
        let parts = try loadParts(config: config, actions: actions, requireSystemFlows: requireSystemFlows, logger: logger)
        let state = await gateway.state
        try checkFeeRates(parts, config: config, state: state)
        // Someone taken out of the registry while work of theirs is under way would lose it
        // without a word (their waiting messages dropped as undeliverable, an offer waiting on
        // no one): refused, named.
        let before = await gateway.registry
        var problems: [ConfigError] = []
        for person in before.people.keys.sorted() where parts.registry.person(person) == nil {
            let waiting = state.outbox.filter { $0.recipient == person }.count
            let offers = state.orders.values.filter { $0.pendingOffers.contains { $0.expert == person } }.map(\.id.rawValue).sorted()
            let talking = state.conversations[person] != nil
            guard waiting > 0 || !offers.isEmpty || talking else { continue }
            let what = [
                waiting > 0 ? "\(waiting) message(s) waiting for them" : nil,
                offers.isEmpty ? nil : "an offer unanswered (\(offers.joined(separator: ", ")))",
                talking ? "a conversation in progress" : nil,
            ].compactMap { $0 }.joined(separator: ", ")
            problems.append(
                ConfigError(
                    "'\(person)' is taken out of the registry but has \(what): let it finish, or erase them first (kokemus person erase)",
                    file: config.effectiveRegistryDirectory.path))
        }
        if !problems.isEmpty { throw ConfigErrors(problems) }
        await gateway.replaceEngine { state in makeEngine(parts, config: config, actions: actions, state: state, logger: logger) }
    }

    /// The audit log's head at every start, into the system's log: a head kept there shows a
    /// rewritten audit log, which its own chain cannot (`AuditLog`). Read from the log's end
    /// (a whole check of a large log is `kokemus audit verify`'s). A log that ends before the
    /// last entry the gateway wrote (`anchor`) was cut: an error; the gateway starts all the
    /// same (the accesses must still be written).
    static func logAuditHead(_ auditLog: AuditLog, anchor: AuditAnchor?, logger: Logger) {
        do {
            let head = try auditLog.head()
            if let anchor, (head?.seq ?? 0) < anchor.seq {
                logger.error(
                    "the audit log ends before the last entry the gateway wrote (removed or replaced): run kokemus audit verify",
                    metadata: ["ends": "\(head?.seq ?? 0)", "written": "\(anchor.seq)", "log": "\(auditLog.path)"])
            }
            logger.notice("audit log", metadata: ["entries": "\(head?.seq ?? 0)", "head": "\(head?.hash ?? AuditLog.genesis)"])
        } catch {
            logger.error("the audit log cannot be read: run kokemus audit verify", metadata: ["error": "\(error)"])
        }
    }
}
