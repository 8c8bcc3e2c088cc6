import Foundation
import KokemusCore

/// A gateway on temporary state with the example registry and the shipped messages,
/// driven message by message with a manual clock, and restartable: the engine's tests and any
/// other test that needs a whole gateway without channels.
public final class GatewayHarness {
    public let root: URL
    public let clock: ManualClock
    public let transport: RecordingTransport
    public let matching: MatchingPolicy
    public let privacy: PrivacyPolicy
    /// The registry directory: a copy of the example registry unless a test brings its own.
    public let registryDirectory: URL
    public let payroll: PayrollSchedule
    /// Whether the test's flows are the gateway's whole set (the shipped system flows among them).
    public let flowsAreTheWholeSet: Bool
    public var gateway: Gateway!

    public var flowsDirectory: URL { root.appendingPathComponent("flows") }

    /// How long what is kept; the county's defaults unless a test is about it.
    public var retention = RetentionPolicy()

    public var config: KokemusConfig {
        var config = KokemusConfig(
            stateDirectory: root.appendingPathComponent("state"), flowsDirectory: flowsDirectory,
            registryDirectory: registryDirectory,
            messagesFile: TestGateway.repositoryRoot.appendingPathComponent("Config/messages.yaml"),
            feesFile: TestGateway.repositoryRoot.appendingPathComponent("Config/fees.yaml"),
            tasksFile: TestGateway.repositoryRoot.appendingPathComponent("Config/tasks.yaml"),
            messagesPerMinute: messagesPerMinute, matching: matching, privacy: privacy, payroll: payroll)
        config.retention = retention
        return config
    }

    /// Messages a person may send a minute; off unless a test is about it (the manual clock
    /// stands still while a test sends dozens of messages).
    public var messagesPerMinute = 0

    public init(
        flows: [String: String], now: Date, channel: Channel = .console, matching: MatchingPolicy = MatchingPolicy(),
        privacy: PrivacyPolicy = PrivacyPolicy(), messagesPerMinute: Int = 0, registry: URL? = nil,
        payroll: PayrollSchedule = PayrollSchedule()
    ) throws {
        self.payroll = payroll
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // The example registry is copied: a coordinator's `rekisteri` changes write its files.
        if let registry {
            registryDirectory = registry
        } else {
            registryDirectory = root.appendingPathComponent("registry")
            try FileManager.default.copyItem(
                at: TestGateway.repositoryRoot.appendingPathComponent("Config/example"), to: registryDirectory)
        }
        self.privacy = privacy
        flowsAreTheWholeSet = Set(flows.keys).isSuperset(of: [
            "offer.yaml", "hours.yaml", "fee_report.yaml",
            "fee_approval.yaml", "feedback.yaml", "session_check.yaml",
        ])
        self.messagesPerMinute = messagesPerMinute
        clock = ManualClock(now)
        self.matching = matching
        transport = RecordingTransport(channel: channel)
        try FileManager.default.createDirectory(at: flowsDirectory, withIntermediateDirectories: true)
        try writeFlows(flows)
        try open()
    }

    deinit {
        gateway = nil
        try? FileManager.default.removeItem(at: root)
    }

    public func writeFlows(_ flows: [String: String]) throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: flowsDirectory.path) {
            try FileManager.default.removeItem(at: flowsDirectory.appendingPathComponent(file))
        }
        for (name, text) in flows {
            try text.write(to: flowsDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    public func open() throws {
        // Tests of one flow are not the gateway's whole set of flows.
        gateway = try GatewayBuilder.open(
            config: config, transports: [transport], clock: clock, logger: TestGateway.quietLogger,
            requireSystemFlows: flowsAreTheWholeSet)
    }

    /// Closes the gateway (releasing the store) and opens it again, as a process restart does.
    public func restart() throws {
        gateway = nil
        try open()
    }

    /// Sends `text` as `person` and returns what the gateway delivered in answer.
    @discardableResult
    public func send(_ person: PersonID, _ text: String, id: String = UUID().uuidString) async throws
        -> [(recipient: PersonID, text: String)]
    {
        try await gateway.receive(
            InboundMessage(
                id: id, channel: .console, sender: person, text: text,
                receivedAt: clock.now()))
        // No outbox service runs here: the test delivers, so it sees every answer at once.
        await gateway.deliverOutbox()
        return transport.take()
    }

    /// The text of the one reply to `person`; fails the caller's expectation if there is not exactly one.
    public func reply(_ person: PersonID, _ text: String) async throws -> String {
        let messages = try await send(person, text)
        guard messages.count == 1, messages[0].recipient == person else {
            return "<expected one reply to \(person), got \(messages)>"
        }
        return messages[0].text
    }

    /// Moves the clock and fires due timers, returning what was delivered.
    public func advance(hours: Double) async throws -> [(recipient: PersonID, text: String)] {
        clock.advance(by: hours * 3600)
        try await gateway.tick()
        await gateway.deliverOutbox()
        return transport.take()
    }

    public var state: GatewayState {
        get async { await gateway.state }
    }
}

extension GatewayHarness {
    /// Anna orders individual work on substance use, remote, 1.5 h at `when`; returns what
    /// was delivered at the end (with the shipped flows, Kalle is offered it first).
    @discardableResult
    public func placeOrder(when: String = "ti 8.12. klo 14") async throws -> [(recipient: PersonID, text: String)] {
        for answer in ["tilaa", "1", "2", "1", when, "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee vertaistukea.", "1"] {
            try await send("anna", answer)
        }
        return try await send("anna", "kyllä")
    }

    /// Moves the clock to a Helsinki time and fires due timers, returning what was delivered.
    public func advance(to date: Date) async throws -> [(recipient: PersonID, text: String)] {
        clock.set(date)
        try await gateway.tick()
        await gateway.deliverOutbox()
        return transport.take()
    }
}

/// The texts among `messages` that went to `person`.
public func texts(_ messages: [(recipient: PersonID, text: String)], to person: PersonID) -> [String] {
    messages.filter { $0.recipient == person }.map(\.text)
}

/// The shipped flow files, by file name.
public func shippedFlows(
    _ names: [String] = [
        "order.yaml", "offer.yaml", "hours.yaml", "fee_report.yaml", "fee_approval.yaml", "feedback.yaml", "application.yaml",
        "confidentiality.yaml", "supervision.yaml",
        "session_check.yaml",
    ]
) throws -> [String: String] {
    var flows: [String: String] = [:]
    for name in names {
        flows[name] = try String(contentsOf: TestGateway.repositoryRoot.appendingPathComponent("Flows/\(name)"), encoding: .utf8)
    }
    return flows
}
