import Foundation

/// Which inbound message the gateway is handling, written to `handling` in the state
/// directory before the engine sees the message and emptied once its outcome is committed.
/// A process that dies while handling leaves the file behind; the next start reads it, and
/// a message during which the process died twice is set aside (quarantined) instead of being
/// handled a third time, so that one poisonous message cannot keep the gateway down and hold
/// back everyone else's.
///
/// The file is written without fsync: it must survive the process dying, which the page
/// cache guarantees, not the machine (after a power cut the worst case is one more attempt).
///
/// Format, version 1 (UTF-8, one line, fields separated by tabs; `%`, tab, CR and LF in a
/// field written as `%25`, `%09`, `%0D`, `%0A`):
///
///     kokemus-handling 1<TAB>attempts<TAB>channel<TAB>sender<TAB>message id<LF>
///
/// An empty file, or one whose first line is empty, means nothing is being handled (ending a
/// message overwrites the line's start with a line break rather than truncating the file, which
/// would change its size and cost a metadata update on every message).
public final class HandlingMarker: @unchecked Sendable {
    public struct Entry: Sendable, Hashable {
        public var attempts: Int
        public var channel: Channel
        public var sender: PersonID
        public var id: String
    }

    /// A process that died this many times handling a message does not handle it again.
    public static let deathsBeforeQuarantine = 2

    private let path: String
    private let descriptor: Int32
    /// The longest line written, which later lines are padded to.
    private var written = 0
    /// What the last process left: the message it died handling, and how often.
    public private(set) var leftover: Entry?

    /// `name`: the file's (`handling`; `handling-registry` for the registry changes written).
    public init(directory: URL, name: String = "handling") throws {
        path = directory.appendingPathComponent(name).path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.io("open", path: path) }
        leftover = Self.read(descriptor)
    }

    deinit { close(descriptor) }

    /// The marker's entry from the file, or nil for an empty, foreign or damaged one.
    private static func read(_ descriptor: Int32) -> Entry? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        guard buffer[0] != UInt8(ascii: "\n") else { return nil }
        let line = String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let fields = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, fields[0] == "kokemus-handling 1", let attempts = Int(fields[1]), (1...1000).contains(attempts),
            let channel = Channel(rawValue: fields[2])
        else { return nil }
        return Entry(attempts: attempts, channel: channel, sender: PersonID(unescape(fields[3])), id: unescape(fields[4]))
    }

    /// Records that `message` is about to be handled: its attempt is one more than the last
    /// process's if that one died on the same message.
    public func begin(_ message: InboundMessage) {
        let attempts = leftover?.id == message.id ? (leftover?.attempts ?? 0) + 1 : 1
        let line =
            "kokemus-handling 1\t\(attempts)\t\(message.channel.rawValue)\t\(Self.escape(message.sender.rawValue))\t"
            + Self.escape(message.id) + "\n"
        // Padded to the length last written, so the file's size stays as it is.
        var bytes = Array(line.utf8)
        if bytes.count < written { bytes += [UInt8](repeating: UInt8(ascii: " "), count: written - bytes.count) }
        written = max(written, bytes.count)
        // Best effort: a marker that cannot be written costs only the quarantine, not the message.
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func escape(_ field: String) -> String {
        var result = ""
        for scalar in field.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\t": result += "%09"
            case "\n": result += "%0A"
            case "\r": result += "%0D"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func unescape(_ field: String) -> String {
        field.replacingOccurrences(of: "%09", with: "\t").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%25", with: "%")
    }

    /// The outcome of what was begun is committed: nothing is being handled.
    public func end() {
        var newline = UInt8(ascii: "\n")
        _ = pwrite(descriptor, &newline, 1, 0)
    }

    /// Forgets what the last process left, once it has been dealt with.
    public func clearLeftover() {
        leftover = nil
        _ = ftruncate(descriptor, 0)
        written = 0
    }
}
