/// One numbered option of a choice question.
public struct Choice: Codable, Sendable, Hashable {
    /// What is stored and what conditions compare (`group`).
    public var value: String
    public var label: LocalizedText
    /// The reaction that picks this option (`gesture: yes` for a 👍, `no` for a 👎), if any.
    public var gesture: InboundMessage.Gesture?

    public init(value: String, label: LocalizedText, gesture: InboundMessage.Gesture? = nil) {
        self.value = value
        self.label = label
        self.gesture = gesture
    }
}

/// Where a choice question's options come from when they are not written in the flow.
public enum ChoiceSource: String, Codable, Sendable, CaseIterable {
    /// The registry's units, by name.
    case units
    /// The three service languages.
    case languages
    /// "No wish", then the experts the person has worked with on earlier orders (by the name
    /// employees see, in the order they first worked together).
    case knownExperts = "known_experts"
    /// The task catalogue's entries the person may order (`Config/tasks.yaml`).
    case tasks
}

/// What answer a question expects and how it is checked.
public enum AnswerSpec: Codable, Sendable, Hashable {
    /// `rejectIdentityCode` is what older flow files said with `reject: [identity_code]`; the
    /// guard now holds identity codes in every text, so it is read and kept but changes nothing.
    case text(minLength: Int, maxLength: Int, rejectIdentityCode: Bool)
    case integer(min: Int?, max: Int?)
    case date(notPast: Bool)
    case time
    case dateTime(notPast: Bool)
    case duration(minMinutes: Int, maxMinutes: Int)
    case yesNo
    case choice([Choice])
    case choiceFrom(ChoiceSource)
    case choices([Choice], minCount: Int, maxCount: Int)
    /// An amount of euros (`3,30`, `12 €`), within `minCents…maxCents`.
    case money(minCents: Int, maxCents: Int)

    /// The name used for `type:` in flow files.
    public var typeName: String {
        switch self {
        case .text: return "text"
        case .integer: return "integer"
        case .date: return "date"
        case .time: return "time"
        case .dateTime: return "datetime"
        case .duration: return "duration"
        case .yesNo: return "yesno"
        case .choice, .choiceFrom: return "choice"
        case .choices: return "choices"
        case .money: return "money"
        }
    }

    /// The written choices, for validating conditions against them.
    public var staticChoices: [Choice]? {
        switch self {
        case .choice(let choices), .choices(let choices, _, _): return choices
        default: return nil
        }
    }
}
