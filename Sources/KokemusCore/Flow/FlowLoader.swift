import Foundation

/// Reads flow files and checks them: YAML, keys, step targets, reachability, translations,
/// actions, conditions and placeholders. Every problem is reported as `FILE:LINE: message`.
public struct FlowLoader: Sendable {
    public var actions: [String: ActionSignature]
    /// Placeholders every text may use besides slots (`name`: the person's first name).
    public static let builtInPlaceholders: Set<String> = ["name"]

    public init(actions: [ActionSignature]) {
        self.actions = Dictionary(actions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Loads every `*.yaml` flow in `directory`, checking them one by one and then together.
    public func load(directory: URL) -> (flows: [FlowDefinition], errors: [ConfigError]) {
        do {
            return load(sources: try YAMLDirectory.read(directory, what: "flow"))
        } catch let error as ConfigError {
            return ([], [error])
        } catch {
            return ([], [ConfigError("\(error)", file: directory.path)])
        }
    }

    /// Loads flows given as (file name, text).
    public func load(sources: [(file: String, text: String)]) -> (flows: [FlowDefinition], errors: [ConfigError]) {
        var flows: [FlowDefinition] = []
        var errors: [ConfigError] = []
        for (file, text) in sources {
            let result = load(text: text, file: file)
            errors += result.errors
            if let flow = result.flow, result.errors.isEmpty { flows.append(flow) }
        }
        errors += Self.checkTogether(flows)
        return (flows, errors)
    }

    /// Loads one flow; the flow is nil when the file cannot be read as one.
    public func load(text: String, file: String) -> (flow: FlowDefinition?, errors: [ConfigError]) {
        let diagnostics = Diagnostics()
        guard let root = YAMLValue.parse(text, file: file, diagnostics: diagnostics) else {
            return (nil, diagnostics.errors)
        }
        let flow = readFlow(root, version: Self.versionHash(text), source: text)
        if let flow { check(flow, diagnostics: diagnostics) }
        return (flow, diagnostics.errors)
    }

    /// A stable hash of a flow file's bytes (FNV-1a, 64 bits).
    public static func versionHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    // MARK: Reading

    private static let flowKeys: Set<String> = [
        "id", "title", "roles", "triggers", "max_tries", "on_too_many_tries",
        "help", "timeout", "steps",
    ]
    private static let stepKeys: Set<String> = [
        "id", "ask", "expect", "slot", "retry", "say", "action", "on_error",
        "next", "end", "help", "timeout",
    ]

    private func readFlow(_ root: YAMLValue, version: String, source: String) -> FlowDefinition? {
        guard let map = root.mapping("a flow", allowedKeys: Self.flowKeys) else { return nil }
        let id = map.required("id")?.identifier("flow id")
        let title = map.required("title")?.localizedText("title")
        var roles: Set<Role> = []
        if let roleValue = map.required("roles"), let names = roleValue.stringList("roles") {
            for name in names {
                if let role = Role(rawValue: name) {
                    roles.insert(role)
                } else {
                    roleValue.error("unknown role '\(name)' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }
            if names.isEmpty { roleValue.error("roles must name at least one role") }
        }
        var triggers: [Language: [String]] = [:]
        if let triggerValue = map.required("triggers"),
            let triggerMap = triggerValue.mapping("triggers", allowedKeys: Set(Language.allCases.map(\.rawValue)))
        {
            for language in Language.allCases {
                if let words = triggerMap.optional(language.rawValue)?.stringList("triggers (\(language.rawValue))"), !words.isEmpty {
                    triggers[language] = words.map { $0.lowercased() }
                } else {
                    triggerValue.error("triggers lack a translation: \(language.rawValue)")
                }
            }
        }
        let maxTries = map.optional("max_tries")?.int("max_tries") ?? 3
        if maxTries < 1 { map.optional("max_tries")?.error("max_tries must be at least 1") }
        var onTooManyTries = TooManyTries.help
        if let value = map.optional("on_too_many_tries"), let text = value.string("on_too_many_tries") {
            if let parsed = TooManyTries(rawValue: text) {
                onTooManyTries = parsed
            } else {
                value.error("on_too_many_tries must be 'help' or 'end', not '\(text)'")
            }
        }
        let help = map.optional("help")?.localizedText("help")
        var steps: [FlowStep] = []
        if let stepList = map.required("steps")?.sequence("steps") {
            if stepList.isEmpty { map.required("steps")?.error("a flow needs at least one step") }
            steps = stepList.compactMap(readStep)
        }
        // A flow-level timeout applies to every question that does not set its own.
        if let defaultTimeout = map.optional("timeout").flatMap(readTimeout) {
            for index in steps.indices where steps[index].timeout == nil {
                if case .ask = steps[index].kind { steps[index].timeout = defaultTimeout }
            }
        }
        guard let id, let title else { return nil }
        return FlowDefinition(
            id: id, title: title, roles: roles, triggers: triggers, maxTries: max(1, maxTries),
            onTooManyTries: onTooManyTries, help: help, steps: steps, file: root.file, version: version, source: source)
    }

    private func readStep(_ value: YAMLValue) -> FlowStep? {
        guard let map = value.mapping("a step", allowedKeys: Self.stepKeys),
            let id = map.required("id")?.identifier("step id")
        else { return nil }
        let kinds = ["ask", "say", "action"].filter { map.optional($0) != nil }
        guard kinds.count == 1 else {
            value.error(
                "step '\(id)' must have exactly one of 'ask', 'say' or 'action'"
                    + (kinds.isEmpty ? "" : " (it has \(kinds.joined(separator: " and ")))"))
            return nil
        }
        let kind: FlowStep.Kind
        switch kinds[0] {
        case "ask":
            guard let question = map.optional("ask")?.localizedText("question of step '\(id)'"),
                let expectValue = map.required("expect"), let expect = readExpect(expectValue, step: id)
            else { return nil }
            let slot = map.optional("slot")?.identifier("slot") ?? id
            kind = .ask(question: question, expect: expect, slot: slot, retry: map.optional("retry")?.localizedText("retry"))
        case "say":
            guard let text = map.optional("say")?.localizedText("text of step '\(id)'") else { return nil }
            kind = .say(text)
        default:
            guard let name = map.optional("action")?.string("action") else { return nil }
            kind = .action(name: name, onError: map.optional("on_error")?.identifier("on_error"))
        }
        for key in ["expect", "slot", "retry"] where kinds[0] != "ask" && map.optional(key) != nil {
            map.optional(key)?.error("'\(key)' belongs to an 'ask' step")
        }
        if kinds[0] != "action", let onError = map.optional("on_error") {
            onError.error("'on_error' belongs to an 'action' step")
        }
        let end = map.optional("end")?.bool("end") ?? false
        let next = map.optional("next").map(readNext) ?? []
        if end && !next.isEmpty { value.error("step '\(id)' has both 'end' and 'next'") }
        var timeout: StepTimeout?
        if let timeoutValue = map.optional("timeout") {
            if case .ask = kind {
                timeout = readTimeout(timeoutValue)
            } else {
                timeoutValue.error("only an 'ask' step waits for an answer, so only it can have a timeout")
            }
        }
        return FlowStep(
            id: id, kind: kind, next: next, end: end, help: map.optional("help")?.localizedText("help"),
            timeout: timeout, line: value.line)
    }

    private func readExpect(_ value: YAMLValue, step: String) -> AnswerSpec? {
        let keys: Set<String> = [
            "type", "min_length", "max_length", "reject", "min", "max", "not_past", "min_minutes",
            "max_minutes", "choices", "choices_from", "min_count", "max_count",
        ]
        guard let map = value.mapping("expect", allowedKeys: keys),
            let type = map.required("type")?.string("type")
        else { return nil }
        func int(_ key: String) -> Int? { map.optional(key)?.int(key) }
        func allow(_ allowed: Set<String>) {
            for key in map.keys where key != "type" && !allowed.contains(key) {
                value.diagnostics.error("'\(key)' does not apply to type \(type)", file: value.file, line: map.line(of: key))
            }
        }
        switch type {
        case "text":
            allow(["min_length", "max_length", "reject"])
            var rejectCode = false
            if let reject = map.optional("reject"), let names = reject.stringList("reject") {
                for name in names {
                    if name == "identity_code" {
                        rejectCode = true
                    } else {
                        reject.error("unknown reject rule '\(name)' (known: identity_code)")
                    }
                }
            }
            let minLength = int("min_length") ?? 1
            let maxLength = int("max_length") ?? 2000
            if minLength > maxLength { value.error("min_length is larger than max_length") }
            return .text(minLength: minLength, maxLength: maxLength, rejectIdentityCode: rejectCode)
        case "integer":
            allow(["min", "max"])
            let min = int("min")
            let max = int("max")
            if let min, let max, min > max { value.error("min is larger than max") }
            return .integer(min: min, max: max)
        case "date":
            allow(["not_past"])
            return .date(notPast: map.optional("not_past")?.bool("not_past") ?? false)
        case "time":
            allow([])
            return .time
        case "datetime":
            allow(["not_past"])
            return .dateTime(notPast: map.optional("not_past")?.bool("not_past") ?? false)
        case "duration":
            allow(["min_minutes", "max_minutes"])
            let min = int("min_minutes") ?? 1
            let max = int("max_minutes") ?? 24 * 60
            if min > max { value.error("min_minutes is larger than max_minutes") }
            return .duration(minMinutes: min, maxMinutes: max)
        case "money":
            // Whole euros in the flow file; 0–100 000 € unless it says otherwise.
            allow(["min", "max"])
            let min = int("min") ?? 0
            let max = int("max") ?? Money.maximumParsed.cents / 100
            if min > max { value.error("min is larger than max") }
            if min < 0 || max > 1_000_000_000 { value.error("an amount must lie in 0–1000000000 euros") }
            return .money(
                minCents: Swift.max(0, Swift.min(min, 1_000_000_000)) * 100,
                maxCents: Swift.max(0, Swift.min(max, 1_000_000_000)) * 100)
        case "yesno":
            allow([])
            return .yesNo
        case "choice", "choices":
            allow(type == "choice" ? ["choices", "choices_from"] : ["choices", "min_count", "max_count"])
            if type == "choice", let source = map.optional("choices_from") {
                if map.optional("choices") != nil { value.error("give either 'choices' or 'choices_from', not both") }
                guard let name = source.string("choices_from"), let parsed = ChoiceSource(rawValue: name) else {
                    source.error("choices_from must be one of \(ChoiceSource.allCases.map(\.rawValue).joined(separator: ", "))")
                    return nil
                }
                return .choiceFrom(parsed)
            }
            guard let list = map.required("choices")?.sequence("choices") else { return nil }
            let choices = list.compactMap(readChoice)
            if choices.isEmpty { map.required("choices")?.error("a choice question needs at least one choice") }
            var seen: Set<String> = []
            for (choice, item) in zip(choices, list) where !seen.insert(choice.value).inserted {
                item.error("choice value '\(choice.value)' appears twice")
            }
            var gestures: Set<InboundMessage.Gesture> = []
            for (choice, item) in zip(choices, list) {
                if let gesture = choice.gesture, !gestures.insert(gesture).inserted {
                    item.error("two choices have gesture: \(gesture.rawValue); a reaction can pick only one")
                }
                if choice.gesture != nil && type == "choices" { item.error("gesture is for choice questions (one answer) only") }
            }
            if type == "choice" { return .choice(choices) }
            let minCount = int("min_count") ?? 1
            let maxCount = int("max_count") ?? choices.count
            if minCount > maxCount { value.error("min_count is larger than max_count") }
            return .choices(choices, minCount: minCount, maxCount: maxCount)
        default:
            map.required("type")?.error(
                "unknown answer type '\(type)' in step '\(step)' (known: text, integer, date, "
                    + "time, datetime, duration, money, yesno, choice, choices)")
            return nil
        }
    }

    private func readChoice(_ value: YAMLValue) -> Choice? {
        guard let map = value.mapping("a choice", allowedKeys: Set(["value", "gesture"] + Language.allCases.map(\.rawValue))),
            let choiceValue = map.required("value")?.identifier("choice value")
        else { return nil }
        var texts: [Language: String] = [:]
        for language in Language.allCases {
            if let text = map.optional(language.rawValue)?.string("choice label") { texts[language] = text }
        }
        let label = LocalizedText(texts)
        if !label.missingLanguages.isEmpty {
            value.error("choice '\(choiceValue)' lacks a translation: \(label.missingLanguages.map(\.rawValue).joined(separator: ", "))")
        }
        var gesture: InboundMessage.Gesture?
        if let text = map.optional("gesture")?.string("gesture") {
            gesture = InboundMessage.Gesture(rawValue: text)
            if gesture == nil { value.error("choice '\(choiceValue)': gesture must be yes (a 👍 picks it) or no (a 👎)") }
        }
        return Choice(value: choiceValue, label: label, gesture: gesture)
    }

    private func readNext(_ value: YAMLValue) -> [Transition] {
        if case .scalar = value.node {
            return value.identifier("next").map { [Transition(condition: nil, target: $0, line: value.line)] } ?? []
        }
        guard let items = value.sequence("next") else { return [] }
        return items.compactMap { item -> Transition? in
            guard let map = item.mapping("a next entry", allowedKeys: ["if", "goto"]),
                let target = map.required("goto")?.identifier("goto")
            else { return nil }
            var condition: Condition?
            if let conditionValue = map.optional("if"), let text = conditionValue.string("if") {
                switch Condition.parse(text) {
                case .success(let parsed): condition = parsed
                case .failure(let error): conditionValue.error(error.message)
                }
            }
            return Transition(condition: condition, target: target, line: item.line)
        }
    }

    private func readTimeout(_ value: YAMLValue) -> StepTimeout? {
        guard let map = value.mapping("timeout", allowedKeys: ["remind_after", "reminder", "give_up_after", "then", "message"])
        else { return nil }
        let remindAfter = map.optional("remind_after")?.duration("remind_after")
        let reminder = map.optional("reminder")?.localizedText("reminder")
        let giveUpAfter = map.optional("give_up_after")?.duration("give_up_after")
        if remindAfter != nil && reminder == nil { value.error("remind_after needs a 'reminder' text") }
        if remindAfter == nil && giveUpAfter == nil { value.error("a timeout needs remind_after, give_up_after or both") }
        if let remindAfter, let giveUpAfter, giveUpAfter <= remindAfter {
            value.error("give_up_after must be later than remind_after")
        }
        var then = StepTimeout.Then.end
        if let thenValue = map.optional("then"), let text = thenValue.string("then") {
            if let parsed = StepTimeout.Then(rawValue: text) {
                then = parsed
            } else {
                thenValue.error("then must be 'escalate', 'end' or 'draft', not '\(text)'")
            }
        }
        if giveUpAfter == nil, map.optional("then") != nil { value.error("'then' needs give_up_after") }
        return StepTimeout(
            remindAfter: remindAfter, reminder: reminder, giveUpAfter: giveUpAfter, then: then,
            endMessage: map.optional("message")?.localizedText("message"))
    }

    // MARK: Checking

    private func check(_ flow: FlowDefinition, diagnostics: Diagnostics) {
        func error(_ message: String, _ line: Int?) { diagnostics.error(message, file: flow.file, line: line) }
        var ids: Set<String> = []
        for step in flow.steps where !ids.insert(step.id).inserted {
            error("step id '\(step.id)' is used twice", step.line)
        }
        // Targets.
        for step in flow.steps {
            for transition in step.next where flow.step(transition.target) == nil {
                error("step '\(step.id)' goes to unknown step '\(transition.target)'", transition.line ?? step.line)
            }
            if case .action(let name, let onError) = step.kind {
                if actions[name] == nil {
                    let known = actions.keys.sorted().joined(separator: ", ")
                    error("step '\(step.id)' calls unknown action '\(name)' (known: \(known))", step.line)
                }
                if let onError, flow.step(onError) == nil {
                    error("step '\(step.id)': on_error goes to unknown step '\(onError)'", step.line)
                }
            }
        }
        // Reachability from the first step.
        var reached: Set<String> = []
        var queue = flow.steps.first.map { [$0.id] } ?? []
        while let id = queue.popLast() {
            guard reached.insert(id).inserted, let step = flow.step(id) else { continue }
            queue += successors(of: step, in: flow)
        }
        for step in flow.steps where !reached.contains(step.id) {
            error("step '\(step.id)' can never be reached", step.line)
        }
        // Slots, conditions and placeholders.
        var slotSpecs: [String: AnswerSpec] = [:]
        var slots: Set<String> = []
        // The values the flow's actions can give a slot they set.
        var outcomes: [String: Set<String>] = [:]
        for step in flow.steps {
            switch step.kind {
            case .ask(_, let expect, let slot, _):
                slotSpecs[slot] = expect
                slots.insert(slot)
            case .action(let name, _):
                slots.formUnion(actions[name]?.outputs ?? [])
                for (slot, values) in actions[name]?.outcomes ?? [:] { outcomes[slot, default: []].formUnion(values) }
            case .say: break
            }
        }
        for step in flow.steps {
            if case .action(let name, _) = step.kind {
                for input in (actions[name]?.requiredInputs ?? []).sorted() where slotSpecs[input] == nil {
                    error("step '\(step.id)': action '\(name)' needs slot '\(input)', which no step asks", step.line)
                }
            }
            for transition in step.next {
                for clause in transition.condition?.clauses ?? [] {
                    guard slots.contains(clause.slot) else {
                        error("condition '\(transition.condition!)' uses unknown slot '\(clause.slot)'", transition.line)
                        continue
                    }
                    if let value = clause.value, slotSpecs[clause.slot] == nil, let known = outcomes[clause.slot],
                        !known.contains(value)
                    {
                        error(
                            "condition '\(transition.condition!)': '\(value)' is never a value of '\(clause.slot)' "
                                + "(its actions give: \(known.sorted().joined(separator: ", ")))", transition.line)
                    }
                    guard let value = clause.value, let spec = slotSpecs[clause.slot] else { continue }
                    if let choices = spec.staticChoices, case .choice = spec, !choices.contains(where: { $0.value == value }) {
                        error(
                            "condition '\(transition.condition!)': '\(value)' is not a choice of '\(clause.slot)' "
                                + "(choices: \(choices.map(\.value).joined(separator: ", ")))", transition.line)
                    }
                    if spec == .yesNo, !["yes", "no"].contains(value) {
                        error("condition '\(transition.condition!)': a yes/no slot is 'yes' or 'no'", transition.line)
                    }
                }
            }
            let allowed = slots.union(Self.builtInPlaceholders)
            for text in texts(of: step) {
                for language in Language.allCases {
                    for name in Template.placeholders(in: text.text(in: language)) where !allowed.contains(name) {
                        error("step '\(step.id)' (\(language.rawValue)) uses unknown placeholder {\(name)}", step.line)
                    }
                    for problem in Template.pluralProblems(in: text.text(in: language)) {
                        error("step '\(step.id)' (\(language.rawValue)): \(problem)", step.line)
                    }
                }
            }
        }
    }

    private func successors(of step: FlowStep, in flow: FlowDefinition) -> [String] {
        var targets = step.next.map(\.target)
        let hasFallback = step.next.contains { $0.condition == nil }
        if !step.end, !hasFallback, let following = flow.stepAfter(step) { targets.append(following.id) }
        if case .action(_, let onError?) = step.kind { targets.append(onError) }
        return targets
    }

    private func texts(of step: FlowStep) -> [LocalizedText] {
        var texts: [LocalizedText] = []
        switch step.kind {
        case .ask(let question, _, _, let retry): texts += [question] + (retry.map { [$0] } ?? [])
        case .say(let text): texts.append(text)
        case .action: break
        }
        if let help = step.help { texts.append(help) }
        if let reminder = step.timeout?.reminder { texts.append(reminder) }
        if let message = step.timeout?.endMessage { texts.append(message) }
        return texts
    }

    /// Checks across files: one id per flow, and a trigger word belongs to one flow only.
    static func checkTogether(_ flows: [FlowDefinition]) -> [ConfigError] {
        var errors: [ConfigError] = []
        var ids: [String: String] = [:]
        var triggers: [String: String] = [:]
        for flow in flows {
            if let other = ids[flow.id] {
                errors.append(ConfigError("flow id '\(flow.id)' is also used in \(other)", file: flow.file, line: 1))
            }
            ids[flow.id] = flow.file
            for word in flow.allTriggers.sorted() {
                if let other = triggers[word], other != flow.id {
                    errors.append(ConfigError("trigger word '\(word)' also starts flow '\(other)'", file: flow.file, line: 1))
                }
                triggers[word] = flow.id
            }
        }
        return errors
    }
}
