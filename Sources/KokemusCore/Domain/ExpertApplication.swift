import Foundation

/// Someone's application to become an expert by experience, recorded by a coordinator
/// (000 §5). Holds the applicant's contact details, which only coordinators see.
public struct ExpertApplication: Codable, Sendable, Hashable, Identifiable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for the interview.
        case received
        /// The expert is in the registry (`expert`), added in chat (`rekisteri lisää`).
        case accepted
    }

    /// `H-2026-001`
    public var id: String
    // What the coordinator typed, as the guard let it through (the applicant's own contact
    // details may stand in it; an identity code may not).
    public var applicant: GuardedText
    public var contact: GuardedText
    public var topics: [String]
    public var languages: [String]
    public var municipalities: GuardedText
    public var training: GuardedText
    public var wishes: GuardedText
    public var recordedBy: PersonID
    public var recordedAt: Date
    public var status: Status
    /// The registry id the application became, once accepted.
    public var expert: PersonID?

    public init(
        id: String, applicant: GuardedText, contact: GuardedText, topics: [String], languages: [String],
        municipalities: GuardedText, training: GuardedText, wishes: GuardedText, recordedBy: PersonID, recordedAt: Date
    ) {
        self.id = id
        self.applicant = applicant
        self.contact = contact
        self.topics = topics
        self.languages = languages
        self.municipalities = municipalities
        self.training = training
        self.wishes = wishes
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        status = .received
    }
}
