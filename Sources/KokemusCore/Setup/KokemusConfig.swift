import Foundation

/// The gateway's configuration, read from a YAML file (`Config/kokemus.yaml`).
///
/// Keys (relative paths are relative to the config file's directory):
/// - `state_dir` (path, default `../state`): the state directory; `--state` overrides it.
/// - `flows_dir` (path, default `../Flows`): the flow files.
/// - `registry_dir` (path, default `<state_dir>/registry`): the registry's YAML files.
/// - `messages_file` (path, default `messages.yaml`): system texts, command words, vocabulary.
/// - `fees_file` (path, default `fees.yaml` if it exists): fee rates per year and task type (see
///   `FeeSchedule`); without rates every fee is 0 € and the gateway warns at start.
/// - `tasks_file` (path, default `tasks.yaml` if it exists): the task catalogue (see
///   `TaskCatalogue`); without it the five kinds of work alone can be ordered.
/// - `time_zone` (text, default `Europe/Helsinki`).
/// - `default_channel` (console, matrix or email; default `console`): for people with no preference.
/// - `snapshot_every` (integer, default 10000): journal records between snapshots.
/// - `messages_per_minute` (integer, default 60; 0 turns it off): what one person may send in a
///   minute; beyond it their messages are not handled, and they are told once to slow down.
/// - `matching` (mapping): how experts are ranked and offered tasks (see `MatchingPolicy`):
///   `offers_at_once` (1), `answer_within` (24h), `answer_before_start` (2h),
///   `remind_before_deadline` (4h), `report_unfilled_before_start` (48h), `monthly_cap_hours` (none),
///   `fairness_window_days` (90), `offers_in_working_time` (true: offers go out and answer times
///   run only in working time); `display_name` is read as `privacy.employees_see` (older files).
/// - `privacy` (mapping): who sees what of an expert (see `PrivacyPolicy`): `employees_see`
///   (`handle` or `first_name`), `approvers_see` (`full_name` or `handle`), `work_phone_to_orderer`
///   (false), `orderers_see_candidates` (false: an orderer's `ehdokkaat T-…` shows the suitable
///   experts' handles and introductions, and `tarjoa T-… K-12` names one to be offered first).
/// - `reminders` (mapping): `quiet_from` ("21:00") and `quiet_until` ("08:00"): no reminders
///   between them, on weekends or Finnish public holidays; `agreement_notice_days` (30);
///   `feedback_after_days` (3); `hold_relays_at_night` (true: a relay written between them
///   reaches its recipient at `quiet_until` unless the sender marks it urgent).
/// - `payroll` (mapping): `deadline_day` (9: last month's fee reports confirmed and approved by
///   then, 000 §6.3; the coordinator is told of the late ones on the handover day),
///   `handover_day` (10: the approved reports go to everyone with the payroll role, as CSV files
///   by e-mail or their totals in chat), `automatic_handover` (true). Days are 1 to 20.
/// - `matrix` (mapping): the Matrix channel's settings, read by that channel (see `MatrixConfig`).
///
/// Secrets never go here: they come from the environment.
public struct KokemusConfig: Sendable {
    public var stateDirectory: URL
    public var flowsDirectory: URL
    /// nil: `<stateDirectory>/registry`.
    public var registryDirectory: URL?
    public var messagesFile: URL
    /// nil: no rates (every fee is 0 €, which the payroll export warns of).
    public var feesFile: URL?
    /// The task catalogue; nil: the five kinds of work alone, named by the messages file.
    public var tasksFile: URL?
    public var timeZone: String
    public var defaultChannel: Channel
    public var snapshotEvery: Int
    /// Per person; 0 means no limit.
    public var messagesPerMinute: Int
    public var matching: MatchingPolicy
    public var reminders: ReminderPolicy
    public var privacy: PrivacyPolicy
    /// How long what is kept (`retention:`).
    public var retention = RetentionPolicy()
    /// The loopback port of `/healthz`, `/readyz`, `/metrics` and `/status` (`monitoring.port`;
    /// 0: none).
    public var monitoringPort = 0
    public var payroll: PayrollSchedule
    /// Each channel's own section (`matrix:`), flat key/value pairs, read by the channel itself.
    public var channels: [Channel: ChannelSection]
    /// The file the configuration came from, for messages.
    public var file: String

    public init(
        stateDirectory: URL, flowsDirectory: URL, registryDirectory: URL? = nil, messagesFile: URL,
        feesFile: URL? = nil, tasksFile: URL? = nil, timeZone: String = "Europe/Helsinki", defaultChannel: Channel = .console,
        snapshotEvery: Int = 10_000, messagesPerMinute: Int = 60, matching: MatchingPolicy = MatchingPolicy(),
        reminders: ReminderPolicy = ReminderPolicy(), privacy: PrivacyPolicy = PrivacyPolicy(), channels: [Channel: ChannelSection] = [:],
        payroll: PayrollSchedule = PayrollSchedule(), file: String = ""
    ) {
        self.stateDirectory = stateDirectory
        self.flowsDirectory = flowsDirectory
        self.registryDirectory = registryDirectory
        self.messagesFile = messagesFile
        self.feesFile = feesFile
        self.tasksFile = tasksFile
        self.timeZone = timeZone
        self.defaultChannel = defaultChannel
        self.snapshotEvery = snapshotEvery
        self.messagesPerMinute = messagesPerMinute
        self.matching = matching
        self.privacy = privacy
        self.reminders = reminders
        self.channels = channels
        self.payroll = payroll
        self.file = file
    }

    /// The registry directory in effect.
    public var effectiveRegistryDirectory: URL {
        registryDirectory ?? stateDirectory.appendingPathComponent("registry")
    }

    public static func load(file: URL) throws -> KokemusConfig {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read the config file: \(error.localizedDescription)", file: file.path)
        }
        let base = file.deletingLastPathComponent()
        let diagnostics = Diagnostics()
        let keys: Set<String> = [
            "state_dir", "flows_dir", "registry_dir", "messages_file", "time_zone",
            "default_channel", "snapshot_every", "messages_per_minute", "matching", "privacy", "matrix", "email", "fees_file",
            "reminders", "payroll", "tasks_file", "retention", "monitoring",
        ]
        guard let root = YAMLValue.parse(text, file: file.path, diagnostics: diagnostics),
            let map = root.mapping("the config file", allowedKeys: keys)
        else {
            throw ConfigErrors(diagnostics.errors)
        }
        func path(_ key: String, _ fallback: String?) -> URL? {
            guard let value = map.optional(key)?.string(key) ?? fallback else { return nil }
            return value.hasPrefix("/")
                ? URL(fileURLWithPath: value)
                : base.appendingPathComponent(value).standardizedFileURL
        }
        var channel = Channel.console
        if let value = map.optional("default_channel"), let name = value.string("default_channel") {
            if let parsed = Channel(rawValue: name) {
                channel = parsed
            } else {
                value.error("default_channel must be one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let snapshotEvery = map.optional("snapshot_every")?.int("snapshot_every") ?? 10_000
        let messagesPerMinute = map.optional("messages_per_minute")?.int("messages_per_minute") ?? 60
        if !(0...100_000).contains(messagesPerMinute) {
            map.optional("messages_per_minute")?.error("messages_per_minute must be from 0 (no limit) to 100000")
        }
        let timeZone = map.optional("time_zone")?.string("time_zone") ?? "Europe/Helsinki"
        if TimeZone(identifier: timeZone) == nil {
            map.optional("time_zone")?.error("unknown time zone '\(timeZone)'")
        }
        var matching = MatchingPolicy()
        var privacy = PrivacyPolicy()
        let matchingKeys: Set<String> = [
            "offers_at_once", "answer_within", "answer_before_start", "remind_before_deadline",
            "report_unfilled_before_start", "monthly_cap_hours", "fairness_window_days",
            "display_name", "offers_in_working_time",
        ]
        if let section = map.optional("matching")?.mapping("matching", allowedKeys: matchingKeys) {
            func positive(_ key: String) -> Int? {
                guard let value = section.optional(key), let number = value.int("matching.\(key)") else { return nil }
                if number < 1 { value.error("matching.\(key) must be at least 1") }
                return number
            }
            if let value = positive("offers_at_once") { matching.offersAtOnce = value }
            if let value = positive("monthly_cap_hours") { matching.monthlyCapHours = value }
            if let value = positive("fairness_window_days") { matching.fairnessWindowDays = value }
            if let value = section.optional("offers_in_working_time"), let flag = value.bool("matching.offers_in_working_time") {
                matching.offersInWorkingTime = flag
            }
            if let value = section.optional("answer_within")?.duration("matching.answer_within") { matching.answerWithin = value }
            if let value = section.optional("answer_before_start")?.duration("matching.answer_before_start") {
                matching.answerBeforeStart = value
            }
            if let value = section.optional("remind_before_deadline")?.duration("matching.remind_before_deadline") {
                matching.remindBeforeDeadline = value
            }
            if let value = section.optional("report_unfilled_before_start")?.duration("matching.report_unfilled_before_start") {
                matching.reportUnfilledBeforeStart = value
            }
            if let value = section.optional("display_name"), let text = value.string("matching.display_name") {
                if let parsed = PrivacyPolicy.ExpertName(rawValue: text), parsed != .fullName {
                    privacy.employeesSee = parsed
                } else {
                    value.error("matching.display_name must be handle or first_name, not '\(text)'")
                }
            }
        }
        if let section = map.optional("privacy")?.mapping(
            "privacy",
            allowedKeys: [
                "employees_see", "approvers_see",
                "work_phone_to_orderer", "orderers_see_candidates", "link_notice",
            ])
        {
            if let value = section.optional("employees_see"), let text = value.string("privacy.employees_see") {
                // The employee side never sees an expert's full name: it is how they are found elsewhere.
                if let parsed = PrivacyPolicy.ExpertName(rawValue: text), parsed != .fullName {
                    privacy.employeesSee = parsed
                } else {
                    value.error("privacy.employees_see must be handle or first_name, not '\(text)'")
                }
            }
            if let value = section.optional("approvers_see"), let text = value.string("privacy.approvers_see") {
                if let parsed = PrivacyPolicy.ExpertName(rawValue: text), parsed != .firstName {
                    privacy.approversSee = parsed
                } else {
                    value.error("privacy.approvers_see must be full_name or handle, not '\(text)'")
                }
            }
            if let value = section.optional("work_phone_to_orderer"), let flag = value.bool("privacy.work_phone_to_orderer") {
                privacy.workPhoneToOrderer = flag
            }
            if let value = section.optional("orderers_see_candidates"), let flag = value.bool("privacy.orderers_see_candidates") {
                privacy.orderersSeeCandidates = flag
            }
            if let value = section.optional("link_notice"), let flag = value.bool("privacy.link_notice") {
                privacy.linkNotice = flag
            }
        }
        // Named fee rates must exist; the default file only if it is there (a warning says so otherwise).
        var feesFile = path("fees_file", nil)
        if feesFile == nil, let fallback = path("fees_file", "fees.yaml"), FileManager.default.fileExists(atPath: fallback.path) {
            feesFile = fallback
        }
        // The catalogue likewise: named, it must exist; the default only if it is there.
        var tasksFile = path("tasks_file", nil)
        if tasksFile == nil, let fallback = path("tasks_file", "tasks.yaml"), FileManager.default.fileExists(atPath: fallback.path) {
            tasksFile = fallback
        }
        var reminders = ReminderPolicy()
        if let section = map.optional("reminders")?.mapping(
            "reminders",
            allowedKeys: [
                "quiet_from", "quiet_until", "agreement_notice_days",
                "feedback_after_days", "hold_relays_at_night",
            ])
        {
            func clock(_ key: String) -> Int? {
                guard let value = section.optional(key), let text = value.string("reminders.\(key)") else { return nil }
                let parts = text.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
                    value.error("reminders.\(key) must be a time like 21:00, not '\(text)'")
                    return nil
                }
                return parts[0] * 60 + parts[1]
            }
            if let minute = clock("quiet_from") { reminders.dayEndMinute = minute }
            if let minute = clock("quiet_until") { reminders.dayStartMinute = minute }
            if reminders.dayStartMinute >= reminders.dayEndMinute {
                section.optional("quiet_until")?.error("reminders.quiet_until must come before quiet_from on the same day")
            }
            if let value = section.optional("hold_relays_at_night"), let flag = value.bool("reminders.hold_relays_at_night") {
                reminders.holdRelaysAtNight = flag
            }
            if let value = section.optional("feedback_after_days"), let days = value.int("reminders.feedback_after_days") {
                if days < 1 {
                    value.error("reminders.feedback_after_days must be at least 1")
                } else {
                    reminders.feedbackAfterDays = days
                }
            }
            if let value = section.optional("agreement_notice_days"), let days = value.int("reminders.agreement_notice_days") {
                if days < 1 {
                    value.error("reminders.agreement_notice_days must be at least 1")
                } else {
                    reminders.agreementNoticeDays = days
                }
            }
        }
        var payroll = PayrollSchedule()
        if let section = map.optional("payroll")?.mapping(
            "payroll", allowedKeys: ["deadline_day", "handover_day", "automatic_handover"])
        {
            for key in ["deadline_day", "handover_day"] {
                guard let value = section.optional(key), let day = value.int("payroll.\(key)") else { continue }
                guard PayrollSchedule.days.contains(day) else {
                    value.error(
                        "payroll.\(key) must be a day from \(PayrollSchedule.days.lowerBound) to "
                            + "\(PayrollSchedule.days.upperBound) (the handover must come well before the payday), not \(day)")
                    continue
                }
                if key == "deadline_day" { payroll.deadlineDay = day } else { payroll.handoverDay = day }
            }
            if payroll.handoverDay <= payroll.deadlineDay {
                (section.optional("handover_day") ?? section.owner).error(
                    "payroll.handover_day (\(payroll.handoverDay)) must come after deadline_day (\(payroll.deadlineDay))")
            }
            if let value = section.optional("automatic_handover"), let flag = value.bool("payroll.automatic_handover") {
                payroll.automaticHandover = flag
            }
        }
        var channels: [Channel: ChannelSection] = [:]
        for channel in [Channel.matrix, .email] {
            guard let section = map.optional(channel.rawValue)?.mapping(channel.rawValue) else { continue }
            var values: [String: String] = [:]
            var keyLines: [String: Int] = [:]
            for (key, value, line) in section.entries {
                if let text = value.string("\(channel.rawValue).\(key)") { values[key] = text }
                keyLines[key] = line
            }
            channels[channel] = ChannelSection(
                values, file: file.path, line: map.line(of: channel.rawValue),
                keyLines: keyLines)
        }
        let retention =
            map.optional("retention")?.mapping("retention", allowedKeys: RetentionPolicy.keys).map(RetentionPolicy.parse)
            ?? RetentionPolicy()
        var monitoringPort = 0
        if let section = map.optional("monitoring")?.mapping("monitoring", allowedKeys: ["port"]),
            let value = section.optional("port"), let port = value.int("monitoring.port")
        {
            // Loopback only: the numbers are for this machine's collector or a tunnel to it.
            if (0...65535).contains(port) { monitoringPort = port } else { value.error("monitoring.port must be from 0 (none) to 65535") }
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        var config = KokemusConfig(
            stateDirectory: path("state_dir", "../state")!, flowsDirectory: path("flows_dir", "../Flows")!,
            registryDirectory: path("registry_dir", nil), messagesFile: path("messages_file", "messages.yaml")!,
            feesFile: feesFile, tasksFile: tasksFile, timeZone: timeZone, defaultChannel: channel,
            snapshotEvery: snapshotEvery, messagesPerMinute: max(0, min(messagesPerMinute, 100_000)),
            matching: matching, reminders: reminders, privacy: privacy, channels: channels,
            payroll: payroll, file: file.path)
        config.retention = retention
        config.monitoringPort = monitoringPort
        return config
    }
}
