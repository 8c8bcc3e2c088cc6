import ArgumentParser
import Foundation
import KokemusCore

/// Time from start to ready on a large state.
struct ColdStartBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coldstart",
        abstract: "Cold start: open a state of many experts, orders and journal records; time to ready and RSS.",
        discussion: """
            Generates a registry of --experts experts (and as many employees), a snapshot holding \
            --orders orders (assigned, with offers and sessions) and a journal of --records records \
            after it (handled messages: conversation saved, answer queued; answer delivered), then \
            opens it as `kokemus run` does (flows, registry, messages, rates, snapshot, journal \
            replay) and reports the time and the resident memory. Generation is not timed.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "Experts in the registry.")
    var experts = 1_000

    @Option(help: "Orders in the snapshot.")
    var orders = 100_000

    @Option(help: "Journal records after the snapshot.")
    var records = 1_000_000

    @Option(help: "Open the generated state this many times and report each (0: only generate it, for --keep).")
    var runs = 3

    @Option(help: "Only open this already generated directory (what the benchmark runs in a fresh process).")
    var open: String?

    @Option(help: "The number of the first run (--open) in the report.")
    var runNumber = 1

    @Flag(help: "Measure only the state with every record in the journal (leave it so with --keep).")
    var journalOnly = false

    func validate() throws {
        guard (0...1_000).contains(runs) else { throw ValidationError("--runs must be from 0 to 1000") }
    }

    func run() async throws {
        if let open {
            return try await measure(URL(fileURLWithPath: open))
        }
        let directory = try options.freshDirectory("kokemus-bench-coldstart")
        defer { options.cleanUp(directory) }
        let registry = directory.appendingPathComponent("registry")
        try writeRegistry(to: registry, employees: experts, experts: experts)
        let stateDirectory = directory.appendingPathComponent("state")
        let generated = nanoseconds()
        try generate(into: stateDirectory)
        print(
            String(
                format: "coldstart: %d experts, %d orders, %d journal records; generated in %.1f s",
                experts, orders, records, Double(nanoseconds() - generated) / 1e9))
        print("  machine: \(machineLine())")
        // Each opening in a process of its own, so that the generator's memory is not counted.
        print("  with every record in the journal (snapshots turned off):")
        try measureInChild(directory)
        if journalOnly { return }
        do {
            // In a scope of its own: the store's lock must be gone before the child opens the state.
            let store = try StateStore<GatewayState>(
                directory: stateDirectory, options: .init(snapshotEvery: 0),
                logger: benchLogger)
            try store.compact()
        }
        print("  compacted, as the gateway keeps it (a snapshot every 10,000 records):")
        try measureInChild(directory)
    }

    /// Each run in a fresh process: its peak memory is that opening's alone.
    private func measureInChild(_ directory: URL) throws {
        for run in stride(from: 1, through: runs, by: 1) {
            fflush(nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = [
                "coldstart", "--open", directory.path, "--runs", "1", "--run-number", String(run),
                "--root", options.root,
            ]
            try process.run()
            process.waitUntilExit()
        }
    }

    private func measure(_ directory: URL) async throws {
        let stateDirectory = directory.appendingPathComponent("state")
        func size(_ name: String) -> Double {
            Double(
                (try? FileManager.default.attributesOfItem(atPath: stateDirectory.appendingPathComponent(name).path)[.size]
                    as? Int) ?? 0) / 1e6
        }
        if runNumber == 1 {
            print(String(format: "    snapshot %.0f MB, journal %.0f MB", size("snapshot"), size("journal")))
        }
        let config = benchConfig(root: options.rootURL, state: stateDirectory, registry: directory.appendingPathComponent("registry"))
        for run in runNumber..<runNumber + runs {
            let before = currentRSSMegabytes()
            let started = nanoseconds()
            var gateway: Gateway? = try GatewayBuilder.open(
                config: config, transports: [CountingTransport()],
                clock: SystemClock(), logger: benchLogger)
            let seconds = Double(nanoseconds() - started) / 1e9
            let orderCount = await gateway?.state.orders.count ?? 0
            print(
                String(
                    format: "    run %d: ready in %.2f s; RSS %.0f MB before, %.0f MB after (peak %.0f MB); %d orders",
                    run, seconds, before, currentRSSMegabytes(), peakRSSMegabytes(), orderCount))
            gateway = nil
        }
        fflush(nil)
    }

    /// Writes the snapshot (orders) and the journal (records) with the store itself.
    private func generate(into directory: URL) throws {
        let store = try StateStore<GatewayState>(directory: directory, options: .init(snapshotEvery: 0), logger: benchLogger)
        let time = LocalTime.helsinki
        let start = time.date(year: 2025, month: 1, day: 6, hour: 9)!
        var batch: [GatewayEvent] = []
        let description = TextGuard().passed("Asiakas tarvitsee vertaistukea arjen hallintaan.")!
        for index in 0..<orders {
            let year = 2025 + index / 60_000
            let number = index % 60_000 + 1
            let when = start + Double(index) * 1_800
            var order = Order(
                id: OrderID(year: year, number: number), orderer: PersonID("e\(index % experts)"),
                unit: UnitID("unit-\(index % 3)"), taskType: .individual, topic: "mental_health", start: when,
                durationMinutes: 90, sessions: [Session(index: 1, start: when, durationMinutes: 90, status: .held)],
                place: .remote, language: .fi, audience: .client,
                description: description, createdAt: when - 86_400 * 7)
            let expert = PersonID("x\(index % experts)")
            order.offers = [
                Offer(
                    expert: expert, offeredAt: when - 86_400 * 6, deadline: when - 86_400 * 5, status: .accepted,
                    answeredAt: when - 86_400 * 6 + 3_600)
            ]
            order.assignment = Assignment(
                expert: expert, status: .accepted, offeredAt: when - 86_400 * 6,
                answeredAt: when - 86_400 * 6 + 3_600)
            order.status = .assigned
            batch.append(.orderCreated(order, year: year, number: number))
            if batch.count == 1_000 {
                try store.commit(batch, durable: false)
                batch = []
            }
        }
        try store.commit(batch, durable: false)
        try store.compact()

        // Handled messages after the snapshot: a conversation moving on (an answer added) and
        // the next question, then the question delivered.
        var outboxID = store.state.nextOutboxID
        var conversation = Conversation(
            person: "e0", flowID: "order", flowVersion: String(repeating: "a", count: 64),
            stepID: "topic", channel: .matrix, now: start)
        conversation.slots = ["task_type": .choice("individual")]
        var index = 0
        while index < records {
            conversation.person = PersonID("e\(index % experts)")
            let message = OutboxMessage(
                id: outboxID, recipient: conversation.person, channel: nil,
                text: "Mistä aiheesta kokemusta tarvitaan?\n1. Mielenterveys\n2. Päihteet",
                createdAt: start)
            // As the engine records it: whole when it starts, then by what changed.
            conversation.slots["description"] = .text("Vastaus \(index)")
            let saved =
                store.state.conversations[conversation.person]
                .flatMap { ConversationChange(from: $0, to: conversation) }
                .map(GatewayEvent.conversationChanged) ?? .conversationSaved(conversation)
            try store.commit(
                [.inputProcessed(id: "$event\(index):localhost"), saved, .messageQueued(message)],
                durable: false)
            index += 1
            if index < records {
                try store.commit([.messageDelivered(id: outboxID)], durable: false)
                index += 1
            }
            outboxID += 1
        }
    }
}
