import Foundation

/// The actions of the fee flows: `hours.load` / `hours.confirm` (the expert confirms a
/// session's hours and costs), `feereport.load` / `feereport.confirm` (the expert confirms
/// the month's report), `approval.load` / `approval.decide` (the unit's approver approves or
/// returns it).
enum FeeActions {
    static let all = [loadHours, confirmHours, loadReport, confirmReport, loadApproval, decide]

    /// The most hours one expert's confirmed sessions may add up to in a month.
    static let monthlyHoursLimit = 300

    // MARK: Hours

    static let loadHours = FlowAction(
        signature: ActionSignature(
            name: "hours.load",
            outputs: [
                "hours_state", "order_id", "session", "when", "task_type", "unit", "planned", "onsite", "agreed_travel",
            ], outcomes: ["hours_state": ["none", "open"], "onsite": ["yes", "no"]]),
        run: { context in
            guard let (order, session) = context.state.sessionsAwaitingHours(of: context.person.id, time: context.time).first
            else { return ActionResult(slots: ["hours_state": .text("none")]) }
            let language = context.language
            var onsite = "no"
            if case .onSite = order.place { onsite = "yes" }
            // The travel agreed on accepting (or stated and not yet agreed), on a line of its own.
            var agreedTravel = ""
            if let travel = order.travel {
                var values = TravelActions.figures(travel, of: order, language, context)
                values["orderer"] = context.registry.person(order.orderer)?.name ?? ""
                agreedTravel =
                    "\n"
                    + context.catalog.text(travel.status == .agreed ? .hoursAgreedTravel : .hoursProposedTravel, language, values)
            }
            return ActionResult(slots: [
                "hours_state": .text("open"), "order_id": .text(order.id.rawValue), "session": .integer(session.index),
                "when": .text(context.catalog.dateTime(session.start, language, time: context.time)),
                "task_type": .text(context.taskName(order, language)),
                "unit": .text(context.registry.unit(order.unit)?.name ?? order.unit.rawValue),
                "planned": .text(durationText(minutes: session.durationMinutes)), "onsite": .text(onsite),
                "agreed_travel": .text(agreedTravel),
            ])
        })

    static let confirmHours = FlowAction(
        signature: ActionSignature(
            name: "hours.confirm",
            outputs: [
                "hours_state", "minutes_text", "fee", "kilometres_text", "costs_text", "month_cap_hours",
            ], requiredInputs: ["costs"], outcomes: ["hours_state": ["confirmed", "closed", "bad_amount", "over_month_cap"]]),
        run: { context in
            guard case .text(let id)? = context.slots["order_id"], case .integer(let index)? = context.slots["session"],
                var order = context.state.orders[OrderID(rawValue: id)],
                let position = order.sessions.firstIndex(where: { $0.index == index })
            else {
                throw ActionFailure("hours.confirm needs the order and session hours.load set")
            }
            let session = order.sessions[position]
            let month = Month(of: context.time.day(of: session.start))
            guard order.assignedExpert == context.person.id, session.status == .planned, session.hours == nil,
                !context.state.isReportLocked(expert: context.person.id, unit: order.unit, month: month)
            else {
                return ActionResult(slots: ["hours_state": .text("closed")])
            }
            // `money` answers are parsed and bounded by the flow; a conversation from before that
            // type holds the amount as text, read within the same bounds.
            let costs: Money
            switch context.slots["costs"] {
            case .money(let cents)?: costs = Money(cents: cents)
            case .text(let text)?:
                guard let parsed = Money(parsing: text), parsed.isPlausible else {
                    return ActionResult(slots: ["hours_state": .text("bad_amount")])
                }
                costs = parsed
            default: return ActionResult(slots: ["hours_state": .text("bad_amount")])
            }
            var minutes = session.durationMinutes
            if case .duration(let told)? = context.slots["minutes"], context.slots["as_planned"]?.comparable == "no" {
                minutes = told
            }
            var kilometres = 0
            if case .integer(let km)? = context.slots["kilometres"] { kilometres = km }
            // No month holds more than `monthlyHoursLimit` of one expert's work: a typo in the
            // hours (or a flow without bounds) is caught here, not on the approver's desk.
            let earlier = context.state.confirmedMinutes(of: context.person.id, in: month, time: context.time)
            guard earlier.addingSaturated(minutes) <= FeeActions.monthlyHoursLimit * 60 else {
                return ActionResult(slots: [
                    "hours_state": .text("over_month_cap"),
                    "month_cap_hours": .text(String(FeeActions.monthlyHoursLimit)),
                ])
            }
            order.sessions[position].hours = SessionHours(
                minutes: minutes, kilometres: kilometres, otherCosts: costs,
                confirmedAt: context.now)
            order.sessions[position].status = .held
            let language = context.language
            let fee =
                FeeCalculator(schedule: context.fees, time: context.time, volunteers: context.registry.volunteers)
                .line(for: order.sessions[position], of: order, now: context.now)?.fee ?? .zero
            var result = ActionResult(
                slots: [
                    "hours_state": .text("confirmed"), "minutes_text": .text(durationText(minutes: minutes)),
                    "fee": .text(fee.text(language)), "kilometres_text": .text(String(kilometres)),
                    "costs_text": .text(costs.text(language)),
                ], events: [.orderUpdated(order)])
            // Hours and costs beyond the plan and the travel agreed go to the orderer (002): they
            // know whether the session ran long or the trip was longer, before the approver sees it.
            let agreed = order.agreedTravel
            if order.exceedsAgreement(session, minutes: minutes, kilometres: kilometres, otherCosts: costs),
                let orderer = context.registry.person(order.orderer)
            {
                let theirs = context.language(of: orderer)
                result.messages.append(
                    (
                        orderer.id,
                        context.catalog.text(
                            .hoursDiffer, theirs,
                            [
                                "name": orderer.firstName, "expert": context.privacy.nameForEmployees(context.person),
                                "order_id": order.id.rawValue,
                                "when": context.catalog.dateTime(session.start, theirs, time: context.time),
                                "minutes": durationText(minutes: minutes),
                                "planned": durationText(minutes: session.durationMinutes),
                                "km": String(kilometres), "costs": costs.text(theirs),
                                "agreed_km": String(agreed?.kilometres ?? 0),
                                "agreed_costs": (agreed?.otherCosts ?? .zero).text(theirs),
                                "message": context.catalog.word(.message, theirs),
                            ]), nil
                    ))
            }
            return result
        })

    // MARK: The expert's report

    static let loadReport = FlowAction(
        signature: ActionSignature(
            name: "feereport.load",
            outputs: [
                "report_state", "report_id", "month", "unit", "lines", "fees", "travel", "other", "total", "returned", "payday",
            ], outcomes: ["report_state": ["none", "open"]]),
        run: { context in
            guard var report = context.state.reportsAwaitingExpert(context.person.id).first else {
                return ActionResult(slots: ["report_state": .text("none")])
            }
            // Hours confirmed since the report was made count: the lines are worked out again.
            report.lines = currentLines(of: report, context)
            var slots = summary(of: report, context.language, context).mapValues { SlotValue.text($0) }
            slots["report_state"] = .text("open")
            slots["returned"] = .text(
                report.status == .returned
                    ? "\n" + context.catalog.text(.feeReportReturnedNote, context.language, ["reason": report.returnReason?.text ?? ""])
                    : "")
            return ActionResult(slots: slots)
        })

    static let confirmReport = FlowAction(
        signature: ActionSignature(name: "feereport.confirm", outcomes: ["report_state": ["closed", "sent"]]),
        run: { context in
            guard case .text(let id)? = context.slots["report_id"], var report = context.state.feeReports[id] else {
                throw ActionFailure("feereport.confirm needs report_id from feereport.load")
            }
            guard report.expert == context.person.id, report.status == .awaitingExpert || report.status == .returned else {
                return ActionResult(slots: ["report_state": .text("closed")])
            }
            report.lines = currentLines(of: report, context)
            report.status = .awaitingApproval
            report.confirmedAt = context.now
            if context.slots["note"] != nil, context.slots["choice"]?.comparable == "correct" {
                report.expertNote = try context.guardedText("note")
            } else {
                report.expertNote = nil
            }
            var result = ActionResult(slots: ["report_state": .text("sent")], events: [.feeReportSaved(report)])
            // Hours of the month the expert had not confirmed are confirmed with the report.
            for line in report.lines where line.outcome == .held {
                guard var order = context.state.orders[line.order],
                    let index = order.sessions.firstIndex(where: { $0.index == line.session }),
                    order.sessions[index].status == .planned
                else { continue }
                order.sessions[index].status = .held
                result.events.append(.orderUpdated(order))
            }
            if let approver = context.registry.unit(report.unit)?.approver {
                result.startFlows.append((approver, GatewayState.feeApprovalFlowID, .approvalWaiting))
            }
            return result
        })

    // MARK: The approver

    static let loadApproval = FlowAction(
        signature: ActionSignature(
            name: "approval.load",
            outputs: [
                "report_state", "report_id", "month", "unit", "expert", "cost_centre", "lines", "fees", "travel", "other",
                "total", "note", "payday",
            ], outcomes: ["report_state": ["none", "open"]]),
        run: { context in
            guard let report = context.state.reportsAwaitingApproval(by: context.person.id, registry: context.registry).first
            else { return ActionResult(slots: ["report_state": .text("none")]) }
            let language = context.language
            var slots = summary(of: report, language, context).mapValues { SlotValue.text($0) }
            slots["report_state"] = .text("open")
            var result = ActionResult(slots: slots)
            result.accesses.append(
                (what: "fee report \(report.id) to approve", about: [report.expert], why: "approval of \(report.id)"))
            slots["expert"] = .text(context.registry.person(report.expert).map(context.privacy.nameForApprovers) ?? report.expert.rawValue)
            slots["cost_centre"] = .text(context.registry.unit(report.unit)?.costCentre ?? "")
            slots["note"] = .text(
                report.expertNote.map {
                    "\n" + context.catalog.text(.feeReportExpertNote, language, ["note": $0.text])
                } ?? "")
            result.slots = slots
            return result
        })

    static let decide = FlowAction(
        signature: ActionSignature(
            name: "approval.decide", requiredInputs: ["choice"],
            outcomes: ["report_state": ["closed", "approved", "returned"]]),
        run: { context in
            guard case .text(let id)? = context.slots["report_id"], var report = context.state.feeReports[id] else {
                throw ActionFailure("approval.decide needs report_id from approval.load")
            }
            guard report.status == .awaitingApproval, context.registry.unit(report.unit)?.approver == context.person.id else {
                return ActionResult(slots: ["report_state": .text("closed")])
            }
            let approving = context.slots["choice"]?.comparable == "approve"
            var result = ActionResult()
            // Approved after its month's payroll handover, a report waits for the next one and
            // is paid on that payday; the expert is told the real date.
            if approving, let month = Month(report.month) {
                report.payday = context.payroll.payday(for: month, approvedAt: context.now, working: context.working)
            }
            let expert = context.registry.person(report.expert)
            let language = expert.map(context.language(of:)) ?? .fi
            let unit = context.registry.unit(report.unit)?.name ?? report.unit.rawValue
            let values = [
                "name": expert?.firstName ?? "", "month": Month(report.month).map(\.text) ?? report.month, "unit": unit,
                "total": report.total.text(language), "payday": report.payday.text,
            ]
            if approving {
                report.status = .approved
                report.approvedAt = context.now
                report.approvedBy = context.person.id
                result.slots["report_state"] = .text("approved")
                result.messages.append((report.expert, context.catalog.text(.feeReportApproved, language, values), nil))
            } else {
                guard context.slots["reason"] != nil else { throw ActionFailure("a return needs a reason") }
                report.status = .returned
                report.returnReason = try context.guardedText("reason")
                result.slots["report_state"] = .text("returned")
                result.startFlows.append((report.expert, GatewayState.feeReportFlowID, .feeReportReturnedWaiting))
            }
            result.slots["payday"] = .text(report.payday.text)
            result.events.append(.feeReportSaved(report))
            return result
        })

    // MARK: Helpers

    /// The report's lines as the orders stand now.
    /// The report's lines as the orders stand now, priced by the report's own payment mode: a
    /// registry changed since does not change a month already reported.
    static func currentLines(of report: FeeReport, _ context: ActionContext) -> [FeeLine] {
        guard let month = Month(report.month) else { return report.lines }
        let volunteers: Set<PersonID> = report.mode == .volunteer ? [report.expert] : []
        return FeeCalculator(schedule: context.fees, time: context.time, volunteers: volunteers)
            .lines(in: month, orders: context.state.orders.values, now: context.now)[report.expert]?[report.unit] ?? []
    }

    static func summary(of report: FeeReport, _ language: Language, _ context: ActionContext) -> [String: String] {
        let text = { (line: FeeLine) -> String in
            var extra = ""
            switch line.outcome {
            case .cancelledPaid: extra = context.catalog.text(.feeOutcomeCancelledPaid, language)
            case .clientNoShow: extra = context.catalog.text(.feeOutcomeNoShow, language)
            case .noParticipants: extra = context.catalog.text(.feeOutcomeNoParticipants, language)
            default: break
            }
            if line.differsFromAgreement == true {
                let differs = context.catalog.text(.feeLineDiffers, language)
                extra = extra.isEmpty ? differs : extra + ", " + differs
            }
            if line.unconfirmed == true,
                let check = context.state.orders[line.order]?.sessions.first(where: { $0.index == line.session })?.check,
                check.answer == .notHeld
            {
                let notHeld = context.catalog.text(.feeLineNotHeld, language, ["reason": check.reason?.text ?? ""])
                extra = extra.isEmpty ? notHeld : extra + ", " + notHeld
            }
            var costs: [String] = []
            if line.kilometres > 0 { costs.append("\(line.kilometres) km \(line.travel.text(language))") }
            if line.otherCosts > .zero { costs.append(line.otherCosts.text(language)) }
            return context.catalog.text(
                .feeLine, language,
                [
                    "when": context.catalog.dateTime(line.start, language, time: context.time), "order_id": line.order.rawValue,
                    "task_type": line.planning == true
                        ? context.catalog.text(.feeLinePlanning, language)
                        : line.debrief == true
                            ? context.catalog.text(.feeLineDebrief, language)
                            : context.state.orders[line.order].map { context.taskName($0, language) }
                                ?? context.choiceLabel("task_type", line.taskType.rawValue, language),
                    "duration": durationText(minutes: line.minutes), "fee": line.fee.text(language),
                    "extra": (extra.isEmpty ? "" : " (\(extra))") + (costs.isEmpty ? "" : " + " + costs.joined(separator: " + ")),
                ])
        }
        // Sessions no one confirmed are listed apart (002: not paid silently).
        let confirmed = report.lines.filter { $0.unconfirmed != true }.map { "- " + text($0) }
        let unconfirmed = report.lines.filter { $0.unconfirmed == true }.map { "- " + text($0) }
        let lines =
            confirmed
            + (unconfirmed.isEmpty ? [] : [context.catalog.text(.feeLinesUnconfirmed, language)] + unconfirmed)
        return [
            "report_id": report.id, "month": Month(report.month).map(\.text) ?? report.month,
            "unit": context.registry.unit(report.unit)?.name ?? report.unit.rawValue,
            "lines": lines.joined(separator: "\n"), "fees": report.fees.text(language),
            "travel": report.travel.text(language), "other": report.otherCosts.text(language),
            "total": report.total.text(language), "payday": report.payday.text,
        ]
    }

}
