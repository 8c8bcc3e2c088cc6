import Foundation
import Logging

/// The running gateway: the engine, the store it commits to, and the transports it
/// delivers through. Every input is handled to events, the events are committed durably,
/// and only then are messages delivered from the outbox.
public actor Gateway {
    private let store: StateStore<GatewayState>
    private var engine: ConversationEngine
    private let transports: [Channel: any MessageTransport]
    private let defaultChannel: Channel
    private let clock: any WallClock
    private let logger: Logger

    public init(store: StateStore<GatewayState>, engine: ConversationEngine, transports: [any MessageTransport],
                defaultChannel: Channel, clock: any WallClock, logger: Logger) {
        self.store = store
        self.engine = engine
        self.transports = Dictionary(transports.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultChannel = defaultChannel
        self.clock = clock
        self.logger = logger
    }

    public var state: GatewayState { store.state }
    public var registry: Registry { engine.registry }
    public var recovery: RecoveryReport { store.recovery }

    /// Handles one message, commits the outcome, then delivers what is waiting.
    public func receive(_ message: InboundMessage) async throws {
        let events = engine.handle(message, state: store.state, now: clock.now())
        try store.commit(events)
        await deliverOutbox()
    }

    /// Fires due reminders and give-ups, commits them, and delivers.
    public func tick() async throws {
        let events = engine.tick(state: store.state, now: clock.now())
        try store.commit(events)
        await deliverOutbox()
    }

    /// When the next timer is due, for the run loop to wait until.
    public func nextDeadline() -> Date? {
        engine.nextDeadline(in: store.state)
    }

    /// Delivers the outbox in order. A failed delivery stays for the next call; later
    /// messages to the same person wait behind it so that order is kept.
    public func deliverOutbox() async {
        var blocked: Set<PersonID> = []
        for message in store.state.outbox where !blocked.contains(message.recipient) {
            guard let person = engine.registry.person(message.recipient) else {
                logger.error("outbox: recipient is no longer in the registry; dropping the message",
                             metadata: ["id": "\(message.id)", "recipient": "\(message.recipient)"])
                try? store.commit([.messageDelivered(id: message.id)])
                continue
            }
            let channel = message.channel ?? person.preferredChannel ?? defaultChannel
            guard let transport = transports[channel] ?? transports[defaultChannel] else {
                logger.error("outbox: no transport for channel", metadata: ["channel": "\(channel)"])
                blocked.insert(message.recipient)
                continue
            }
            do {
                try await transport.deliver(message, to: person)
                try store.commit([.messageDelivered(id: message.id)])
            } catch let error as StoreError {
                logger.critical("outbox: cannot record delivery: \(error)")
                return
            } catch {
                logger.warning("outbox: delivery failed; will retry", metadata: ["id": "\(message.id)",
                                                                               "error": "\(error)"])
                blocked.insert(message.recipient)
            }
        }
    }

    /// Swaps in newly loaded flows. Conversations in progress keep the version they began with.
    public func reloadFlows(_ flows: [FlowDefinition]) {
        engine.flows.replaceCurrent(with: flows)
        logger.info("flows reloaded", metadata: ["flows": "\(flows.map(\.id).sorted())"])
    }

    /// Writes a snapshot and starts a fresh journal.
    public func compact() throws {
        try store.compact()
    }
}
