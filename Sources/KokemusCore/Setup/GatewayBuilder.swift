import Foundation
import Logging

/// Builds a gateway from configuration: the one path the executable, the demo and the
/// tests all take, so that what the tests run is what ships.
public enum GatewayBuilder {
    /// Loads and checks the flows; any error stops the start with every problem listed.
    public static func loadFlows(_ directory: URL, actions: ActionRegistry = .standard) throws -> [FlowDefinition] {
        let loaded = FlowLoader(actions: actions.signatures).load(directory: directory)
        if !loaded.errors.isEmpty { throw ConfigErrors(loaded.errors) }
        return loaded.flows
    }

    /// Opens the store and wires the engine with the given transports.
    public static func open(config: KokemusConfig, transports: [any MessageTransport], clock: any WallClock,
                            logger: Logger, actions: ActionRegistry = .standard) throws -> Gateway {
        let time = try LocalTime(timeZoneIdentifier: config.timeZone)
        let catalog = try MessageCatalog.load(file: config.messagesFile)
        let flows = try loadFlows(config.flowsDirectory, actions: actions)
        let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
        let fees = try config.feesFile.map(FeeSchedule.load(file:)) ?? FeeSchedule()
        if config.feesFile == nil {
            logger.warning("no fee rates configured (fees_file): every fee in fee reports is 0 €")
        }
        let store = try StateStore<GatewayState>(directory: config.stateDirectory,
                                                 options: .init(snapshotEvery: config.snapshotEvery), logger: logger)
        var library = FlowLibrary(flows: flows)
        // Conversations in progress go on with the flow version they started with, even if
        // its file has changed since.
        let loader = FlowLoader(actions: actions.signatures)
        let versionsInUse = Set(store.state.conversations.values.map(\.flowVersion))
        for version in versionsInUse where library.flow(version: version) == nil {
            guard let stored = store.state.flowSources[version] else {
                logger.error("a conversation uses a flow version the store does not hold", metadata: ["version": "\(version)"])
                continue
            }
            let (flow, errors) = loader.load(text: stored.text, file: stored.file)
            if let flow, errors.isEmpty {
                library.remember(flow)
            } else {
                logger.error("a stored flow version no longer loads", metadata: ["file": "\(stored.file)",
                                                                                "errors": "\(errors)"])
            }
        }
        let engine = ConversationEngine(flows: library, registry: registry, catalog: catalog, actions: actions,
                                        time: time, policy: config.matching, reminderPolicy: config.reminders, privacy: config.privacy, fees: fees,
                                        defaultChannel: config.defaultChannel,
                                        logger: logger)
        let marker = try HandlingMarker(directory: config.stateDirectory)
        return Gateway(store: store, engine: engine, transports: transports, defaultChannel: config.defaultChannel,
                       clock: clock, logger: logger, marker: marker, messagesPerMinute: config.messagesPerMinute)
    }
}
