import Foundation

/// The gateway's configuration, read from a YAML file (`Config/kokemus.yaml`).
///
/// Keys (relative paths are relative to the config file's directory):
/// - `state_dir` (path, default `../state`): the state directory; `--state` overrides it.
/// - `flows_dir` (path, default `../Flows`): the flow files.
/// - `registry_dir` (path, default `<state_dir>/registry`): the registry's YAML files.
/// - `messages_file` (path, default `messages.yaml`): system texts, command words, vocabulary.
/// - `time_zone` (text, default `Europe/Helsinki`).
/// - `default_channel` (console, matrix or email; default `console`): for people with no preference.
/// - `snapshot_every` (integer, default 10000): journal records between snapshots.
/// - `matrix` (mapping): the Matrix channel's settings, read by that channel (see `MatrixConfig`).
///
/// Secrets never go here: they come from the environment.
public struct KokemusConfig: Sendable {
    public var stateDirectory: URL
    public var flowsDirectory: URL
    /// nil: `<stateDirectory>/registry`.
    public var registryDirectory: URL?
    public var messagesFile: URL
    public var timeZone: String
    public var defaultChannel: Channel
    public var snapshotEvery: Int
    /// Each channel's own section (`matrix:`), flat key/value pairs, read by the channel itself.
    public var channels: [Channel: [String: String]]
    /// The file the configuration came from, for messages.
    public var file: String

    public init(stateDirectory: URL, flowsDirectory: URL, registryDirectory: URL? = nil, messagesFile: URL,
                timeZone: String = "Europe/Helsinki", defaultChannel: Channel = .console, snapshotEvery: Int = 10_000,
                channels: [Channel: [String: String]] = [:], file: String = "") {
        self.stateDirectory = stateDirectory
        self.flowsDirectory = flowsDirectory
        self.registryDirectory = registryDirectory
        self.messagesFile = messagesFile
        self.timeZone = timeZone
        self.defaultChannel = defaultChannel
        self.snapshotEvery = snapshotEvery
        self.channels = channels
        self.file = file
    }

    /// The registry directory in effect.
    public var effectiveRegistryDirectory: URL {
        registryDirectory ?? stateDirectory.appendingPathComponent("registry")
    }

    public static func load(file: URL) throws -> KokemusConfig {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read the config file: \(error.localizedDescription)", file: file.path)
        }
        let base = file.deletingLastPathComponent()
        let diagnostics = Diagnostics()
        let keys: Set<String> = ["state_dir", "flows_dir", "registry_dir", "messages_file", "time_zone",
                                 "default_channel", "snapshot_every", "matrix", "email"]
        guard let root = YAMLValue.parse(text, file: file.path, diagnostics: diagnostics),
              let map = root.mapping("the config file", allowedKeys: keys) else {
            throw ConfigErrors(diagnostics.errors)
        }
        func path(_ key: String, _ fallback: String?) -> URL? {
            guard let value = map.optional(key)?.string(key) ?? fallback else { return nil }
            return value.hasPrefix("/") ? URL(fileURLWithPath: value)
                : base.appendingPathComponent(value).standardizedFileURL
        }
        var channel = Channel.console
        if let value = map.optional("default_channel"), let name = value.string("default_channel") {
            if let parsed = Channel(rawValue: name) { channel = parsed } else {
                value.error("default_channel must be one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let snapshotEvery = map.optional("snapshot_every")?.int("snapshot_every") ?? 10_000
        let timeZone = map.optional("time_zone")?.string("time_zone") ?? "Europe/Helsinki"
        if TimeZone(identifier: timeZone) == nil {
            map.optional("time_zone")?.error("unknown time zone '\(timeZone)'")
        }
        var channels: [Channel: [String: String]] = [:]
        for channel in [Channel.matrix, .email] {
            guard let section = map.optional(channel.rawValue)?.mapping(channel.rawValue) else { continue }
            var values: [String: String] = [:]
            for (key, value, _) in section.entries {
                if let text = value.string("\(channel.rawValue).\(key)") { values[key] = text }
            }
            channels[channel] = values
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return KokemusConfig(stateDirectory: path("state_dir", "../state")!, flowsDirectory: path("flows_dir", "../Flows")!,
                             registryDirectory: path("registry_dir", nil), messagesFile: path("messages_file", "messages.yaml")!,
                             timeZone: timeZone, defaultChannel: channel, snapshotEvery: snapshotEvery,
                             channels: channels, file: file.path)
    }
}
