import Foundation

/// What an expert agrees to when taking a task, shown in the offer before they answer
/// (000 §3 and §6.2, 002 step 3): the fee by `Config/fees.yaml` for the task type and the
/// session's year, how travel is paid, for a group that its agreed sessions are paid and the
/// reasons agreed for stopping it, and the duty of confidentiality.
enum OfferTerms {
    static func text(for order: Order, language: Language, _ context: ActionContext) -> String {
        let catalog = context.catalog
        // A series may run into the next year, whose rates then apply to its sessions there.
        let years = Set(order.sessions.map { context.time.year(of: $0.start) }).sorted()
        var lines: [String] = []
        let profile = context.person.expert
        switch profile?.paymentMode ?? .fee {
        case .volunteer:
            lines.append(catalog.text(.offerTermsVolunteer, language))
        case .fee, .businessIncome:
            for year in years.isEmpty ? [context.time.year(of: order.start)] : years {
                let line = feeLine(order, year: year, language, context)
                lines.append(
                    years.count > 1 ? catalog.text(.offerTermsInYear, language, ["year": String(year), "terms": line]) : line)
            }
            if let businessID = profile?.businessID, profile?.paymentMode == .businessIncome {
                lines.append(catalog.text(.offerTermsBusinessIncome, language, ["business_id": businessID]))
            }
        }
        if case .onSite = order.place {
            let year = context.time.year(of: order.start)
            if context.fees.years[year] != nil {
                lines.append(
                    catalog.text(.offerTermsTravel, language, ["rate": context.fees.kilometreRate(year: year).text(language)]))
            } else {
                lines.append(catalog.text(.offerTermsTravelUnknown, language, ["year": String(year)]))
            }
        }
        if order.taskType == .group, let minutes = order.planningMinutes {
            let year = context.time.year(of: order.start)
            let fee =
                profile?.paymentMode == .volunteer ? Money.zero : context.fees.planningRate(year: year)?.fee(minutes: minutes)
            lines.append(
                catalog.text(
                    .offerTermsPlanning, language,
                    [
                        "duration": durationText(minutes: minutes),
                        "fee": fee?.text(language) ?? catalog.text(.offerTermsFeeUnknown, language, ["year": String(year)]),
                    ]))
        }
        if order.taskType == .group {
            lines.append(
                catalog.text(
                    .offerTermsGroup, language,
                    ["agreed": order.agreedStopReasons?.text ?? catalog.text(.groupStopReasonsNone, language)]))
        }
        // An expert pair, while the other half is still to be done by someone.
        let partners = context.state.livePairLinks(of: order)
        if !partners.isEmpty {
            lines.append(
                catalog.text(.offerTermsPair, language, ["partner_id": partners.map(\.id.rawValue).joined(separator: ", ")]))
        }
        if let second = order.secondFacilitator {
            lines.append(catalog.text(.offerTermsSecondFacilitator, language, ["second": second.text]))
        }
        lines.append(catalog.text(.offerTermsConfidentiality, language))
        let excesses = forecast(context).excesses(taking: order, expert: context.person, orders: context.state.orders.values)
        if !excesses.isEmpty {
            lines.append(
                catalog.text(.offerEarningsLimit, language, ["excesses": excessText(excesses, language, catalog: catalog)]))
        }
        return lines.joined(separator: "\n")
    }

    static func forecast(_ context: ActionContext) -> EarningsForecast {
        EarningsForecast(
            calculator: FeeCalculator(schedule: context.fees, time: context.time, volunteers: context.registry.volunteers),
            payroll: context.payroll, reports: context.state.feeReports)
    }

    /// `12/2026: 1 050,00 € (raja 1 000,00 €); vuosi 2026: …`.
    static func excessText(_ excesses: [EarningsForecast.Excess], _ language: Language, catalog: MessageCatalog) -> String {
        excesses.map { excess in
            let values = ["expected": excess.expected.text(language), "limit": excess.limit.text(language)]
            switch excess.period {
            case .month(let month):
                return catalog.text(.earningsExcessMonth, language, values.merging(["month": month.text]) { a, _ in a })
            case .year(let year):
                return catalog.text(.earningsExcessYear, language, values.merging(["year": String(year)]) { a, _ in a })
            }
        }.joined(separator: "; ")
    }

    /// The fee of the order's task (its own rate, else its kind's) by the rates of `year`.
    private static func feeLine(_ order: Order, year: Int, _ language: Language, _ context: ActionContext) -> String {
        let catalog = context.catalog
        guard let rate = context.fees.rate(for: order, year: year) else {
            return catalog.text(.offerTermsFeeUnknown, language, ["year": String(year)])
        }
        switch rate.basis {
        case .hour:
            return catalog.text(
                .offerTermsFeeHour, language,
                ["rate": rate.amount.text(language), "fee": rate.fee(minutes: order.durationMinutes).text(language)])
        case .session:
            return catalog.text(.offerTermsFeeSession, language, ["fee": rate.amount.text(language)])
        case .lecture:
            return catalog.text(.offerTermsFeeLecture, language, ["fee": rate.amount.text(language)])
        }
    }
}
