import CCurl
import Foundation

/// A thread of its own that owns one `CurlEasy` and runs transfers on it one at a time.
///
/// `curl_easy_perform` blocks its thread for as long as a transfer lasts (a Matrix
/// long-poll: 30 seconds), so transfers must not run on Swift's cooperative pool. Async
/// code hands a job to the worker and awaits its result; the handle never leaves the thread.
public final class CurlWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [(CurlEasy?) -> Void] = []
    private var stopping = false
    private var thread: Thread?
    /// Set to stop the transfer in progress and every later one (shutdown).
    public let cancellation = CurlCancellation()

    public init(name: String) {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        self.thread = thread
        thread.start()
    }

    deinit {
        stop()
    }

    /// Runs `body` with the worker's handle (reset, so no option of an earlier job remains).
    public func run<T: Sendable>(_ body: @escaping @Sendable (CurlEasy) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            condition.lock()
            guard !stopping else {
                condition.unlock()
                continuation.resume(throwing: CurlError(CURLE_ABORTED_BY_CALLBACK, operation: "worker stopped"))
                return
            }
            jobs.append { easy in
                guard let easy else {
                    continuation.resume(throwing: CurlError(CURLE_FAILED_INIT, operation: "curl_easy_init"))
                    return
                }
                do {
                    try easy.reset()
                    easy.setCancellation(self.cancellation)
                    continuation.resume(returning: try body(easy))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            condition.signal()
            condition.unlock()
        }
    }

    /// Stops the worker after the current job; jobs not yet started fail.
    public func stop() {
        condition.lock()
        stopping = true
        let pending = jobs
        jobs.removeAll()
        condition.signal()
        condition.unlock()
        cancellation.cancel()
        for job in pending { job(nil) }
    }

    private func loop() {
        let easy = try? CurlEasy()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job(easy)
        }
    }
}
