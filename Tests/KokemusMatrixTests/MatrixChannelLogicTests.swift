import Foundation
import KokemusCore
import Logging
import Testing

@testable import KokemusMatrix

/// A homeserver in memory, as much of one as the channel asks of: rooms with members, rooms
/// the bot creates, messages sent (the same channel runs against Synapse in
/// `Tests/Integration/test_matrix_*.py`).
final class MemoryHomeserver: MatrixAPI, @unchecked Sendable {
    let config: MatrixConfig
    private let lock = NSLock()
    private var roomMembers: [String: [String]] = [:]
    private var sentEvents: [(room: String, body: String)] = []
    private var leftRooms: [String] = []
    private var created = 0

    init() {
        config = MatrixConfig(
            homeserver: "http://127.0.0.1:8008", userID: "@kokemus:kokemus.example", deviceID: "TEST", password: "x",
            accessToken: nil, syncTimeoutSeconds: 1)
    }

    func setMembers(_ room: String, _ members: [String]) { lock.withLock { roomMembers[room] = members } }
    var sent: [(room: String, body: String)] { lock.withLock { sentEvents } }
    var left: [String] { lock.withLock { leftRooms } }

    func start() async throws {}
    func createFilter() async throws -> String { "filter" }
    func sync(since: String?, timeoutSeconds: Int, filter: String?) async throws -> JSONValue { ["next_batch": "s1"] }
    func join(_ roomID: String) async throws {}
    func leave(_ roomID: String) async throws { lock.withLock { leftRooms.append(roomID) } }
    func joinedRooms() async throws -> [String] { lock.withLock { Array(roomMembers.keys) } }
    func members(_ roomID: String) async throws -> [String] { lock.withLock { roomMembers[roomID] ?? [] } }
    func stateEvent(_ roomID: String, type: String, key: String) async throws -> JSONValue? { nil }

    func createDirectRoom(with userID: String, markerType: String, marker: JSONValue) async throws -> String {
        lock.withLock {
            created += 1
            let room = "!made\(created):kokemus.example"
            roomMembers[room] = [config.userID, userID]
            return room
        }
    }

    func directRooms() async throws -> [String: [String]] { [:] }
    func setDirectRooms(_ rooms: [String: [String]]) async throws {}

    func send(_ roomID: String, type: String, transactionID: String, content: JSONValue) async throws -> String? {
        lock.withLock {
            sentEvents.append((roomID, content["body"]?.string ?? ""))
            return "$sent\(sentEvents.count)"
        }
    }

    func messages(_ roomID: String, from: String, to: String?, limit: Int) async throws -> JSONValue { ["chunk": []] }
    func latestMessages(_ roomID: String, limit: Int) async throws -> JSONValue { ["chunk": []] }
    func shutdown() {}
}

@Suite struct MatrixChannelLogicTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let anna = "@anna:kokemus.example"
    static let bot = "@kokemus:kokemus.example"

    func channel(in directory: URL) async throws -> (MatrixChannel, MemoryHomeserver, Gateway) {
        let config = KokemusConfig(
            stateDirectory: directory.appendingPathComponent("state"), flowsDirectory: Self.root.appendingPathComponent("Flows"),
            registryDirectory: Self.root.appendingPathComponent("Config/example"),
            messagesFile: Self.root.appendingPathComponent("Config/messages.yaml"),
            feesFile: Self.root.appendingPathComponent("Config/fees.yaml"), messagesPerMinute: 0)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let gateway = try GatewayBuilder.open(config: config, transports: [], clock: SystemClock(), logger: quiet)
        let server = MemoryHomeserver()
        let channel = MatrixChannel(client: server, gateway: gateway, clock: SystemClock(), logger: quiet)
        await gateway.connect(channel.transport)
        return (channel, server, gateway)
    }

    /// One sync's timeline in one joined room.
    static func sync(_ room: String, _ events: String) throws -> SyncBatch {
        let json = #"{"next_batch": "s2", "rooms": {"join": {"\#(room)": {"timeline": {"events": [\#(events)]}}}}}"#
        return try #require(JSONValue.parse(Data(json.utf8)).flatMap { SyncBatch($0, botUserID: bot) })
    }

    static func text(_ id: String, _ body: String, from sender: String = anna) -> String {
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
        #expect(await gateway.channelState("matrix.dm.anna") == "!own:kokemus.example")
        #expect(server.left.isEmpty)
    }

    @Test func aRoomAThirdPersonJoinsIsLeftAndThePersonToldInTheirOwnRoom() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-matrix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (channel, server, gateway) = try await channel(in: directory)
        let shared = "!shared:kokemus.example"
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
}
