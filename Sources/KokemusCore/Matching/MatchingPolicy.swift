import Foundation

/// How experts are ranked and offered tasks: the `matching:` section of `Config/kokemus.yaml`.
public struct MatchingPolicy: Sendable, Hashable {
    /// Experts offered a task at the same time; the first to accept wins.
    public var offersAtOnce: Int
    /// How long an expert has to answer an offer.
    public var answerWithin: TimeInterval
    /// An offer's deadline is at the latest this long before the task starts.
    public var answerBeforeStart: TimeInterval
    /// The "deadline near" reminder goes out this long before an offer's deadline.
    public var remindBeforeDeadline: TimeInterval
    /// If no expert has accepted this long before the start, the coordinators are told.
    public var reportUnfilledBeforeStart: TimeInterval
    /// Hours a month an expert is given at most unless their profile says otherwise; nil, the
    /// default, sets no cap for all (003 foresees work up to half of full time; a cap is the
    /// county's or the expert's choice, not the gateway's).
    public var monthlyCapHours: Int?
    /// The window for fairness: experts with fewer hours in it come first.
    public var fairnessWindowDays: Int
    /// Offers go out, and answer times run, only in working time (the default); off, an offer
    /// goes out at once at any hour and its answer time runs day and night.
    public var offersInWorkingTime: Bool = true

    public init(
        offersAtOnce: Int = 1, answerWithin: TimeInterval = 24 * 3600, answerBeforeStart: TimeInterval = 2 * 3600,
        remindBeforeDeadline: TimeInterval = 4 * 3600, reportUnfilledBeforeStart: TimeInterval = 48 * 3600,
        monthlyCapHours: Int? = nil, fairnessWindowDays: Int = 90
    ) {
        self.offersAtOnce = offersAtOnce
        self.answerWithin = answerWithin
        self.answerBeforeStart = answerBeforeStart
        self.remindBeforeDeadline = remindBeforeDeadline
        self.reportUnfilledBeforeStart = reportUnfilledBeforeStart
        self.monthlyCapHours = monthlyCapHours
        self.fairnessWindowDays = fairnessWindowDays
    }

    /// The shortest time an expert is given to answer, even for a task starting soon.
    public static let minimumAnswerTime: TimeInterval = 15 * 60

    /// The deadline of an offer made at `now` for a task starting at `start`: `answerWithin` of
    /// working time (no one's answer time runs at night, at weekends or on holidays), but no
    /// later than `answerBeforeStart` before the start and no sooner than the minimum.
    public func deadline(offeredAt now: Date, taskStart start: Date, working: WorkingTime = WorkingTime()) -> Date {
        let answered = offersInWorkingTime ? working.adding(answerWithin, to: now) : now + answerWithin
        return max(now + Self.minimumAnswerTime, min(answered, start - answerBeforeStart))
    }

    /// Whether a new offer may go out at `now`: in working time, or outside it when waiting
    /// for the next working morning would leave too little time to answer before the start.
    public func mayOffer(at now: Date, taskStart start: Date, working: WorkingTime) -> Bool {
        !offersInWorkingTime || working.allows(now)
            || working.nextAllowed(from: now) + Self.minimumAnswerTime > start - answerBeforeStart
    }
}
