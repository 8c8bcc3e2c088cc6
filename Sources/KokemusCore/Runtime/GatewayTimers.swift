import Foundation
import Logging

extension Gateway {
    /// Fires timers until cancelled: wakes at the next reminder or give-up, and at most
    /// `maximumWait` apart. (Failed deliveries are the outbox service's.) A failed pass is
    /// logged and retried, never fatal, except a store failure, which ends the process.
    public func runTimers(clock: any WallClock, maximumWait: Double = 30, logger: Logger) async throws {
        while !Task.isCancelled {
            do {
                try await tick()
            } catch let error as StoreError {
                throw error
            } catch {
                logger.error("timers: a pass failed", metadata: ["error": "\(error)"])
            }
            var wait = maximumWait
            if let deadline = nextDeadline() { wait = min(wait, max(0.05, clock.realSeconds(until: deadline))) }
            try await Task.sleep(for: .seconds(wait))
        }
    }
}
