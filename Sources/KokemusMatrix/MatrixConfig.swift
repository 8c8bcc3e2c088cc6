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

    public init(
        homeserver: String, userID: String, deviceID: String = "KOKEMUS", password: String? = nil,
        accessToken: String? = nil, syncTimeoutSeconds: Int = 30
    ) {
        self.homeserver = homeserver.hasSuffix("/") ? String(homeserver.dropLast()) : homeserver
        self.userID = userID
        self.deviceID = deviceID
        self.password = password
        self.accessToken = accessToken
        self.syncTimeoutSeconds = syncTimeoutSeconds
    }

    /// Reads the section and the environment; a missing key or secret is a clear error.
    public init(
        section: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
        file: String
    ) throws {
        try self.init(section: ChannelSection(section, file: file), environment: environment)
    }

    /// Reads the section and the environment; a missing key or secret is a clear error at the
    /// line of the key (or of `matrix:`).
    public init(section: ChannelSection, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let known: Set<String> = ["homeserver", "user_id", "device_id", "sync_timeout_seconds"]
        for key in section.keys where !known.contains(key) {
            throw section.error("unknown key '\(key)' in matrix (known: \(known.sorted().joined(separator: ", ")))", at: key)
        }
        guard let homeserver = section["homeserver"], URL(string: homeserver)?.scheme?.hasPrefix("http") == true else {
            throw section.error("matrix needs 'homeserver', an http(s) URL", at: "homeserver")
        }
        guard let userID = section["user_id"], userID.hasPrefix("@"), userID.contains(":") else {
            throw section.error("matrix needs 'user_id' like @kokemus:example.org", at: "user_id")
        }
        let password = environment["KOKEMUS_MATRIX_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let token = environment["KOKEMUS_MATRIX_ACCESS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        guard password != nil || token != nil else {
            throw section.error(
                "set KOKEMUS_MATRIX_PASSWORD (or KOKEMUS_MATRIX_ACCESS_TOKEN) in the environment; "
                    + "secrets never go in the configuration file")
        }
        var timeout = 30
        if let text = section["sync_timeout_seconds"] {
            guard let value = Int(text), (1...300).contains(value) else {
                throw section.error("sync_timeout_seconds must be a whole number from 1 to 300", at: "sync_timeout_seconds")
            }
            timeout = value
        }
        self.init(
            homeserver: homeserver, userID: userID, deviceID: section["device_id"] ?? "KOKEMUS",
            password: password, accessToken: token, syncTimeoutSeconds: timeout)
    }
}
