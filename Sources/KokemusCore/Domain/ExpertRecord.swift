import Foundation

/// What an expert has said about themselves in chat, kept in the state over what the registry
/// records (004, 000 §6.1; 003): the confidentiality commitment confirmed and when, days away,
/// their own introduction and their wishes. The registry stays the commission agreement; a
/// wish narrows it and never widens it (a topic the agreement lacks cannot be wished for).
public struct ExpertRecord: Codable, Sendable, Hashable {
    public var expert: PersonID
    /// When the expert confirmed the confidentiality commitment (vaitiolovelvollisuus, 003).
    public var confidentialityConfirmedAt: Date?
    /// Periods the expert marked themselves away, inclusive `YYYY-MM-DD`, sorted.
    public var away: [DayRange]
    /// The expert's own introduction by language code (`fi`, `sv`, `en`); where one is given
    /// it replaces the registry's in that language. It has passed the guard.
    public var introductions: [String: String]
    /// The agreed topics the expert wants offers in now; nil: all agreed ones.
    public var topics: [String]?
    /// The agreed task types the expert wants offers of now; nil: all agreed ones.
    public var taskTypes: [TaskType]?
    /// Hours a month the expert wants at most; the lower of this and the agreement's applies.
    public var monthlyCapHours: Int?
    public var updatedAt: Date

    public init(
        expert: PersonID, confidentialityConfirmedAt: Date? = nil, away: [DayRange] = [], introductions: [String: String] = [:],
        topics: [String]? = nil, taskTypes: [TaskType]? = nil, monthlyCapHours: Int? = nil, updatedAt: Date
    ) {
        self.expert = expert
        self.confidentialityConfirmedAt = confidentialityConfirmedAt
        self.away = away
        self.introductions = introductions
        self.topics = topics
        self.taskTypes = taskTypes
        self.monthlyCapHours = monthlyCapHours
        self.updatedAt = updatedAt
    }

    /// The bounds of a monthly cap an expert may set (a month has at most 744 hours).
    public static let monthlyCapRange = 1...300

    /// The agreement as the expert's own words narrow it: what matching and offers read.
    public func applied(to profile: ExpertProfile) -> ExpertProfile {
        var profile = profile
        profile.unavailable += away
        if let topics { profile.topics = profile.topics.filter(topics.contains) }
        if let taskTypes { profile.taskTypes = profile.taskTypes.filter(taskTypes.contains) }
        // A wish may lower the agreement's hours, never raise them (`ExpertMatcher` also keeps
        // the county's cap when the agreement sets none).
        if let monthlyCapHours { profile.monthlyCapHours = min(monthlyCapHours, profile.monthlyCapHours ?? .max) }
        if !introductions.isEmpty {
            var texts = profile.introduction?.texts ?? [:]
            for (code, text) in introductions {
                if let language = Language(rawValue: code) { texts[language] = text }
            }
            profile.introduction = LocalizedText(texts)
        }
        return profile
    }
}

extension GatewayState {
    /// The expert's registry entry with what they have said in chat applied (away days,
    /// introduction, wishes); people who are not experts come back as they are.
    public func effective(_ person: Person) -> Person {
        guard let profile = person.expert, let record = expertRecords[person.id] else { return person }
        var person = person
        person.expert = record.applied(to: profile)
        return person
    }

    /// The expert's record, or an empty one to begin from.
    public func expertRecord(of expert: PersonID, now: Date) -> ExpertRecord {
        expertRecords[expert] ?? ExpertRecord(expert: expert, updatedAt: now)
    }
}
