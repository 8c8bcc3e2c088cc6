import Foundation

/// The last mile to payroll (002; 000 §6.3; 004 "lomake jää jonkin työntekijän pöydälle"):
/// on the handover day (`payroll.handover_day`, the 10th) the approved fee reports not yet
/// handed over go to everyone with the payroll role by themselves, one CSV file per payment
/// mode by e-mail and their totals in the text (all a chat can carry); and the coordinator is
/// told which of last month's reports are late and why.
struct PayrollHandover: TurnFeature {
    var turn: ConversationTurn

    /// Hands over the approved reports whose payday is this month's (a report approved after
    /// an earlier handover waits for this one), once each: a report handed over is marked.
    mutating func handOver() {
        let schedule = engine.payroll
        guard schedule.automaticHandover, engine.working.allows(now) else { return }
        let today = engine.time.day(of: now)
        let month = Month(of: today)
        guard now >= schedule.handoverDue(in: month, working: engine.working) else { return }
        let payday = schedule.payday(ofHandoverIn: month)
        // Marked before the files are written, so the files say when they were handed over.
        let due = Self.reportsDue(state.feeReports.values, handoverMonth: month).map {
            var report = $0
            report.handedToPayrollAt = now
            return report
        }
        // With no one in the payroll role nothing is marked handed over: the coordinator is
        // told (`lateCaseReminders`) and `kokemus payroll export` still gives the files.
        let payroll = engine.registry.people(with: .payroll)
        guard !due.isEmpty, !payroll.isEmpty else { return }
        let files = PaymentMode.allCases.compactMap { mode -> OutboxAttachment? in
            let reports = due.filter { $0.mode == mode }
            guard !reports.isEmpty else { return nil }
            let export = PayrollExport(reports: reports, state: state, registry: engine.registry, time: engine.time)
            return OutboxAttachment(
                filename: "payroll-\(today.iso)-\(mode.registryName).csv", mediaType: "text/csv", text: export.csv)
        }
        for person in payroll {
            let language = language(of: person)
            let lines = due.map { line(for: $0, language) }
            let totals = PaymentMode.allCases.compactMap { mode -> String? in
                let reports = due.filter { $0.mode == mode }
                guard !reports.isEmpty else { return nil }
                return catalog.text(
                    .payrollHandoverTotal, language,
                    [
                        "mode": catalog.text(Self.modeKey(mode), language), "count": String(reports.count),
                        "total": reports.reduce(Money.zero) { $0 + $1.total }.text(language),
                    ])
            }
            // The files go with the message whatever the channel: e-mail carries them (and the
            // console demo shows them); a chat carries the text, which says how IT gets them.
            send(
                catalog.text(
                    .payrollHandover, language,
                    [
                        "name": person.firstName, "payday": payday.text, "reports": lines.joined(separator: "\n"),
                        "totals": totals.joined(separator: "\n"),
                        "files": catalog.text(
                            .payrollFilesAttached, language,
                            ["files": files.map(\.filename).joined(separator: ", "), "day": today.iso]),
                    ]), to: person.id, attachments: files, about: .mailSubjectPayroll)
            recordAccess(
                by: person.id, what: "payroll handover of \(today.iso): \(due.count) fee report(s)", about: due.map(\.expert),
                why: "automatic payroll handover")
        }
        for report in due { emit(.feeReportSaved(report)) }
    }

    /// The approved reports the handover of `handoverMonth` takes: not handed over yet, with
    /// a payday in that month, or in the month before (a handover missed while the gateway was
    /// down goes with the next). Older ones, approved before the handover existed or while it
    /// was off, were for payroll by hand (`kokemus payroll export`) and are not sent again:
    /// payroll must not get a report twice.
    static func reportsDue(_ reports: some Sequence<FeeReport>, handoverMonth: Month) -> [FeeReport] {
        reports.filter {
            $0.status == .approved && $0.handedToPayrollAt == nil && Month(of: $0.payday) <= handoverMonth
                && Month(of: $0.payday) >= handoverMonth.previous
        }
        .sorted { $0.id < $1.id }
    }

    /// `- P-2026-11-kalle-…: Kalle Virtanen, Mielenterveyspalvelut, 112,00 € (11/2026)`, with
    /// what payroll must check (a missing tax card or business ID).
    private func line(for report: FeeReport, _ language: Language) -> String {
        let expert = engine.registry.person(report.expert)
        var notes: [String] = []
        if report.month != Month(of: engine.time.day(of: now)).previous.description {
            notes.append(Month(report.month)?.text ?? report.month)
        }
        if engine.registry.unit(report.unit) == nil { notes.append(catalog.text(.payrollNoUnit, language)) }
        switch report.mode {
        case .fee:
            if state.taxCardYear(of: report.expert, registry: engine.registry) ?? 0 < report.payday.year {
                notes.append(catalog.text(.payrollNoTaxCard, language, ["year": String(report.payday.year)]))
            }
        case .businessIncome:
            notes.append(
                expert?.expert?.businessID.map { catalog.text(.payrollBusinessID, language, ["business_id": $0]) }
                    ?? catalog.text(.payrollNoBusinessID, language))
        case .volunteer:
            break
        }
        return "- \(report.id): \(expert?.name ?? report.expert.rawValue), "
            + "\(engine.registry.unit(report.unit)?.name ?? report.unit.rawValue), \(report.total.text(language))"
            + (notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")")
    }

    static func modeKey(_ mode: PaymentMode) -> MessageKey {
        switch mode {
        case .fee: .paymentModeFee
        case .businessIncome: .paymentModeBusinessIncome
        case .volunteer: .paymentModeVolunteer
        }
    }

    // MARK: Late cases

    /// On the handover day, to every coordinator: last month's reports not approved by the
    /// deadline, each with why (the expert has not confirmed it, the approver has not decided,
    /// it was returned) and the payday it moves to; and, if approved reports are waiting and
    /// no one has the payroll role, that they are.
    func lateCaseReminders() -> [PlannedReminder] {
        let schedule = engine.payroll
        let month = Month(of: engine.time.day(of: now))
        let dueAt = schedule.handoverDue(in: month, working: engine.working)
        guard now >= dueAt else { return [] }
        let expiresAt = engine.working.start(of: month.next.firstDay)
        // Every report of last month or before still not approved: told on each handover day
        // until it is, so none is forgotten on someone's desk (004).
        let late = state.feeReports.values.filter {
            Month($0.month).map { $0 <= month.previous } ?? false && $0.status != .approved
        }
        .sorted { ($0.month, $0.id) < ($1.month, $1.id) }
        let payroll = engine.registry.people(with: .payroll)
        let waiting = Self.reportsDue(state.feeReports.values, handoverMonth: month)
        var reminders: [PlannedReminder] = []
        for coordinator in engine.registry.coordinators {
            let language = language(of: coordinator)
            if !late.isEmpty {
                let text = catalog.text(
                    .payrollLateReports, language,
                    [
                        "name": coordinator.firstName, "deadline": month.day(schedule.deadlineDay).text,
                        "reports": late.map { lateLine($0, language) }.joined(separator: "\n"),
                        "payday": schedule.payday(ofHandoverIn: month.next).text,
                    ])
                reminders.append(
                    PlannedReminder(
                        key: "payroll:late:\(month):\(coordinator.id)", series: "payroll:late:\(month)",
                        recipient: coordinator.id, dueAt: dueAt, expiresAt: expiresAt, text: text))
            }
            if payroll.isEmpty, schedule.automaticHandover, !waiting.isEmpty {
                reminders.append(
                    PlannedReminder(
                        key: "payroll:nobody:\(month):\(coordinator.id)", series: "payroll:nobody:\(month)",
                        recipient: coordinator.id, dueAt: dueAt, expiresAt: expiresAt,
                        text: catalog.text(
                            .payrollNobody, language,
                            ["name": coordinator.firstName, "count": String(waiting.count)])))
            }
        }
        return reminders
    }

    /// `- P-…: Kalle Virtanen, Mielenterveyspalvelut: waiting for the approver Anna Approver`.
    private func lateLine(_ report: FeeReport, _ language: Language) -> String {
        let unit = engine.registry.unit(report.unit)
        let why = PayrollWarning.whyNotApproved(report, catalog, language, registry: engine.registry)
        return "- \(report.id) (\(Month(report.month)?.text ?? report.month)): "
            + "\(engine.registry.person(report.expert)?.name ?? report.expert.rawValue), \(unit?.name ?? report.unit.rawValue): \(why)"
    }
}
