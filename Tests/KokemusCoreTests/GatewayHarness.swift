import Foundation

@testable import KokemusCore

/// A gateway on temporary state with the example registry and the shipped messages,
/// driven message by message with a manual clock, and restartable.
final class GatewayHarness {
    let root = temporaryDirectory("kokemus-gateway")
    let clock: ManualClock
    let transport: RecordingTransport
    let matching: MatchingPolicy
    let privacy: PrivacyPolicy
    /// Whether the test's flows are the gateway's whole set (the shipped system flows among them).
    let flowsAreTheWholeSet: Bool
    var gateway: Gateway!

    var flowsDirectory: URL { root.appendingPathComponent("flows") }

    var config: KokemusConfig {
        KokemusConfig(
            stateDirectory: root.appendingPathComponent("state"), flowsDirectory: flowsDirectory,
            registryDirectory: repositoryRoot.appendingPathComponent("Config/example"),
            messagesFile: repositoryRoot.appendingPathComponent("Config/messages.yaml"),
            feesFile: repositoryRoot.appendingPathComponent("Config/fees.yaml"),
            messagesPerMinute: messagesPerMinute, matching: matching, privacy: privacy)
    }

    /// Messages a person may send a minute; off unless a test is about it (the manual clock
    /// stands still while a test sends dozens of messages).
    var messagesPerMinute = 0

    init(
        flows: [String: String], now: Date, channel: Channel = .console, matching: MatchingPolicy = MatchingPolicy(),
        privacy: PrivacyPolicy = PrivacyPolicy(), messagesPerMinute: Int = 0
    ) throws {
        self.privacy = privacy
        flowsAreTheWholeSet = Set(flows.keys).isSuperset(of: [
            "offer.yaml", "hours.yaml", "fee_report.yaml",
            "fee_approval.yaml", "feedback.yaml",
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
        cleanUp(root)
    }

    func writeFlows(_ flows: [String: String]) throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: flowsDirectory.path) {
            try FileManager.default.removeItem(at: flowsDirectory.appendingPathComponent(file))
        }
        for (name, text) in flows {
            try text.write(to: flowsDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    func open() throws {
        // Tests of one flow are not the gateway's whole set of flows.
        gateway = try GatewayBuilder.open(
            config: config, transports: [transport], clock: clock, logger: quietLogger,
            requireSystemFlows: flowsAreTheWholeSet)
    }

    /// Closes the gateway (releasing the store) and opens it again, as a process restart does.
    func restart() throws {
        gateway = nil
        try open()
    }

    /// Sends `text` as `person` and returns what the gateway delivered in answer.
    @discardableResult
    func send(_ person: PersonID, _ text: String, id: String = UUID().uuidString) async throws
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
    func reply(_ person: PersonID, _ text: String) async throws -> String {
        let messages = try await send(person, text)
        guard messages.count == 1, messages[0].recipient == person else {
            return "<expected one reply to \(person), got \(messages)>"
        }
        return messages[0].text
    }

    /// Moves the clock and fires due timers, returning what was delivered.
    func advance(hours: Double) async throws -> [(recipient: PersonID, text: String)] {
        clock.advance(by: hours * 3600)
        try await gateway.tick()
        await gateway.deliverOutbox()
        return transport.take()
    }

    var state: GatewayState {
        get async { await gateway.state }
    }
}

extension GatewayHarness {
    /// Anna orders individual work on substance use, remote, 1.5 h at `when`; returns what
    /// was delivered at the end (with the shipped flows, Kalle is offered it first).
    @discardableResult
    func placeOrder(when: String = "ti 8.12. klo 14") async throws -> [(recipient: PersonID, text: String)] {
        for answer in ["tilaa", "1", "2", "1", when, "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee vertaistukea."] {
            try await send("anna", answer)
        }
        return try await send("anna", "kyllä")
    }

    /// Moves the clock to a Helsinki time and fires due timers, returning what was delivered.
    func advance(to date: Date) async throws -> [(recipient: PersonID, text: String)] {
        clock.set(date)
        try await gateway.tick()
        await gateway.deliverOutbox()
        return transport.take()
    }
}

/// The texts among `messages` that went to `person`.
func texts(_ messages: [(recipient: PersonID, text: String)], to person: PersonID) -> [String] {
    messages.filter { $0.recipient == person }.map(\.text)
}

/// The shipped flow files, by file name.
func shippedFlows(
    _ names: [String] = [
        "order.yaml", "offer.yaml", "hours.yaml", "fee_report.yaml", "fee_approval.yaml", "feedback.yaml", "application.yaml",
    ]
) throws -> [String: String] {
    var flows: [String: String] = [:]
    for name in names {
        flows[name] = try String(contentsOf: repositoryRoot.appendingPathComponent("Flows/\(name)"), encoding: .utf8)
    }
    return flows
}

/// A small flow with every kind of step, used by the engine tests.
let visitFlow = """
    id: visit
    title: {fi: Käynti, sv: Besök, en: Visit}
    roles: [employee]
    triggers: {fi: [käynti], sv: [besök], en: [visit]}
    max_tries: 2
    on_too_many_tries: end
    help: {fi: "Kerro käynnin tiedot.", sv: "Berätta om besöket.", en: "Tell about the visit."}
    steps:
      - id: day
        ask: {fi: "Minä päivänä?", sv: "Vilken dag?", en: "Which day?"}
        expect: {type: date, not_past: true}
        help: {fi: "Esim. 8.12.", sv: "T.ex. 8.12.", en: "E.g. 8.12."}
        timeout:
          remind_after: 2h
          reminder: {fi: "Muistutus!", sv: "Påminnelse!", en: "Reminder!"}
          give_up_after: 6h
          then: escalate
      - id: count
        ask: {fi: "Montako?", sv: "Hur många?", en: "How many?"}
        expect: {type: integer, min: 1, max: 9}
        retry: {fi: "Numero 1-9.", sv: "Siffra 1-9.", en: "Number 1-9."}
      - id: sure
        ask: {fi: "Varmasti {count} kpl {day}?", sv: "Säkert {count} st {day}?", en: "Sure, {count} on {day}?"}
        expect: {type: yesno}
        timeout: {give_up_after: 1h, then: end}
        next:
          - if: sure == yes
            goto: done
          - goto: stopped
      - id: done
        say: {fi: "Valmis {name}.", sv: "Klart {name}.", en: "Done {name}."}
        end: true
      - id: stopped
        say: {fi: "Ei tallennettu.", sv: "Inte sparat.", en: "Not saved."}
    """
