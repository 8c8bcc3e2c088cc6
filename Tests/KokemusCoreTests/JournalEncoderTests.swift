import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The journal's fast encoder writes what `JSONDecoder` reads back to the same value.
@Suite struct JournalEncoderTests {
    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        let data = try JournalEncoder().encode(value)
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }
        let foundation = try JSONDecoder().decode(T.self, from: data)
        // The journal's own decoder reads it to the same value, and reads Foundation's output too.
        #expect(try JournalDecoder().decode(T.self, from: data) == foundation)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let other = try? encoder.encode(value) { #expect(try JournalDecoder().decode(T.self, from: other) == foundation) }
        return foundation
    }

    @Test func primitivesAndTrickyText() throws {
        #expect(
            try roundTrip("quote \" backslash \\ newline \n tab \t bell \u{7} slash / ä ☃ 🙂")
                == "quote \" backslash \\ newline \n tab \t bell \u{7} slash / ä ☃ 🙂")
        #expect(try roundTrip([1, -2, Int.max, Int.min]) == [1, -2, Int.max, Int.min])
        #expect(try roundTrip([0.5, -1e-7, 1e300, 3.0, 786_240_000.125]) == [0.5, -1e-7, 1e300, 3.0, 786_240_000.125])
        #expect(try roundTrip(Date(timeIntervalSinceReferenceDate: 786_240_000.5)) == Date(timeIntervalSinceReferenceDate: 786_240_000.5))
        #expect(try roundTrip(Data([0, 1, 2, 255])) == Data([0, 1, 2, 255]))
        #expect(try roundTrip([String: [Int]]()) == [:])
        #expect(try roundTrip([[Int]]([[], [1], []])) == [[], [1], []])
        #expect(try roundTrip([2026: 3, 2027: 1]) == [2026: 3, 2027: 1])
        #expect(throws: EncodingError.self) { try JournalEncoder().encode([Double.nan]) }
    }

    @Test func aWholeGatewayStateAfterRealWorkDecodesToItself() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9))
        try await h.placeOrder(when: "ti 10.11. klo 14")
        try await h.send("kalle", "1")
        try await h.send("anna", "siirrä T-2026-0001 ke 11.11. klo 14")
        try await h.send("kalle", "siirrä T-2026-0001 kyllä")
        _ = try await h.advance(to: local(2026, 11, 11, 16))
        for answer in ["kyllä", "3,30", "peruuta", "verokortti 2027"] { try await h.send("kalle", answer) }
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        let state = await h.state
        #expect(!state.feeReports.isEmpty && !state.sentReminders.isEmpty && !state.orders.isEmpty)
        #expect(try roundTrip(state) == state)
        let events: [GatewayEvent] = [
            .orderUpdated(try #require(state.orders.values.first)), .expertPaused("kalle", true),
            .remindersSent(keys: ["a", "b"], at: local(2026, 12, 1, 8)), .taxCardConfirmed(expert: "kalle", year: 2027),
            .feeReportSaved(try #require(state.feeReports.values.first)), .inputProcessed(id: "x"),
            .channelStateSet(key: "k", value: nil), .channelStateSet(key: "k", value: "v"), .messageDelivered(id: 7),
            .conversationEnded(person: "anna"), .languageSet(person: "anna", language: .sv),
        ]
        #expect(try roundTrip(events) == events)
    }
}

/// The hot events are written by hand; their bytes must be what `Codable` writes, so that
/// every reader (and older files) stays as it was.
@Suite struct HandWrittenEventTests {
    struct Record: Codable {
        var seq: UInt64
        var events: [GatewayEvent]
    }

    @Test func handWrittenRecordsAreByteForByteWhatCodableWrites() throws {
        var generator = SplitMix64(seed: 3)
        let start = Date(timeIntervalSinceReferenceDate: 786_240_000.25)
        let invite = CalendarInvite(
            uid: "T-2026-0001@kokemus", start: start, durationMinutes: 90, summary: "Kokemus \"x\"",
            location: "Etä", description: "rivi\nrivi")
        var events: [GatewayEvent] = [
            .inputProcessed(id: "$ev\"ent\\1:localhost"), .inputProcessed(id: ""), .messageDelivered(id: 0),
            .messageDelivered(id: .max),
            .messageQueued(OutboxMessage(id: 1, recipient: "anna", channel: nil, text: "Hei\n\"sinä\" ☃\u{1}", createdAt: start)),
            .messageQueued(
                OutboxMessage(
                    id: 2, recipient: "kalle", channel: .email, text: "", createdAt: start,
                    calendar: invite)),
            // A relay and its receipt: who it carries the words of, and about which order.
            .messageQueued(
                OutboxMessage(
                    id: 3, recipient: "anna", channel: nil, text: "Nähdään", createdAt: start,
                    relayFrom: "kalle", relayOrder: OrderID(rawValue: "T-2026-0001"))),
            .messageQueued(
                OutboxMessage(
                    id: 4, recipient: "kalle", channel: .matrix, text: "Viesti välitetty", createdAt: start,
                    calendar: invite, relayFrom: "kalle")),
            // Payroll's files, and a relay held for the recipient's morning.
            .messageQueued(
                OutboxMessage(
                    id: 5, recipient: "palkat", channel: .email, text: "Palkkiot", createdAt: start,
                    attachments: [OutboxAttachment(filename: "payroll-2026-12-10-fee.csv", mediaType: "text/csv", text: "a,\"b\"\r\n")])),
            .messageQueued(
                OutboxMessage(
                    id: 6, recipient: "anna", channel: nil, text: "Huomenna?", createdAt: start, relayFrom: "kalle",
                    relayOrder: OrderID(rawValue: "T-2026-0001"), notBefore: start + 36_000.5)),
            .conversationEnded(person: "anna"), .languageSet(person: "anna", language: .sv),
        ]
        for _ in 0..<300 {
            let old = ConversationChangeTests.randomConversation(&generator)
            let new = ConversationChangeTests.randomConversation(&generator)
            events.append(.conversationChanged(try #require(ConversationChange(from: old, to: new))))
            events.append(.conversationSaved(new))
        }
        let encoder = JournalEncoder()
        for count in [0, 1, 2, events.count] {
            let slice = Array(events.prefix(count))
            let fast = try encoder.encodeRecord(sequence: 42, events: slice)
            let codable = try encoder.encode(Record(seq: 42, events: slice))
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: codable, as: UTF8.self))
            // Read back by hand: the same events as Codable reads.
            let read = try #require(fast.withUnsafeBytes { JournalDecoder().decodeRecord($0, events: GatewayEvent.self) })
            #expect(read.sequence == 42)
            #expect(read.events == slice)
            #expect(read.events == (try JSONDecoder().decode(Record.self, from: fast).events))
        }
    }

    @Test func recordsNotInTheWrittenFormAreLeftToCodable() throws {
        for text in [
            #"{"seq":1,"events":[{"inputProcessed":{"id":5}}]}"#, #"{"seq":1}"#, #"[1]"#,
            #"{"seq":"x","events":[]}"#, #"{"seq":1,"events":[{"messageQueued":{"_0":{"id":1}}}]}"#,
        ] {
            #expect(Data(text.utf8).withUnsafeBytes { JournalDecoder().decodeRecord($0, events: GatewayEvent.self) } == nil, "\(text)")
        }
        // Extra members are ignored, as Codable ignores them; other events go through Codable.
        let text = #"{"seq":3,"extra":0,"events":[{"messageDelivered":{"id":9,"x":1}},{"expertPaused":{"_0":"kalle","_1":true}}]}"#
        let read = try #require(Data(text.utf8).withUnsafeBytes { JournalDecoder().decodeRecord($0, events: GatewayEvent.self) })
        #expect(read.sequence == 3 && read.events == [.messageDelivered(id: 9), .expertPaused("kalle", true)])
    }
}

/// Snapshots are written with sorted keys: equal states give equal bytes.
@Suite struct SortedKeysTests {
    struct Item: Codable, Equatable {
        var zeta: Int
        var alpha: [String: [String: Int]]
        var middle: String
    }

    @Test func equalValuesBuiltInAnyOrderGiveTheSameSortedBytes() throws {
        var generator = SplitMix64(seed: 11)
        let keys = ["b", "a", "ab", "a!", "ä", "B", "10", "9", "", "k\"q", "🙂"]
        for _ in 0..<200 {
            var pairs = keys.map { ($0, Int.random(in: 0...9, using: &generator)) }
            var first: [String: Item] = [:]
            for (key, number) in pairs {
                first[key] = Item(zeta: number, alpha: ["y": ["q": number, "p": 1], "x": [:]], middle: key)
            }
            pairs.shuffle(using: &generator)
            var second: [String: Item] = [:]
            for (key, number) in pairs {
                second[key] = Item(zeta: number, alpha: ["x": [:], "y": ["p": 1, "q": number]], middle: key)
            }
            let encoder = JournalEncoder(sortsKeys: true)
            let bytes = try encoder.encode(first)
            #expect(bytes == (try encoder.encode(second)))
            #expect(try JSONDecoder().decode([String: Item].self, from: bytes) == first)
            #expect(try JournalDecoder().decode([String: Item].self, from: bytes) == first)
        }
        let text = String(
            decoding: try JournalEncoder(sortsKeys: true).encode(
                ["b": Item(zeta: 1, alpha: ["d": ["z": 1, "y": 2]], middle: "m"), "a": Item(zeta: 2, alpha: [:], middle: "n")]),
            as: UTF8.self)
        #expect(text == #"{"a":{"alpha":{},"middle":"n","zeta":2},"b":{"alpha":{"d":{"y":2,"z":1}},"middle":"m","zeta":1}}"#)
    }
}

/// Slot values in their compact stored form, and in the form older states hold.
@Suite struct SlotValueCodingTests {
    static let all: [SlotValue] = [
        .text("Hei \"sinä\""), .integer(-3), .date(LocalDay(year: 2026, month: 12, day: 8)), .time(hour: 14, minute: 5),
        .dateTime(Date(timeIntervalSinceReferenceDate: 786_240_000)), .duration(minutes: 90), .bool(true),
        .choice("group"), .choices([]), .choices(["fi", "sv"]),
    ]

    @Test func everyKindRoundTripsInTheCompactForm() throws {
        let data = try JournalEncoder().encode(Self.all)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix(#"[["t","Hei \"sinä\""],["i",-3],["d","2026-12-08"],["tm",14,5]"#))
        #expect(try JSONDecoder().decode([SlotValue].self, from: data) == Self.all)
    }

    @Test func theOlderStoredFormIsStillRead() throws {
        let older = #"""
            [{"text":{"_0":"Hei"}},{"integer":{"_0":2}},{"date":{"_0":{"year":2026,"month":12,"day":8}}},
             {"time":{"hour":14,"minute":5}},{"dateTime":{"_0":786240000}},{"duration":{"minutes":90}},
             {"bool":{"_0":false}},{"choice":{"_0":"group"}},{"choices":{"_0":["fi","sv"]}}]
            """#
        #expect(
            try JSONDecoder().decode([SlotValue].self, from: Data(older.utf8)) == [
                .text("Hei"), .integer(2), .date(LocalDay(year: 2026, month: 12, day: 8)), .time(hour: 14, minute: 5),
                .dateTime(Date(timeIntervalSinceReferenceDate: 786_240_000)), .duration(minutes: 90), .bool(false),
                .choice("group"), .choices(["fi", "sv"]),
            ])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([SlotValue].self, from: Data(#"[["zz",1]]"#.utf8)) }
    }
}

/// The journal's decoder against Foundation's on damaged input: never a crash, and the same
/// answer whenever Foundation reads it.
@Suite struct JournalDecoderDifferentialTests {
    @Test func mutatedRecordsDecodeAlikeOrFail() throws {
        let samples: [[GatewayEvent]] = [
            [.inputProcessed(id: "$a:localhost"), .languageSet(person: "anna", language: .sv)],
            [.remindersSent(keys: ["k\"1", "ä"], at: Date(timeIntervalSinceReferenceDate: 786_240_000.25))],
            [.channelStateSet(key: "matrix.next_batch", value: "s1_2"), .messageDelivered(id: 42), .expertPaused("kalle", false)],
        ]
        let mutator = ByteMutator(tokens: ["{", "}", "[", "]", "\"", ":", ",", "null", "1e3", "-", "\\u00e4", "\\ud83d"])
        var agreed = 0
        for iteration in 0..<10_000 {
            var generator = SplitMix64(seed: UInt64(iteration))
            let original = Array(try JournalEncoder().encode(samples[iteration % samples.count]))
            let bytes = Data(mutator.mutate(original, using: &generator))
            let theirs = try? JSONDecoder().decode([GatewayEvent].self, from: bytes)
            let ours = try? JournalDecoder().decode([GatewayEvent].self, from: bytes)
            if let theirs {
                #expect(ours == theirs, "iteration \(iteration): \(String(decoding: bytes, as: UTF8.self))")
                agreed += 1
            }
        }
        #expect(agreed > 150, "the mutations should leave many records readable")
    }
}
