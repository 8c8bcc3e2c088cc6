import Foundation

/// Where a task happens.
public enum TaskPlace: Codable, Sendable, Hashable {
    case onSite(address: GuardedText)
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
    public enum Status: String, Codable, Sendable, CaseIterable {
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
    /// The planned sessions: one, or the agreed number of a client process or a group.
    public var sessions: [Session]
    public var place: TaskPlace
    public var language: Language
    public var audience: Audience
    /// The need in short, as the guard let it through (no identity code).
    public var description: GuardedText
    public var createdAt: Date
    public var status: Status
    /// Filled when an expert accepts.
    public var assignment: Assignment?
    /// Every offer made for this order, oldest first.
    public var offers: [Offer]
    /// Whether the coordinators have been told that no expert accepted.
    public var unfilledReported: Bool
    /// A new time the orderer proposed, waiting for the expert.
    public var pendingMove: MoveRequest?
    /// The calendar event's SEQUENCE: raised with every change sent to the parties.
    public var calendarSequence: Int
    /// The order this one replaces a session of (an expert fell ill).
    public var replaces: OrderID?
    /// Experts not to offer this order to: the one it replaces.
    public var excludedExperts: [PersonID]
    /// When the expert and the orderer were asked for feedback (after the last session).
    public var feedbackAskedAt: Date?
    /// Feedback given on the task, by the expert, the orderer and (through the orderer) the client.
    public var feedback: [Feedback]
    /// For a group: the reasons agreed in advance for stopping it early without paying the
    /// sessions left (000 §6.2, "ennalta sovituista syistä"); nil when none were agreed.
    public var agreedStopReasons: GuardedText?
    /// How the sessions follow each other when there are several; nil in orders stored before
    /// processes existed, whose sessions were weekly.
    public var frequency: SessionFrequency?
    /// The expert the orderer asked for by name (one they worked with): offered first while suitable.
    public var requestedExpert: PersonID?
    /// The task as the catalogue names it (`Config/tasks.yaml`: `tilamestari`, `juttupenkki`);
    /// nil in orders from before the catalogue, which are their kind's own entry.
    public var task: String?
    /// The catalogue entry's id: `task`, or the kind's own.
    public var taskID: String { task ?? taskType.rawValue }
    /// An expert pair (000 §4.3, 004): the other order of the pair, each with an expert of its
    /// own, offered and paid apart; the booking stands when both are taken.
    public var pairedWith: OrderID?
    /// Pair work with a professional as the second facilitator: who, as the orderer wrote it.
    public var secondFacilitator: GuardedText?
    /// When the pair stood: both orders taken (or the other cancelled, leaving this one alone).
    public var pairStoodAt: Date?
    /// An order of an expert pair taken while the other is not yet: no booking yet, so no
    /// reminders, questions or fees until the pair stands.
    public var waitsForPair: Bool { pairedWith != nil && pairStoodAt == nil }
    /// Travel for an on-site task as the expert stated it on accepting, and the orderer agreed.
    public var travel: TravelAgreement?
    /// For a group: the time ordered for the expert to take part in planning it (000 §4.3,
    /// "Kokemusasiantuntija osallistuu ryhmän suunnitteluun"), paid as a line of its own.
    public var planningMinutes: Int?
    /// The debrief the expert asked for after the work (000 §3, §4), and whether it was held.
    public var debrief: Debrief?

    public init(
        id: OrderID, orderer: PersonID, unit: UnitID, taskType: TaskType, topic: String, start: Date,
        durationMinutes: Int, sessions: [Session], place: TaskPlace, language: Language, audience: Audience,
        description: GuardedText, createdAt: Date, status: Status = .open, assignment: Assignment? = nil
    ) {
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
        self.offers = []
        self.unfilledReported = false
        self.pendingMove = nil
        self.calendarSequence = 0
        self.replaces = nil
        self.excludedExperts = []
        self.feedbackAskedAt = nil
        self.feedback = []
        self.agreedStopReasons = nil
        self.frequency = nil
        self.requestedExpert = nil
        self.task = nil
        self.pairedWith = nil
        self.secondFacilitator = nil
        self.pairStoodAt = nil
        self.travel = nil
        self.planningMinutes = nil
        self.debrief = nil
    }

    /// The offers still waiting for an answer.
    public var pendingOffers: [Offer] { offers.filter { $0.status == .pending } }

    /// Whether every session is over or settled, and at least one was done (or paid as if).
    public func isFinished(at now: Date) -> Bool {
        guard !sessions.isEmpty, sessions.allSatisfy({ $0.status != .planned || $0.end <= now }) else { return false }
        return sessions.contains { $0.status == .planned || $0.status == .held || $0.status == .noParticipants }
    }

    /// The expert who accepted, while the order stands.
    public var assignedExpert: PersonID? {
        status == .assigned ? assignment?.expert : nil
    }

    // Orders stored before offers existed lack the newer keys.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(OrderID.self, forKey: .id)
        orderer = try c.decode(PersonID.self, forKey: .orderer)
        unit = try c.decode(UnitID.self, forKey: .unit)
        taskType = try c.decode(TaskType.self, forKey: .taskType)
        topic = try c.decode(String.self, forKey: .topic)
        start = try c.decode(Date.self, forKey: .start)
        durationMinutes = try c.decode(Int.self, forKey: .durationMinutes)
        sessions = try c.decode([Session].self, forKey: .sessions)
        place = try c.decode(TaskPlace.self, forKey: .place)
        language = try c.decode(Language.self, forKey: .language)
        audience = try c.decode(Audience.self, forKey: .audience)
        description = try c.decode(GuardedText.self, forKey: .description)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        status = try c.decode(Status.self, forKey: .status)
        assignment = try c.decodeIfPresent(Assignment.self, forKey: .assignment)
        offers = try c.decodeIfPresent([Offer].self, forKey: .offers) ?? []
        unfilledReported = try c.decodeIfPresent(Bool.self, forKey: .unfilledReported) ?? false
        pendingMove = try c.decodeIfPresent(MoveRequest.self, forKey: .pendingMove)
        calendarSequence = try c.decodeIfPresent(Int.self, forKey: .calendarSequence) ?? 0
        replaces = try c.decodeIfPresent(OrderID.self, forKey: .replaces)
        excludedExperts = try c.decodeIfPresent([PersonID].self, forKey: .excludedExperts) ?? []
        feedbackAskedAt = try c.decodeIfPresent(Date.self, forKey: .feedbackAskedAt)
        feedback = try c.decodeIfPresent([Feedback].self, forKey: .feedback) ?? []
        agreedStopReasons = try c.decodeIfPresent(GuardedText.self, forKey: .agreedStopReasons)
        frequency = try c.decodeIfPresent(SessionFrequency.self, forKey: .frequency)
        requestedExpert = try c.decodeIfPresent(PersonID.self, forKey: .requestedExpert)
        task = try c.decodeIfPresent(String.self, forKey: .task)
        pairedWith = try c.decodeIfPresent(OrderID.self, forKey: .pairedWith)
        secondFacilitator = try c.decodeIfPresent(GuardedText.self, forKey: .secondFacilitator)
        pairStoodAt = try c.decodeIfPresent(Date.self, forKey: .pairStoodAt)
        travel = try c.decodeIfPresent(TravelAgreement.self, forKey: .travel)
        planningMinutes = try c.decodeIfPresent(Int.self, forKey: .planningMinutes)
        debrief = try c.decodeIfPresent(Debrief.self, forKey: .debrief)
    }
}

extension Order {
    /// When the order's work is, as people should be shown it: the next session still
    /// planned (a moved session at its new time), else the last session.
    public func shownStart(now: Date) -> Date {
        sessions.filter { $0.status == .planned && $0.start >= now }.map(\.start).min()
            ?? sessions.map(\.start).max() ?? start
    }

    /// The order ids a text names, each once, in order (`T-2026-0001`): a mail's subject
    /// and the order a message is about are read by it.
    public static func ids(in text: String) -> [OrderID] {
        var ids: [OrderID] = []
        var rest = text[...]
        while let range = rest.range(of: #"T-\d{4}-\d{4,5}(?!\d)"#, options: .regularExpression) {
            let id = OrderID(rawValue: String(rest[range]))
            if !ids.contains(id) { ids.append(id) }
            rest = rest[range.upperBound...]
        }
        return ids
    }

    /// `T-2026-0042`: what an order's id looks like, whether or not such an order exists.
    public static func looksLikeID(_ word: String) -> Bool {
        let parts = word.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "T" && parts[1].count == 4 && parts[1].allSatisfy(\.isASCIIDigitCharacter)
            && (1...6).contains(parts[2].count) && parts[2].allSatisfy(\.isASCIIDigitCharacter)
    }

    /// Whether `person` has a part in the order: its orderer, its expert, or offered it.
    public func involves(_ person: PersonID) -> Bool {
        orderer == person || assignedExpert == person || offers.contains { $0.expert == person }
    }
}
