/// A change to the gateway's state. Handling one input commits its events in one record.
public enum GatewayEvent: Codable, Sendable, Hashable {
    case conversationSaved(Conversation)
    case conversationEnded(person: PersonID)
    case orderCreated(Order, year: Int, number: Int)
    case messageQueued(OutboxMessage)
    case messageDelivered(id: UInt64)
    case languageSet(person: PersonID, language: Language)
    case flowRecorded(StoredFlow)
    case inputProcessed(id: String)
    /// A transport's remembered value; nil removes it.
    case channelStateSet(key: String, value: String?)
}
