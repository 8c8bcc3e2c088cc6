import Foundation
import KokemusCore
import Testing

@testable import KokemusMatrix

/// Reading homeserver responses, including broken ones, without a server.
@Suite struct SyncBatchTests {
    let bot: UserID = "@bot:localhost"

    func batch(_ json: String) -> SyncBatch? {
        JSONValue.parse(Data(json.utf8)).flatMap { SyncBatch($0, botUserID: bot) }
    }

    @Test func readsTimelinesInvitesAndLeaves() throws {
        let sync = try #require(
            batch(
                """
                {"next_batch": "s2",
                 "rooms": {
                   "join": {"!a:localhost": {
                     "timeline": {"limited": true, "prev_batch": "p1", "events": [
                       {"event_id": "$1", "sender": "@employee:localhost", "type": "m.room.message",
                        "content": {"msgtype": "m.text", "body": "tilaa"}},
                       {"sender": "@employee:localhost", "type": "m.room.message", "content": {}},
                       {"event_id": "$2", "sender": "@employee:localhost", "type": "m.reaction",
                        "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$0", "key": "👍️"}}}]},
                     "state": {"events": [{"event_id": "$3", "sender": "@employee:localhost", "type": "m.room.encryption",
                                           "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]}}},
                   "invite": {"!b:localhost": {"invite_state": {"events": [
                       {"type": "m.room.encryption", "state_key": "", "sender": "@employee:localhost", "content": {}},
                       {"type": "m.room.member", "state_key": "@bot:localhost", "sender": "@employee:localhost",
                        "content": {"membership": "invite"}}]}}},
                   "leave": {"!c:localhost": {}}}}
                """))
        #expect(sync.nextBatch == "s2")
        let room = try #require(sync.joined.first)
        #expect(room.roomID == "!a:localhost")
        #expect(room.limited && room.prevBatch == "p1")
        #expect(room.timeline.map(\.eventID) == ["$1", "$2"])  // the event without an id is skipped
        #expect(room.timeline[0].content["body"]?.string == "tilaa")
        #expect(room.state.first?.type == "m.room.encryption")
        #expect(sync.invites.first?.inviter == "@employee:localhost")
        #expect(sync.invites.first?.encrypted == true)
        #expect(sync.left == ["!c:localhost"])
    }

    @Test func garbageIsNotASyncResponse() {
        #expect(batch("<html>502 Bad Gateway</html>") == nil)
        #expect(batch(#"{"rooms": {}}"#) == nil)
        #expect(batch(#"{"next_batch": "s1", "rooms": {"join": [1, 2], "invite": "x"}}"#)?.joined.isEmpty == true)
    }

    @Test func anyBytesParseOrAreRefused() {
        var generator = SystemRandomNumberGenerator()
        let sample = Array(
            #"{"next_batch":"s","rooms":{"join":{"!r":{"timeline":{"events":[{"event_id":"$","sender":"@","type":"m"}]}}}}}"#.utf8)
        for _ in 0..<2_000 {
            var bytes = sample
            for _ in 0..<3 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = JSONValue.parse(Data(bytes)).flatMap { SyncBatch($0, botUserID: bot) }
        }
    }

    @Test func retryDelayPrefersTheHeaderAndIsClamped() {
        #expect(MatrixClient.retryDelay(header: 4, retryAfterMs: 3654, jitter: 0) == 4)
        #expect(MatrixClient.retryDelay(header: nil, retryAfterMs: 3654, jitter: 0) == 3.654)
        #expect(MatrixClient.retryDelay(header: 86_400, retryAfterMs: nil, jitter: 0) == 60)
        #expect(MatrixClient.retryDelay(header: 0, retryAfterMs: nil, jitter: 0) == 0.1)
        #expect(MatrixClient.retryDelay(header: nil, retryAfterMs: nil, jitter: 0.2) == 1.2)
    }

    @Test func noticesAreEscapedHTMLWithoutMentions() {
        let notice = MatrixChannel.notice("Hei <b>Anna</b> & co\ntoinen rivi")
        #expect(notice["msgtype"]?.string == "m.notice")
        #expect(notice["body"]?.string == "Hei <b>Anna</b> & co\ntoinen rivi")
        #expect(notice["formatted_body"]?.string == "Hei &lt;b&gt;Anna&lt;/b&gt; &amp; co<br>toinen rivi")
        #expect(notice["m.mentions"] == .object([:]))
    }

    @Test func replyQuotesAreStripped() {
        #expect(MatrixChannel.stripReplyFallback("> <@bot:localhost> Vastaa kyllä tai ei\n\nkyllä") == "kyllä")
        #expect(MatrixChannel.stripReplyFallback("kyllä\n> ei lainaus") == "kyllä\n> ei lainaus")
    }

    @Test func configComesFromTheSectionAndTheEnvironment() throws {
        let section = ["homeserver": "http://127.0.0.1:8008/", "user_id": "@bot:localhost", "device_id": "DEV"]
        let config = try MatrixConfig(section: section, environment: ["KOKEMUS_MATRIX_PASSWORD": "secret"], file: "k.yaml")
        #expect(config.homeserver == "http://127.0.0.1:8008")
        #expect(config.deviceID == "DEV" && config.password == "secret" && config.syncTimeoutSeconds == 30)
        let noSecret = #expect(throws: ConfigError.self) { try MatrixConfig(section: section, environment: [:], file: "k.yaml") }
        #expect(noSecret?.description.contains("KOKEMUS_MATRIX_PASSWORD") == true)
        #expect(throws: ConfigError.self) {
            try MatrixConfig(
                section: section.merging(["password": "x"]) { $1 }, environment: ["KOKEMUS_MATRIX_PASSWORD": "s"], file: "k.yaml")
        }
    }

    /// A mistake in the matrix section is reported at its key's line, as the core's are.
    @Test func configErrorsNameTheLineOfTheKey() throws {
        let section = ChannelSection(
            ["homeserver": "http://127.0.0.1:8008", "user_id": "bot", "sync_timeout_seconds": "0"],
            file: "k.yaml", line: 4, keyLines: ["homeserver": 5, "user_id": 6, "sync_timeout_seconds": 7])
        let environment = ["KOKEMUS_MATRIX_PASSWORD": "s"]
        #expect(throws: ConfigError("matrix needs 'user_id' like @kokemus:example.org", file: "k.yaml", line: 6)) {
            try MatrixConfig(section: section, environment: environment)
        }
        var timeout = section
        timeout.values["user_id"] = "@bot:localhost"
        #expect(throws: ConfigError("sync_timeout_seconds must be a whole number from 1 to 300", file: "k.yaml", line: 7)) {
            try MatrixConfig(section: timeout, environment: environment)
        }
        var missing = timeout
        missing.values["homeserver"] = nil
        missing.keyLines["homeserver"] = nil
        #expect(throws: ConfigError("matrix needs 'homeserver', an http(s) URL", file: "k.yaml", line: 4)) {
            try MatrixConfig(section: missing, environment: environment)
        }
    }

    @Test func eventsWithEmptyIDsOrSendersAreSkipped() throws {
        // A regression case from the fuzz run of seed 20261125.
        let sync = try #require(
            batch(
                """
                {"next_batch": "s3", "rooms": {"join": {"!a:localhost": {"timeline": {"events": [
                  {"event_id": "", "sender": "@employee:localhost", "type": "m.room.message", "content": {"body": "a"}},
                  {"event_id": "$5", "sender": "", "type": "m.room.message", "content": {"body": "b"}},
                  {"event_id": "$6", "sender": "@employee:localhost", "type": "m.room.message", "content": {"body": "c"}}]}}}}}
                """))
        #expect(sync.joined.first?.timeline.map(\.eventID) == ["$6"])
    }
}

@Suite struct WrittenAtTests {
    @Test func aMessageKeepsTheTimeTheHomeserverTookItNeverLaterThanNow() {
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let event = { (stamp: JSONValue) in
            RoomEvent(
                JSONValue.object([
                    "event_id": "$e", "sender": "@a:localhost", "type": "m.room.message",
                    "origin_server_ts": stamp, "content": .object([:]),
                ]))!
        }
        #expect(MatrixChannel.writtenAt(event(.number(1_795_999_000_000)), now: now) == Date(timeIntervalSince1970: 1_795_999_000))
        #expect(MatrixChannel.writtenAt(event(.number(1_796_999_000_000)), now: now) == now)
        #expect(MatrixChannel.writtenAt(event(.number(1e300)), now: now) == now)
        #expect(MatrixChannel.writtenAt(event(.string("x")), now: now) == now)
    }
}
