import Foundation

/// The events of nearly every record (a message handled, an answer queued and delivered)
/// written by hand into the journal's JSON: through `Codable` each keyed container is a boxed
/// existential, and encoding records was a quarter of the engine benchmark's time. The bytes
/// are exactly what the synthesized `encode(to:)` writes (a test compares them), so the
/// readers need no change; every other event goes through `Codable`.
extension GatewayEvent: JournalEventWriting {
    static func writeJournal(_ events: [GatewayEvent], to writer: JSONByteWriter, level: Int) throws {
        for event in events {
            writer.beginMember(of: level)
            try event.writeJournal(to: writer, level: level)
        }
    }

    private func writeJournal(to writer: JSONByteWriter, level: Int) throws {
        switch self {
        case let .inputProcessed(id):
            writer.open(.object, level: level)
            writer.member("inputProcessed", of: level + 1)
            writer.open(.object, level: level + 1)
            writer.member("id", of: level + 2)
            writer.writeString(id)
        case let .messageDelivered(id):
            writer.open(.object, level: level)
            writer.member("messageDelivered", of: level + 1)
            writer.open(.object, level: level + 1)
            writer.member("id", of: level + 2)
            writer.writeRaw(String(id))
        case let .messageQueued(message):
            writer.open(.object, level: level)
            writer.member("messageQueued", of: level + 1)
            writer.open(.object, level: level + 1)
            writer.member("_0", of: level + 2)
            try message.writeJournal(to: writer, level: level + 2)
        case let .conversationChanged(change):
            writer.open(.object, level: level)
            writer.member("conversationChanged", of: level + 1)
            writer.open(.object, level: level + 1)
            writer.member("_0", of: level + 2)
            try change.writeJournal(to: writer, level: level + 2)
        default:
            try writer.encodeValue(self, level: level)
        }
        writer.close(downTo: level)
    }
}

extension OutboxMessage {
    /// As the synthesized `encode(to:)`: members in declaration order, nil ones left out.
    func writeJournal(to writer: JSONByteWriter, level: Int) throws {
        let inside = level + 1
        writer.open(.object, level: level)
        writer.member("id", of: inside)
        writer.writeRaw(String(id))
        writer.member("recipient", of: inside)
        writer.writeString(recipient.rawValue)
        if let channel {
            writer.member("channel", of: inside)
            writer.writeString(channel.rawValue)
        }
        writer.member("text", of: inside)
        writer.writeString(text)
        writer.member("createdAt", of: inside)
        try writer.writeDouble(createdAt.timeIntervalSinceReferenceDate)
        if let calendar {
            writer.member("calendar", of: inside)
            try writer.encodeValue(calendar, level: inside)
        }
        writer.close(downTo: level)
    }
}

extension ConversationChange {
    /// As `encode(to:)` in ConversationChange.swift.
    func writeJournal(to writer: JSONByteWriter, level: Int) throws {
        let inside = level + 1
        writer.open(.object, level: level)
        writer.member("person", of: inside)
        writer.writeString(person.rawValue)
        writer.member("stepID", of: inside)
        writer.writeString(stepID)
        if !slots.isEmpty {
            writer.member("slots", of: inside)
            try writer.encodeValue(slots, level: inside)
        }
        if !removedSlots.isEmpty {
            writer.member("removedSlots", of: inside)
            try writer.encodeValue(removedSlots, level: inside)
        }
        writer.member("historyKept", of: inside)
        writer.writeRaw(String(historyKept))
        if !history.isEmpty {
            writer.member("history", of: inside)
            try writer.encodeValue(history, level: inside)
        }
        if tries != 0 {
            writer.member("tries", of: inside)
            writer.writeRaw(String(tries))
        }
        writer.member("channel", of: inside)
        writer.writeString(channel.rawValue)
        writer.member("askedAt", of: inside)
        try writer.writeDouble(askedAt.timeIntervalSinceReferenceDate)
        if let remindAt {
            writer.member("remindAt", of: inside)
            try writer.writeDouble(remindAt.timeIntervalSinceReferenceDate)
        }
        if let giveUpAt {
            writer.member("giveUpAt", of: inside)
            try writer.writeDouble(giveUpAt.timeIntervalSinceReferenceDate)
        }
        if reminded {
            writer.member("reminded", of: inside)
            writer.writeRaw("true")
        }
        if escalated {
            writer.member("escalated", of: inside)
            writer.writeRaw("true")
        }
        writer.close(downTo: level)
    }
}
