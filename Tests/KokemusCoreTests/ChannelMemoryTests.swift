import Foundation
import Testing

@testable import KokemusCore

/// Each channel's memory is typed state fed by its own events; what format 1 kept as text keys
/// (`channelStateSet`, a snapshot's `channelState`) is read into it.
@Suite struct ChannelMemoryTests {
    static func lines(_ path: String) throws -> [GatewayEvent] {
        struct Record: Decodable { var events: [GatewayEvent] }
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
        return try text.split(separator: "\n").flatMap { try JSONDecoder().decode(Record.self, from: Data($0.utf8)).events }
    }

    static func replayed(_ events: [GatewayEvent]) -> GatewayState {
        var state = GatewayState()
        for event in events { state.apply(event) }
        return state
    }

    static let december8 = LocalDay(year: 2026, month: 12, day: 8)

    /// What the channels of the main of 2026-11-30 wrote, as they wrote it (every key shape),
    /// and the same memory written as format 2's events: one state.
    @Test func channelKeysOfTheFirstFormatAreReadIntoTheTypedMemory() throws {
        let old = Self.replayed(try Self.lines("Tests/Fixtures/journal/v1/channel-keys.jsonl"))
        let matrix = old.matrix
        #expect(matrix.syncPosition == "s9_1" && matrix.transactionPrefix == "kk0123456789ab")
        #expect(matrix.directRooms == ["anna": "!a:localhost"])
        #expect(matrix.roomPeople == ["!a:localhost": "anna", "!k:localhost": "kalle"])
        #expect(matrix.botMadeRooms == ["!a:localhost"])
        #expect(matrix.person(directRoom: "!a:localhost") == "anna")
        #expect(matrix.person(directRoom: "!o:localhost") == nil, "olli's room was forgotten")
        #expect(matrix.sharedRoomsTold == ["!o:localhost"] && matrix.encryptedRoomsNoticed == ["!e:localhost"])
        let mail = old.mail
        #expect(mail.uidValidity == 1_700_000_000 && mail.lastUID == 41)
        #expect(mail.threads == ["anna": .init(messageID: "m1@x.example", subject: "Tilaus")], "the subject came before its thread")
        #expect(mail.tokenKey == "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        #expect(mail.replyTokens == ["anna": "k1b2c3d4e5f6g7h8i9j0"] && mail.tokenOwners == ["k1b2c3d4e5f6": "anna"])
        // Counts of an earlier day are not today's: the tally keeps the newest day's.
        #expect(mail.sent.day == Self.december8 && mail.sent.counts == ["olli@x.example": 2])
        #expect(mail.relayed.count("anna@x.example", on: Self.december8) == 1)
        #expect(mail.strangersAnswered.count("who@else.example", on: Self.december8) == 1)
        #expect(mail.failuresReported.count("gone@x.example", on: Self.december8) == 1)
        #expect(old.scrubbedWithGuard == "1")
        #expect(old.unknownChannelKeys == ["other.thing": "kept"], "a key no channel knows is kept")

        var new = Self.replayed(try Self.lines("Tests/Fixtures/journal/v2/handmade.jsonl"))
        new.apply(.channelStateSet(key: "other.thing", value: "kept"))
        #expect(new.matrix == old.matrix)
        #expect(new.mail == old.mail)
        #expect(new.scrubbedWithGuard == old.scrubbedWithGuard)
    }

    /// A snapshot of format 1 holds the channel keys under `channelState`: read into the memory,
    /// and a snapshot written now holds the typed memory and reads back the same.
    @Test func aSnapshotWithChannelKeysIsReadIntoTheTypedMemory() throws {
        var head = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(GatewayState())) as? [String: Any])
        head["matrix"] = nil
        head["mail"] = nil
        head["channelState"] = [
            "matrix.next_batch": "s1", "matrix.dm.anna": "!a", "matrix.room.!a": "anna",
            "email.sent.anna@x.example": "2026-12-08 3", "email.uidvalidity": "7", "email.last_uid": "9",
            "email.last_uid.x": "not a key of ours", "kokemus.guard_scrub": "1",
        ]
        let state = try JSONDecoder().decode(GatewayState.self, from: JSONSerialization.data(withJSONObject: head))
        #expect(state.matrix.syncPosition == "s1" && state.matrix.person(directRoom: "!a") == "anna")
        #expect(state.mail.sent.count("anna@x.example", on: Self.december8) == 3)
        #expect(state.mail.uidValidity == 7 && state.mail.lastUID == 9)
        #expect(state.scrubbedWithGuard == "1")
        #expect(state.unknownChannelKeys == ["email.last_uid.x": "not a key of ours"])
        let encoded = try JSONEncoder().encode(state)
        #expect(String(decoding: encoded, as: UTF8.self).contains(#""roomPeople":{"!a":"anna"}"#), "rooms as an object's keys")
        let again = try JSONDecoder().decode(GatewayState.self, from: encoded)
        #expect(again == state)
        #expect(again.matrix.person(directRoom: "!a") == "anna", "the index is rebuilt")
    }

    /// Numbers in old keys that no mailbox gives are no position: not read, never a crash.
    @Test func unreadableOldValuesAreLeftOutNotTrapped() {
        let state = Self.replayed([
            .channelStateSet(key: "email.last_uid", value: "99999999999999999"),
            .channelStateSet(key: "email.uidvalidity", value: "-1"),
            .channelStateSet(key: "email.sent.a@x.example", value: "2026-12-08 99999999999999999999"),
            .channelStateSet(key: "email.sent.b@x.example", value: "yesterday 3"),
            .channelStateSet(key: "email.stranger.c@x.example", value: "2026-13-45"),
        ])
        #expect(state.mail.lastUID == nil && state.mail.uidValidity == nil)
        #expect(state.mail.sent.counts.isEmpty && state.mail.strangersAnswered.counts.isEmpty)
        #expect(state.unknownChannelKeys.isEmpty)
    }

    /// The direct-room index follows every change: a room given to another person, a person
    /// given another room, a room forgotten.
    @Test func theRoomToPersonIndexFollowsEveryChange() {
        var memory = MatrixMemory()
        memory.apply(.directRoom(person: "anna", room: "!1"))
        memory.apply(.directRoom(person: "anna", room: "!2"))
        #expect(memory.person(directRoom: "!1") == nil && memory.person(directRoom: "!2") == "anna")
        memory.apply(.roomForgotten("!2"))
        #expect(memory.directRooms.isEmpty && memory.person(directRoom: "!2") == nil)
        #expect(memory.roomPeople == ["!1": "anna"], "her earlier room still serves her; only not as her direct room")
        memory.apply(.directRoomMade(person: "olli", room: "!3"))
        memory.apply(.roomServes(room: "!4", person: "olli"))
        memory.apply(.roomForgotten("!4"))
        #expect(memory.directRooms == ["olli": "!3"] && memory.botMadeRooms == ["!3"])
        // An older release could name one room for two people: forgetting it forgets both.
        var shared = GatewayState()
        shared.apply(.channelStateSet(key: "matrix.dm.anna", value: "!g"))
        shared.apply(.channelStateSet(key: "matrix.dm.bob", value: "!g"))
        #expect(shared.matrix.person(directRoom: "!g") == "anna")
        shared.apply(.matrixMemory(.roomForgotten("!g")))
        #expect(shared.matrix.directRooms.isEmpty && shared.matrix.person(directRoom: "!g") == nil)
    }

    /// What is made once (a token key, a person's reply token, a transaction prefix) stays as
    /// first made when two deliveries make one at the same moment; each mail sent counts one.
    @Test func whatIsMadeOnceStaysAsFirstMadeAndEachMailCounts() {
        var mail = MailMemory()
        mail.apply(.tokenKeyMade("first"))
        mail.apply(.tokenKeyMade("second"))
        mail.apply(.replyTokenMade(person: "anna", id: "a1", token: "a1xx"))
        mail.apply(.replyTokenMade(person: "anna", id: "a2", token: "a2xx"))
        #expect(mail.tokenKey == "first" && mail.replyTokens == ["anna": "a1xx"] && mail.tokenOwners == ["a1": "anna"])
        for _ in 0..<2 { mail.apply(.mailSent(address: "shared@x.example", relay: false, day: Self.december8)) }
        #expect(mail.sent.count("shared@x.example", on: Self.december8) == 2)
        var matrix = MatrixMemory()
        matrix.apply(.transactionPrefixMade("kk1"))
        matrix.apply(.transactionPrefixMade("kk2"))
        #expect(matrix.transactionPrefix == "kk1")
    }

    /// A later day starts the tally afresh; a count of an earlier day (a clock set back) is
    /// not kept, and the table never holds more than one day's addresses.
    @Test func aDailyTallyHoldsOneDay() {
        var tally = DailyTally()
        let day7 = LocalDay(year: 2026, month: 12, day: 7)
        tally.set("a", to: 2, on: day7)
        tally.set("b", to: 1, on: Self.december8)
        #expect(tally.counts == ["b": 1] && tally.count("a", on: day7) == 0)
        tally.set("a", to: 5, on: day7)
        #expect(tally.counts == ["b": 1])
    }
}
