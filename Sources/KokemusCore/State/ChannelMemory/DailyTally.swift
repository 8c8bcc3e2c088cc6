import Foundation

/// Counts per key for one day (Helsinki), forgotten when a later day's count comes: a
/// table of today's addresses, never a table of every address ever seen.
public struct DailyTally: Codable, Sendable, Hashable {
    public private(set) var day: LocalDay?
    public private(set) var counts: [String: Int] = [:]

    public init() {}

    /// The key's count on `day` (0 for a day other than the tally's).
    public func count(_ key: String, on day: LocalDay) -> Int {
        self.day == day ? counts[key] ?? 0 : 0
    }

    mutating func forget(_ keys: Set<String>) {
        counts = counts.filter { !keys.contains($0.key) }
    }

    /// Sets a count of `day`. A later day starts the tally afresh; an earlier one (a clock
    /// set back) is not kept.
    mutating func set(_ key: String, to count: Int, on day: LocalDay) {
        if self.day.map({ day > $0 }) ?? true {
            self.day = day
            counts = [:]
        }
        guard self.day == day else { return }
        counts[key] = count
    }
}
