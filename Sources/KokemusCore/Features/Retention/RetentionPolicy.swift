import Foundation

/// How long the gateway keeps what (the `retention:` section of the configuration), with
/// defaults a county can defend: an order's need, reasons and relayed texts 90 days after the
/// task ended; an unfinished conversation or draft 30 days; an application 365 days; feedback
/// comments until the yearly report is made (1 March of the next year); fee reports, with the
/// orders and supervision they pay for, six years after the year ends (accounting records,
/// Kirjanpitolaki 2:10 §); the access log two years. Applied once a day (`Retention`).
public struct RetentionPolicy: Sendable, Hashable {
    /// Days after a task's last session that its texts are kept.
    public var taskTextDays = 90
    /// Days an unanswered conversation or a draft is kept.
    public var unfinishedDays = 30
    /// Days a recorded application to become an expert is kept.
    public var applicationDays = 365
    /// Comments of a year's feedback are kept until the first day of this month of the next
    /// year (the yearly report compiles them first); the ratings stay.
    public var feedbackCommentsUntilMonth = 3
    /// Years after the end of a year that its fee reports, orders and supervision are kept.
    public var feeRecordYears = 6
    /// Years an access log entry is kept.
    public var auditLogYears = 2
    /// The Helsinki hour from which the day's pass runs (at night, before work).
    public var hour = 3

    public init() {}

    static let dayBounds = 1...3650
    static let yearBounds = 1...50

    /// Reads the `retention:` mapping; problems go to `diagnostics` with their line.
    static func parse(_ section: YAMLMap) -> RetentionPolicy {
        var policy = RetentionPolicy()
        func number(_ key: String, _ bounds: ClosedRange<Int>, _ keyPath: WritableKeyPath<RetentionPolicy, Int>) {
            guard let value = section.optional(key), let number = value.int("retention.\(key)") else { return }
            guard bounds.contains(number) else {
                value.error("retention.\(key) must be from \(bounds.lowerBound) to \(bounds.upperBound), not \(number)")
                return
            }
            policy[keyPath: keyPath] = number
        }
        number("task_texts_days", dayBounds, \.taskTextDays)
        number("unfinished_days", dayBounds, \.unfinishedDays)
        number("applications_days", dayBounds, \.applicationDays)
        number("feedback_comments_until_month", 1...12, \.feedbackCommentsUntilMonth)
        number("fee_records_years", yearBounds, \.feeRecordYears)
        number("audit_log_years", yearBounds, \.auditLogYears)
        number("hour", 0...23, \.hour)
        return policy
    }

    static let keys: Set<String> = [
        "task_texts_days", "unfinished_days", "applications_days", "feedback_comments_until_month", "fee_records_years",
        "audit_log_years", "hour",
    ]
}
