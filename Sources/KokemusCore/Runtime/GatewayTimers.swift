import Foundation
import Logging

extension Gateway {
    /// Fires timers and retries undelivered messages until cancelled: wakes at the next
    /// reminder or give-up, and at most `maximumWait` apart (sooner while the outbox holds
    /// messages that failed to go out). A failed pass is logged and retried, never fatal,
    /// except a store failure, which ends the process.
    public func runTimers(clock: any WallClock, maximumWait: Double = 30, retryWait: Double = 5,
                          logger: Logger) async throws {
        while !Task.isCancelled {
            do {
                try await tick()
            } catch let error as StoreError {
                throw error
            } catch {
                logger.error("timers: a pass failed", metadata: ["error": "\(error)"])
            }
            var wait = maximumWait
            if let deadline = nextDeadline() { wait = min(wait, max(0.05, deadline.timeIntervalSince(clock.now()))) }
            if !state.outbox.isEmpty { wait = min(wait, retryWait) }
            try await Task.sleep(for: .seconds(wait))
        }
    }
}
