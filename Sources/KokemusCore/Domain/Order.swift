import Foundation

/// Where a task happens.
public enum TaskPlace: Codable, Sendable, Hashable {
    case onSite(address: String)
    case remote
}

/// Who the task is for, described without identifying anyone.
public enum Audience: String, Codable, CaseIterable, Sendable {
    /// One client of the unit.
    case client
    /// A group of clients.
    case clientGroup
    /// Professionals (training, team meeting).
    case professionals
    /// The unit's development work.
    case development
}

/// An order (tilaus): what, where, when and for whom. It never names the client.
public struct Order: Codable, Sendable, Hashable, Identifiable {
    public enum Status: String, Codable, Sendable {
        /// Waiting for an expert to be found and to accept.
        case open
        /// An expert has accepted.
        case assigned
        case cancelled
        case completed
    }

    public var id: OrderID
    public var orderer: PersonID
    public var unit: UnitID
    public var taskType: TaskType
    /// The topic of experience, a value from the order flow (`mental_health`, …).
    public var topic: String
    public var start: Date
    public var durationMinutes: Int
    /// The planned sessions; one for most tasks, the agreed number for group guidance.
    public var sessions: [Session]
    public var place: TaskPlace
    public var language: Language
    public var audience: Audience
    /// The need in short, checked to hold no personal identity code.
    public var description: String
    public var createdAt: Date
    public var status: Status
    /// Filled when an expert accepts (a later issue's matching).
    public var assignment: Assignment?

    public init(id: OrderID, orderer: PersonID, unit: UnitID, taskType: TaskType, topic: String, start: Date,
                durationMinutes: Int, sessions: [Session], place: TaskPlace, language: Language, audience: Audience,
                description: String, createdAt: Date, status: Status = .open, assignment: Assignment? = nil) {
        self.id = id
        self.orderer = orderer
        self.unit = unit
        self.taskType = taskType
        self.topic = topic
        self.start = start
        self.durationMinutes = durationMinutes
        self.sessions = sessions
        self.place = place
        self.language = language
        self.audience = audience
        self.description = description
        self.createdAt = createdAt
        self.status = status
        self.assignment = assignment
    }
}
