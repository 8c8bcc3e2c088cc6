import Foundation

/// The orderer may cancel a session free of charge by 15.00 (Helsinki time) on the day before
/// it, "edellisenä päivänä klo 15 mennessä" (000 §6.2); after that the agreed fee is paid.
/// "By 15.00" includes 15.00 itself: the whole minute a clock shows 15.00, to 15.00:59.
public struct CancellationRule: Sendable {
    public var time: LocalTime
    /// The hour on the previous day until which cancelling is free.
    public var freeUntilHour: Int

    public init(time: LocalTime = .helsinki, freeUntilHour: Int = 15) {
        self.time = time
        self.freeUntilHour = freeUntilHour
    }

    /// The deadline as people are told it: 15.00 on the day before a session starting at
    /// `start` (cancelling is free through that minute).
    public func freeCancellationDeadline(for start: Date) -> Date {
        let dayBefore = time.day(of: start).adding(days: -1)
        return time.date(year: dayBefore.year, month: dayBefore.month, day: dayBefore.day, hour: freeUntilHour)!
    }

    /// Whether cancelling at `moment` leaves the session without a fee: at or before the
    /// deadline's minute (15.00:00–15.00:59 is in time, 15.01 is late).
    public func isFree(cancellingAt moment: Date, sessionStart start: Date) -> Bool {
        moment < freeCancellationDeadline(for: start) + 60
    }
}
