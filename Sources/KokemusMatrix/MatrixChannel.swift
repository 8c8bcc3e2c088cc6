import Foundation
import KokemusCore
import Logging

/// The Matrix channel: follows `/sync`, hands people's messages to the gateway, joins the
/// invites of registry people (and only theirs), keeps one direct room per person, and
/// delivers the gateway's messages there as `m.notice`s.
///
/// A room is private or it is left: each room the bot is in serves one person (remembered in
/// `MatrixMemory.roomPeople`), and only while its members, joined or invited, are that person
/// and the bot. When anyone else is invited or joins, messages from then on are not served,
/// the person is told once in their own direct room, and the bot leaves. The person's direct
/// room (`MatrixMemory.directRooms`, where the gateway's messages go) is only ever a room that
/// passes this.
///
/// Exactly once in effect: a sync's messages, their event ids, the rooms they name as direct
/// rooms and the new sync position (`next_batch`) are committed in one record, so after a
/// crash either all of it stands or the same events come again. Sends carry a transaction id derived from the
/// outbox id, so a resend after a crash is deduplicated by the homeserver.
public actor MatrixChannel {
    public nonisolated let client: any MatrixAPI
    /// The gateway this channel hands messages to and keeps its memory in.
    private let gateway: Gateway
    private let clock: any WallClock
    private let logger: Logger
    /// People whose direct room is being made, and who else waits for it (one room, made once).
    private var creating: [PersonID: [CheckedContinuation<RoomID, any Error>]] = [:]
    /// The bot's newest message in each room, as far as this run knows: a reaction answers only that.
    private var lastSent: [RoomID: EventID] = [:]
    /// Direct rooms the messages of the sync being processed name, committed with them.
    private var namedDirectRooms: [PersonID: RoomID] = [:]

    /// The state event the bot puts in rooms it creates, naming the person, so that a room
    /// created just before a crash is found again instead of created twice.
    static let directRoomMarker = "fi.kokemus.direct"

    /// A channel made whole: its client and the gateway it serves. The gateway delivers
    /// through `transport` once it is connected (`Gateway.connect`).
    public init(client: any MatrixAPI, gateway: Gateway, clock: any WallClock, logger: Logger) {
        self.client = client
        self.gateway = gateway
        self.clock = clock
        self.logger = logger
    }

    /// The transport the gateway delivers through.
    public nonisolated var transport: MatrixTransport { MatrixTransport(channel: self) }

    // MARK: Sync

    /// Logs in and follows `/sync` until shut down. `onReady` is called once the first sync
    /// position is known.
    public func run(onReady: @Sendable () -> Void = {}) async throws {
        try await client.start()
        let filter = try await client.createFilter()
        let botUserID = client.botUserID
        var since = await gateway.matrixMemory.syncPosition
        if since == nil { since = try await startingPosition(filter: filter, botUserID: botUserID) }
        logger.notice("matrix: syncing", metadata: ["user": "\(botUserID)"])
        await gateway.channel(.matrix, succeeded: true)
        onReady()
        // The first sync after a start does not wait: the backlog comes at once, in one batch.
        // Synapse also answers a sync from a response cache kept per request (since, filter,
        // timeout, device): a long-poll the last run left open may have been answered and
        // cached with only part of what came while the gateway was down; another timeout makes
        // this a request of its own.
        var timeout = 0
        while !Task.isCancelled {
            let response: JSONValue
            do {
                response = try await client.sync(since: since, timeoutSeconds: timeout, filter: filter)
                timeout = client.config.syncTimeoutSeconds
            } catch let error as MatrixError where (400..<500).contains(error.status) {
                // The homeserver no longer knows our position (its database was replaced):
                // start again from now rather than stop for good.
                logger.error(
                    "matrix: the homeserver refused our sync position; starting from now",
                    metadata: ["error": "\(error)"])
                await gateway.channel(.matrix, succeeded: false)
                since = try await startingPosition(filter: filter, botUserID: botUserID)
                continue
            }
            guard let batch = SyncBatch(response, botUserID: botUserID) else {
                logger.error("matrix: sync response without next_batch; trying again")
                continue
            }
            try await process(batch, since: since, botUserID: botUserID)
            since = batch.nextBatch
            await gateway.channel(.matrix, succeeded: true)
        }
    }

    /// The position of now, saved, for a first run: old history is not acted on, but
    /// invites still waiting are answered. An initial sync can come from the homeserver's
    /// response cache (Synapse keeps one for two minutes), so one incremental sync more
    /// finds the position of now.
    private func startingPosition(filter: String, botUserID: UserID) async throws -> String {
        let response = try await client.sync(since: nil, timeoutSeconds: 0, filter: filter)
        guard let initial = SyncBatch(response, botUserID: botUserID),
            let now = SyncBatch(
                try await client.sync(since: initial.nextBatch, timeoutSeconds: 0, filter: filter),
                botUserID: botUserID)
        else {
            throw MatrixError(status: 200, errcode: "KOKEMUS_BAD_RESPONSE", message: "sync gave no next_batch", operation: "sync")
        }
        let pending = Dictionary((initial.invites + now.invites).map { ($0.roomID, $0) }, uniquingKeysWith: { _, last in last })
        for invite in pending.values.sorted(by: { $0.roomID < $1.roomID }) { await handle(invite) }
        try await gateway.remember([.matrix(.synced(position: now.nextBatch))])
        return now.nextBatch
    }

    /// Handles one sync's invites, departures and messages; its messages, the direct rooms
    /// they name and the next sync position are committed together.
    func process(_ batch: SyncBatch, since: String?, botUserID: UserID) async throws {
        var messages: [InboundMessage] = []
        namedDirectRooms = [:]
        for invite in batch.invites { await handle(invite) }
        for roomID in batch.left {
            try await forget(roomID)
        }
        for room in batch.joined {
            var timeline = room.timeline
            if room.limited, let prevBatch = room.prevBatch {
                timeline = try await backfill(room.roomID, from: prevBatch, to: since) + timeline
            }
            for event in room.state + timeline where event.type == "m.room.encryption" {
                var person = await person(matrixID: event.sender)
                if person == nil { person = await self.person(directRoom: room.roomID) }
                if let person { try await handleEncrypted(room.roomID, person: person) }
            }
            guard let owner = try await owner(of: room.roomID, botUserID: botUserID) else { continue }
            // Membership changes come in order with the messages: what the person wrote while
            // the room was theirs alone is served; nothing after someone else came in.
            var ownerIDs: Set<UserID> = []
            let userIDs =
                (room.state + timeline).compactMap { $0.type == "m.room.member" ? $0.stateKey.map { UserID($0) } : nil }
                + timeline.map(\.sender)
            for userID in Set(userIDs) where await person(matrixID: userID)?.id == owner.id { ownerIDs.insert(userID) }
            let (served, ending) = RoomPrivacy.servedEvents(
                state: room.state, timeline: timeline, botUserID: botUserID,
                personIDs: ownerIDs)
            for event in served where event.sender != botUserID {
                guard ownerIDs.contains(event.sender) else {
                    logger.debug("matrix: event from someone other than the room's person", metadata: ["room": "\(room.roomID)"])
                    continue
                }
                if let message = try await inbound(event, in: room.roomID, from: owner) { messages.append(message) }
            }
            switch ending {
            case .none: break
            case .othersCameIn: try await leaveShared(room.roomID, person: owner)
            case .personLeft: try await leaveAbandoned(room.roomID, person: owner)
            }
        }
        // All of a sync's messages in one commit (one fsync), answered after it: many arrive
        // at once after downtime or under load.
        if messages.count > 1 {
            logger.info("matrix: \(messages.count) messages from one sync handled together")
        }
        // A room the person wrote in becomes their direct room: the gateway answers where
        // they last wrote.
        let memory = namedDirectRooms.sorted { $0.key < $1.key }.map {
            ChannelMemoryChange.matrix(.directRoom(person: $0.key, room: $0.value))
        }
        namedDirectRooms = [:]
        try await gateway.receive(batch: messages, remembering: memory + [.matrix(.synced(position: batch.nextBatch))])
    }

    /// Forgets the room: it serves no one and is no one's direct room (the bot left or leaves).
    private func forget(_ roomID: RoomID) async throws {
        namedDirectRooms = namedDirectRooms.filter { $0.value != roomID }
        let memory = await gateway.matrixMemory
        guard memory.roomPeople[roomID] != nil || memory.botMadeRooms.contains(roomID) || memory.person(directRoom: roomID) != nil
        else { return }
        try await gateway.remember([.matrix(.roomForgotten(roomID))])
    }

    /// The person a room serves. A room from before rooms were recorded is known by the
    /// direct-room mapping, or else by its members: the bot and one registry person. Any other
    /// room is no one's and is left.
    private func owner(of roomID: RoomID, botUserID: UserID) async throws -> Person? {
        let memory = await gateway.matrixMemory
        if let id = memory.roomPeople[roomID] {
            if let person = await gateway.registry.person(id) { return person }
        } else if let person = await person(directRoom: roomID) {
            try await gateway.remember([.matrix(.roomServes(room: roomID, person: person.id))])
            return person
        } else {
            do {
                let others = try await client.members(roomID).filter { $0 != botUserID }
                if others.count == 1, let person = await person(matrixID: others[0]) {
                    try await gateway.remember([.matrix(.roomServes(room: roomID, person: person.id))])
                    return person
                }
            } catch let error as MatrixError where (400..<500).contains(error.status) {
                logger.debug("matrix: could not read a room's members", metadata: ["room": "\(roomID)", "error": "\(error)"])
                return nil
            }
        }
        logger.notice("matrix: left a room that is not one registry person's room with the bot", metadata: ["room": "\(roomID)"])
        try await forget(roomID)
        await leaveQuietly(roomID)
        return nil
    }

    /// Someone besides the person and the bot was invited or joined: the person is told once,
    /// in their own direct room (made anew if need be), and the bot leaves.
    private func leaveShared(_ roomID: RoomID, person: Person) async throws {
        try await forget(roomID)
        await leaveQuietly(roomID)
        logger.notice(
            "matrix: left a room someone else was invited to or joined",
            metadata: ["room": "\(roomID)", "person": "\(person.id)"])
        guard await !gateway.matrixMemory.sharedRoomsTold.contains(roomID) else { return }
        do {
            let direct = try await directRoom(for: person)
            let text = await gateway.catalog.text(.roomNotPrivate, gateway.language(of: person.id))
            let sent = try await client.send(
                direct, type: "m.room.message",
                transactionID: try await transactionID("shared-\(roomID)"), content: Self.notice(text))
            if let sent { lastSent[direct] = sent }
            try await gateway.remember([.matrix(.sharedRoomTold(roomID))])
        } catch let error as MatrixError where (400..<500).contains(error.status) {
            // The homeserver refuses for good (the person blocks invites, say): not telling
            // them must not stop the channel for everyone.
            logger.error(
                "matrix: could not tell a person why the bot left a room",
                metadata: ["room": "\(roomID)", "person": "\(person.id)", "error": "\(error)"])
        }
    }

    /// The person left or was removed: no one is left to serve there.
    private func leaveAbandoned(_ roomID: RoomID, person: Person) async throws {
        try await forget(roomID)
        await leaveQuietly(roomID)
        logger.info("matrix: left a room its person left", metadata: ["room": "\(roomID)", "person": "\(person.id)"])
    }

    private func leaveQuietly(_ roomID: RoomID) async {
        do {
            try await client.leave(roomID)
        } catch {
            logger.warning("matrix: could not leave a room", metadata: ["room": "\(roomID)", "error": "\(error)"])
        }
    }

    /// Events the server left out of a `limited` timeline, oldest first.
    private func backfill(_ roomID: RoomID, from: String, to: String?) async throws -> [RoomEvent] {
        var events: [RoomEvent] = []
        var position = from
        // Page back to where the last sync ended; a bound keeps a broken server from looping us.
        for _ in 0..<50 {
            let response = try await client.messages(roomID, from: position, to: to)
            let chunk = response["chunk"]?.array?.compactMap(RoomEvent.init) ?? []
            events += chunk
            guard !chunk.isEmpty, let end = response["end"]?.string, end != position else { break }
            position = end
        }
        logger.info("matrix: filled a gap in the timeline", metadata: ["room": "\(roomID)", "events": "\(events.count)"])
        return events.reversed()
    }

    /// The message an event from the room's person brings the gateway, if any; encrypted
    /// events are answered here. The room passed the privacy test up to this event, so it may
    /// become the person's direct room: the gateway answers where they last wrote.
    private func inbound(_ event: RoomEvent, in roomID: RoomID, from person: Person) async throws -> InboundMessage? {
        switch event.type {
        case "m.room.message":
            // Notices are bot output: never answer them (loops). Only text is read.
            guard ["m.text", "m.emote"].contains(event.content["msgtype"]?.string ?? ""),
                let body = event.content["body"]?.string
            else { return nil }
            // The room they wrote in last, this sync's rooms included, is where answers go.
            let saved = await gateway.matrixMemory.directRooms[person.id]
            let current = namedDirectRooms[person.id] ?? saved
            if current != roomID { namedDirectRooms[person.id] = roomID }
            return InboundMessage(
                id: event.eventID.rawValue, channel: .matrix, sender: person.id,
                text: Self.stripReplyFallback(body), receivedAt: Self.writtenAt(event, now: clock.now()))
        case "m.reaction":
            let key = (event.content["m.relates_to"]?["key"]?.string ?? "").replacingOccurrences(of: "\u{FE0F}", with: "")
            guard let gesture = Self.gesture(key) else {
                logger.debug(
                    "matrix: ignored a reaction that is no yes or no",
                    metadata: ["person": "\(person.id)", "key": "\(key.prefix(16))"])
                return nil
            }
            // Only on the bot's newest message, the question now open: a 👍 on an older offer,
            // a relay or a notice must not take whatever task is being offered now.
            let target = event.content["m.relates_to"]?["event_id"]?.string.map { EventID($0) }
            guard let target, await latestBotEvent(in: roomID) == target else {
                logger.debug("matrix: ignored a reaction on an earlier message", metadata: ["person": "\(person.id)"])
                return nil
            }
            return InboundMessage(
                id: event.eventID.rawValue, channel: .matrix, sender: person.id, text: "",
                receivedAt: Self.writtenAt(event, now: clock.now()), gesture: gesture)
        case "m.room.encrypted":
            try await handleEncrypted(roomID, person: person)
            return nil
        default:
            return nil
        }
    }

    /// The id of the bot's newest message in the room: known from this run's sends, else read
    /// from the room's newest events (after a restart).
    private func latestBotEvent(in roomID: RoomID) async -> EventID? {
        if let known = lastSent[roomID] { return known }
        do {
            let bot = client.botUserID
            let events = try await client.latestMessages(roomID)["chunk"]?.array?.compactMap(RoomEvent.init) ?? []
            let newest = events.first { $0.sender == bot && $0.type == "m.room.message" }?.eventID
            if let newest { lastSent[roomID] = newest }
            return newest
        } catch {
            logger.debug("matrix: could not read a room's newest events", metadata: ["room": "\(roomID)", "error": "\(error)"])
            return nil
        }
    }

    /// 👍 and ✅ say yes, 👎 and ❌ no, in any skin tone.
    static func gesture(_ key: String) -> InboundMessage.Gesture? {
        let base = String(key.unicodeScalars.filter { !(0x1F3FB...0x1F3FF).contains($0.value) && $0.value != 0xFE0F })
        return ["👍", "✅"].contains(base) ? .yes : ["👎", "❌"].contains(base) ? .no : nil
    }

    /// Joins invites from registry people to rooms with no one else in them; refuses the rest.
    private func handle(_ invite: SyncBatch.Invite) async {
        do {
            guard let inviter = invite.inviter, let person = await person(matrixID: inviter) else {
                logger.notice(
                    "matrix: refused an invite from someone not in the registry",
                    metadata: ["room": "\(invite.roomID)", "inviter": "\(invite.inviter.map { LogRedaction.address($0.rawValue) } ?? "?")"])
                try await client.leave(invite.roomID)
                return
            }
            try await client.join(invite.roomID)
            if invite.encrypted {
                try await handleEncrypted(invite.roomID, person: person)
                return
            }
            let botUserID = client.botUserID
            let others = try await client.members(invite.roomID).filter { $0 != botUserID && $0 != inviter }
            guard others.isEmpty, !invite.open else {
                // The bot talks to one person per room, so that no one's contact details reach another.
                logger.notice("matrix: left a room with other people in it", metadata: ["room": "\(invite.roomID)"])
                try await client.leave(invite.roomID)
                return
            }
            try await gateway.remember([.matrix(.directRoom(person: person.id, room: invite.roomID))])
            logger.info("matrix: joined", metadata: ["room": "\(invite.roomID)", "person": "\(person.id)"])
        } catch {
            logger.error("matrix: could not handle an invite", metadata: ["room": "\(invite.roomID)", "error": "\(error)"])
        }
    }

    /// The bot cannot read encrypted rooms: it says so once, in the person's language,
    /// opens an unencrypted direct room of its own, and leaves.
    private func handleEncrypted(_ roomID: RoomID, person: Person) async throws {
        if await !gateway.matrixMemory.encryptedRoomsNoticed.contains(roomID) {
            try await forget(roomID)
            _ = try await directRoom(for: person)
            let text = await gateway.catalog.text(.encryptedRoom, gateway.language(of: person.id))
            try await client.send(
                roomID, type: "m.room.message", transactionID: try await transactionID("encrypted-\(roomID)"),
                content: Self.notice(text))
            try await gateway.remember([.matrix(.encryptedRoomNoticed(roomID))])
            logger.notice("matrix: left an encrypted room after a notice", metadata: ["room": "\(roomID)", "person": "\(person.id)"])
        }
        do {
            try await client.leave(roomID)
        } catch {
            logger.warning("matrix: could not leave an encrypted room", metadata: ["room": "\(roomID)", "error": "\(error)"])
        }
    }

    // MARK: Direct rooms

    /// The person's direct room, created (unencrypted, with `is_direct` and `m.direct`) if
    /// they have none. A retry after a failure finds a room created earlier by its marker.
    public func directRoom(for person: Person) async throws -> RoomID {
        if let room = await gateway.matrixMemory.directRooms[person.id] { return room }
        if creating[person.id] != nil {
            return try await withCheckedThrowingContinuation { waiter in creating[person.id, default: []].append(waiter) }
        }
        creating[person.id] = []
        let result: Result<RoomID, any Error>
        do {
            result = .success(try await findOrCreateDirectRoom(for: person))
        } catch {
            result = .failure(error)
        }
        for waiter in creating.removeValue(forKey: person.id) ?? [] { waiter.resume(with: result) }
        return try result.get()
    }

    /// Callers waiting for the person's direct room being made (for tests).
    func waitersForDirectRoom(of person: PersonID) -> Int { creating[person]?.count ?? 0 }

    private func findOrCreateDirectRoom(for person: Person) async throws -> RoomID {
        guard let userID = person.contacts.matrix.map({ UserID($0) }) else {
            throw MatrixError(
                status: 0, errcode: "KOKEMUS_NO_ADDRESS", message: "\(person.id) has no Matrix ID",
                operation: "direct room")
        }
        var room: RoomID?
        let botUserID = client.botUserID
        for candidate in try await client.joinedRooms() {
            let memory = await gateway.matrixMemory
            guard !memory.encryptedRoomsNoticed.contains(candidate) else { continue }
            let recorded = memory.roomPeople[candidate] == person.id
            if !recorded {
                let marker = try await client.stateEvent(candidate, type: Self.directRoomMarker)
                guard marker?["person"]?.string == person.id.rawValue else { continue }
            }
            // Only a room of the two of them: a room the person left is no way to reach them,
            // and one with others in it is no place for their messages.
            let members = try await client.members(candidate).filter { $0 != botUserID }
            if members.count == 1, await self.person(matrixID: members[0])?.id == person.id {
                room = candidate
                break
            }
        }
        var made = false
        if room == nil {
            made = true
            room = try await client.createDirectRoom(
                with: userID, markerType: Self.directRoomMarker,
                marker: ["person": .string(person.id.rawValue)])
            logger.info("matrix: created a direct room", metadata: ["room": "\(room!)", "person": "\(person.id)"])
        }
        let roomID = room!
        var direct = try await client.directRooms()
        if !(direct[userID] ?? []).contains(roomID) {
            direct[userID, default: []].append(roomID)
            try await client.setDirectRooms(direct)
        }
        try await gateway.remember([
            .matrix(made ? .directRoomMade(person: person.id, room: roomID) : .directRoom(person: person.id, room: roomID))
        ])
        return roomID
    }

    // MARK: Sending

    /// Delivers one outbox message to the person's direct room.
    func deliver(_ message: OutboxMessage, to person: Person) async throws {
        var room = try await directRoom(for: person)
        // A room the person made can gain members between two syncs: looked at before every
        // send. In the bot's own rooms no one but the bot can invite anyone.
        if await !isBotMade(room), try await !isPrivate(room, for: person) {
            try await leaveShared(room, person: person)
            room = try await directRoom(for: person)
        }
        do {
            let sent = try await client.send(
                room, type: "m.room.message", transactionID: try await transactionID("m\(message.id)"),
                content: Self.notice(message.text))
            if let sent { lastSent[room] = sent }
        } catch let error as MatrixError
            where error.status == 413 || error.errcode == "M_TOO_LARGE"
            || error.errcode == "M_BAD_JSON" || error.errcode == "M_NOT_JSON"
        {
            // Sending it again can never work: the message is given up so that the ones after
            // it to this person are not held behind it for ever.
            throw UndeliverableMatrixMessage(error: error)
        }
    }

    /// A transaction id unique to this state directory: outbox ids start again from 1 in a
    /// new state, and the homeserver would take a reused id on the same device for a resend.
    private func transactionID(_ suffix: String) async throws -> String {
        if let prefix = await gateway.matrixMemory.transactionPrefix { return "\(prefix)-\(suffix)" }
        let prefix = "kk" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await gateway.remember([.matrix(.transactionPrefixMade(prefix))])
        // Another send may have made one at the same moment: the one remembered counts.
        return "\(await gateway.matrixMemory.transactionPrefix ?? prefix)-\(suffix)"
    }

    /// When the person wrote the event: the homeserver's time, never later than now. Messages
    /// written while the gateway was down keep their times, so the per-person rate limit does
    /// not take a backlog for a flood.
    static func writtenAt(_ event: RoomEvent, now: Date) -> Date {
        min(event.serverTime ?? now, now)
    }

    /// A bot message: a notice (clients never auto-answer notices), plain and HTML, pinging no one.
    static func notice(_ text: String) -> JSONValue {
        let html = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "\n", with: "<br>")
        return [
            "msgtype": "m.notice", "body": .string(text), "format": "org.matrix.custom.html",
            "formatted_body": .string(html), "m.mentions": [:],
        ]
    }

    /// Drops the `> ` quote a client puts in front of a reply, so an old message never
    /// reaches a flow as if it were the answer.
    static func stripReplyFallback(_ body: String) -> String {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.hasPrefix("> ") == true else { return body }
        let rest = lines.drop { $0.hasPrefix(">") }.drop { $0.isEmpty }
        return rest.joined(separator: "\n")
    }

    /// Whether the bot made the room (and so alone may invite anyone to it).
    private func isBotMade(_ roomID: RoomID) async -> Bool {
        await gateway.matrixMemory.botMadeRooms.contains(roomID)
    }

    /// Whether the room's members, joined or invited, are the person and the bot.
    private func isPrivate(_ roomID: RoomID, for person: Person) async throws -> Bool {
        let bot = client.botUserID
        let others = try await client.members(roomID).filter { $0 != bot }
        guard others.count == 1 else { return false }
        return await self.person(matrixID: others[0])?.id == person.id
    }

    // MARK: Lookup

    private func person(matrixID: UserID) async -> Person? {
        await gateway.registry.person(channel: .matrix, address: matrixID.rawValue)
    }

    private func person(directRoom roomID: RoomID) async -> Person? {
        guard let id = await gateway.matrixMemory.person(directRoom: roomID) else { return nil }
        return await gateway.registry.person(id)
    }
}

/// Delivers the gateway's messages through a ``MatrixChannel``.
public struct MatrixTransport: MessageTransport {
    public let channel = Channel.matrix
    let matrix: MatrixChannel

    init(channel: MatrixChannel) {
        matrix = channel
    }

    public func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange] {
        try await matrix.deliver(message, to: person)
        return []
    }
}

/// A message the homeserver refuses for what it is (too large, malformed), not for the moment.
struct UndeliverableMatrixMessage: UndeliverableMessageError, CustomStringConvertible {
    var error: MatrixError
    var description: String { "\(error)" }
}
