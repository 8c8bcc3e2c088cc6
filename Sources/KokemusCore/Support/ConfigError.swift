/// A problem in a file a person wrote (flow, registry, config), with where it is.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Hashable {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(_ message: String, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    /// `FILE:LINE: message`, the form editors and CI logs link to.
    public var description: String {
        switch (file, line) {
        case (let file?, let line?): return "\(file):\(line): \(message)"
        case (let file?, nil): return "\(file): \(message)"
        default: return message
        }
    }
}

/// Several problems found in one pass, so a person can fix them all at once.
public struct ConfigErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
