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
    case offerWaiting = "offer_waiting"
    case offerReminder = "offer_reminder"
    case offerExpired = "offer_expired"
    case offerWithdrawn = "offer_withdrawn"
    case bookingConfirmedEmployee = "booking_confirmed_employee"
    case bookingConfirmedExpert = "booking_confirmed_expert"
    case bookingCalendarSummary = "booking_calendar_summary"
    case orderUnfilledCoordinator = "order_unfilled_coordinator"
    case relayToEmployee = "relay_to_employee"
    case relayToExpert = "relay_to_expert"
    case relayQuestion = "relay_question"
    case relaySent = "relay_sent"
    case relayHeld = "relay_held"
    case relayUsage = "relay_usage"
    case relayNoParty = "relay_no_party"
    case orderUnknown = "order_unknown"
    case coordinatorOnly = "coordinator_only"
    case candidatesList = "candidates_list"
    case candidatesNone = "candidates_none"
    case candidatePreferred = "candidate_preferred"
    case candidateHours = "candidate_hours"
    case candidateOffered = "candidate_offered"
    case offerToUsage = "offer_to_usage"
    case offerToDone = "offer_to_done"
    case offerToRefused = "offer_to_refused"
    case ordersList = "orders_list"
    case ordersNone = "orders_none"
    case expertUnknown = "expert_unknown"
    case expertPaused = "expert_paused"
    case expertResumed = "expert_resumed"
    case leakPhone = "leak_phone"
    case leakEmail = "leak_email"
    case leakMatrixID = "leak_matrix_id"
    case leakIBAN = "leak_iban"
    case leakStreetAddress = "leak_street_address"
    case leakIdentityCode = "leak_identity_code"
    case leakLink = "leak_link"
    case leakName = "leak_name"
    case textHeld = "text_held"
    case relayTooLong = "relay_too_long"
    case signatureRemoved = "signature_removed"
    case heldUnknown = "held_unknown"
    case heldReleased = "held_released"
    case heldReleasedSender = "held_released_sender"
    case heldReleaseUsage = "held_release_usage"
    case excludeTopic = "exclude_topic"
    case excludeTaskType = "exclude_task_type"
    case excludeLanguage = "exclude_language"
    case excludeMunicipality = "exclude_municipality"
    case excludeAgreement = "exclude_agreement"
    case excludeUnavailable = "exclude_unavailable"
    case excludePaused = "exclude_paused"
    case excludeBooked = "exclude_booked"
    case excludeMonthlyCap = "exclude_monthly_cap"
    case excludeAnswered = "exclude_answered"
    case excludeOfferPending = "exclude_offer_pending"
    case excludeReplaced = "exclude_replaced"
    case reminderSessionExpert = "reminder_session_expert"
    case reminderSessionEmployee = "reminder_session_employee"
    case reminderAgreementExpert = "reminder_agreement_expert"
    case reminderAgreementCoordinator = "reminder_agreement_coordinator"
    case reminderTaxCard = "reminder_tax_card"
    case remindersCombined = "reminders_combined"
    case taxCardConfirmed = "tax_card_confirmed"
    case taxCardExpertsOnly = "tax_card_experts_only"
    case changeUsage = "change_usage"
    case changeNotAllowed = "change_not_allowed"
    case changeNoSession = "change_no_session"
    case changeReasonNeeded = "change_reason_needed"
    case changeTooLate = "change_too_late"
    case changeRecorded = "change_recorded"
    case orderCancelled = "order_cancelled"
    case sessionCancelledFree = "session_cancelled_free"
    case sessionCancelledPaid = "session_cancelled_paid"
    case moveUsage = "move_usage"
    case moveProposed = "move_proposed"
    case moveAskExpert = "move_ask_expert"
    case moveAccepted = "move_accepted"
    case moveDeclined = "move_declined"
    case moveNone = "move_none"
    case noShowTooEarly = "no_show_too_early"
    case noShowRecorded = "no_show_recorded"
    case noParticipantsRecorded = "no_participants_recorded"
    case expertIllRecorded = "expert_ill_recorded"
    case expertIllConfirmed = "expert_ill_confirmed"
    case substituteStarted = "substitute_started"
    case substituteNone = "substitute_none"
    case groupStopped = "group_stopped"
    case groupOnly = "group_only"
    case hoursWaiting = "hours_waiting"
    case feeReportWaiting = "fee_report_waiting"
    case feeReportReturnedWaiting = "fee_report_returned_waiting"
    case approvalWaiting = "approval_waiting"
    case feeReportApproved = "fee_report_approved"
    case feeReportReturnedNote = "fee_report_returned_note"
    case feeReportExpertNote = "fee_report_expert_note"
    case feeLine = "fee_line"
    case feeOutcomeCancelledPaid = "fee_outcome_cancelled_paid"
    case feeOutcomeNoShow = "fee_outcome_no_show"
    case feeOutcomeNoParticipants = "fee_outcome_no_participants"
    case feeStatusExpert = "fee_status_expert"
    case feeStatusNoReports = "fee_status_no_reports"
    case feeStatusAwaitingExpert = "fee_status_awaiting_expert"
    case feeStatusAwaitingApproval = "fee_status_awaiting_approval"
    case feeStatusReturned = "fee_status_returned"
    case feeStatusApproved = "fee_status_approved"
    case feeStatusApprover = "fee_status_approver"
    case feeStatusNone = "fee_status_none"
    case reminderFeeReportExpert = "reminder_fee_report_expert"
    case reminderFeeReportApprover = "reminder_fee_report_approver"
    case feedbackWaiting = "feedback_waiting"
    case reminderFeedback = "reminder_feedback"
    case statusExpertOffers = "status_expert_offers"
    case statusAnswerBy = "status_answer_by"
    case statusExpertBookings = "status_expert_bookings"
    case statusHoursWaiting = "status_hours_waiting"
    case statusExpertNothing = "status_expert_nothing"
    case applicationRecordedCoordinator = "application_recorded_coordinator"
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
}

/// The commands a person can give inside or outside any flow.
public enum GlobalCommand: String, CaseIterable, Sendable {
    case help, cancel, back, `repeat`, status, language
}

/// Commands with arguments, given outside the flow's questions: a message to the other party
/// of an order, and the coordinator's tools.
public enum ChatCommand: String, CaseIterable, Sendable {
    /// `viesti T-2026-0001 Hei!`: relays a message to the other party of the order.
    case message
    /// `ehdokkaat T-2026-0001`: the ranking of experts for an order, with reasons.
    case candidates
    /// `tarjoa T-2026-0001 kalle`: offers an order to an expert by hand.
    case offerTo = "offer_to"
    /// `tilaukset`: the open orders and their state.
    case orders
    /// `tauko kalle` / `jatka kalle`: an expert gets no offers / gets them again.
    case pause, resume
    /// `vapauta P-3`: a relay the guard held was a false alarm; the same text may pass once.
    case release
    /// `verokortti`: an expert confirms delivering this year's tax card to payroll.
    case taxCard = "tax_card"
    /// `peru T-2026-0001 [n] syy`: the orderer cancels a session (or an order no one has taken yet).
    case cancelSession = "cancel_session"
    /// `siirrä T-2026-0001 [n] 10.12. klo 14` (orderer), `siirrä T-2026-0001 kyllä|ei` (expert).
    case move
    /// `poissa T-2026-0001 [n]`: the client did not come (a group: no one came).
    case noShow = "no_show"
    /// `sairas T-2026-0001 [n]`: the expert has fallen ill.
    case ill
    /// `korvaaja T-2026-0001`: the orderer has an ill expert's session offered to others.
    case substitute
    /// `lopeta T-2026-0001 syy`: the coordinator stops a group for an accepted reason.
    case stopGroup = "stop_group"
    /// `palkkio`: where one's fees are (an expert), or the reports waiting (an approver).
    case fee
}
