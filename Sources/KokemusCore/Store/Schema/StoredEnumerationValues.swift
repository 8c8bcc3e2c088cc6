// The values the journal and the snapshot store for the enumerations inside records
// (`Store/FORMAT.md`), as they are written. A Swift enumeration's raw value is its case name
// unless the case says otherwise, so renaming a case would change what is written:
// `JournalFormatTests.storedEnumerationsKeepTheirWrittenValues` compares each type's values
// with these. When a case is renamed, give it its old string as raw value; when one is added,
// add its string here (and a golden record that holds it).

enum StoredEnumerationValues {
    static let byType: [String: [String]] = [
        "Order.Status": ["open", "assigned", "cancelled", "completed"],
        "Audience": ["client", "clientGroup", "professionals", "development"],
        "Assignment.Status": ["offered", "accepted", "declined", "withdrawn"],
        "Session.Status": [
            "planned", "held", "cancelledFree", "cancelledPaid", "clientNoShow", "noParticipants", "expertIll", "groupStopped",
            "expertWithdrew",
        ],
        "Offer.Status": ["pending", "accepted", "declined", "expired", "withdrawn"],
        "FeeReport.Status": ["awaitingExpert", "awaitingApproval", "returned", "approved"],
        "Feedback.Source": ["expert", "employee", "client"],
        "ExpertApplication.Status": ["received", "accepted"],
        "CalendarInvite.Method": ["REQUEST", "CANCEL"],
        "Channel": ["console", "matrix", "email"],
        "Language": ["fi", "sv", "en"],
        "TaskType": ["individual", "pair", "group", "lecture", "development"],
        "SessionFrequency": ["weekly", "everyOtherWeek", "dates"],
        "TravelAgreement.Status": ["proposed", "agreed"],
        "PaymentMode": ["fee", "businessIncome", "volunteer"],
        "SessionCheck.Answer": ["held", "clientNoShow", "notHeld"],
        "GuardCategory": ["phone", "email", "matrix_id", "link", "iban", "street_address", "identity_code", "name"],
    ]
}
