import CurlKit
import Foundation
import KokemusCore
import Logging

/// The client-server API (v3) over libcurl. Long-polls run on one worker thread and every
/// other request on another, so a 30-second `/sync` never delays a send.
///
/// Requests are retried where that is safe: on 429 after the homeserver's `Retry-After`
/// (or `retry_after_ms`), clamped and with jitter; on 5xx and network errors with
/// exponential back-off; on an unknown token after logging in again with the same device.
/// Requests that are not idempotent (`createRoom`) are not retried blindly.
public actor MatrixClient {
    public let config: MatrixConfig
    private let syncWorker = CurlWorker(name: "matrix-sync")
    private let sendWorker = CurlWorker(name: "matrix-send")
    private var accessToken: String?
    private let logger: Logger
    /// Longest wait honoured from a `Retry-After`.
    static let maximumRetryAfter: Double = 60
    /// Longest back-off after network errors and 5xx.
    static let maximumBackoff: Double = 30

    public init(config: MatrixConfig, logger: Logger) {
        self.config = config
        self.accessToken = config.accessToken
        self.logger = logger
    }

    public var userID: String { config.userID }

    /// Stops every transfer, including a long-poll in progress.
    public nonisolated func shutdown() {
        syncWorker.stop()
        sendWorker.stop()
    }

    // MARK: Session

    /// Logs in with the password and the configured device id, unless a token was given;
    /// then checks the identity with `whoami`.
    public func start() async throws {
        if accessToken == nil { try await login() }
        let whoami = try await request("GET", "/account/whoami", operation: "whoami")
        guard whoami["user_id"]?.string == config.userID else {
            throw MatrixError(
                status: 200, errcode: "KOKEMUS_WRONG_USER",
                message: "the token belongs to \(whoami["user_id"]?.string ?? "nobody"), not \(config.userID)",
                operation: "whoami")
        }
    }

    private func login() async throws {
        guard let password = config.password else {
            throw MatrixError(
                status: 401, errcode: "M_UNKNOWN_TOKEN", message: "the access token is not valid and no password is set",
                operation: "login")
        }
        let localpart = String(config.userID.dropFirst().prefix { $0 != ":" })
        let body: JSONValue = [
            "type": "m.login.password",
            "identifier": ["type": "m.id.user", "user": .string(localpart)],
            "password": .string(password),
            "device_id": .string(config.deviceID),
            "initial_device_display_name": "Kokemus gateway",
        ]
        let response = try await request("POST", "/login", body: body, authenticated: false, operation: "login")
        guard let token = response["access_token"]?.string else {
            throw MatrixError(status: 200, errcode: "KOKEMUS_BAD_RESPONSE", message: "login gave no access token", operation: "login")
        }
        accessToken = token
        if let device = response["device_id"]?.string, device != config.deviceID {
            logger.warning("matrix: homeserver gave another device id", metadata: ["device": "\(device)"])
        }
        logger.info("matrix: logged in", metadata: ["user": "\(config.userID)", "device": "\(config.deviceID)"])
    }

    // MARK: API

    public func createFilter() async throws -> String {
        let filter: JSONValue = [
            "room": [
                "timeline": ["limit": 50],
                "state": ["lazy_load_members": true],
                "ephemeral": ["types": []],
                "account_data": ["types": []],
            ],
            "presence": ["types": []],
            "account_data": ["types": []],
        ]
        let response = try await request("POST", "/user/\(encode(config.userID))/filter", body: filter, operation: "filter")
        guard let id = response["filter_id"]?.string else {
            throw MatrixError(status: 200, errcode: "KOKEMUS_BAD_RESPONSE", message: "no filter_id", operation: "filter")
        }
        return id
    }

    public func sync(since: String?, timeoutSeconds: Int, filter: String?) async throws -> JSONValue {
        var query = [("timeout", String(timeoutSeconds * 1000)), ("set_presence", "offline")]
        if let since { query.append(("since", since)) }
        if let filter { query.append(("filter", filter)) }
        return try await request(
            "GET", "/sync", query: query, worker: syncWorker,
            timeoutSeconds: timeoutSeconds + 30, operation: "sync")
    }

    public func join(_ roomID: RoomID) async throws {
        _ = try await request("POST", "/rooms/\(encode(roomID.rawValue))/join", body: [:], operation: "join")
    }

    public func leave(_ roomID: RoomID) async throws {
        _ = try await request("POST", "/rooms/\(encode(roomID.rawValue))/leave", body: [:], operation: "leave")
    }

    public func joinedRooms() async throws -> [RoomID] {
        let response = try await request("GET", "/joined_rooms", operation: "joined_rooms")
        return response["joined_rooms"]?.array?.compactMap { $0.string.map { RoomID($0) } } ?? []
    }

    /// Everyone in the room or invited to it.
    public func members(_ roomID: RoomID) async throws -> [UserID] {
        let response = try await request(
            "GET", "/rooms/\(encode(roomID.rawValue))/members", query: [("not_membership", "leave")],
            operation: "members")
        return response["chunk"]?.array?.compactMap { event -> UserID? in
            let membership = event["content"]?["membership"]?.string
            guard membership == "join" || membership == "invite" else { return nil }
            return event["state_key"]?.string.map { UserID($0) }
        } ?? []
    }

    /// A state event's content, or nil if the room has none of that type and key.
    public func stateEvent(_ roomID: RoomID, type: String, key: String = "") async throws -> JSONValue? {
        do {
            return try await request(
                "GET", "/rooms/\(encode(roomID.rawValue))/state/\(encode(type))/\(encode(key))",
                operation: "state")
        } catch let error as MatrixError where error.status == 404 {
            return nil
        }
    }

    /// Creates an unencrypted direct room with `userID`, marked with a state event that
    /// lets a retry find it instead of creating a second one. Not retried here.
    public func createDirectRoom(with userID: UserID, markerType: String, marker: JSONValue) async throws -> RoomID {
        let body: JSONValue = [
            "is_direct": true,
            // The person may write, but only the bot may invite anyone or change the room (make it
            // public, readable by all): a room of the two of them stays one. History is shown
            // from the invite on (the bot writes before the person has joined), never before.
            "preset": "private_chat",
            "invite": [.string(userID.rawValue)],
            "power_level_content_override": [
                "invite": 100, "kick": 100, "ban": 100, "state_default": 100,
                "events_default": 0, "redact": 50,
            ],
            "initial_state": [
                ["type": .string(markerType), "state_key": "", "content": marker],
                ["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "invited"]],
            ],
        ]
        let response = try await request("POST", "/createRoom", body: body, idempotent: false, operation: "createRoom")
        guard let roomID = response["room_id"]?.string else {
            throw MatrixError(status: 200, errcode: "KOKEMUS_BAD_RESPONSE", message: "no room_id", operation: "createRoom")
        }
        return RoomID(roomID)
    }

    /// The bot's `m.direct` account data ({} when it has none yet).
    public func directRooms() async throws -> [UserID: [RoomID]] {
        do {
            let response = try await request(
                "GET", "/user/\(encode(config.userID))/account_data/m.direct",
                operation: "m.direct")
            var result: [UserID: [RoomID]] = [:]
            for (user, rooms) in response.object ?? [:] {
                result[UserID(user)] = rooms.array?.compactMap { $0.string.map { RoomID($0) } } ?? []
            }
            return result
        } catch let error as MatrixError where error.status == 404 {
            return [:]
        }
    }

    public func setDirectRooms(_ rooms: [UserID: [RoomID]]) async throws {
        let body = JSONValue.object(
            Dictionary(
                rooms.map { ($0.key.rawValue, JSONValue.array($0.value.map { .string($0.rawValue) })) },
                uniquingKeysWith: { first, _ in first }))
        _ = try await request(
            "PUT", "/user/\(encode(config.userID))/account_data/m.direct", body: body,
            operation: "m.direct")
    }

    /// Sends an event with a transaction id; a resend with the same id (same device) is
    /// answered with the first event's id, so a crash between send and record repeats nothing.
    @discardableResult
    public func send(_ roomID: RoomID, type: String, transactionID: String, content: JSONValue) async throws -> EventID? {
        let response = try await request(
            "PUT", "/rooms/\(encode(roomID.rawValue))/send/\(encode(type))/\(encode(transactionID))",
            body: content, operation: "send")
        return response["event_id"]?.string.map { EventID($0) }
    }

    /// Events before `from` back to `to` (newest first), for filling a `limited` timeline.
    public func messages(_ roomID: RoomID, from: String, to: String?, limit: Int = 100) async throws -> JSONValue {
        var query = [("from", from), ("dir", "b"), ("limit", String(limit))]
        if let to { query.append(("to", to)) }
        return try await request("GET", "/rooms/\(encode(roomID.rawValue))/messages", query: query, operation: "messages")
    }

    /// The room's newest events, newest first.
    public func latestMessages(_ roomID: RoomID, limit: Int = 50) async throws -> JSONValue {
        try await request(
            "GET", "/rooms/\(encode(roomID.rawValue))/messages", query: [("dir", "b"), ("limit", String(limit))],
            operation: "messages")
    }

    // MARK: Transport

    private func encode(_ component: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return component.addingPercentEncoding(withAllowedCharacters: allowed) ?? component
    }

    /// One API call with the retry policy above. Throws `MatrixError` for a refusal that
    /// retrying cannot fix, and `CurlError` when shut down.
    func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        authenticated: Bool = true, worker: CurlWorker? = nil, timeoutSeconds: Int = 60,
        idempotent: Bool = true, operation: String
    ) async throws -> JSONValue {
        var backoff = 0.5
        var reloggedIn = false
        while true {
            let result: HTTPResult
            do {
                result = try await perform(
                    method, path, query: query, body: body, authenticated: authenticated,
                    worker: worker ?? sendWorker, timeoutSeconds: timeoutSeconds)
            } catch let error as CurlError where !error.isCancelled {
                guard idempotent else { throw error }
                logger.warning("matrix: \(operation) failed, retrying", metadata: ["error": "\(error)", "in": "\(backoff)s"])
                guard await sendWorker.cancellation.sleep(seconds: backoff) else { throw CancellationError() }
                backoff = min(backoff * 2, Self.maximumBackoff)
                continue
            }
            let json = JSONValue.parse(result.body)
            if (200..<300).contains(result.status), let json {
                return json
            }
            let errcode = json?["errcode"]?.string ?? ""
            let message = json?["error"]?.string ?? String(decoding: result.body.prefix(200), as: UTF8.self)
            let error = MatrixError(status: result.status, errcode: errcode, message: message, operation: operation)
            switch result.status {
            case 200..<300:
                // A success whose body is not JSON: garbage from a proxy; try again.
                guard idempotent else { throw error }
                logger.warning("matrix: \(operation) answered with a body that is not JSON; retrying")
            case 429:
                let delay = Self.retryDelay(header: result.retryAfter, retryAfterMs: json?["retry_after_ms"]?.number)
                logger.notice("matrix: rate limited, waiting", metadata: ["operation": "\(operation)", "seconds": "\(delay)"])
                guard await sendWorker.cancellation.sleep(seconds: delay) else { throw CancellationError() }
                continue
            case 401 where (errcode == "M_UNKNOWN_TOKEN" || errcode == "M_MISSING_TOKEN") && authenticated && config.password != nil:
                if reloggedIn {
                    // Refused again right after logging in: the homeserver is not right yet (a
                    // restore, a reset). The gateway waits and tries again; it never gives up.
                    logger.error(
                        "matrix: access token refused again after logging in; trying again",
                        metadata: ["operation": "\(operation)", "in": "\(backoff)s"])
                    guard await sendWorker.cancellation.sleep(seconds: backoff) else { throw CancellationError() }
                    backoff = min(backoff * 2, Self.maximumBackoff)
                }
                logger.warning(
                    "matrix: access token no longer valid; logging in again",
                    metadata: ["soft_logout": "\(json?["soft_logout"]?.bool ?? false)"])
                accessToken = nil
                do {
                    try await login()
                } catch let error as MatrixError {
                    logger.error("matrix: logging in again failed; trying again", metadata: ["error": "\(error)", "in": "\(backoff)s"])
                    guard await sendWorker.cancellation.sleep(seconds: backoff) else { throw CancellationError() }
                    backoff = min(backoff * 2, Self.maximumBackoff)
                }
                reloggedIn = true
                continue
            case 500..., 0:
                guard idempotent else { throw error }
                logger.warning("matrix: \(operation) failed, retrying", metadata: ["error": "\(error)", "in": "\(backoff)s"])
            default:
                throw error
            }
            guard await sendWorker.cancellation.sleep(seconds: backoff) else { throw CancellationError() }
            backoff = min(backoff * 2, Self.maximumBackoff)
        }
    }

    /// How long to wait after a 429: the `Retry-After` header first (current spec), then the
    /// deprecated `retry_after_ms`, clamped to 0.1…60 s, plus up to 20 % jitter so that many
    /// waiting requests do not return at once.
    static func retryDelay(header: Int?, retryAfterMs: Double?, jitter: Double = Double.random(in: 0...0.2)) -> Double {
        let base = header.map(Double.init) ?? retryAfterMs.map { $0 / 1000 } ?? 1
        let clamped = min(max(base, 0.1), maximumRetryAfter)
        return clamped * (1 + jitter)
    }

    struct HTTPResult: Sendable {
        var status: Int
        var body: Data
        var retryAfter: Int?
    }

    private func perform(
        _ method: String, _ path: String, query: [(String, String)], body: JSONValue?,
        authenticated: Bool, worker: CurlWorker, timeoutSeconds: Int
    ) async throws -> HTTPResult {
        // Path segments are already percent-encoded by the callers; only the query is encoded here.
        let queryString = query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        let url = config.homeserver + "/_matrix/client/v3" + path + (query.isEmpty ? "" : "?" + queryString)
        var headerLines = ["Accept: application/json"]
        if authenticated, let accessToken { headerLines.append("Authorization: Bearer \(accessToken)") }
        let bodyData = body?.encoded()
        if bodyData != nil { headerLines.append("Content-Type: application/json") }
        let headers = headerLines
        return try await worker.run { easy in
            try easy.setURL(url)
            try easy.set(.protocols("http,https"))
            try easy.set(.timeoutSeconds(timeoutSeconds))
            try easy.setHeaders(headers)
            switch method {
            case "GET": break
            case "POST":
                try easy.set(.post)
                try easy.setBody(bodyData ?? Data("{}".utf8))
            default:
                try easy.set(.customRequest(method))
                try easy.setBody(bodyData ?? Data("{}".utf8))
            }
            let response = try easy.perform()
            return HTTPResult(status: response.statusCode, body: response.body, retryAfter: response.retryAfterSeconds)
        }
    }
}
