import Foundation

/// "Toteutuiko?" (002): a session no one has marked held, called off or missed is not paid
/// silently. The working day after it, if the expert has not confirmed its hours, the orderer
/// is asked whether it took place (`Flows/session_check.yaml`); the fee report shows the
/// sessions still unconfirmed apart, for the approver.
struct SessionChecks: TurnFeature {
    var turn: ConversationTurn

    /// Sessions this long past are not asked about any more: their month's report has been
    /// made and the approver sees them apart there (and a gateway upgraded with months of
    /// history does not flood orderers with old questions).
    static let askWithinDays = 31

    /// Asks each orderer once per session, in working time, from the start of the working day
    /// after the session's day.
    mutating func askOrderers() {
        guard engine.working.allows(now) else { return }
        var asked: Set<PersonID> = []
        for id in state.orders.values.filter({ $0.status == .assigned || $0.status == .completed }).map(\.id).sorted() {
            guard var order = state.orders[id], let expert = order.assignedExpert, !order.waitsForPair else { continue }
            var changed = false
            for index in order.sessions.indices {
                let session = order.sessions[index]
                guard !session.isMarked, session.check == nil, session.checkAskedAt == nil, session.end <= now,
                    !Self.waitsForAnotherAnswer(session, of: order),
                    now.timeIntervalSince(session.end) < Double(Self.askWithinDays) * 86_400,
                    now
                        >= engine.working.start(
                            of: engine.working.workingDay(onOrAfter: engine.time.day(of: session.start).adding(days: 1))),
                    !state.isReportLocked(
                        expert: expert, unit: order.unit, month: Month(of: engine.time.day(of: session.start)))
                else { continue }
                order.sessions[index].checkAskedAt = now
                changed = true
            }
            guard changed else { continue }
            emit(.orderUpdated(order))
            asked.insert(order.orderer)
        }
        for orderer in asked.sorted() {
            offerFlow(GatewayState.sessionCheckFlowID, to: orderer, notice: .sessionCheckWaiting)
        }
    }
}

extension SessionChecks {
    /// Whether the session already waits for the orderer on something else: the expert's word
    /// that no one came (`poissa`), or a move; those questions are hers to answer first.
    static func waitsForAnotherAnswer(_ session: Session, of order: Order) -> Bool {
        (session.noShowClaim != nil && session.noShowClaim?.disputedAt == nil) || order.pendingMove?.sessionIndex == session.index
    }
}

extension GatewayState {
    public static let sessionCheckFlowID = "session_check"

    /// The sessions an orderer has been asked about and has not answered (and no one else has
    /// marked since), oldest first; none already in a report past the expert.
    public func sessionsAwaitingCheck(by orderer: PersonID, time: LocalTime) -> [(order: Order, session: Session)] {
        var result: [(order: Order, session: Session)] = []
        for order in orders.values where order.orderer == orderer {
            guard let expert = order.assignedExpert else { continue }
            for session in order.sessions
            where session.checkAskedAt != nil && session.check == nil && !session.isMarked
                && !SessionChecks.waitsForAnotherAnswer(session, of: order)
            {
                guard !isReportLocked(expert: expert, unit: order.unit, month: Month(of: time.day(of: session.start))) else {
                    continue
                }
                result.append((order, session))
            }
        }
        return result.sorted { ($0.session.start, $0.order.id) < ($1.session.start, $1.order.id) }
    }
}
