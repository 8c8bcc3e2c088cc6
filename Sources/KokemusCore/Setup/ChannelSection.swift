import Foundation

/// One channel's section of the configuration (`matrix:`, `email:`): its values as text, and
/// where the section and each of its keys stand in the file, so that the channel's own checks
/// (in its module, which knows its keys) report `FILE:LINE` as the core's do.
public struct ChannelSection: Sendable, Hashable {
    public var values: [String: String]
    /// The configuration file (empty when the values were not read from one).
    public var file: String
    /// The line of the section's own key (`email:`).
    public var line: Int?
    /// The line of each key in the section.
    public var keyLines: [String: Int]

    public init(_ values: [String: String], file: String = "", line: Int? = nil, keyLines: [String: Int] = [:]) {
        self.values = values
        self.file = file
        self.line = line
        self.keyLines = keyLines
    }

    public subscript(key: String) -> String? { values[key] }

    /// The keys, in the order of their lines (unknown keys are reported in file order).
    public var keys: [String] {
        values.keys.sorted { (keyLines[$0] ?? .max, $0) < (keyLines[$1] ?? .max, $1) }
    }

    /// An error at the line of `key`, or of the section when the key is not in it.
    public func error(_ message: String, at key: String? = nil) -> ConfigError {
        ConfigError(message, file: file.isEmpty ? nil : file, line: key.flatMap { keyLines[$0] } ?? line)
    }
}
