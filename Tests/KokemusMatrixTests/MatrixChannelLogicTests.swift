import Foundation
import KokemusCore
import KokemusTesting
import Logging
import Testing

@testable import KokemusMatrix

@Suite struct MatrixChannelLogicTests {
    static let anna: UserID = "@anna:kokemus.example"
    static let bot: UserID = "@kokemus:kokemus.example"

    func channel(in directory: URL) async throws -> (MatrixChannel, MemoryHomeserver, Gateway) {
        let quiet = TestGateway.quietLogger
        let gateway = try TestGateway.open(in: directory)
        let server = MemoryHomeserver()
        let channel = MatrixChannel(client: server, gateway: gateway, clock: SystemClock(), logger: quiet)
        await gateway.connect(channel.transport)
        return (channel, server, gateway)
    }

    /// One sync's timeline in one joined room.
    static func sync(_ room: RoomID, _ events: String) throws -> SyncBatch {
        let json = #"{"next_batch": "s2", "rooms": {"join": {"\#(room)": {"timeline": {"events": [\#(events)]}}}}}"#
        return try #require(JSONValue.parse(Data(json.utf8)).flatMap { SyncBatch($0, botUserID: bot) })
    }

    static func text(_ id: String, _ body: String, from sender: UserID = anna) -> String {
        #"{"event_id": "\#(id)", "sender": "\#(sender)", "type": "m.room.message", "origin_server_ts": 1796000000000, "content": {"msgtype": "m.text", "body": "\#(body)"}}"#
    }

    @Test func aMessageInThePersonsOwnRoomIsServedAndAnsweredThere() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-matrix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, server, gateway) = try await channel(in: directory)
        server.setMembers("!own:kokemus.example", [Self.bot, Self.anna])
        try await channel.process(
            Self.sync("!own:kokemus.example", Self.text("$1", "tilaa")), since: "s1", botUserID: Self.bot)
        await gateway.deliverOutbox()
        #expect(server.sent.map(\.room) == ["!own:kokemus.example"])
        #expect(server.sent.first?.body.contains("Millaiseen tehtävään") == true)
        let memory = await gateway.matrixMemory
        #expect(memory.directRooms["anna"] == "!own:kokemus.example")
        #expect(memory.syncPosition == "s2", "the sync position is committed with the messages")
        #expect(server.left.isEmpty)
    }

    /// A person who writes in two rooms of one sync is answered in the one they wrote in last,
    /// even when that is the room already theirs (found by a reviewer: the first was kept).
    @Test func answersGoToTheRoomWrittenInLastWithinOneSync() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-matrix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, server, gateway) = try await channel(in: directory)
        for room: RoomID in ["!a:kokemus.example", "!b:kokemus.example"] { server.setMembers(room, [Self.bot, Self.anna]) }
        try await gateway.remember([.matrix(.directRoom(person: "anna", room: "!b:kokemus.example"))])
        let json = """
            {"next_batch": "s3", "rooms": {"join": {
              "!a:kokemus.example": {"timeline": {"events": [\(Self.text("$1", "tilaa"))]}},
              "!b:kokemus.example": {"timeline": {"events": [\(Self.text("$2", "1"))]}}}}}
            """
        let batch = try #require(JSONValue.parse(Data(json.utf8)).flatMap { SyncBatch($0, botUserID: Self.bot) })
        try await channel.process(batch, since: "s2", botUserID: Self.bot)
        let memory = await gateway.matrixMemory
        #expect(memory.directRooms["anna"] == "!b:kokemus.example")
        #expect(memory.syncPosition == "s3")
    }

    @Test func aRoomAThirdPersonJoinsIsLeftAndThePersonToldInTheirOwnRoom() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-matrix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, server, gateway) = try await channel(in: directory)
        let shared: RoomID = "!shared:kokemus.example"
        server.setMembers(shared, [Self.bot, Self.anna])
        let join =
            #"{"event_id": "$j", "sender": "@stranger:elsewhere.example", "type": "m.room.member", "state_key": "@stranger:elsewhere.example", "content": {"membership": "join"}}"#
        try await channel.process(
            Self.sync(shared, [Self.text("$1", "tilaa"), join, Self.text("$2", "1")].joined(separator: ",")), since: "s1",
            botUserID: Self.bot)
        await gateway.deliverOutbox()
        // What Anna wrote before the stranger came is served; what came after is not; the bot
        // leaves, tells her once in a room of her own, and answers her there, never in the shared one.
        #expect(server.left == [shared])
        #expect(!server.sent.contains { $0.room == shared })
        #expect(server.sent.count == 2)
        #expect(Set(server.sent.map(\.room)) == ["!made1:kokemus.example"])
        #expect(await gateway.state.conversations["anna"]?.stepID != nil)
        let state = await gateway.state
        #expect(state.hasProcessed("$1") && !state.hasProcessed("$2"))
    }

    /// Two deliveries that need the person's direct room at once (a notice and an answer)
    /// make one room, not two: the second waits for the first's.
    @Test(.timeLimit(.minutes(1)))
    func aDirectRoomIsMadeOnceForCallersAtTheSameTime() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-matrix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, server, gateway) = try await channel(in: directory)
        let anna = try #require(await gateway.registry.person("anna"))
        server.holdRoomCreation()
        let rooms = try await withThrowingTaskGroup(of: RoomID.self) { group in
            group.addTask { try await channel.directRoom(for: anna) }
            // The first caller is making the room; the second asks while it does.
            for await _ in server.creations { break }
            group.addTask { try await channel.directRoom(for: anna) }
            while await channel.waitersForDirectRoom(of: "anna") == 0 { await Task.yield() }
            server.releaseRoomCreation()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(rooms == ["!made1:kokemus.example", "!made1:kokemus.example"])
        #expect(server.roomsCreated == 1)
    }
}
