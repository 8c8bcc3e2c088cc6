import Foundation

/// Hours and fees: after a session the expert is asked to confirm the hours; on the 1st of a
/// month each expert gets last month's fee report per unit; confirmed reports go to the
/// unit's approver; `palkkio` tells anyone where their fees are.
struct FeeReporting: TurnFeature {
    var turn: ConversationTurn

    /// Asks the expert to confirm the hours of sessions that have ended (in working time,
    /// once per session).
    mutating func askForHours() {
        guard engine.working.allows(now) else { return }
        var asked: [PersonID: Bool] = [:]
        for id in state.orders.values.filter({ $0.status == .assigned }).map(\.id).sorted() {
            guard var order = state.orders[id], let expert = order.assignedExpert, !order.waitsForPair else { continue }
            var changed = false
            for index in order.sessions.indices
            where order.sessions[index].status == .planned && order.sessions[index].hoursAskedAt == nil && order.sessions[index].end <= now
            {
                order.sessions[index].hoursAskedAt = now
                changed = true
            }
            guard changed else { continue }
            emit(.orderUpdated(order))
            asked[expert] = true
        }
        for expert in asked.keys.sorted() {
            offerFlow(GatewayState.hoursFlowID, to: expert, notice: .hoursWaiting)
        }
    }

    /// On the 1st (or the first moment reminders may go out after it), last month's paid
    /// sessions become fee reports, one per expert and unit, each sent to its expert.
    mutating func sendMonthlyFeeReports() {
        guard engine.working.allows(now) else { return }
        let month = Month(of: engine.time.day(of: now)).previous
        let calculator = FeeCalculator(schedule: engine.fees, time: engine.time, volunteers: engine.registry.volunteers)
        let lines = calculator.lines(in: month, orders: state.orders.values, now: now)
        var created: [PersonID] = []
        for expert in lines.keys.sorted() {
            for unit in lines[expert]!.keys.sorted() {
                var report = FeeReport(
                    expert: expert, unit: unit, month: month.description, lines: lines[expert]![unit]!,
                    createdAt: now, payday: engine.payroll.payday(for: month))
                guard state.feeReports[report.id] == nil else { continue }
                report.paymentMode = engine.registry.paymentMode(of: expert)
                emit(.feeReportSaved(report))
                created.append(expert)
            }
        }
        for expert in Set(created).sorted() {
            offerFlow(GatewayState.feeReportFlowID, to: expert, notice: .feeReportWaiting)
        }
    }

    // MARK: `palkkio`

    /// Where a person's fees are: an expert's reports and this month so far; an approver's
    /// reports waiting for them.
    func feeStatus(for person: Person) -> String {
        let language = language(of: person)
        var parts: [String] = []
        if person.has(.expert) {
            let reports = state.feeReports.values.filter { $0.expert == person.id }.sorted { ($0.month, $0.id) > ($1.month, $1.id) }
            let lines = reports.prefix(12).map { report -> String in
                let unit = engine.registry.unit(report.unit)?.name ?? report.unit.rawValue
                let statusText: String =
                    switch report.status {
                    case .awaitingExpert:
                        catalog.text(
                            .feeStatusAwaitingExpert, language,
                            [
                                "trigger": engine.flows.current[GatewayState.feeReportFlowID]?.triggers[language]?.first ?? ""
                            ])
                    case .awaitingApproval:
                        catalog.text(
                            .feeStatusAwaitingApproval, language,
                            [
                                "approver": engine.registry.unit(report.unit).flatMap { engine.registry.person($0.approver) }?.name ?? ""
                            ])
                    case .returned: catalog.text(.feeStatusReturned, language, ["reason": report.returnReason?.text ?? ""])
                    case .approved: catalog.text(.feeStatusApproved, language, ["payday": report.payday.text])
                    }
                return "- \(monthText(report.month)) \(unit): \(report.total.text(language)) – \(statusText)"
            }
            let thisMonth = Month(of: engine.time.day(of: now))
            let calculator = FeeCalculator(schedule: engine.fees, time: engine.time, volunteers: engine.registry.volunteers)
            let current =
                calculator.lines(in: thisMonth, orders: state.orders.values, now: now)[person.id]?.values
                .flatMap { $0 } ?? []
            parts.append(
                catalog.text(
                    .feeStatusExpert, language,
                    [
                        "name": person.firstName,
                        "reports": lines.isEmpty ? catalog.text(.feeStatusNoReports, language) : lines.joined(separator: "\n"),
                        "month": thisMonth.text, "sessions": String(current.filter(\.isSession).count),
                        "total": current.reduce(Money.zero) { $0 + $1.total }.text(language),
                        "report_day": thisMonth.next.firstDay.text,
                    ]))
        }
        if person.has(.approver) {
            let waiting = state.reportsAwaitingApproval(by: person.id, registry: engine.registry)
            parts.append(
                catalog.text(
                    .feeStatusApprover, language,
                    [
                        "count": String(waiting.count),
                        "trigger": engine.flows.current[GatewayState.feeApprovalFlowID]?.triggers[language]?.first ?? "",
                    ]))
        }
        if parts.isEmpty { return catalog.text(.feeStatusNone, language, ["name": person.firstName]) }
        return parts.joined(separator: "\n\n")
    }

    /// An expert's year (`palkkio vuosi`): fees and refunded costs per month, from the fee
    /// reports where there are some and the sessions held otherwise, what is booked for the rest
    /// of the year, and the expert's earnings limits: the year-to-date picture a benefit or a
    /// pension may depend on (003).
    func yearStatus(for expert: Person, year: Int) -> String {
        let language = language(of: expert)
        let calculator = FeeCalculator(schedule: engine.fees, time: engine.time, volunteers: engine.registry.volunteers)
        var months: [String] = []
        var fees = Money.zero
        var costs = Money.zero
        for number in 1...12 {
            let month = Month(year: year, month: number)
            let reports = state.feeReports.values.filter { $0.expert == expert.id && $0.month == month.description }
            let lines =
                reports.isEmpty
                ? (calculator.lines(in: month, orders: state.orders.values, now: now)[expert.id]?.values.flatMap { $0 } ?? [])
                : reports.flatMap(\.lines)
            guard !lines.isEmpty else { continue }
            let monthFees = lines.reduce(Money.zero) { $0 + $1.fee }
            let monthCosts = lines.reduce(Money.zero) { $0 + $1.travel + $1.otherCosts }
            fees += monthFees
            costs += monthCosts
            let paid = reports.filter { $0.status == .approved }.map(\.payday).max()
            months.append(
                catalog.text(
                    paid != nil && reports.allSatisfy({ $0.status == .approved }) ? .feeYearMonthPaid : .feeYearMonthOpen,
                    language,
                    [
                        "month": month.text, "fees": monthFees.text(language), "costs": monthCosts.text(language),
                        "payday": paid?.text ?? "",
                    ]))
        }
        // Sessions still to come this year, as if held as planned.
        var booked = Money.zero
        for order in state.orders.values where order.assignment?.expert == expert.id && order.assignment?.status == .accepted {
            for session in order.sessions where session.status == .planned && session.start > now {
                guard engine.time.year(of: session.start) == year,
                    let fee = calculator.expectedFee(for: session, of: order, expert: expert.id)
                else { continue }
                booked += fee
            }
        }
        let profile = expert.expert
        // What the limits count: fees by the year they are paid in.
        let paidInYear = EarningsForecast(calculator: calculator, payroll: engine.payroll, reports: state.feeReports)
            .fees(of: expert.id, orders: state.orders.values).filter { $0.key.year == year }.values.reduce(Money.zero, +)
        var limits: [String] = []
        if let limit = profile?.earningsLimitMonth {
            limits.append(catalog.text(.feeYearLimitMonth, language, ["limit": limit.text(language)]))
        }
        if let limit = profile?.earningsLimitYear {
            limits.append(catalog.text(.feeYearLimitYear, language, ["limit": limit.text(language)]))
        }
        return catalog.text(
            .feeYear, language,
            [
                "name": expert.firstName, "year": String(year),
                "months": months.isEmpty ? catalog.text(.feeStatusNoReports, language) : months.joined(separator: "\n"),
                "fees": fees.text(language), "costs": costs.text(language), "booked": booked.text(language),
                "mode": catalog.text(PayrollHandover.modeKey(profile?.paymentMode ?? .fee), language),
                "paid_in_year": paidInYear.text(language),
                "limits": limits.isEmpty ? catalog.text(.feeYearNoLimits, language) : limits.joined(separator: ", "),
            ])
    }

    /// `2026-11` → `11/2026`.
    func monthText(_ month: String) -> String { Month(month)?.text ?? month }

    // MARK: `tila` for an expert

    /// The offers waiting for the expert's answer, with their deadlines (nil: none).
    func offersWaiting(for expert: Person, _ language: Language) -> String? {
        let offers = state.pendingOffers(of: expert.id)
        guard !offers.isEmpty else { return nil }
        return catalog.text(
            .statusExpertOffers, language,
            [
                "offers": offers.map {
                    "- \($0.order.id): \(dateTime($0.order.start, language)), "
                        + catalog.text(.statusAnswerBy, language, ["deadline": dateTime($0.offer.deadline, language)])
                }
                .joined(separator: "\n"),
                "trigger": offerTrigger(language),
            ])
    }

    /// An expert's offers waiting for an answer, coming sessions and hours to confirm.
    func expertStatus(_ expert: Person, _ language: Language) -> [String] {
        var lines: [String] = []
        if let offers = offersWaiting(for: expert, language) { lines.append(offers) }
        let coming = state.orders.values.filter { $0.assignedExpert == expert.id }
            .flatMap { order in order.sessions.filter { $0.status == .planned && $0.start > now }.map { (order, $0) } }
            .sorted { ($0.1.start, $0.0.id) < ($1.1.start, $1.0.id) }
        if !coming.isEmpty {
            lines.append(
                catalog.text(
                    .statusExpertBookings, language,
                    [
                        "bookings": coming.prefix(10).map { order, session in
                            "- \(order.id): \(dateTime(session.start, language)), \(durationText(minutes: session.durationMinutes)), "
                                + taskName(order, language) + ", "
                                + placeText(order, language)
                        }.joined(separator: "\n")
                    ]))
        }
        let hours = state.sessionsAwaitingHours(of: expert.id, time: engine.time).count
        if hours > 0 {
            lines.append(
                catalog.text(
                    .statusHoursWaiting, language,
                    [
                        "count": String(hours),
                        "trigger": engine.flows.current[GatewayState.hoursFlowID]?.triggers[language]?.first ?? "",
                    ]))
        }
        if lines.isEmpty { lines.append(catalog.text(.statusExpertNothing, language)) }
        return lines
    }

    // MARK: Reminders

    /// A report waiting for its expert: reminders four days and a day before the deadline
    /// (`payroll.deadline_day`, the 9th: on the 5th and the 8th). A confirmed report waiting
    /// for its approver: on the deadline and every working day after.
    func feeReportReminders() -> [PlannedReminder] {
        var reminders: [PlannedReminder] = []
        let today = engine.time.day(of: now)
        for report in state.feeReports.values {
            guard let month = Month(report.month) else { continue }
            let due = month.next
            switch report.status {
            case .awaitingExpert, .returned:
                guard let expert = engine.registry.person(report.expert) else { continue }
                let language = language(of: expert)
                // Four days and one day before the deadline (the 5th and the 8th by default),
                // never on the 1st, the day the report comes.
                let deadline = engine.payroll.deadlineDay
                for day in Set([deadline - 4, deadline - 1]).filter({ $0 >= 2 }).sorted() {
                    let text = catalog.text(
                        .reminderFeeReportExpert, language,
                        [
                            "name": expert.firstName, "month": monthText(report.month),
                            "unit": engine.registry.unit(report.unit)?.name ?? report.unit.rawValue,
                            "deadline": due.day(deadline).text,
                            "trigger": engine.flows.current[GatewayState.feeReportFlowID]?.triggers[language]?.first ?? "",
                        ])
                    reminders.append(
                        PlannedReminder(
                            key: "feereport:\(report.id):expert:\(day)", series: "feereport:\(report.id):expert",
                            recipient: expert.id, dueAt: engine.working.start(of: due.day(day)),
                            expiresAt: engine.working.start(of: due.next.firstDay), text: text))
                }
            case .awaitingApproval:
                guard today >= due.day(engine.payroll.deadlineDay), engine.working.isWorkingDay(today),
                    let approver = engine.registry.unit(report.unit).flatMap({ engine.registry.person($0.approver) })
                else { continue }
                let language = language(of: approver)
                let expertName = engine.registry.person(report.expert).map(engine.privacy.nameForApprovers) ?? report.expert.rawValue
                let text = catalog.text(
                    .reminderFeeReportApprover, language,
                    [
                        "name": approver.firstName, "month": monthText(report.month), "expert": expertName,
                        "unit": engine.registry.unit(report.unit)?.name ?? report.unit.rawValue,
                        "trigger": engine.flows.current[GatewayState.feeApprovalFlowID]?.triggers[language]?.first ?? "",
                    ])
                reminders.append(
                    PlannedReminder(
                        key: "feereport:\(report.id):approver:\(today.iso)", series: "feereport:\(report.id):approver",
                        recipient: approver.id, dueAt: engine.working.start(of: today),
                        expiresAt: engine.working.start(of: today.adding(days: 1)), text: text))
            case .approved:
                continue
            }
        }
        return reminders
    }
}
