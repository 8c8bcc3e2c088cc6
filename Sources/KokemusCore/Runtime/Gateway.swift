import CoreMetrics
import Foundation
import Logging

/// The running gateway: the engine, the store it commits to, and the transports it
/// delivers through. Every input is handled to events and the events are committed
/// durably; then the outbox service (`OutboxService`) is woken to deliver what they queued.
/// `receive` returns once the commit is on disk, so a send stuck in a rate limit never
/// holds up the next input.
public actor Gateway {
    private let store: StateStore<GatewayState>
    private var engine: ConversationEngine
    /// Which message is being handled, for setting aside one the process dies on.
    private let marker: HandlingMarker?
    /// Messages a person may send in a minute (0: no limit), and when each person's recent ones
    /// came (kept in memory: a restart forgives; bounded by the people writing this minute).
    private let messagesPerMinute: Int
    private var recentInputs: [PersonID: [Date]] = [:]
    private var transports: [Channel: any MessageTransport]
    private let defaultChannel: Channel
    private let clock: any WallClock
    private let logger: Logger
    /// Where accesses to people's data go after their commit (nil: kept in the state).
    private let auditLog: AuditLog?
    /// Where coordinators' registry changes are written (nil: they are refused).
    private let registryWriter: RegistryWriter?
    /// Set while `writeRegistryChanges` waits for the files: one pass at a time.
    private var writingRegistry = false
    /// Which registry change is being written (`handling-registry` in the state directory).
    private let registryMarker: HandlingMarker?
    /// Counts since the start, and each channel's last success, for `status()`.
    private var tallies = GatewayStatus.Tallies()
    /// Messages in and out by channel (kept apart from `tallies`: counted on the hot path), and
    /// their counters, made once (the metrics backend is set up before the gateway).
    private var received: [Channel: Int] = [:]
    private var sent: [Channel: Int] = [:]
    private var receivedCounters: [Channel: Counter] = [:]
    private var sentCounters: [Channel: Counter] = [:]
    private var channelHealth: [Channel: GatewayStatus.ChannelHealth] = [:]
    private let startedAt = Date()
    private var delivering = false
    private var deliveryRequested = false
    /// People a delivery is under way to: each person's messages go one at a time, in order.
    private var inFlight: Set<PersonID> = []
    /// Set when the store failed under the outbox: nothing more is delivered by this process.
    private var deliveryStopped = false
    /// Wakes the outbox service after every commit that may have queued messages.
    private let outboxWake: AsyncStream<Void>.Continuation
    /// What the outbox service waits on (one consumer; the newest wake is kept).
    nonisolated let outboxWakes: AsyncStream<Void>
    /// People whose messages are delivered at once, each person's in order.
    public static let defaultDeliveryWidth = 8
    let deliveryWidth: Int
    /// Messages already logged as undeliverable, so the retry loop does not repeat the line.
    private var warnedUndeliverable: Set<UInt64> = []
    /// Failed deliveries: how often, and not before when to try again (kept in memory: after
    /// a restart every waiting message is tried at once).
    private var retries: [UInt64: (attempts: Int, notBefore: Date)] = [:]
    /// Back-off after failed deliveries: 5 s, doubling, at most 10 minutes.
    static func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        min(5 * pow(2, Double(max(0, attempts - 1))), 600)
    }

    public init(
        store: StateStore<GatewayState>, engine: ConversationEngine, transports: [any MessageTransport],
        defaultChannel: Channel, clock: any WallClock, logger: Logger, marker: HandlingMarker? = nil,
        messagesPerMinute: Int = 0, deliveryWidth: Int = Gateway.defaultDeliveryWidth, auditLog: AuditLog? = nil,
        registryWriter: RegistryWriter? = nil, registryMarker: HandlingMarker? = nil
    ) {
        self.registryMarker = registryMarker
        self.auditLog = auditLog
        self.registryWriter = registryWriter
        self.store = store
        self.engine = engine
        self.marker = marker
        self.messagesPerMinute = messagesPerMinute
        self.deliveryWidth = max(1, deliveryWidth)
        self.transports = Dictionary(transports.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultChannel = defaultChannel
        self.clock = clock
        self.logger = logger
        (outboxWakes, outboxWake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds a channel's transport (a channel is made with its gateway, so its transport comes
    /// after the gateway): the outbox delivers through it from now on.
    public func connect(_ transport: any MessageTransport) {
        transports[transport.channel] = transport
        wakeOutbox()
    }

    /// Asks the outbox service for a delivery pass.
    nonisolated func wakeOutbox() {
        outboxWake.yield()
    }

    public var state: GatewayState { store.state }
    public var registry: Registry { engine.registry }
    public var catalog: MessageCatalog { engine.catalog }

    /// The language a person reads messages in (chosen in chat, else the registry's).
    public func language(of person: PersonID) -> Language {
        store.state.languages[person] ?? engine.registry.person(person)?.language ?? .fi
    }
    public var recovery: RecoveryReport { store.recovery }

    /// Handles one message and commits the outcome; the outbox service delivers the answers.
    /// `remembering` is the channel's memory that goes with the message (the room it came
    /// from, how far the mailbox is read), committed in the same record.
    public func receive(_ message: InboundMessage, remembering memory: [ChannelMemoryChange] = []) async throws {
        count([message])
        // The state is changed in place, not copied; the store takes it back with the record.
        var state = store.takeState()
        var events = handle(message, state: &state, now: clock.now())
        events += Self.apply(memory, to: &state)
        try store.commit(events, adopting: state)
        marker?.end()
        CrashPoint.afterCommitBeforeSend.reach()
        logAccesses()
        try await writeRegistryChanges()
        wakeOutbox()
    }

    /// One message through the engine, with the marker saying which it is while it is.
    private func handle(_ message: InboundMessage, state: inout GatewayState, now: Date) -> [GatewayEvent] {
        guard !state.hasProcessed(message.id) else { return [] }
        // Counted by when the message was written, as its channel tells (a backlog written while
        // the gateway was down is no flood), never later than now.
        if let overflow = rateOverflow(of: message.sender, at: min(message.receivedAt, now)) {
            if overflow == 1 {
                logger.warning(
                    "a person sends faster than messages_per_minute; their messages wait unhandled",
                    metadata: ["person": "\(message.sender)", "limit": "\(messagesPerMinute)"])
            }
            return engine.refuse(message, tellToSlowDown: overflow == 1, state: &state, now: now)
        }
        marker?.begin(message)
        CrashPoint.handling(message.text)
        return engine.handle(message, state: &state, now: now)
    }

    /// How far over the limit this message is (1 for the first one over), or nil within it.
    private func rateOverflow(of person: PersonID, at now: Date) -> Int? {
        guard messagesPerMinute > 0 else { return nil }
        let window = now - 60
        var times = (recentInputs[person] ?? []).filter { $0 > window }
        times.append(now)
        times.sort()
        // Forgetting the quiet keeps the table to the people writing this minute.
        if recentInputs.count > 1_000 { recentInputs = recentInputs.filter { $0.value.last.map { $0 > window } ?? false } }
        recentInputs[person] = Array(times.suffix(messagesPerMinute + 1))
        return times.count > messagesPerMinute ? times.count - messagesPerMinute : nil
    }

    /// Sets aside the message the last process died on twice (`HandlingMarker`), before any
    /// channel delivers it again: it is then skipped, and the channel's position moves past it.
    public func quarantineLeftover() async throws {
        guard let marker, let leftover = marker.leftover else { return }
        guard leftover.attempts >= HandlingMarker.deathsBeforeQuarantine else {
            logger.warning(
                "the last run ended while handling a message; it is handled again once more",
                metadata: ["id": "\(leftover.id)", "sender": "\(leftover.sender)", "attempts": "\(leftover.attempts)"])
            return
        }
        var state = store.takeState()
        let events = engine.quarantine(leftover, state: &state, now: clock.now())
        try store.commit(events, adopting: state)
        marker.clearLeftover()
        // Delivered when the channels start (each service delivers the outbox first).
    }

    /// Handles several messages in order and commits them as one journal record (group
    /// commit: one fsync for all); the outbox service delivers the answers. A transport may acknowledge all of them
    /// once this returns; a crash before it returns loses none of them (none is acknowledged).
    public func receive(batch messages: [InboundMessage], remembering memory: [ChannelMemoryChange] = []) async throws {
        guard messages.count > 1 else {
            if let message = messages.first { try await receive(message, remembering: memory) } else { try remember(memory) }
            return
        }
        count(messages)
        var state = store.takeState()
        var events: [GatewayEvent] = []
        let now = clock.now()
        for message in messages {
            events += handle(message, state: &state, now: now)
        }
        events += Self.apply(memory, to: &state)
        try store.commit(events, adopting: state)
        marker?.end()
        CrashPoint.afterCommitBeforeSend.reach()
        logAccesses()
        try await writeRegistryChanges()
        wakeOutbox()
    }

    /// Fires due reminders and give-ups and commits them; the outbox service delivers them.
    public func tick() async throws {
        var state = store.takeState()
        let now = clock.now()
        let events = engine.tick(state: &state, now: now)
        try store.commit(events, adopting: state)
        CrashPoint.afterCommitBeforeSend.reach()
        // Also what a crash left between a commit and its copy into the log, or the files.
        logAccesses()
        try await writeRegistryChanges()
        for case .retentionApplied(let pass) in events { afterRetention(pass, now: now) }
        let reminders = events.reduce(0) { sum, event in
            if case .remindersSent(let keys, _) = event { return sum + keys.count }
            return sum
        }
        if reminders > 0 {
            tallies.remindersSent += reminders
            GatewayMetrics.remindersSent(reminders)
        }
        wakeOutbox()
    }

    /// After the day's retention pass: a snapshot of the state without what went, and an empty
    /// journal, so no copy of it stays on disk; and the access log's old entries dropped.
    /// Failures are logged and tried again the next day (the state already holds the pass).
    private func afterRetention(_ pass: RetentionPass, now: Date) {
        if pass.changed > 0 {
            do {
                try store.compact()
            } catch {
                countError("retention")
                logger.error(
                    "retention: compaction failed; the removed data stays in the journal until the next", metadata: ["error": "\(error)"])
            }
        }
        guard let auditLog else { return }
        let cutoff = Calendar(identifier: .gregorian).date(byAdding: .year, value: -engine.retention.auditLogYears, to: now) ?? now
        do {
            let dropped = try auditLog.prune(before: cutoff)
            logger.notice("retention: daily pass", metadata: ["changed": "\(pass.changed)", "auditEntriesDropped": "\(dropped)"])
        } catch {
            countError("retention")
            logger.error("retention: the access log could not be pruned", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Status

    private func count(_ messages: [InboundMessage]) {
        for message in messages {
            received[message.channel, default: 0] += 1
            if let counter = receivedCounters[message.channel] {
                counter.increment()
            } else {
                let counter = GatewayMetrics.receivedCounter(message.channel)
                receivedCounters[message.channel] = counter
                counter.increment()
            }
        }
    }

    private func countError(_ kind: String) {
        tallies.errors[kind, default: 0] += 1
        GatewayMetrics.error(kind)
    }

    /// A channel's sync or poll worked (true) or failed (false): for `status()`.
    public func channel(_ channel: Channel, succeeded: Bool) {
        var health = channelHealth[channel] ?? GatewayStatus.ChannelHealth(lastSuccessAt: nil, failuresInARow: 0)
        if succeeded {
            health.lastSuccessAt = Date()
            health.failuresInARow = 0
        } else {
            health.failuresInARow += 1
            countError("\(channel.rawValue)_fetch")
        }
        channelHealth[channel] = health
    }

    /// How the gateway is now (wall-clock times).
    public func status() -> GatewayStatus {
        let state = store.state
        let now = clock.now()
        var tallies = self.tallies
        tallies.received = Dictionary(uniqueKeysWithValues: received.map { ($0.key.rawValue, $0.value) })
        tallies.sent = Dictionary(uniqueKeysWithValues: sent.map { ($0.key.rawValue, $0.value) })
        return GatewayStatus(
            at: Date(), startedAt: startedAt, tallies: tallies,
            channels: Dictionary(uniqueKeysWithValues: channelHealth.map { ($0.key.rawValue, $0.value) }),
            outboxLength: state.outbox.count, oldestUndeliveredAt: state.outbox.map(\.createdAt).min(),
            openOrders: state.orders.values.count { $0.status == .open },
            pendingOffers: state.orders.values.reduce(0) { $0 + $1.pendingOffers.count },
            conversations: state.conversations.count,
            remindersDue: state.conversations.values.count { !$0.reminded && ($0.remindAt.map { $0 <= now } ?? false) },
            journalBytes: store.journalBytes, lastSyncedAt: store.lastSyncedAt,
            accessesWaitingForTheLog: state.pendingAccesses.count, retentionAppliedOn: state.retentionAppliedOn?.iso)
    }

    /// Copies the accesses committed with replies into the audit log, then records that they
    /// are there (a crash between writes them again, and the log skips those it has). When the
    /// log cannot be written they wait in the state, and the error is logged each time.
    func logAccesses() {
        guard let auditLog, let last = store.state.pendingAccesses.last?.id else { return }
        do {
            let written = try auditLog.append(store.state.pendingAccesses)
            let anchor = written.last.map { AuditAnchor(seq: $0.seq, hash: $0.hash) }
            try store.commit([.accessesLogged(through: last, anchor: anchor)], durable: false)
        } catch {
            countError("audit_log")
            logger.error(
                "accesses to people's data could not be written to the audit log; they wait in the state",
                metadata: ["error": "\(error)", "waiting": "\(store.state.pendingAccesses.count)", "log": "\(auditLog.path)"])
        }
    }

    /// Writes the registry changes coordinators asked for in chat into the registry's files
    /// (`RegistryWriter`), then answers each, with its access-log entry, in one record. A crash
    /// before that record writes the change again, which finds it already in the files. The
    /// change is made to the registry in use too; other edits of the files since come in by
    /// the reloader's checked path (`ConfigReloader`). The files are read, checked and written
    /// off the actor (a large registry takes a while: BENCHMARKS.md), so other inputs are
    /// handled meanwhile; one pass at a time.
    public func writeRegistryChanges() async throws {
        guard !writingRegistry, !store.state.pendingRegistryChanges.isEmpty else { return }
        writingRegistry = true
        defer { writingRegistry = false }
        while let change = store.state.pendingRegistryChanges.first {
            // A change the process died writing twice is not written a third time (as a
            // message it died handling twice is not handled again: `HandlingMarker`); if the
            // files read at this start already hold it, it was written before the death.
            let key = "registry-change-\(change.id)"
            let outcome: RegistryWriter.Outcome
            if let leftover = registryMarker?.leftover, leftover.id == key,
                leftover.attempts >= HandlingMarker.deathsBeforeQuarantine
            {
                if change.isIn(engine.registry) {
                    outcome = .alreadyThere(engine.registry)
                } else {
                    logger.error(
                        "registry: the gateway died twice writing a change; it is refused", metadata: ["what": "\(change.auditWhat)"])
                    outcome = .refused(.diedWriting)
                }
            } else {
                registryMarker?.begin(InboundMessage(id: key, channel: change.channel, sender: change.by, text: "", receivedAt: change.at))
                let writer = registryWriter
                outcome = await Task.detached {
                    writer?.write(change) ?? .refused(.files("this gateway has no registry directory to write"))
                }.value
            }
            let before = outcome.before ?? engine.registry
            if case .refused(let problem) = outcome {
                countError("registry_change")
                logger.warning(
                    "registry: a change asked for in chat was not written",
                    metadata: ["what": "\(change.auditWhat)", "problem": "\(problem.logDescription)"])
            } else {
                // The files took it; the registry in use takes the same change (other edits of
                // the files since come in by the reloader's checked path).
                do {
                    engine = engine.with(registry: try change.applied(to: engine.registry, checkingWhoAsks: false))
                    logger.notice("registry: changed in chat", metadata: ["by": "\(change.by)", "what": "\(change.auditWhat)"])
                } catch {
                    logger.warning(
                        "registry: a change written into the files does not fit the registry in use; it comes in with the next reload",
                        metadata: ["what": "\(change.auditWhat)", "problem": "\(error.logDescription)"])
                }
            }
            var state = store.takeState()
            let events = engine.registryChangeDone(change, outcome: outcome, before: before, state: &state, now: clock.now())
            try store.commit(events, adopting: state)
            registryMarker?.end()
        }
        logAccesses()
    }

    /// The memory's events, applied to the state that is committed with them.
    private static func apply(_ memory: [ChannelMemoryChange], to state: inout GatewayState) -> [GatewayEvent] {
        let events = memory.map(\.event)
        for event in events { state.apply(event) }
        return events
    }

    /// When the next timer is due, for the run loop to wait until.
    public func nextDeadline() -> Date? {
        engine.nextDeadline(in: store.state)
    }

    /// What the Matrix channel remembers.
    public var matrixMemory: MatrixMemory { store.state.matrix }
    /// What the e-mail channel remembers.
    public var mailMemory: MailMemory { store.state.mail }

    /// Commits changes to a channel's memory, all in one record.
    public func remember(_ changes: [ChannelMemoryChange]) throws {
        guard !changes.isEmpty else { return }
        try store.commit(changes.map(\.event))
    }

    /// Queues a system message to every coordinator, each in their language.
    public func tellCoordinators(_ key: MessageKey, _ values: [String: String]) async throws {
        let now = clock.now()
        var next = store.state.nextOutboxID
        var events: [GatewayEvent] = []
        for coordinator in engine.registry.coordinators {
            let text = engine.catalog.text(key, language(of: coordinator.id), values)
            // The gateway's own notice: a mail of its own, not an answer in an old thread.
            events.append(
                .messageQueued(
                    OutboxMessage(
                        id: next, recipient: coordinator.id, channel: nil, text: text,
                        createdAt: now, subject: engine.catalog.text(.emailSubject, language(of: coordinator.id)))))
            next += 1
        }
        try store.commit(events)
        wakeOutbox()
    }

    /// Delivers the whole outbox, strictly in its order, and returns when every person's
    /// messages went or wait (for the console demo, the tests and the benchmarks; a running
    /// gateway's `OutboxService` delivers without being awaited, several people at once). A
    /// person whose message cannot go now is skipped for the rest of the pass. While a pass
    /// runs, other calls only ask it to look again, and a person being delivered to by the
    /// service is left to it, so no message is ever sent twice at once.
    public func deliverOutbox() async {
        if delivering {
            deliveryRequested = true
            return
        }
        delivering = true
        defer { delivering = false }
        repeat {
            deliveryRequested = false
            var blocked: Set<PersonID> = []
            let now = clock.now()
            for message in store.state.outbox where !blocked.contains(message.recipient) && message.isDue(at: now) {
                guard inFlight.insert(message.recipient).inserted else {
                    blocked.insert(message.recipient)
                    continue
                }
                let delivered = await deliver(message)
                inFlight.remove(message.recipient)
                if !delivered { blocked.insert(message.recipient) }
            }
        } while deliveryRequested
    }

    /// People with messages waiting whose first message may go now and who are not being
    /// delivered to, at most `limit` in flight in all; they are marked as in flight until
    /// their `deliverQueue(of:)` ends.
    func takeReadyRecipients(limit: Int) -> [PersonID] {
        var ready: [PersonID] = []
        var looked: Set<PersonID> = []
        let now = clock.now()
        guard !deliveryStopped else { return [] }
        for message in store.state.outbox where inFlight.count < limit && message.isDue(at: now) {
            guard !inFlight.contains(message.recipient), looked.insert(message.recipient).inserted else { continue }
            if let retry = retries[message.id], now < retry.notBefore { continue }
            // No running channel reaches them: they would take a place on every wake and,
            // with enough of them, keep everyone queued after them waiting for good.
            if let person = engine.registry.person(message.recipient), transport(for: message, to: person) == nil {
                if warnedUndeliverable.insert(message.id).inserted {
                    logger.error(
                        "outbox: no running channel reaches this person; the message waits",
                        metadata: ["id": "\(message.id)", "recipient": "\(person.id)"])
                }
                continue
            }
            inFlight.insert(message.recipient)
            ready.append(message.recipient)
        }
        return ready
    }

    /// Delivers `person`'s messages in order, those queued meanwhile too, until one cannot go
    /// now. True when the outbox should be looked at again: a message went (a place is free,
    /// and others may wait for it) or a failed one waits for its back-off (to set its wake-up);
    /// false when nothing changed (no channel reaches the person), which would only spin.
    func deliverQueue(of person: PersonID) async -> Bool {
        defer { inFlight.remove(person) }
        var tried: Set<UInt64> = []
        var progress = false
        while let message = store.state.outbox.first(where: { $0.recipient == person && $0.isDue(at: clock.now()) }),
            tried.insert(message.id).inserted
        {
            guard await deliver(message) else { return progress || retries[message.id] != nil }
            progress = true
        }
        return progress
    }

    /// Commits what the outbox decided; false (and delivery stopped) if the store failed.
    private func commitOrStop(_ events: [GatewayEvent]) -> Bool {
        do {
            try store.commit(events)
            return true
        } catch {
            logger.critical("outbox: cannot record a delivery decision; delivery stops: \(error)")
            deliveryStopped = true
            return false
        }
    }

    /// In how many seconds the earliest failed delivery may be tried again, or a relay held
    /// for its recipient's morning may go (nil: none waits).
    /// People being delivered to are left out: their attempt is under way, and a wake-up for
    /// it would only come round every 50 ms until it ends.
    func nextRetryDelay() -> TimeInterval? {
        let waiting = Set(store.state.outbox.map(\.id))
        retries = retries.filter { waiting.contains($0.key) }
        let due = store.state.outbox.lazy.filter { !self.inFlight.contains($0.recipient) }.compactMap { self.retries[$0.id]?.notBefore }
        // A relay held for the recipient's morning wakes the service when it may go.
        let now = clock.now()
        let deferred = store.state.outbox.lazy.compactMap(\.notBefore).filter { $0 > now }
        return (Array(due) + Array(deferred)).min().map { max(0.05, clock.realSeconds(until: $0)) }
    }

    /// Delivers one message; false when it cannot go now (a back-off, no channel, a failure),
    /// so that the person's later messages wait behind it.
    private func deliver(_ message: OutboxMessage) async -> Bool {
        guard !deliveryStopped else { return false }
        // A message delivered by an earlier pass while this one waited is gone from the outbox.
        guard store.state.outbox.contains(where: { $0.id == message.id }) else { return true }
        guard let person = engine.registry.person(message.recipient) else {
            countError("undeliverable")
            logger.error(
                "outbox: recipient is no longer in the registry; dropping the message",
                metadata: ["id": "\(message.id)", "recipient": "\(message.recipient)"])
            guard commitOrStop([.messageDelivered(id: message.id)]) else { return false }
            return true
        }
        if let retry = retries[message.id], clock.now() < retry.notBefore { return false }
        guard let transport = transport(for: message, to: person) else {
            if warnedUndeliverable.insert(message.id).inserted {
                logger.error(
                    "outbox: no running channel reaches this person; the message waits",
                    metadata: ["id": "\(message.id)", "recipient": "\(person.id)"])
            }
            return false
        }
        do {
            let memory = try await transport.deliver(message, to: person)
            CrashPoint.afterSendBeforeMark.reach()
            retries[message.id] = nil
            // Not waited for: a process crash keeps the record, and a power loss at worst
            // sends the message again (with the same transaction id or Message-ID).
            try store.commit([.messageDelivered(id: message.id)] + memory.map(\.event), durable: false)
            sent[transport.channel, default: 0] += 1
            if let counter = sentCounters[transport.channel] {
                counter.increment()
            } else {
                let counter = GatewayMetrics.sentCounter(transport.channel)
                sentCounters[transport.channel] = counter
                counter.increment()
            }
            return true
        } catch let error as StoreError {
            // Sent, but not recorded: no more sending (each try would send it again); the
            // next input meets the same failure and ends the process, and the restart sends
            // this message once more at worst.
            countError("store")
            logger.critical("outbox: cannot record delivery; delivery stops: \(error)")
            deliveryStopped = true
            return false
        } catch let error as any UndeliverableMessageError {
            countError("undeliverable")
            logger.error(
                "outbox: the message can never be delivered; removed",
                metadata: ["id": "\(message.id)", "recipient": "\(person.id)", "error": "\(error)"])
            var events: [GatewayEvent] = [.messageDelivered(id: message.id)]
            // Someone's relay that will never arrive: they are told, not left to think it did.
            if let sender = message.relayFrom, sender != message.recipient, engine.registry.person(sender) != nil {
                let text = engine.catalog.text(
                    .relayUndeliverable, language(of: sender),
                    ["order_id": message.relayOrder?.rawValue ?? "-"])
                events.append(
                    .messageQueued(
                        OutboxMessage(
                            id: store.state.nextOutboxID, recipient: sender, channel: nil,
                            text: text, createdAt: clock.now(),
                            subject: engine.catalog.text(.emailSubject, language(of: sender)))))
            }
            guard commitOrStop(events) else { return false }
            deliveryRequested = true
            return true
        } catch {
            countError("delivery")
            let attempts = (retries[message.id]?.attempts ?? 0) + 1
            let delay = Self.retryDelay(afterAttempts: attempts)
            retries[message.id] = (attempts, clock.now() + delay)
            logger.warning(
                "outbox: delivery failed; will retry",
                metadata: [
                    "id": "\(message.id)",
                    "attempt": "\(attempts)",
                    "in": "\(Int(delay))s",
                    "error": "\(error)",
                ])
            return false
        }
    }

    /// The channel the message asks for, else the person's preferred one, else the default;
    /// when that one is not running, any running channel on which the person has an address.
    private func transport(for message: OutboxMessage, to person: Person) -> (any MessageTransport)? {
        let wanted = message.channel ?? person.preferredChannel ?? defaultChannel
        if let transport = transports[wanted], person.isReachable(on: wanted) { return transport }
        return Channel.allCases.lazy.compactMap { channel in
            person.isReachable(on: channel) ? self.transports[channel] : nil
        }.first
    }

    /// Swaps in newly loaded flows. Conversations in progress keep the version they began with.
    /// Puts a new engine in place (the registry, flows, texts, fees and tasks reloaded:
    /// `GatewayBuilder.reload`), made from the state as it is: between two inputs, so no
    /// message is handled half by the old and half by the new.
    public func replaceEngine(_ make: (GatewayState) -> ConversationEngine) {
        engine = make(store.state)
        logger.notice(
            "reloaded the registry, flows, texts, fees and tasks",
            metadata: ["people": "\(engine.registry.people.count)", "flows": "\(engine.flows.current.count)"])
    }

    /// Tells the coordinators in chat that a changed registry, flow or text file was refused
    /// (`problems`: file and line, a few), and that the gateway goes on with the old ones.
    public func tellCoordinatorsReloadRefused(_ problems: [String]) throws {
        var state = store.takeState()
        let events = engine.tellCoordinators(
            .reloadRefused, ["problems": problems.prefix(5).joined(separator: "\n")], state: &state, now: clock.now())
        try store.commit(events, adopting: state)
        wakeOutbox()
    }

    /// The ids of the flows in use now, sorted.
    public var flowIDs: [String] { engine.flows.current.keys.sorted() }

    /// Writes a snapshot and starts a fresh journal.
    public func compact() throws {
        try store.compact()
    }
}
