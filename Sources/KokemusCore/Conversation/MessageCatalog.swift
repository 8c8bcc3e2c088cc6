import Foundation

/// The system texts, command words and input vocabulary, loaded from `Config/messages.yaml`.
public struct MessageCatalog: Sendable {
    public var texts: [MessageKey: LocalizedText]
    /// Command words per command, in all languages (lower-cased).
    public var commands: [GlobalCommand: [Language: [String]]] {
        didSet { commandWords = Self.index(commands) }
    }
    /// The commands each word stands for, in declaration order, looked up on every message.
    private var commandWords: [String: [GlobalCommand]] = [:]
    /// Words of the commands that take arguments, in all languages (lower-cased).
    public var chatCommands: [ChatCommand: [Language: [String]]] = [:] {
        didSet { chatCommandWords = Self.index(chatCommands) }
    }
    /// The command each word stands for, looked up on every message.
    private var chatCommandWords: [String: ChatCommand] = [:]

    private static func index(_ commands: [ChatCommand: [Language: [String]]]) -> [String: ChatCommand] {
        var words: [String: ChatCommand] = [:]
        // In declaration order, so that a word two commands share goes to the first, as before.
        for command in ChatCommand.allCases.reversed() {
            for word in commands[command]?.values.flatMap({ $0 }) ?? [] { words[word] = command }
        }
        return words
    }
    private static func index(_ commands: [GlobalCommand: [Language: [String]]]) -> [String: [GlobalCommand]] {
        var words: [String: [GlobalCommand]] = [:]
        for command in GlobalCommand.allCases {
            for word in Set(commands[command]?.values.flatMap({ $0 }) ?? []) { words[word, default: []].append(command) }
        }
        return words
    }
    public var vocabulary: Vocabulary
    /// Each language's own name (`suomi`, `svenska`, `English`).
    public var languageNames: [Language: String]

    public init(
        texts: [MessageKey: LocalizedText], commands: [GlobalCommand: [Language: [String]]],
        chatCommands: [ChatCommand: [Language: [String]]], vocabulary: Vocabulary,
        languageNames: [Language: String]
    ) {
        self.texts = texts
        self.commands = commands
        self.chatCommands = chatCommands
        self.vocabulary = vocabulary
        self.languageNames = languageNames
        chatCommandWords = Self.index(chatCommands)
        commandWords = Self.index(commands)
    }

    /// The text for `key` in `language` with `{placeholders}` filled in.
    public func text(_ key: MessageKey, _ language: Language, _ values: [String: String] = [:]) -> String {
        Template.render(texts[key]?.text(in: language) ?? key.rawValue, values)
    }

    /// The command a whole reply stands for, if it is one (`apua`, `HJÄLP`, `cancel`).
    /// The language command takes an argument: `kieli sv`.
    public func command(in text: String) -> (GlobalCommand, argument: String?)? {
        // Split before lower-casing: most messages are answers of more than two words.
        let words = text.split(separator: " ", maxSplits: 2)
        guard let first = words.first, words.count <= 2 else { return nil }
        for command in commandWords[first.lowercased()] ?? [] {
            if command == .language {
                return (command, words.count == 2 ? words[1].lowercased() : nil)
            } else if words.count == 1 {
                return (command, nil)
            }
        }
        return nil
    }

    /// The command with arguments a message starts with (`viesti T-2026-0001 Hei`), and the
    /// rest of the message as its argument text. A single word is a command only for the
    /// commands that need no argument (`tilaukset`).
    public func chatCommand(in text: String) -> (ChatCommand, arguments: String)? {
        let trimmed = text.trimmed
        guard let firstWord = trimmed.split(whereSeparator: \.isWhitespace).first else { return nil }
        var first = firstWord.lowercased()
        var rest = trimmed.dropFirst(firstWord.count).trimmed
        // `tiedote: text`, the colon on the word: an announcement to everyone.
        if first.hasSuffix(":"), chatCommandWords[String(first.dropLast())] == .announce {
            first.removeLast()
            rest = ":" + (rest.isEmpty ? "" : " " + rest)
        }
        if let command = chatCommandWords[first] {
            switch command {
            case .orders:
                if rest.isEmpty { return (command, rest) }
            case .fee:
                // Alone, or the year's totals: `palkkio vuosi`, `palkkio 2026`.
                if rest.isEmpty || vocabulary.yearWords.contains(rest.lowercased()) || (rest.count == 4 && Int(rest) != nil) {
                    return (command, rest)
                }
            case .taxCard:
                // Alone, or with the year: `verokortti 2027`.
                if rest.isEmpty || (rest.count == 4 && Int(rest) != nil) { return (command, rest) }
            case .message, .candidates, .offerTo, .cancelSession, .move, .noShow, .ill, .substitute, .stopGroup, .travel,
                .withdraw, .announce, .debrief, .signUp, .attended:
                // Only with an order id or a message: "viesti" alone may be an answer to a question.
                if !rest.isEmpty { return (command, rest) }
            case .pause, .resume:
                if !rest.isEmpty, !rest.contains(where: \.isWhitespace) { return (command, rest) }
            case .myTasks, .privacy:
                if rest.isEmpty { return (command, rest) }
            case .myData:
                // `omat tiedot` (two words) or `tietoni` (one).
                if rest.isEmpty || vocabulary.dataWords.contains(rest.lowercased()) { return (command, rest) }
            case .away, .available, .introduction, .wishes, .registry:
                // Alone shows; with words changes (`poissaolo 1.12.–14.12.`, `esittely sv …`).
                return (command, rest)
            case .release:
                // `vapauta P-3` (one word), or `vapauta T-2026-0001 3 syy` (an order's session).
                let target = rest.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
                if !rest.isEmpty, !rest.contains(where: \.isWhitespace) || Order.looksLikeID(target) { return (command, rest) }
            }
        }
        return nil
    }

    public func word(_ command: ChatCommand, _ language: Language) -> String {
        chatCommands[command]?[language]?.first ?? command.rawValue
    }

    /// Where a task is, as people read it: the address, or "remote" in their language.
    public func place(of order: Order, _ language: Language) -> String {
        switch order.place {
        case .onSite(let address): return address.text
        case .remote: return text(.remote, language)
        }
    }

    /// A date and time as people read it: `8.12.2026 klo 14.00`.
    public func dateTime(_ date: Date, _ language: Language, time: LocalTime) -> String {
        text(.dateTimeFormat, language, ["date": time.dayString(date), "time": time.clockString(date)])
    }

    /// The first command word for `command` in `language`, to show in help texts.
    public func word(_ command: GlobalCommand, _ language: Language) -> String {
        commands[command]?[language]?.first ?? command.rawValue
    }

    public static func load(file: URL) throws -> MessageCatalog {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read the messages file: \(error.localizedDescription)", file: file.path)
        }
        return try load(text: text, file: file.path)
    }

    public static func load(text: String, file: String) throws -> MessageCatalog {
        let diagnostics = Diagnostics()
        guard let root = YAMLValue.parse(text, file: file, diagnostics: diagnostics),
            let map = root.mapping(
                "the messages file",
                allowedKeys: ["commands", "vocabulary", "language_names", "messages"])
        else {
            throw ConfigErrors(diagnostics.errors)
        }
        var texts: [MessageKey: LocalizedText] = [:]
        if let messages = map.required("messages")?.mapping("messages", allowedKeys: Set(MessageKey.allCases.map(\.rawValue))) {
            for key in MessageKey.allCases {
                guard let value = messages.required(key.rawValue), let text = value.localizedText(key.rawValue) else { continue }
                texts[key] = text
                for language in Language.allCases {
                    for problem in Template.pluralProblems(in: text.text(in: language)) {
                        value.error("\(key.rawValue) (\(language.rawValue)): \(problem)")
                    }
                }
                // Every language takes the same values: a placeholder in one alone is a typo
                // (`{bogus}` for `{problems}`), which would reach people as it is written.
                let names = Language.allCases.map { Set(Template.placeholders(in: text.text(in: $0))) }
                let all = names.reduce(Set<String>()) { $0.union($1) }
                for (language, own) in zip(Language.allCases, names) where own != all {
                    let missing = all.subtracting(own).sorted().map { "{\($0)}" }.joined(separator: ", ")
                    value.error(
                        "\(key.rawValue) (\(language.rawValue)): lacks \(missing), which the other languages use: "
                            + "each language takes the same placeholders")
                }
            }
        }
        var commands: [GlobalCommand: [Language: [String]]] = [:]
        var chatCommands: [ChatCommand: [Language: [String]]] = [:]
        let commandKeys = Set(GlobalCommand.allCases.map(\.rawValue) + ChatCommand.allCases.map(\.rawValue))
        if let section = map.required("commands")?.mapping("commands", allowedKeys: commandKeys) {
            for command in GlobalCommand.allCases {
                if let words = section.required(command.rawValue).flatMap({ wordLists($0, what: command.rawValue) }) {
                    commands[command] = words
                }
            }
            for command in ChatCommand.allCases {
                if let words = section.required(command.rawValue).flatMap({ wordLists($0, what: command.rawValue) }) {
                    chatCommands[command] = words
                }
            }
        }
        var lists: [String: Set<String>] = [:]
        if let section = map.required("vocabulary")?.mapping("vocabulary", allowedKeys: Set(Vocabulary.keys)) {
            for key in Vocabulary.keys {
                if let words = section.required(key).flatMap({ wordLists($0, what: key) }) {
                    lists[key] = Set(words.values.flatMap { $0 })
                }
            }
        }
        var languageNames: [Language: String] = [:]
        if let names = map.required("language_names")?.localizedText("language_names") {
            languageNames = names.texts
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        var vocabulary = Vocabulary(
            yes: lists["yes"]!, no: lists["no"]!, today: lists["today"]!, tomorrow: lists["tomorrow"]!,
            dayAfterTomorrow: lists["day_after_tomorrow"]!, clockWords: lists["clock_words"]!,
            hourUnits: lists["hour_units"]!, minuteUnits: lists["minute_units"]!, yearWords: lists["year"]!,
            urgentWords: lists["urgent"]!)
        vocabulary.wishTopics = lists["wish_topics"]!
        vocabulary.wishTasks = lists["wish_tasks"]!
        vocabulary.wishHours = lists["wish_hours"]!
        vocabulary.all = lists["all"]!
        vocabulary.off = lists["off"]!
        vocabulary.held = lists["held"]!
        vocabulary.dataWords = lists["data"]!
        vocabulary.registryAgreement = lists["registry_agreement"]!
        vocabulary.registryEnd = lists["registry_end"]!
        vocabulary.registryContact = lists["registry_contact"]!
        vocabulary.registryApprover = lists["registry_approver"]!
        vocabulary.registryAdd = lists["registry_add"]!
        return MessageCatalog(
            texts: texts, commands: commands, chatCommands: chatCommands, vocabulary: vocabulary,
            languageNames: languageNames)
    }

    /// `{fi: [apua], sv: [hjälp], en: [help]}`, every language present, words lower-cased.
    private static func wordLists(_ value: YAMLValue, what: String) -> [Language: [String]]? {
        guard let map = value.mapping(what, allowedKeys: Set(Language.allCases.map(\.rawValue))) else { return nil }
        var result: [Language: [String]] = [:]
        for language in Language.allCases {
            guard let words = map.required(language.rawValue)?.stringList("\(what) (\(language.rawValue))") else { continue }
            result[language] = words.map { $0.lowercased() }
        }
        return result.count == Language.allCases.count ? result : nil
    }
}
