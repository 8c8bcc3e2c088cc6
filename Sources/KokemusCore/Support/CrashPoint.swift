import Foundation

/// Named places where the process can be made to die on purpose, to test the narrow
/// windows of crash safety: `KOKEMUS_CRASH_AT=after_send_before_mark` kills the process
/// (SIGKILL, as `kill -9` would) the first time it gets there, `…:3` the third time.
/// Without the variable every check is one comparison.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// An input's outcome is committed; nothing has been sent yet.
    case afterCommitBeforeSend = "after_commit_before_send"
    /// A message has been handed to its transport; its delivery is not yet recorded.
    case afterSendBeforeMark = "after_send_before_mark"
    /// A journal record is written but not yet synced.
    case afterWriteBeforeSync = "after_write_before_sync"
    /// A new snapshot is in place; the old journal is not yet emptied.
    case afterSnapshotBeforeJournal = "after_snapshot_before_journal"

    private static let armed: (point: CrashPoint, count: Int)? = {
        guard let value = ProcessInfo.processInfo.environment["KOKEMUS_CRASH_AT"], !value.isEmpty else { return nil }
        let parts = value.split(separator: ":")
        guard let point = CrashPoint(rawValue: String(parts[0])) else {
            FileHandle.standardError.write(
                Data(
                    "kokemus: unknown KOKEMUS_CRASH_AT point '\(parts[0])'; known: \(allCases.map(\.rawValue).joined(separator: ", "))\n"
                        .utf8))
            return nil
        }
        return (point, parts.count > 1 ? max(1, Int(parts[1]) ?? 1) : 1)
    }()

    /// `KOKEMUS_CRASH_ON_TEXT=…`: dies (SIGKILL) every time a message whose text holds this
    /// is being handled, as a message that makes the gateway crash would: for testing the
    /// quarantine of such messages.
    private static let poisonText: String? = {
        guard let value = ProcessInfo.processInfo.environment["KOKEMUS_CRASH_ON_TEXT"], !value.isEmpty else { return nil }
        return value
    }()

    /// Dies if `text`, the message being handled, holds the armed poison text.
    public static func handling(_ text: String) {
        guard let poison = poisonText, text.contains(poison) else { return }
        FileHandle.standardError.write(Data("kokemus: handling a message with the crash text; dying (KOKEMUS_CRASH_ON_TEXT)\n".utf8))
        kill(getpid(), SIGKILL)
    }

    /// Whether a test armed a crash, for the start to warn about.
    public static var isArmed: Bool { armed != nil || poisonText != nil }

    private nonisolated(unsafe) static var reached = 0
    private static let lock = NSLock()

    /// Dies here if this point is armed and this is the time.
    public func reach() {
        guard let armed = Self.armed, armed.point == self else { return }
        let count = Self.lock.withLock { () -> Int in
            Self.reached += 1
            return Self.reached
        }
        guard count == armed.count else { return }
        FileHandle.standardError.write(Data("kokemus: crash point \(rawValue) reached; dying (KOKEMUS_CRASH_AT)\n".utf8))
        kill(getpid(), SIGKILL)
    }
}
