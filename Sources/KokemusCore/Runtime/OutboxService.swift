import Foundation
import ServiceLifecycle

/// Delivers the outbox while the gateway runs: a pass when it starts (whatever a crash left
/// undelivered), after every commit that may have queued messages, and when the earliest
/// failed delivery's back-off is over. Inputs never wait for deliveries: `Gateway.receive`
/// returns once its commit is durable and only wakes this service.
///
/// The wake-ups for retries are child tasks of the service's own task group, so they end
/// with it (no unstructured task outlives the gateway).
public struct OutboxService: Service {
    let gateway: Gateway

    public init(gateway: Gateway) {
        self.gateway = gateway
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await deliverUntilCancelled()
        }
    }

    /// Delivers at every wake-up until the task is cancelled: each person whose messages
    /// may go gets a child task that delivers them in order, up to the gateway's delivery
    /// width at once; a person stuck in a back-off or a slow send holds up no one else, and
    /// messages queued meanwhile wake the loop again.
    public func deliverUntilCancelled() async {
        let gateway = gateway
        let width = gateway.deliveryWidth
        gateway.wakeOutbox()
        await withDiscardingTaskGroup { group in
            // When the retry wake-up already set goes off; a later one is not set beside it.
            var retryAt: ContinuousClock.Instant?
            for await _ in gateway.outboxWakes {
                for person in await gateway.takeReadyRecipients(limit: width) {
                    group.addTask {
                        // A place is free, or a failed send needs its retry wake-up: look again.
                        if await gateway.deliverQueue(of: person) { gateway.wakeOutbox() }
                    }
                }
                guard let wait = await gateway.nextRetryDelay() else { continue }
                let due = ContinuousClock.now + .milliseconds(Int64(min(wait, 3_600) * 1_000))
                if let retryAt, retryAt > .now, retryAt <= due { continue }
                retryAt = due
                group.addTask {
                    try? await Task.sleep(until: due, clock: .continuous)
                    gateway.wakeOutbox()
                }
            }
            group.cancelAll()
        }
    }
}
