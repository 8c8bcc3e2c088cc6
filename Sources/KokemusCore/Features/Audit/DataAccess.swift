import Foundation

/// The audit log's entry the gateway wrote last, kept in the state: a log without it, or
/// with another entry under its number, was cut or changed (`AuditLog.verify(anchor:)`).
public struct AuditAnchor: Codable, Sendable, Hashable {
    public var seq: UInt64
    public var hash: String

    public init(seq: UInt64, hash: String) {
        self.seq = seq
        self.hash = hash
    }
}

/// Someone was shown another person's data: who, when, what, about whom and why (the command
/// that showed it). The gateway records one as a state event in the same record as the reply
/// that shows the data, so no such reply goes out unrecorded; the gateway then copies it to
/// the audit log (`AuditLog`) and forgets it. Command-line reads are written to the audit log
/// directly. Ids and command words only: never a message text or a contact detail.
public struct DataAccess: Codable, Sendable, Hashable {
    /// How the data was reached.
    public enum Route: String, Codable, Sendable, Hashable {
        /// In chat, through the gateway: `by` is a registry id.
        case chat
        /// On the command line: `by` is the operating-system user (`os:NAME`).
        case cli
    }

    /// The gateway's number for it (from 1, in the state), nil for a command-line read.
    public var id: UInt64?
    public var at: Date
    public var by: String
    public var via: Route
    /// What was shown: "candidates for T-2026-0001", "fee report FR-2026-11-kalle".
    public var what: String
    /// Whose data it was.
    public var about: [PersonID]
    /// The command that showed it: "ehdokkaat T-2026-0001", "kokemus person export kalle".
    public var why: String

    /// Fields are cut to this many characters: an entry is one short line.
    public static let fieldLimit = 300
    /// At most this many people per entry (a report about everyone names them all in pieces).
    public static let aboutLimit = 500

    public init(id: UInt64? = nil, at: Date, by: String, via: Route, what: String, about: [PersonID], why: String) {
        self.id = id
        self.at = at
        self.by = Self.clean(by)
        self.via = via
        self.what = Self.clean(what)
        self.about = Array(Set(about.map { PersonID(Self.clean($0.rawValue, limit: 100)) })).sorted { $0.rawValue < $1.rawValue }
        self.why = Self.clean(why)
    }

    /// One line of printable text, bounded in code points (not letters: a letter with a
    /// thousand combining marks is one): a command's arguments are what a person typed.
    /// Control, format (bidirectional overrides) and line and paragraph separators become spaces.
    static func clean(_ text: String, limit: Int = fieldLimit) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(limit) {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The operating-system user running this process, for a command-line read: `os:root`, or
    /// `os:root (sudo: maija)` when sudo says who asked.
    public static func operatingSystemUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var name = environment["USER"] ?? ""
        if let entry = getpwuid(geteuid()), let login = entry.pointee.pw_name { name = String(cString: login) }
        if name.isEmpty { name = "uid \(geteuid())" }
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty, sudo != name { return "os:\(name) (sudo: \(sudo))" }
        return "os:\(name)"
    }
}
