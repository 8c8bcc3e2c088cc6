import Foundation
import KokemusCore

/// The Matrix channel's settings: the `matrix:` section of the configuration file plus
/// the secret from the environment.
///
/// Keys: `homeserver` (URL, required), `user_id` (the bot's, required), `device_id` (default
/// `KOKEMUS`; keep it stable: transaction ids are scoped per device), `sync_timeout_seconds`
/// (default 30). Environment: `KOKEMUS_MATRIX_PASSWORD`, or `KOKEMUS_MATRIX_ACCESS_TOKEN`.
public struct MatrixConfig: Sendable {
    public var homeserver: String
    public var userID: String
    public var deviceID: String
    public var password: String?
    public var accessToken: String?
    public var syncTimeoutSeconds: Int

    public init(homeserver: String, userID: String, deviceID: String = "KOKEMUS", password: String? = nil,
                accessToken: String? = nil, syncTimeoutSeconds: Int = 30) {
        self.homeserver = homeserver.hasSuffix("/") ? String(homeserver.dropLast()) : homeserver
        self.userID = userID
        self.deviceID = deviceID
        self.password = password
        self.accessToken = accessToken
        self.syncTimeoutSeconds = syncTimeoutSeconds
    }

    /// Reads the section and the environment; a missing key or secret is a clear error.
    public init(section: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
                file: String) throws {
        let known: Set<String> = ["homeserver", "user_id", "device_id", "sync_timeout_seconds"]
        for key in section.keys where !known.contains(key) {
            throw ConfigError("unknown key '\(key)' in matrix (known: \(known.sorted().joined(separator: ", ")))", file: file)
        }
        guard let homeserver = section["homeserver"], URL(string: homeserver)?.scheme?.hasPrefix("http") == true else {
            throw ConfigError("matrix needs 'homeserver', an http(s) URL", file: file)
        }
        guard let userID = section["user_id"], userID.hasPrefix("@"), userID.contains(":") else {
            throw ConfigError("matrix needs 'user_id' like @kokemus:example.org", file: file)
        }
        let password = environment["KOKEMUS_MATRIX_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let token = environment["KOKEMUS_MATRIX_ACCESS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        guard password != nil || token != nil else {
            throw ConfigError("set KOKEMUS_MATRIX_PASSWORD (or KOKEMUS_MATRIX_ACCESS_TOKEN) in the environment; "
                              + "secrets never go in the configuration file", file: file)
        }
        var timeout = 30
        if let text = section["sync_timeout_seconds"] {
            guard let value = Int(text), (1...300).contains(value) else {
                throw ConfigError("sync_timeout_seconds must be a whole number from 1 to 300", file: file)
            }
            timeout = value
        }
        self.init(homeserver: homeserver, userID: userID, deviceID: section["device_id"] ?? "KOKEMUS",
                  password: password, accessToken: token, syncTimeoutSeconds: timeout)
    }
}
