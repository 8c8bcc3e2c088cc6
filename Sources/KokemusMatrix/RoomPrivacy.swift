import KokemusCore

/// Which of a room's new events the gateway may serve: those written while the room's
/// members, joined or invited, were only its person and the bot.
///
/// A `/sync` gives a room's state changes since the last position (`state`, before the
/// timeline) and its timeline in order, membership events among the messages. From the first
/// membership event that lets anyone else in (an invite or a join of a third user), or that
/// takes the person out (leave, ban), nothing more is served, and the room must be left.
enum RoomPrivacy {
    enum Ending: Equatable {
        /// The room is still the person's alone.
        case none
        /// Someone else was invited or joined, or the room was opened to anyone (public, or its
        /// history readable by all): tell the person, leave.
        case othersCameIn
        /// The person left or was banned: leave.
        case personLeft
    }

    /// The events to serve, in order, and why serving ended if it did. `personIDs` are the
    /// Matrix IDs of the room's person (as the registry knows them).
    static func servedEvents(
        state: [RoomEvent], timeline: [RoomEvent], botUserID: UserID,
        personIDs: Set<UserID>
    ) -> (served: [RoomEvent], ending: Ending) {
        for event in state {
            let ending = self.ending(event, botUserID: botUserID, personIDs: personIDs)
            if ending != .none { return ([], ending) }
        }
        for (index, event) in timeline.enumerated() {
            let ending = self.ending(event, botUserID: botUserID, personIDs: personIDs)
            if ending != .none { return (Array(timeline[..<index]), ending) }
        }
        return (timeline, .none)
    }

    static func ending(_ event: RoomEvent, botUserID: UserID, personIDs: Set<UserID>) -> Ending {
        // A room anyone may join, or whose history anyone may read, is no one's private room.
        if event.type == "m.room.join_rules", event.content["join_rule"]?.string == "public" { return .othersCameIn }
        if event.type == "m.room.history_visibility", event.content["history_visibility"]?.string == "world_readable" {
            return .othersCameIn
        }
        guard event.type == "m.room.member", let member = event.stateKey.map({ UserID($0) }), member != botUserID else { return .none }
        let membership = event.content["membership"]?.string ?? ""
        if personIDs.contains(member) {
            return membership == "leave" || membership == "ban" ? .personLeft : .none
        }
        // A knock or a refused invite lets no one read the room; an invite or a join does.
        return membership == "invite" || membership == "join" ? .othersCameIn : .none
    }
}
