import Foundation

/// What the Matrix channel remembers across restarts, rebuilt from its own journal events
/// (`GatewayEvent.matrixMemory`): where the sync stands, which room serves which person, and
/// which room the gateway's messages to each person go to.
public struct MatrixMemory: Codable, Sendable, Hashable {
    /// The `next_batch` of the last sync whose messages are committed.
    public private(set) var syncPosition: String?
    /// Makes transaction ids unique to this state directory (outbox ids start again at 1).
    public private(set) var transactionPrefix: String?
    /// The room each person's messages go to: always one of `roomPeople`'s rooms.
    public private(set) var directRooms: [PersonID: RoomID] = [:]
    /// Each room the bot is in and the one person it serves there.
    public private(set) var roomPeople: [RoomID: PersonID] = [:]
    /// Rooms the bot made: no one but the bot can invite anyone to them.
    public private(set) var botMadeRooms: Set<RoomID> = []
    /// Rooms someone else came into whose person was told so (once).
    public private(set) var sharedRoomsTold: Set<RoomID> = []
    /// Encrypted rooms whose person was told the bot cannot read them (once).
    public private(set) var encryptedRoomsNoticed: Set<RoomID> = []
    /// `directRooms` the other way round (derived, not stored). A room is one person's, but a
    /// state of an older release can name one room for two people.
    private var directRoomPeople: [RoomID: Set<PersonID>] = [:]

    public init() {}

    /// A change to the memory; each is one journal event. The names are the journal's
    /// (`Store/FORMAT.md`) and never change.
    public enum Change: Codable, Sendable, Hashable {
        /// The messages of a sync are committed; the next sync starts here.
        case synced(position: String)
        case transactionPrefixMade(String)
        /// The room is the person's direct room (and so serves them).
        case directRoom(person: PersonID, room: RoomID)
        /// The bot made the room as the person's direct room.
        case directRoomMade(person: PersonID, room: RoomID)
        /// The room serves the person (found by its members, not yet their direct room).
        case roomServes(room: RoomID, person: PersonID)
        /// The bot left the room or will: it serves no one, and is no one's direct room.
        case roomForgotten(RoomID)
        case sharedRoomTold(RoomID)
        case encryptedRoomNoticed(RoomID)

    }

    /// The person whose direct room this is.
    public func person(directRoom room: RoomID) -> PersonID? { directRoomPeople[room]?.min() }

    public mutating func apply(_ change: Change) {
        switch change {
        case .synced(let position):
            syncPosition = position
        case .transactionPrefixMade(let prefix):
            // Made once: of two made at the same moment the first stands (the maker reads it back).
            if transactionPrefix == nil { transactionPrefix = prefix }
        case .directRoom(let person, let room):
            setDirectRoom(room, of: person)
            roomPeople[room] = person
        case .directRoomMade(let person, let room):
            setDirectRoom(room, of: person)
            roomPeople[room] = person
            botMadeRooms.insert(room)
        case .roomServes(let room, let person):
            roomPeople[room] = person
        case .roomForgotten(let room):
            roomPeople[room] = nil
            botMadeRooms.remove(room)
            for person in directRoomPeople[room] ?? [] { setDirectRoom(nil, of: person) }
        case .sharedRoomTold(let room):
            sharedRoomsTold.insert(room)
        case .encryptedRoomNoticed(let room):
            encryptedRoomsNoticed.insert(room)
        }
    }

    /// Forgets everything about a person whose data is erased (`PersonErasure`): their
    /// direct room and the rooms that served them (the bot no longer answers there).
    mutating func forget(_ person: PersonID) {
        setDirectRoom(nil, of: person)
        roomPeople = roomPeople.filter { $0.value != person }
    }

    /// Keeps the room → person index in step with `directRooms`.
    private mutating func setDirectRoom(_ room: RoomID?, of person: PersonID) {
        if let old = directRooms[person] {
            directRoomPeople[old]?.remove(person)
            if directRoomPeople[old]?.isEmpty == true { directRoomPeople[old] = nil }
        }
        directRooms[person] = room
        if let room { directRoomPeople[room, default: []].insert(person) }
    }

    // MARK: Format 1's keys

    /// One `channelStateSet` of the first format (`matrix.` keys), read into the memory. Only
    /// for reading old journals and snapshots; returns false for a key it does not know.
    mutating func applyFormat1(key: Substring, value: String?) -> Bool {
        func room(after prefix: String) -> RoomID? {
            key.hasPrefix(prefix) ? RoomID(String(key.dropFirst(prefix.count))) : nil
        }
        if key == "next_batch" {
            syncPosition = value
        } else if key == "txn_prefix" {
            transactionPrefix = value
        } else if key.hasPrefix("dm.") {
            setDirectRoom(value.map { RoomID($0) }, of: PersonID(String(key.dropFirst(3))))
        } else if let room = room(after: "room.") {
            roomPeople[room] = value.map { PersonID($0) }
        } else if let room = room(after: "made.") {
            if value == nil { botMadeRooms.remove(room) } else { botMadeRooms.insert(room) }
        } else if let room = room(after: "shared.") {
            if value == nil { sharedRoomsTold.remove(room) } else { sharedRoomsTold.insert(room) }
        } else if let room = room(after: "encrypted.") {
            if value == nil { encryptedRoomsNoticed.remove(room) } else { encryptedRoomsNoticed.insert(room) }
        } else {
            return false
        }
        return true
    }

    // MARK: Snapshots

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        syncPosition = try container.decodeIfPresent(String.self, forKey: .syncPosition)
        transactionPrefix = try container.decodeIfPresent(String.self, forKey: .transactionPrefix)
        directRooms = try container.decodeIfPresent([PersonID: RoomID].self, forKey: .directRooms) ?? [:]
        roomPeople = try container.decodeIfPresent([RoomID: PersonID].self, forKey: .roomPeople) ?? [:]
        botMadeRooms = try container.decodeIfPresent(Set<RoomID>.self, forKey: .botMadeRooms) ?? []
        sharedRoomsTold = try container.decodeIfPresent(Set<RoomID>.self, forKey: .sharedRoomsTold) ?? []
        encryptedRoomsNoticed = try container.decodeIfPresent(Set<RoomID>.self, forKey: .encryptedRoomsNoticed) ?? []
        for (person, room) in directRooms { directRoomPeople[room, default: []].insert(person) }
    }
}
