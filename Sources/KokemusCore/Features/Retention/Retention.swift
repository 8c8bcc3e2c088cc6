import Foundation

/// The day's retention pass, on the first tick from the policy's hour (Helsinki): what the
/// county keeps no longer goes (`RetentionPlan`). The gateway then compacts, so no copy stays
/// in the journal or an older snapshot, and drops the access log's old entries.
struct Retention: TurnFeature {
    var turn: ConversationTurn

    mutating func applyDaily() {
        let policy = engine.retention
        let today = engine.time.day(of: now)
        guard state.retentionAppliedOn.map({ $0 < today }) ?? true, (engine.time.components(now).hour ?? 0) >= policy.hour else {
            return
        }
        let plan = RetentionPlan(state: state, policy: policy, time: engine.time, now: now)
        for event in plan.events(day: today) { emit(event) }
    }
}
