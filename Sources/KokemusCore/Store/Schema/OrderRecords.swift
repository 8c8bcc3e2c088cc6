// The journal's and the snapshot's keys for orders, their sessions, offers and feedback, applications and invitations (`Store/FORMAT.md`), written out: a
// Swift member can be renamed (with its case here) while the string on disk stays. A stored
// member without a case here does not compile; a string changed here fails the golden
// records (`JournalFormatTests`). Change a string only with a new format and a migration.

extension Order {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case orderer = "orderer"
        case unit = "unit"
        case taskType = "taskType"
        case topic = "topic"
        case start = "start"
        case durationMinutes = "durationMinutes"
        case sessions = "sessions"
        case place = "place"
        case language = "language"
        case audience = "audience"
        case description = "description"
        case createdAt = "createdAt"
        case status = "status"
        case assignment = "assignment"
        case offers = "offers"
        case unfilledReported = "unfilledReported"
        case pendingMove = "pendingMove"
        case calendarSequence = "calendarSequence"
        case replaces = "replaces"
        case excludedExperts = "excludedExperts"
        case feedbackAskedAt = "feedbackAskedAt"
        case feedback = "feedback"
        case agreedStopReasons = "agreedStopReasons"
        case frequency = "frequency"
        case requestedExpert = "requestedExpert"
        case task = "task"
        case pairedWith = "pairedWith"
        case secondFacilitator = "secondFacilitator"
        case pairStoodAt = "pairStoodAt"
        case travel = "travel"
        case planningMinutes = "planningMinutes"
        case debrief = "debrief"
    }
}

extension Debrief {
    enum CodingKeys: String, CodingKey {
        case requestedBy = "requestedBy"
        case requestedAt = "requestedAt"
        case with = "with"
        case heldAt = "heldAt"
        case heldBy = "heldBy"
        case minutes = "minutes"
    }
}

extension TravelAgreement {
    enum CodingKeys: String, CodingKey {
        case kilometres = "kilometres"
        case otherCosts = "otherCosts"
        case status = "status"
        case proposedAt = "proposedAt"
        case decidedBy = "decidedBy"
        case decidedAt = "decidedAt"
    }
}

extension Assignment {
    enum CodingKeys: String, CodingKey {
        case expert = "expert"
        case status = "status"
        case offeredAt = "offeredAt"
        case answeredAt = "answeredAt"
    }
}

extension Session {
    enum CodingKeys: String, CodingKey {
        case index = "index"
        case start = "start"
        case durationMinutes = "durationMinutes"
        case status = "status"
        case decision = "decision"
        case hours = "hours"
        case hoursAskedAt = "hoursAskedAt"
        case noShowClaim = "noShowClaim"
        case plannedStart = "plannedStart"
        case checkAskedAt = "checkAskedAt"
        case check = "check"
    }
}

extension SessionCheck {
    enum CodingKeys: String, CodingKey {
        case answer = "answer"
        case by = "by"
        case at = "at"
        case reason = "reason"
    }
}

extension SessionHours {
    enum CodingKeys: String, CodingKey {
        case minutes = "minutes"
        case kilometres = "kilometres"
        case otherCosts = "otherCosts"
        case confirmedAt = "confirmedAt"
    }
}

extension SessionDecision {
    enum CodingKeys: String, CodingKey {
        case by = "by"
        case at = "at"
        case reason = "reason"
        case confirmedBy = "confirmedBy"
    }
}

extension NoShowClaim {
    enum CodingKeys: String, CodingKey {
        case claimedBy = "claimedBy"
        case claimedAt = "claimedAt"
        case reason = "reason"
        case disputedAt = "disputedAt"
    }
}

extension MoveRequest {
    enum CodingKeys: String, CodingKey {
        case sessionIndex = "sessionIndex"
        case newStart = "newStart"
        case requestedBy = "requestedBy"
        case requestedAt = "requestedAt"
    }
}

extension Offer {
    enum CodingKeys: String, CodingKey {
        case expert = "expert"
        case offeredAt = "offeredAt"
        case deadline = "deadline"
        case status = "status"
        case answeredAt = "answeredAt"
        case reminded = "reminded"
        case byHand = "byHand"
    }
}

extension Feedback {
    enum CodingKeys: String, CodingKey {
        case source = "source"
        case by = "by"
        case rating = "rating"
        case text = "text"
        case at = "at"
    }
}

extension ExpertApplication {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case applicant = "applicant"
        case contact = "contact"
        case topics = "topics"
        case languages = "languages"
        case municipalities = "municipalities"
        case training = "training"
        case wishes = "wishes"
        case recordedBy = "recordedBy"
        case recordedAt = "recordedAt"
        case status = "status"
        case expert = "expert"
    }
}

extension CalendarInvite {
    enum CodingKeys: String, CodingKey {
        case uid = "uid"
        case sequence = "sequence"
        case method = "method"
        case start = "start"
        case durationMinutes = "durationMinutes"
        case weeklyCount = "weeklyCount"
        case summary = "summary"
        case location = "location"
        case description = "description"
        case recurrenceID = "recurrenceID"
        case otherStarts = "otherStarts"
    }
}

extension TaskPlace {
    enum CodingKeys: String, CodingKey {
        case onSite = "onSite"
        case remote = "remote"
    }
    enum OnSiteCodingKeys: String, CodingKey { case address = "address" }
    enum RemoteCodingKeys: CodingKey {}
}
