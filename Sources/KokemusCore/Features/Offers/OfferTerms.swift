import Foundation

/// What an expert agrees to when taking a task, shown in the offer before they answer
/// (000 §3 and §6.2, 002 step 3): the fee by `Config/fees.yaml` for the task type and the
/// session's year, how travel is paid, for a group that its agreed sessions are paid and the
/// reasons agreed for stopping it, and the duty of confidentiality.
enum OfferTerms {
    static func text(for order: Order, language: Language, _ context: ActionContext) -> String {
        let catalog = context.catalog
        let year = context.time.year(of: order.start)
        var lines: [String] = []
        if let rate = context.fees.rate(for: order.taskType, year: year) {
            switch rate.basis {
            case .hour:
                lines.append(
                    catalog.text(
                        .offerTermsFeeHour, language,
                        [
                            "rate": rate.amount.text(language),
                            "fee": rate.fee(minutes: order.durationMinutes).text(language),
                        ]))
            case .session:
                lines.append(catalog.text(.offerTermsFeeSession, language, ["fee": rate.amount.text(language)]))
            case .lecture:
                lines.append(catalog.text(.offerTermsFeeLecture, language, ["fee": rate.amount.text(language)]))
            }
        } else {
            lines.append(catalog.text(.offerTermsFeeUnknown, language, ["year": String(year)]))
        }
        if case .onSite = order.place {
            lines.append(
                catalog.text(
                    .offerTermsTravel, language, ["rate": context.fees.kilometreRate(year: year).text(language)]))
        }
        if order.taskType == .group {
            lines.append(
                catalog.text(
                    .offerTermsGroup, language,
                    ["agreed": order.agreedStopReasons?.text ?? catalog.text(.groupStopReasonsNone, language)]))
        }
        lines.append(catalog.text(.offerTermsConfidentiality, language))
        return lines.joined(separator: "\n")
    }
}
