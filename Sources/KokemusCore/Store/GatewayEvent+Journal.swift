import Foundation

/// The events of nearly every record (a message handled, an answer queued and delivered)
/// written by hand into the journal's JSON: through `Codable` each keyed container is a boxed
/// existential, and encoding records was a quarter of the engine benchmark's time. The bytes
/// are exactly what the synthesized `encode(to:)` writes (a test compares them), so the
/// readers need no change; every other event goes through `Codable`. The names are those of
/// `Store/Schema` (the `CodingKeys`), never spelt here.
extension GatewayEvent: JournalEventWriting {
    static func writeJournal(_ events: [GatewayEvent], to writer: JSONByteWriter, level: Int) throws {
        for event in events {
            writer.beginMember(of: level)
            try event.writeJournal(to: writer, level: level)
        }
    }

    private func writeJournal(to writer: JSONByteWriter, level: Int) throws {
        /// `{"case":{"member":` as the synthesized coding opens an enum case; the value follows.
        func open(_ kind: CodingKeys, _ member: String) {
            writer.open(.object, level: level)
            writer.member(kind.rawValue, of: level + 1)
            writer.open(.object, level: level + 1)
            writer.member(member, of: level + 2)
        }
        switch self {
        case .inputProcessed(let id):
            open(.inputProcessed, InputProcessedCodingKeys.id.rawValue)
            writer.writeString(id)
        case .messageDelivered(let id):
            open(.messageDelivered, MessageDeliveredCodingKeys.id.rawValue)
            writer.writeRaw(String(id))
        case .messageQueued(let message):
            open(.messageQueued, MessageQueuedCodingKeys._0.rawValue)
            try message.writeJournal(to: writer, level: level + 2)
        case .conversationChanged(let change):
            open(.conversationChanged, ConversationChangedCodingKeys._0.rawValue)
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
        writer.member(CodingKeys.id.rawValue, of: inside)
        writer.writeRaw(String(id))
        writer.member(CodingKeys.recipient.rawValue, of: inside)
        writer.writeString(recipient.rawValue)
        if let channel {
            writer.member(CodingKeys.channel.rawValue, of: inside)
            writer.writeString(channel.rawValue)
        }
        writer.member(CodingKeys.text.rawValue, of: inside)
        writer.writeString(text)
        writer.member(CodingKeys.createdAt.rawValue, of: inside)
        try writer.writeDouble(createdAt.timeIntervalSinceReferenceDate)
        if let calendar {
            writer.member(CodingKeys.calendar.rawValue, of: inside)
            try writer.encodeValue(calendar, level: inside)
        }
        if let relayFrom {
            writer.member(CodingKeys.relayFrom.rawValue, of: inside)
            writer.writeString(relayFrom.rawValue)
        }
        if let relayOrder {
            writer.member(CodingKeys.relayOrder.rawValue, of: inside)
            writer.writeString(relayOrder.rawValue)
        }
        if let attachments {
            writer.member(CodingKeys.attachments.rawValue, of: inside)
            try writer.encodeValue(attachments, level: inside)
        }
        if let notBefore {
            writer.member(CodingKeys.notBefore.rawValue, of: inside)
            try writer.writeDouble(notBefore.timeIntervalSinceReferenceDate)
        }
        if let subject {
            writer.member(CodingKeys.subject.rawValue, of: inside)
            writer.writeString(subject)
        }
        writer.close(downTo: level)
    }
}

extension ConversationChange {
    /// As `encode(to:)` in ConversationChange.swift.
    func writeJournal(to writer: JSONByteWriter, level: Int) throws {
        let inside = level + 1
        writer.open(.object, level: level)
        writer.member(CodingKeys.person.rawValue, of: inside)
        writer.writeString(person.rawValue)
        writer.member(CodingKeys.stepID.rawValue, of: inside)
        writer.writeString(stepID)
        if !slots.isEmpty {
            writer.member(CodingKeys.slots.rawValue, of: inside)
            try writer.encodeValue(slots, level: inside)
        }
        if !removedSlots.isEmpty {
            writer.member(CodingKeys.removedSlots.rawValue, of: inside)
            try writer.encodeValue(removedSlots, level: inside)
        }
        writer.member(CodingKeys.historyKept.rawValue, of: inside)
        writer.writeRaw(String(historyKept))
        if !history.isEmpty {
            writer.member(CodingKeys.history.rawValue, of: inside)
            try writer.encodeValue(history, level: inside)
        }
        if tries != 0 {
            writer.member(CodingKeys.tries.rawValue, of: inside)
            writer.writeRaw(String(tries))
        }
        writer.member(CodingKeys.channel.rawValue, of: inside)
        writer.writeString(channel.rawValue)
        writer.member(CodingKeys.askedAt.rawValue, of: inside)
        try writer.writeDouble(askedAt.timeIntervalSinceReferenceDate)
        if let remindAt {
            writer.member(CodingKeys.remindAt.rawValue, of: inside)
            try writer.writeDouble(remindAt.timeIntervalSinceReferenceDate)
        }
        if let giveUpAt {
            writer.member(CodingKeys.giveUpAt.rawValue, of: inside)
            try writer.writeDouble(giveUpAt.timeIntervalSinceReferenceDate)
        }
        if reminded {
            writer.member(CodingKeys.reminded.rawValue, of: inside)
            writer.writeRaw("true")
        }
        if escalated {
            writer.member(CodingKeys.escalated.rawValue, of: inside)
            writer.writeRaw("true")
        }
        writer.close(downTo: level)
    }
}

/// And read back by hand the same way: through `Codable`, decoding a journal of a million
/// records was three quarters of opening it. Anything not exactly in the written form reads
/// as nil here and goes through `Codable` (a test compares the two over random events).
extension GatewayEvent: JournalEventReading {
    static func readJournal(_ tape: Tape, at index: Int) throws -> GatewayEvent? {
        guard tape.nodes[index].kind == .object, tape.nodes[index].start == 1, tape.nodes[index + 2].kind == .object
        else { return nil }
        let key = index + 1
        let body = index + 2
        if tape.keyMatches(key, CodingKeys.inputProcessed.rawValue) {
            guard let id = tape.member(body, InputProcessedCodingKeys.id.rawValue) else { return nil }
            return .inputProcessed(id: try tape.string(at: id, path: []))
        }
        if tape.keyMatches(key, CodingKeys.messageDelivered.rawValue) {
            guard let id = tape.member(body, MessageDeliveredCodingKeys.id.rawValue) else { return nil }
            return .messageDelivered(id: try tape.integer(UInt64.self, at: id, path: []))
        }
        if tape.keyMatches(key, CodingKeys.messageQueued.rawValue) {
            return try tape.member(body, MessageQueuedCodingKeys._0.rawValue).flatMap { try OutboxMessage.readJournal(tape, at: $0) }.map {
                .messageQueued($0)
            }
        }
        if tape.keyMatches(key, CodingKeys.conversationChanged.rawValue) {
            return try tape.member(body, ConversationChangedCodingKeys._0.rawValue).flatMap {
                try ConversationChange.readJournal(tape, at: $0)
            }
            .map { .conversationChanged($0) }
        }
        return nil
    }
}

extension OutboxMessage {
    static func readJournal(_ tape: Tape, at index: Int) throws -> OutboxMessage? {
        guard tape.nodes[index].kind == .object, let id = tape.member(index, CodingKeys.id.rawValue),
            let recipient = tape.member(index, CodingKeys.recipient.rawValue),
            let text = tape.member(index, CodingKeys.text.rawValue),
            let createdAt = tape.member(index, CodingKeys.createdAt.rawValue)
        else { return nil }
        var channel: Channel?
        if let value = tape.optionalMember(index, CodingKeys.channel.rawValue) {
            guard let known = Channel(rawValue: try tape.string(at: value, path: [])) else { return nil }
            channel = known
        }
        return OutboxMessage(
            id: try tape.integer(UInt64.self, at: id, path: []),
            recipient: PersonID(try tape.string(at: recipient, path: [])), channel: channel,
            text: try tape.string(at: text, path: []),
            createdAt: Date(timeIntervalSinceReferenceDate: try tape.double(at: createdAt)),
            calendar: try tape.optionalMember(index, CodingKeys.calendar.rawValue).map {
                try tape.decode(CalendarInvite.self, at: $0, path: [])
            },
            relayFrom: try tape.optionalMember(index, CodingKeys.relayFrom.rawValue).map {
                PersonID(try tape.string(at: $0, path: []))
            },
            relayOrder: try tape.optionalMember(index, CodingKeys.relayOrder.rawValue).map {
                OrderID(rawValue: try tape.string(at: $0, path: []))
            },
            attachments: try tape.optionalMember(index, CodingKeys.attachments.rawValue).map {
                try tape.decode([OutboxAttachment].self, at: $0, path: [])
            },
            notBefore: try tape.optionalMember(index, CodingKeys.notBefore.rawValue).map {
                Date(timeIntervalSinceReferenceDate: try tape.double(at: $0))
            },
            subject: try tape.optionalMember(index, CodingKeys.subject.rawValue).map { try tape.string(at: $0, path: []) })
    }
}

extension ConversationChange {
    static func readJournal(_ tape: Tape, at index: Int) throws -> ConversationChange? {
        guard tape.nodes[index].kind == .object, let person = tape.member(index, CodingKeys.person.rawValue),
            let stepID = tape.member(index, CodingKeys.stepID.rawValue),
            let historyKept = tape.member(index, CodingKeys.historyKept.rawValue),
            let channelNode = tape.member(index, CodingKeys.channel.rawValue),
            let askedAt = tape.member(index, CodingKeys.askedAt.rawValue),
            let channel = Channel(rawValue: try tape.string(at: channelNode, path: []))
        else { return nil }
        func date(_ key: CodingKeys) throws -> Date? {
            try tape.optionalMember(index, key.rawValue).map { Date(timeIntervalSinceReferenceDate: try tape.double(at: $0)) }
        }
        return ConversationChange(
            person: PersonID(try tape.string(at: person, path: [])), stepID: try tape.string(at: stepID, path: []),
            slots: try tape.optionalMember(index, CodingKeys.slots.rawValue).map {
                try tape.decode([String: SlotValue].self, at: $0, path: [])
            } ?? [:],
            removedSlots: try tape.optionalMember(index, CodingKeys.removedSlots.rawValue).map {
                try tape.decode([String].self, at: $0, path: [])
            } ?? [],
            historyKept: try tape.integer(Int.self, at: historyKept, path: []),
            history: try tape.optionalMember(index, CodingKeys.history.rawValue).map { try tape.decode([String].self, at: $0, path: []) }
                ?? [],
            tries: try tape.optionalMember(index, CodingKeys.tries.rawValue).map { try tape.integer(Int.self, at: $0, path: []) } ?? 0,
            channel: channel, askedAt: Date(timeIntervalSinceReferenceDate: try tape.double(at: askedAt)),
            remindAt: try date(.remindAt), giveUpAt: try date(.giveUpAt),
            reminded: try tape.optionalMember(index, CodingKeys.reminded.rawValue).map { try tape.bool(at: $0, path: []) } ?? false,
            escalated: try tape.optionalMember(index, CodingKeys.escalated.rawValue).map { try tape.bool(at: $0, path: []) } ?? false)
    }
}
