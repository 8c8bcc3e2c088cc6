import Foundation

/// An expert's part in an order: offered, then accepted or declined.
public struct Assignment: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        case offered, accepted, declined, withdrawn
    }

    public var expert: PersonID
    public var status: Status
    public var offeredAt: Date
    public var answeredAt: Date?

    public init(expert: PersonID, status: Status, offeredAt: Date, answeredAt: Date? = nil) {
        self.expert = expert
        self.status = status
        self.offeredAt = offeredAt
        self.answeredAt = answeredAt
    }
}

/// One meeting of an order; group guidance has several.
public struct Session: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        case planned, held, cancelledFree, cancelledPaid, clientNoShow, expertIll
    }

    public var index: Int
    public var start: Date
    public var durationMinutes: Int
    public var status: Status

    public init(index: Int, start: Date, durationMinutes: Int, status: Status = .planned) {
        self.index = index
        self.start = start
        self.durationMinutes = durationMinutes
        self.status = status
    }
}
