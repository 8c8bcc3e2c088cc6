import ArgumentParser
import Foundation
import KokemusCore

/// Messages through flow handling, the durable store commit and the outbox.
struct EngineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Engine throughput: incoming messages over many concurrent conversations, each committed durably.",
        discussion: """
            Employees walk the shipped order flow in round robin, so that --conversations are open \
            at once; each answers the final question "ei", so no order is stored and the state \
            stays the same size. Every batch of --batch messages is one fsynced journal record \
            (group commit); --batch 1 syncs every message. Latency is per message, from handing it \
            to the gateway until its batch is committed and the answers delivered.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "Messages in all.")
    var messages = 100_000

    @Option(help: "Conversations open at the same time.")
    var conversations = 1_000

    @Option(help: "Messages per commit (group commit).")
    var batch = 1

    func run() async throws {
        let directory = try options.freshDirectory("kokemus-bench-engine")
        defer { options.cleanUp(directory) }
        let registry = directory.appendingPathComponent("registry")
        try writeRegistry(to: registry, employees: conversations, experts: 50)
        let config = benchConfig(root: options.rootURL, state: directory.appendingPathComponent("state"), registry: registry)
        let transport = CountingTransport()
        let clock = ManualClock(LocalTime.helsinki.date(year: 2026, month: 12, day: 1, hour: 9)!)
        let gateway = try GatewayBuilder.open(config: config, transports: [transport], clock: clock, logger: benchLogger)

        let answers = ["tilaa", "1", "2", "1", "8.12. klo 14", "1,5 h", "2", "suomi", "1", "Tarve kuvattu lyhyesti.", "1", "ei"]
        var step = [Int](repeating: 0, count: conversations)
        var latencies: [Double] = []
        latencies.reserveCapacity(messages)
        let started = nanoseconds()
        var sent = 0
        var person = 0
        while sent < messages {
            var pending: [InboundMessage] = []
            while pending.count < batch, sent + pending.count < messages {
                let text = answers[step[person]]
                step[person] = (step[person] + 1) % answers.count
                pending.append(
                    InboundMessage(
                        id: "m\(sent + pending.count)", channel: .console, sender: PersonID("e\(person)"),
                        text: text, receivedAt: clock.now()))
                person = (person + 1) % conversations
            }
            let before = nanoseconds()
            try await gateway.receive(batch: pending)
            // As before the outbox became a service: handed over until committed and answered.
            await gateway.deliverOutbox()
            let elapsed = Double(nanoseconds() - before) / 1e6
            // Every message of a batch waits for the whole batch.
            for _ in pending { latencies.append(elapsed) }
            sent += pending.count
            clock.advance(by: 0.01)
        }
        let seconds = Double(nanoseconds() - started) / 1e9
        latencies.sort()
        let state = await gateway.state
        print("engine: \(messages) messages, \(conversations) conversations, batch \(batch)")
        print(String(format: "  throughput %.0f messages/s (%.2f s)", Double(messages) / seconds, seconds))
        print(
            String(
                format: "  latency p50 %.3f ms, p99 %.3f ms, max %.3f ms", quantile(latencies, 0.5),
                quantile(latencies, 0.99), latencies.last ?? 0))
        print(
            String(
                format: "  peak RSS %.0f MB; answers delivered %d; open conversations %d; outbox %d",
                peakRSSMegabytes(), transport.count, state.conversations.count, state.outbox.count))
        print("  machine: \(machineLine())")
    }
}
