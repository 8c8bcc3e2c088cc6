import Foundation
import KokemusCore
import KokemusMatrix

/// A homeserver in memory, as much of one as the channel asks of: rooms with members, rooms
/// the bot creates, messages sent (the same channel runs against Synapse in
/// `Tests/Integration/test_matrix_*.py`).
public final class MemoryHomeserver: MatrixAPI, @unchecked Sendable {
    public let config: MatrixConfig
    private let lock = NSLock()
    private var roomMembers: [RoomID: [UserID]] = [:]
    private var sentEvents: [(room: RoomID, body: String)] = []
    private var leftRooms: [RoomID] = []
    private var created = 0
    /// While held, room creations wait (a slow homeserver); `creations` tells each one begun.
    private var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []
    public let creations: AsyncStream<UserID>
    private let creationStarted: AsyncStream<UserID>.Continuation

    public init() {
        (creations, creationStarted) = AsyncStream.makeStream(of: UserID.self)
        config = MatrixConfig(
            homeserver: "http://127.0.0.1:8008", userID: "@kokemus:kokemus.example", deviceID: "TEST", password: "x",
            accessToken: nil, syncTimeoutSeconds: 1)
    }

    /// Rooms made from now on wait until `releaseRoomCreation`.
    public func holdRoomCreation() { lock.withLock { holding = true } }

    public func releaseRoomCreation() {
        let waiting = lock.withLock {
            holding = false
            defer { held = [] }
            return held
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Rooms made so far.
    public var roomsCreated: Int { lock.withLock { created } }

    public func setMembers(_ room: RoomID, _ members: [UserID]) { lock.withLock { roomMembers[room] = members } }
    public var sent: [(room: RoomID, body: String)] { lock.withLock { sentEvents } }
    public var left: [RoomID] { lock.withLock { leftRooms } }

    public func start() async throws {}
    public func createFilter() async throws -> String { "filter" }
    public func sync(since: String?, timeoutSeconds: Int, filter: String?) async throws -> JSONValue { ["next_batch": "s1"] }
    public func join(_ roomID: RoomID) async throws {}
    public func leave(_ roomID: RoomID) async throws { lock.withLock { leftRooms.append(roomID) } }
    public func joinedRooms() async throws -> [RoomID] { lock.withLock { Array(roomMembers.keys) } }
    public func members(_ roomID: RoomID) async throws -> [UserID] { lock.withLock { roomMembers[roomID] ?? [] } }
    public func stateEvent(_ roomID: RoomID, type: String, key: String) async throws -> JSONValue? { nil }

    public func createDirectRoom(with userID: UserID, markerType: String, marker: JSONValue) async throws -> RoomID {
        creationStarted.yield(userID)
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let wait = lock.withLock {
                if holding { held.append(waiter) }
                return holding
            }
            if !wait { waiter.resume() }
        }
        return lock.withLock {
            created += 1
            let room = RoomID("!made\(created):kokemus.example")
            roomMembers[room] = [UserID(config.userID), userID]
            return room
        }
    }

    public func directRooms() async throws -> [UserID: [RoomID]] { [:] }
    public func setDirectRooms(_ rooms: [UserID: [RoomID]]) async throws {}

    public func send(_ roomID: RoomID, type: String, transactionID: String, content: JSONValue) async throws -> EventID? {
        lock.withLock {
            sentEvents.append((roomID, content["body"]?.string ?? ""))
            return EventID("$sent\(sentEvents.count)")
        }
    }

    public func messages(_ roomID: RoomID, from: String, to: String?, limit: Int) async throws -> JSONValue { ["chunk": []] }
    public func latestMessages(_ roomID: RoomID, limit: Int) async throws -> JSONValue { ["chunk": []] }
    public func shutdown() {}
}
