import Foundation
import KokemusCore
import Testing

@testable import KokemusMatrix

/// Which events of a room the gateway serves, from membership alone, without a server.
@Suite struct RoomPrivacyTests {
    let bot: UserID = "@bot:localhost", anna: UserID = "@anna:localhost", kalle: UserID = "@kalle:localhost"

    func message(_ id: String, from sender: UserID) -> RoomEvent {
        RoomEvent(eventID: EventID(id), sender: sender, type: "m.room.message", content: ["msgtype": "m.text", "body": "hei"])
    }

    func member(_ user: UserID, _ membership: String, by sender: UserID? = nil) -> RoomEvent {
        RoomEvent(
            eventID: EventID("$m-\(user)-\(membership)"), sender: sender ?? user, type: "m.room.member", stateKey: user.rawValue,
            content: ["membership": .string(membership)])
    }

    func served(state: [RoomEvent] = [], _ timeline: [RoomEvent]) -> ([String], RoomPrivacy.Ending) {
        let (events, ending) = RoomPrivacy.servedEvents(state: state, timeline: timeline, botUserID: bot, personIDs: [anna])
        return (events.map(\.eventID.rawValue), ending)
    }

    @Test func aRoomOfThePersonAndTheBotIsServedWhole() {
        let result = served(state: [member(anna, "join")], [member(bot, "join"), message("$1", from: anna), message("$2", from: anna)])
        #expect(result.0 == ["$m-@bot:localhost-join", "$1", "$2"] && result.1 == .none)
    }

    @Test func nothingIsServedFromTheInviteOfAThirdPersonOn() {
        let invited = served([message("$1", from: anna), member(kalle, "invite", by: anna), message("$2", from: anna)])
        #expect(invited.0 == ["$1"] && invited.1 == .othersCameIn)
        let joined = served([member(kalle, "join"), message("$1", from: anna)])
        #expect(joined.0.isEmpty && joined.1 == .othersCameIn)
        // Already there before this sync's timeline.
        let before = served(state: [member(kalle, "join")], [message("$1", from: anna)])
        #expect(before.0.isEmpty && before.1 == .othersCameIn)
    }

    @Test func aRoomOpenedToAnyoneIsNoLongerPrivate() {
        let publicRoom = RoomEvent(
            eventID: "$j", sender: anna, type: "m.room.join_rules", stateKey: "",
            content: ["join_rule": "public"])
        let readable = RoomEvent(
            eventID: "$h", sender: anna, type: "m.room.history_visibility", stateKey: "",
            content: ["history_visibility": "world_readable"])
        let opened = served([message("$1", from: anna), publicRoom, message("$2", from: anna)])
        #expect(opened.0 == ["$1"] && opened.1 == .othersCameIn)
        #expect(served(state: [readable], [message("$1", from: anna)]).1 == .othersCameIn)
        let invitesOnly = RoomEvent(eventID: "$i", sender: anna, type: "m.room.join_rules", stateKey: "", content: ["join_rule": "invite"])
        #expect(served([invitesOnly, message("$1", from: anna)]).1 == .none)
    }

    @Test func aKnockOrARefusedInviteLetsNoOneIn() {
        let result = served([member(kalle, "knock"), member(kalle, "leave"), message("$1", from: anna)])
        #expect(result.0.count == 3 && result.1 == .none)
    }

    @Test func thePersonLeavingEndsTheRoom() {
        let left = served([message("$1", from: anna), member(anna, "leave"), message("$2", from: anna)])
        #expect(left.0 == ["$1"] && left.1 == .personLeft)
        let banned = served([member(anna, "ban", by: kalle)])
        #expect(banned.0.isEmpty && banned.1 == .personLeft)
    }

    @Test func reactionsSayYesOrNoInAnySkinTone() {
        #expect(MatrixChannel.gesture("👍") == .yes && MatrixChannel.gesture("👍️") == .yes && MatrixChannel.gesture("👍🏽") == .yes)
        #expect(MatrixChannel.gesture("✅") == .yes && MatrixChannel.gesture("👎🏿") == .no && MatrixChannel.gesture("❌") == .no)
        #expect(MatrixChannel.gesture("❤️") == nil && MatrixChannel.gesture("👍👎") == nil && MatrixChannel.gesture("") == nil)
    }
}
