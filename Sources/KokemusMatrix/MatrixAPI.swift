import Foundation
import KokemusCore

/// What the Matrix channel needs of the homeserver's client-server API. `MatrixClient` is the
/// real one (libcurl); tests give the channel one in memory, so that its logic (whose room
/// is whose, rooms that stop being private, direct rooms, reactions) is tested in Swift too.
public protocol MatrixAPI: Sendable {
    var config: MatrixConfig { get }
    /// Logs in (or checks the access token) and learns the bot's own user id.
    func start() async throws
    func createFilter() async throws -> String
    func sync(since: String?, timeoutSeconds: Int, filter: String?) async throws -> JSONValue
    func join(_ roomID: RoomID) async throws
    func leave(_ roomID: RoomID) async throws
    func joinedRooms() async throws -> [RoomID]
    /// Joined and invited members.
    func members(_ roomID: RoomID) async throws -> [UserID]
    func stateEvent(_ roomID: RoomID, type: String, key: String) async throws -> JSONValue?
    func createDirectRoom(with userID: UserID, markerType: String, marker: JSONValue) async throws -> RoomID
    /// The bot's `m.direct` account data: each user's direct rooms.
    func directRooms() async throws -> [UserID: [RoomID]]
    func setDirectRooms(_ rooms: [UserID: [RoomID]]) async throws
    func send(_ roomID: RoomID, type: String, transactionID: String, content: JSONValue) async throws -> EventID?
    func messages(_ roomID: RoomID, from: String, to: String?, limit: Int) async throws -> JSONValue
    func latestMessages(_ roomID: RoomID, limit: Int) async throws -> JSONValue
    /// Stops every transfer in progress, and all later ones.
    func shutdown()
}

extension MatrixAPI {
    /// The bot's own user id, as configured.
    public var botUserID: UserID { UserID(config.userID) }

    func stateEvent(_ roomID: RoomID, type: String) async throws -> JSONValue? {
        try await stateEvent(roomID, type: type, key: "")
    }

    func messages(_ roomID: RoomID, from: String, to: String?) async throws -> JSONValue {
        try await messages(roomID, from: from, to: to, limit: 100)
    }

    func latestMessages(_ roomID: RoomID) async throws -> JSONValue {
        try await latestMessages(roomID, limit: 50)
    }
}

extension MatrixClient: MatrixAPI {}
