/// Every system text the engine sends. The texts live in `Config/messages.yaml` in fi, sv
/// and en; the loader refuses a file that lacks any key or translation.
public enum MessageKey: String, CaseIterable, Sendable, Codable {
    case didNotUnderstand = "did_not_understand"
    case notAllowed = "not_allowed"
    case nothingToStart = "nothing_to_start"
    case helpIdle = "help_idle"
    case helpInFlow = "help_in_flow"
    case cancelled
    case nothingToCancel = "nothing_to_cancel"
    case cannotGoBack = "cannot_go_back"
    case nothingToRepeat = "nothing_to_repeat"
    case statusIdle = "status_idle"
    case statusInFlow = "status_in_flow"
    case statusOrders = "status_orders"
    case statusNoOrders = "status_no_orders"
    case languageChanged = "language_changed"
    case languageUnknown = "language_unknown"
    case tooManyTriesHelp = "too_many_tries_help"
    case tooManyTriesEnd = "too_many_tries_end"
    case timeoutEnded = "timeout_ended"
    case escalation
    case actionFailed = "action_failed"
    case encryptedRoom = "encrypted_room"
    case emailSubject = "email_subject"
    case emailUnknownSender = "email_unknown_sender"
    case emailBounced = "email_bounced"
    case orderCreatedCoordinator = "order_created_coordinator"
    case choiceHint = "choice_hint"
    case choicesHint = "choices_hint"
    case dateTimeFormat = "datetime_format"
    case yes
    case no
    case remote
    case orderStatusOpen = "order_status_open"
    case orderStatusAssigned = "order_status_assigned"
    case orderStatusCancelled = "order_status_cancelled"
    case orderStatusCompleted = "order_status_completed"
    case invalidNumber = "invalid_number"
    case numberRange = "number_range"
    case numberMin = "number_min"
    case numberMax = "number_max"
    case invalidDate = "invalid_date"
    case datePast = "date_past"
    case invalidTime = "invalid_time"
    case invalidDateTime = "invalid_datetime"
    case dateTimeNeedsTime = "datetime_needs_time"
    case invalidDuration = "invalid_duration"
    case durationRange = "duration_range"
    case invalidYesNo = "invalid_yesno"
    case invalidChoice = "invalid_choice"
    case invalidChoices = "invalid_choices"
    case choicesCount = "choices_count"
    case textTooShort = "text_too_short"
    case textTooLong = "text_too_long"
    case identityCode = "identity_code"
}

/// The commands a person can give inside or outside any flow.
public enum GlobalCommand: String, CaseIterable, Sendable {
    case help, cancel, back, `repeat`, status, language
}
