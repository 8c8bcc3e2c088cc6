import Foundation

/// Where every time-dependent rule gets "now", so tests can set it.
public protocol WallClock: Sendable {
    func now() -> Date
    /// How many of this clock's seconds pass in a real one: a wait for a time on this clock
    /// sleeps its distance divided by it. 1 but for the tests' simulated clock.
    var rate: Double { get }
}

extension WallClock {
    public var rate: Double { 1 }

    /// The real seconds until this clock shows `date` (none once it has), from `now`.
    public func realSeconds(until date: Date, from now: Date? = nil) -> TimeInterval {
        max(0, date.timeIntervalSince(now ?? self.now())) / max(rate, .leastNonzeroMagnitude)
    }
}

/// The real time.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to: for tests and the demo's `/time`.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) {
        current = start
    }

    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }

    public func advance(by seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}

/// Time that starts at a given moment and runs `rate` times faster than the real clock, for
/// tests of the real binary that must reach a reminder's morning (`KOKEMUS_SIMULATED_CLOCK`).
/// The start is tied to a fixed real moment (`anchor`), so a process killed and started
/// again goes on from where the clock is, never back.
public struct SimulatedClock: WallClock {
    public let start: Date
    public let anchor: Date
    public let rate: Double

    public init(start: Date, anchor: Date, rate: Double) {
        self.start = start
        self.anchor = anchor
        self.rate = rate
    }

    /// Reads `2026-12-07T06:00:00+02:00 anchor=1764088000.5 rate=14400`: the simulated time
    /// at the real Unix time `anchor`, and how many simulated seconds pass in a real one.
    public init(parsing text: String) throws {
        let parts = text.split(separator: " ")
        let formatter = ISO8601DateFormatter()
        guard let first = parts.first, let start = formatter.date(from: String(first)) else {
            throw ConfigError("KOKEMUS_SIMULATED_CLOCK: begin with the start time, e.g. 2026-12-07T06:00:00+02:00 (got \"\(text)\")")
        }
        var anchor: Double?
        var rate = 1.0
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            switch (pair.first, pair.count == 2 ? Double(pair[1]) : nil) {
            case ("anchor", let value?): anchor = value
            case ("rate", let value?) where value > 0: rate = value
            default:
                throw ConfigError("KOKEMUS_SIMULATED_CLOCK: \"\(part)\" is not anchor=<Unix seconds> or rate=<positive number>")
            }
        }
        guard let anchor else { throw ConfigError("KOKEMUS_SIMULATED_CLOCK: anchor=<Unix seconds> is missing") }
        self.init(start: start, anchor: Date(timeIntervalSince1970: anchor), rate: rate)
    }

    public func now() -> Date { now(atReal: Date()) }

    /// The simulated time when the real clock shows `real`.
    func now(atReal real: Date) -> Date {
        start + real.timeIntervalSince(anchor) * rate
    }
}
