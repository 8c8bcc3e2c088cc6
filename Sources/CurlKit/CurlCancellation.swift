import Foundation

/// A flag another thread sets to stop a blocking transfer promptly, for example a
/// Matrix long-poll when the process is asked to shut down.
public final class CurlCancellation: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false

    public init() {}

    /// Ask every transfer watching this flag to stop at its next progress callback, and
    /// wake every ``wait(seconds:)``.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Waits on the calling (worker) thread for a back-off delay, waking early on cancel.
    /// Returns false if cancelled.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !cancelled {
            if !condition.wait(until: deadline) { break }
        }
        return !cancelled
    }
}

extension CurlCancellation {
    /// Sleeps up to `seconds` without holding a thread, waking within a quarter of a second of
    /// a cancel (a shutdown): so that no wait between polls or retries delays stopping.
    /// Returns false if cancelled.
    @discardableResult
    public func sleep(seconds: Double) async -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        while !isCancelled {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return true }
            try? await Task.sleep(for: .seconds(min(0.25, left)))
        }
        return false
    }
}
