// The journal's and the snapshot's keys for the channels' memory (`Store/FORMAT.md`),
// written out: a Swift member or case can be renamed (with its case here) while the string on
// disk stays. A stored member without a case here does not compile; a string changed here
// fails the golden records (`JournalFormatTests`). Change a string only with a new format
// and a migration.

extension MatrixMemory {
    /// `directRoomPeople` is not kept: it is built again from `directRooms` as a snapshot is read.
    enum CodingKeys: String, CodingKey {
        case syncPosition = "syncPosition"
        case transactionPrefix = "transactionPrefix"
        case directRooms = "directRooms"
        case roomPeople = "roomPeople"
        case botMadeRooms = "botMadeRooms"
        case sharedRoomsTold = "sharedRoomsTold"
        case encryptedRoomsNoticed = "encryptedRoomsNoticed"
    }
}

// Each change is `{"kind":{members}}`, its members by name, an unnamed one `_0`.
extension MatrixMemory.Change {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case synced = "synced"
        case transactionPrefixMade = "transactionPrefixMade"
        case directRoom = "directRoom"
        case directRoomMade = "directRoomMade"
        case roomServes = "roomServes"
        case roomForgotten = "roomForgotten"
        case sharedRoomTold = "sharedRoomTold"
        case encryptedRoomNoticed = "encryptedRoomNoticed"
    }
    enum SyncedCodingKeys: String, CodingKey { case position = "position" }
    enum TransactionPrefixMadeCodingKeys: String, CodingKey { case _0 = "_0" }
    enum DirectRoomCodingKeys: String, CodingKey {
        case person = "person"
        case room = "room"
    }
    enum DirectRoomMadeCodingKeys: String, CodingKey {
        case person = "person"
        case room = "room"
    }
    enum RoomServesCodingKeys: String, CodingKey {
        case room = "room"
        case person = "person"
    }
    enum RoomForgottenCodingKeys: String, CodingKey { case _0 = "_0" }
    enum SharedRoomToldCodingKeys: String, CodingKey { case _0 = "_0" }
    enum EncryptedRoomNoticedCodingKeys: String, CodingKey { case _0 = "_0" }
}

extension MailMemory {
    enum CodingKeys: String, CodingKey {
        case uidValidity = "uidValidity"
        case lastUID = "lastUID"
        case threads = "threads"
        case tokenKey = "tokenKey"
        case replyTokens = "replyTokens"
        case tokenOwners = "tokenOwners"
        case sent = "sent"
        case relayed = "relayed"
        case strangersAnswered = "strangersAnswered"
        case failuresReported = "failuresReported"
    }
}

extension MailMemory.Thread {
    enum CodingKeys: String, CodingKey {
        case messageID = "messageID"
        case subject = "subject"
    }
}

extension MailMemory.Change {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case mailboxRead = "mailboxRead"
        case threadNoted = "threadNoted"
        case tokenKeyMade = "tokenKeyMade"
        case replyTokenMade = "replyTokenMade"
        case mailSent = "mailSent"
        case strangerAnswered = "strangerAnswered"
        case failureReported = "failureReported"
    }
    enum MailboxReadCodingKeys: String, CodingKey {
        case validity = "validity"
        case lastUID = "lastUID"
    }
    enum ThreadNotedCodingKeys: String, CodingKey {
        case person = "person"
        case messageID = "messageID"
        case subject = "subject"
    }
    enum TokenKeyMadeCodingKeys: String, CodingKey { case _0 = "_0" }
    enum ReplyTokenMadeCodingKeys: String, CodingKey {
        case person = "person"
        case id = "id"
        case token = "token"
    }
    enum MailSentCodingKeys: String, CodingKey {
        case address = "address"
        case relay = "relay"
        case day = "day"
    }
    enum StrangerAnsweredCodingKeys: String, CodingKey {
        case address = "address"
        case day = "day"
    }
    enum FailureReportedCodingKeys: String, CodingKey {
        case address = "address"
        case day = "day"
    }
}

extension DailyTally {
    enum CodingKeys: String, CodingKey {
        case day = "day"
        case counts = "counts"
    }
}
