import Foundation
import KokemusCore

/// One event of a room, as `/sync` and `/messages` give it.
public struct RoomEvent: Sendable, Hashable {
    public var eventID: EventID
    public var sender: UserID
    public var type: String
    public var stateKey: String?
    public var content: JSONValue
    /// When the homeserver took the event (`origin_server_ts`), if it says.
    public var serverTime: Date?

    /// Reads an event; one without an id, sender or type (or with an empty one) is skipped
    /// (nil): an empty id would make every such event look like the first one handled.
    init?(_ json: JSONValue) {
        guard let eventID = json["event_id"]?.string, !eventID.isEmpty, let sender = json["sender"]?.string,
            !sender.isEmpty, let type = json["type"]?.string, !type.isEmpty
        else { return nil }
        self.eventID = EventID(eventID)
        self.sender = UserID(sender)
        self.type = type
        self.stateKey = json["state_key"]?.string
        self.content = json["content"] ?? .object([:])
        // Milliseconds since 1970, bounded: a value no clock gives is no time.
        if let milliseconds = json["origin_server_ts"]?.number, milliseconds.isFinite, milliseconds > 0, milliseconds < 1e14 {
            serverTime = Date(timeIntervalSince1970: milliseconds / 1000)
        }
    }

    public init(eventID: EventID, sender: UserID, type: String, stateKey: String? = nil, content: JSONValue) {
        self.eventID = eventID
        self.sender = sender
        self.type = type
        self.stateKey = stateKey
        self.content = content
    }
}

/// What one `/sync` response holds that the gateway acts on.
public struct SyncBatch: Sendable {
    public struct JoinedRoom: Sendable {
        public var roomID: RoomID
        public var state: [RoomEvent]
        public var timeline: [RoomEvent]
        /// The server left out events: fill the gap from `prevBatch`.
        public var limited: Bool
        public var prevBatch: String?
    }

    public struct Invite: Sendable {
        public var roomID: RoomID
        /// Who sent the invite, from the stripped `m.room.member` state for the bot.
        public var inviter: UserID?
        /// The room is (or will be) encrypted: `m.room.encryption` in the stripped state.
        public var encrypted: Bool
        /// Anyone may join it or read its history (`join_rule: public`, `world_readable`).
        public var open: Bool = false
    }

    public var nextBatch: String
    public var joined: [JoinedRoom]
    public var invites: [Invite]
    public var left: [RoomID]

    /// Reads a `/sync` body. Anything malformed is skipped; only a missing `next_batch`
    /// makes the whole response unusable (nil), since the position could not advance.
    public init?(_ json: JSONValue, botUserID: UserID) {
        guard let nextBatch = json["next_batch"]?.string else { return nil }
        self.nextBatch = nextBatch
        let rooms = json["rooms"]
        joined = (rooms?["join"]?.object ?? [:]).sorted { $0.key < $1.key }.map { roomID, room in
            JoinedRoom(
                roomID: RoomID(roomID),
                state: room["state"]?["events"]?.array?.compactMap(RoomEvent.init) ?? [],
                timeline: room["timeline"]?["events"]?.array?.compactMap(RoomEvent.init) ?? [],
                limited: room["timeline"]?["limited"]?.bool ?? false,
                prevBatch: room["timeline"]?["prev_batch"]?.string)
        }
        invites = (rooms?["invite"]?.object ?? [:]).sorted { $0.key < $1.key }.map { roomID, room in
            let events = room["invite_state"]?["events"]?.array ?? []
            let inviter = events.first {
                $0["type"]?.string == "m.room.member" && $0["state_key"]?.string == botUserID.rawValue
                    && $0["content"]?["membership"]?.string == "invite"
            }?["sender"]?.string.map { UserID($0) }
            let encrypted = events.contains { $0["type"]?.string == "m.room.encryption" }
            let open = events.contains {
                ($0["type"]?.string == "m.room.join_rules" && $0["content"]?["join_rule"]?.string == "public")
                    || ($0["type"]?.string == "m.room.history_visibility"
                        && $0["content"]?["history_visibility"]?.string == "world_readable")
            }
            return Invite(roomID: RoomID(roomID), inviter: inviter, encrypted: encrypted, open: open)
        }
        left = (rooms?["leave"]?.object ?? [:]).keys.sorted().map { RoomID($0) }
    }
}
