import Foundation

/// A feature's work on a turn: offers, bookings and their changes, hours and fees, reminders,
/// chat commands, feedback. Each is a type of its own in its feature's folder that holds the
/// turn while it works (lent by `ConversationTurn.lend`, moved in and out, never copied) and
/// reaches it through the members below, so that what a feature may do to a turn is written
/// down in one place: read the state, queue messages, record events, start flows.
protocol TurnFeature {
    init(turn: ConversationTurn)
    var turn: ConversationTurn { get set }
}

extension TurnFeature {
    var engine: ConversationEngine { turn.engine }
    var state: GatewayState { turn.state }
    var now: Date { turn.now }
    var catalog: MessageCatalog { turn.catalog }

    func language(of person: Person) -> Language { turn.language(of: person) }

    mutating func emit(_ event: GatewayEvent) { turn.emit(event) }
    mutating func recordAccess(by person: PersonID, what: String, about people: [PersonID], why: String) {
        turn.recordAccess(by: person, what: what, about: people, why: why)
    }

    mutating func send(
        _ text: String, to recipient: PersonID, channel: Channel? = nil, calendar: CalendarInvite? = nil,
        relayFrom: PersonID? = nil, relayOrder: OrderID? = nil, attachments: [OutboxAttachment]? = nil,
        notBefore: Date? = nil, about: MessageKey? = nil
    ) {
        turn.send(
            text, to: recipient, channel: channel, calendar: calendar, relayFrom: relayFrom, relayOrder: relayOrder,
            attachments: attachments, notBefore: notBefore, about: about)
    }

    mutating func offerFlow(_ flowID: String, to person: PersonID, notice: MessageKey, values: [String: String] = [:]) {
        turn.offerFlow(flowID, to: person, notice: notice, values: values)
    }

    mutating func start(_ flow: FlowDefinition, for person: Person, channel: Channel) {
        turn.start(flow, for: person, channel: channel)
    }

    // The guard, for free text from people (`ConversationTurn+Guard.swift`).

    mutating func guardedField(_ text: String, from person: Person, channel: Channel?, withRecentRelays: Bool = false) -> GuardedText? {
        turn.guardedField(text, from: person, channel: channel, withRecentRelays: withRecentRelays)
    }

    mutating func guardedRelay(
        _ text: String, about order: Order, from sender: Person, rules: GuardRules, channel: Channel?
    ) -> GuardedText? {
        turn.guardedRelay(text, about: order, from: sender, rules: rules, channel: channel)
    }

    mutating func releaseHeld(_ argument: String, by coordinator: Person, channel: Channel) {
        turn.releaseHeld(argument, by: coordinator, channel: channel)
    }

    // Texts and lookups the features share.

    func dateTime(_ date: Date, _ language: Language) -> String { turn.dateTime(date, language) }
    func offerTrigger(_ language: Language) -> String { turn.offerTrigger(language) }
    func placeText(_ order: Order, _ language: Language) -> String { turn.placeText(order, language) }
    func statusKey(_ status: Order.Status) -> MessageKey { turn.statusKey(status) }
    func choiceLabel(slot: String, value: String, _ language: Language) -> String { turn.choiceLabel(slot: slot, value: value, language) }
    func taskName(_ order: Order, _ language: Language) -> String { turn.taskName(order, language) }
    var matcher: ExpertMatcher { turn.matcher }
    func order(in arguments: String) -> (Order, rest: String)? { turn.order(in: arguments) }

    /// Another feature's work on the same turn.
    mutating func lend<Other: TurnFeature, Result>(to other: Other.Type, _ body: (inout Other) -> Result) -> Result {
        turn.lend(to: other, body)
    }

    /// Another feature's answer to a question about the turn (nothing changes).
    func view<Other: TurnFeature>(as other: Other.Type) -> Other { Other(turn: turn) }
}

extension ConversationTurn {
    /// Lends the turn to a feature for `body`: moved in and back out, so that its state is
    /// never copied (a copy would copy every table the feature changes).
    mutating func lend<Feature: TurnFeature, Result>(to feature: Feature.Type, _ body: (inout Feature) -> Result) -> Result {
        var working = Feature(turn: ConversationTurn(engine: engine, state: GatewayState(), now: now))
        swap(&working.turn, &self)
        defer { swap(&working.turn, &self) }
        return body(&working)
    }

    /// A feature's answer to a question about the turn (nothing changes).
    func view<Feature: TurnFeature>(as feature: Feature.Type) -> Feature { Feature(turn: self) }
}
