// The journal's and the snapshot's keys for fee reports (`Store/FORMAT.md`), written out: a
// Swift member can be renamed (with its case here) while the string on disk stays. A stored
// member without a case here does not compile; a string changed here fails the golden
// records (`JournalFormatTests`). Change a string only with a new format and a migration.

extension FeeReport {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case expert = "expert"
        case unit = "unit"
        case month = "month"
        case lines = "lines"
        case createdAt = "createdAt"
        case status = "status"
        case confirmedAt = "confirmedAt"
        case expertNote = "expertNote"
        case approvedAt = "approvedAt"
        case approvedBy = "approvedBy"
        case returnReason = "returnReason"
        case payday = "payday"
        case paymentMode = "paymentMode"
        case handedToPayrollAt = "handedToPayrollAt"
    }
}

extension FeeLine {
    enum CodingKeys: String, CodingKey {
        case order = "order"
        case session = "session"
        case start = "start"
        case taskType = "taskType"
        case minutes = "minutes"
        case outcome = "outcome"
        case fee = "fee"
        case kilometres = "kilometres"
        case travel = "travel"
        case otherCosts = "otherCosts"
        case differsFromAgreement = "differsFromAgreement"
        case planning = "planning"
        case debrief = "debrief"
        case unconfirmed = "unconfirmed"
    }
}

extension Money {
    enum CodingKeys: String, CodingKey {
        case cents = "cents"
    }
}
