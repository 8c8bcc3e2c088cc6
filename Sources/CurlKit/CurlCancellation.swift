import Foundation

/// A flag another thread sets to stop a blocking transfer promptly, for example a
/// Matrix long-poll when the process is asked to shut down.
public final class CurlCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    /// Ask every transfer watching this flag to stop at its next progress callback.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
