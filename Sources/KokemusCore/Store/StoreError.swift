import Foundation

/// A problem with the state directory. `isFatal` errors mean the process must stop: the
/// state on disk can no longer be trusted to match what was acknowledged.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case locked(pid: String?)
        case missing
        case io(operation: String, errno: Int32)
        case syncFailed(errno: Int32)
        case corruptJournal(offset: Int64, reason: String)
        case corruptSnapshot(reason: String)
        case poisoned(underlying: String)
        case encoding(String)
    }

    private let code: Code
    /// The file or directory concerned.
    public let path: String

    private init(_ code: Code, path: String) {
        self.code = code
        self.path = path
    }

    static func locked(path: String, pid: String?) -> StoreError { StoreError(.locked(pid: pid), path: path) }
    static func missing(path: String) -> StoreError { StoreError(.missing, path: path) }
    static func io(_ operation: String, path: String, errno: Int32 = Glibc.errno) -> StoreError {
        StoreError(.io(operation: operation, errno: errno), path: path)
    }
    static func syncFailed(path: String, errno: Int32 = Glibc.errno) -> StoreError {
        StoreError(.syncFailed(errno: errno), path: path)
    }
    static func corruptJournal(path: String, offset: Int64, reason: String) -> StoreError {
        StoreError(.corruptJournal(offset: offset, reason: reason), path: path)
    }
    static func corruptSnapshot(path: String, reason: String) -> StoreError {
        StoreError(.corruptSnapshot(reason: reason), path: path)
    }
    static func poisoned(path: String, underlying: StoreError) -> StoreError {
        StoreError(.poisoned(underlying: underlying.description), path: path)
    }
    static func encoding(_ reason: String, path: String) -> StoreError { StoreError(.encoding(reason), path: path) }

    /// The process must stop: an fsync failed, or the store refused to go on after one.
    public var isFatal: Bool {
        switch code {
        case .syncFailed, .poisoned: return true
        default: return false
        }
    }

    /// Another process holds the state directory.
    public var isLocked: Bool {
        if case .locked = code { return true }
        return false
    }

    /// The byte offset of a damaged journal record, if that is the problem.
    public var corruptOffset: Int64? {
        if case .corruptJournal(let offset, _) = code { return offset }
        return nil
    }

    /// What is wrong with a damaged journal record (or a snapshot record read the same way).
    var corruptReason: String? {
        if case .corruptJournal(_, let reason) = code { return reason }
        return nil
    }

    public var description: String {
        switch code {
        case .locked(let pid):
            let owner = pid.map { " (process \($0))" } ?? ""
            return "another kokemus process\(owner) is using the state directory \(path); stop it first, "
                + "or give this one its own directory with --state"
        case .missing:
            return "there is no state directory at \(path)"
        case .io(let operation, let errno):
            return "\(operation) \(path): \(String(cString: strerror(errno)))"
        case .syncFailed(let errno):
            return "fsync of \(path) failed: \(String(cString: strerror(errno))). Stopping: data acknowledged "
                + "before this point is safe, nothing after it was acknowledged"
        case .corruptJournal(let offset, let reason):
            return "the journal \(path) is damaged at byte offset \(offset) (\(reason)) and valid records follow; "
                + "refusing to start so that nothing is lost. Keep a copy of the directory and restore it from a backup"
        case .corruptSnapshot(let reason):
            return "the snapshot \(path) is damaged (\(reason)); refusing to start. Restore it from a backup"
        case .poisoned(let underlying):
            return "the store stopped taking writes after an earlier failure: \(underlying)"
        case .encoding(let reason):
            return "cannot encode or decode state for \(path): \(reason)"
        }
    }
}
