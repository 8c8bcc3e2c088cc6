import Foundation

/// What an action sees: who runs it, their answers, the registry and state, and the clock.
public struct ActionContext {
    public let person: Person
    public let language: Language
    public let slots: [String: SlotValue]
    public let registry: Registry
    public let state: GatewayState
    public let now: Date
    public let time: LocalTime
    public let catalog: MessageCatalog
    /// A slot as a person reads it in a language (choice labels, Finnish dates).
    public let display: (_ slot: String, _ language: Language) -> String
    public let policy: MatchingPolicy
    public let privacy: PrivacyPolicy
    public let fees: FeeSchedule
    public let payroll: PayrollSchedule
    public let tasks: TaskCatalogue
    public let working: WorkingTime
    /// The label of a choice value as any current flow's question on that slot shows it
    /// (`task_type` `group` → "Ryhmänohjaus"), or the value itself.
    public let choiceLabel: (_ slot: String, _ value: String, _ language: Language) -> String
    public let textGuard: TextGuard

    /// A slot's free text as the guard lets it through, under the rules for the person who
    /// wrote it; the flow's answer already passed the same guard, so this fails only for a
    /// conversation from before the guard, or a slot no person wrote.
    public func guardedText(_ slot: String) throws -> GuardedText {
        guard case .text(let text)? = slots[slot] else { throw ActionFailure("slot '\(slot)' is not text") }
        return try textGuard.guarded(text, from: person)
    }

    /// The order's task as the catalogue names it; if the county has since removed that entry,
    /// its kind's name.
    public func taskName(_ order: Order, _ language: Language) -> String {
        let name = choiceLabel("task_type", order.taskID, language)
        return name == order.taskID && order.task != nil ? choiceLabel("task_type", order.taskType.rawValue, language) : name
    }

    /// The language a person reads messages in.
    public func language(of person: Person) -> Language {
        state.languages[person.id] ?? person.language
    }
}

/// What an action did: slots for the flow, state events, and messages to other people.
public struct ActionResult {
    public var slots: [String: SlotValue] = [:]
    public var events: [GatewayEvent] = []
    public var messages: [(recipient: PersonID, text: String, calendar: CalendarInvite?)] = []
    /// Flows to start for other people after this one (an approver's when a report arrives):
    /// started at once if they are free, else they get the notice with the flow's word.
    public var startFlows: [(person: PersonID, flow: String, notice: MessageKey)] = []
    /// The messages wait until then (an invitation made out of working time goes in the morning).
    public var holdMessagesUntil: Date?
    /// What the messages to a person are, for the subject of a mail the gateway starts
    /// (`ConversationTurn.mailSubject`): a coordinator's new order is "Uusi tilaus".
    public var about: [PersonID: MessageKey] = [:]
    /// Other people's data the action showed the person (`DataAccess`): what, about whom, why.
    public var accesses: [(what: String, about: [PersonID], why: String)] = []

    public init(slots: [String: SlotValue] = [:], events: [GatewayEvent] = [], messages: [(PersonID, String)] = []) {
        self.slots = slots
        self.events = events
        self.messages = messages.map { (recipient: $0.0, text: $0.1, calendar: nil) }
    }
}

/// An action could not do its work; `reason` goes to the log, the person gets a polite text.
public struct ActionFailure: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
