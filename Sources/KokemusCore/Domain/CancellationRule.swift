import Foundation

/// The orderer may cancel a session free of charge until 15:00 (Helsinki time) on the day
/// before it; after that the agreed fee is paid (domain: fees, 000 §6.2).
public struct CancellationRule: Sendable {
    public var time: LocalTime
    /// The hour on the previous day until which cancelling is free.
    public var freeUntilHour: Int

    public init(time: LocalTime = .helsinki, freeUntilHour: Int = 15) {
        self.time = time
        self.freeUntilHour = freeUntilHour
    }

    /// The last moment a session starting at `start` can be cancelled without a fee (exclusive).
    public func freeCancellationDeadline(for start: Date) -> Date {
        let dayBefore = time.day(of: start).adding(days: -1)
        return time.date(year: dayBefore.year, month: dayBefore.month, day: dayBefore.day, hour: freeUntilHour)!
    }

    /// Whether cancelling at `moment` leaves the session without a fee.
    public func isFree(cancellingAt moment: Date, sessionStart start: Date) -> Bool {
        moment < freeCancellationDeadline(for: start)
    }
}
