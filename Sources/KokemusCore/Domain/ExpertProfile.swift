import Foundation

/// What the commission agreement (toimeksiantosopimus) records about an expert.
public struct ExpertProfile: Codable, Sendable, Hashable {
    /// The pseudonymous name shown to employees, e.g. "Kokemusasiantuntija K-12".
    public var handle: String
    /// Topic areas of lived experience, as the flows' topic values (`mental_health`, …).
    public var topics: [String]
    public var taskTypes: [TaskType]
    /// The role profiles of the task catalogue (003: `space_host`, `storyteller`, …) the expert
    /// is agreed to work in; a task that is a role profile is offered only to them.
    public var roleProfiles: [String]
    public var languages: [Language]
    public var municipalities: [String]
    public var training: String?
    /// First and last day the commission agreement is valid (inclusive), as `YYYY-MM-DD`.
    public var agreementValidFrom: String?
    public var agreementValidUntil: String?
    /// The year of the latest tax card delivered.
    public var taxCardYear: Int?
    /// The expert's own introduction, shown to an employee after a booking.
    public var introduction: LocalizedText?
    /// Hours a month the expert wants at most (benefits may depend on it); nil: the policy's cap.
    public var monthlyCapHours: Int?
    /// Days the expert has said they are away, as inclusive `YYYY-MM-DD` ranges.
    public var unavailable: [DayRange]
    /// A phone the county pays for (`work_phone`), which the orderer may be told when the
    /// county's `privacy:` allows it; never the private `contacts.phone`.
    public var workPhone: String?
    /// How the expert is paid: a fee, business income (with `businessID`) or volunteering.
    public var paymentMode: PaymentMode
    /// The business ID (Y-tunnus) business income is paid to.
    public var businessID: String?
    /// Fees the expert wants to stay under in a month and in a year (a pension or a benefit
    /// may depend on them: 003 "korvauksen ei tule vaikeuttaa etuuksien saamista"). An offer
    /// that would take them past one warns the expert, and the coordinator sees it in the ranking.
    public var earningsLimitMonth: Money?
    public var earningsLimitYear: Money?
    /// The day the expert signed the confidentiality commitment on paper (003: agreed with the
    /// commission agreement), as `YYYY-MM-DD`; without it the expert confirms it in chat
    /// before their first task (`ExpertRecord.confidentialityConfirmedAt`).
    public var confidentialitySigned: String?

    public init(
        handle: String, topics: [String] = [], taskTypes: [TaskType] = [], languages: [Language] = [],
        municipalities: [String] = [], training: String? = nil, agreementValidFrom: String? = nil,
        agreementValidUntil: String? = nil, taxCardYear: Int? = nil, introduction: LocalizedText? = nil,
        monthlyCapHours: Int? = nil, unavailable: [DayRange] = [], workPhone: String? = nil,
        paymentMode: PaymentMode = .fee, businessID: String? = nil, earningsLimitMonth: Money? = nil,
        earningsLimitYear: Money? = nil, roleProfiles: [String] = [], confidentialitySigned: String? = nil
    ) {
        self.confidentialitySigned = confidentialitySigned
        self.handle = handle
        self.roleProfiles = roleProfiles
        self.topics = topics
        self.taskTypes = taskTypes
        self.languages = languages
        self.municipalities = municipalities
        self.training = training
        self.agreementValidFrom = agreementValidFrom
        self.agreementValidUntil = agreementValidUntil
        self.taxCardYear = taxCardYear
        self.introduction = introduction
        self.monthlyCapHours = monthlyCapHours
        self.unavailable = unavailable
        self.workPhone = workPhone
        self.paymentMode = paymentMode
        self.businessID = businessID
        self.earningsLimitMonth = earningsLimitMonth
        self.earningsLimitYear = earningsLimitYear
    }

    /// Whether the expert said they are away on the local day (`YYYY-MM-DD`).
    public func isUnavailable(day: String) -> Bool {
        unavailable.contains { $0.contains(day) }
    }

    /// Whether the agreement covers the given local day (`YYYY-MM-DD`, which sorts as text).
    public func agreementCovers(day: String) -> Bool {
        guard let from = agreementValidFrom else { return false }
        if day < from { return false }
        if let until = agreementValidUntil, day > until { return false }
        return true
    }
}

/// An inclusive range of local days, `YYYY-MM-DD` (which sorts as text).
public struct DayRange: Codable, Sendable, Hashable {
    public var from: String
    public var until: String

    public init(from: String, until: String) {
        self.from = from
        self.until = until
    }

    public func contains(_ day: String) -> Bool { from <= day && day <= until }
}
