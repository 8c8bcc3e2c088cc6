/// Words people type that the parsers understand, in every language at once: yes and no,
/// "tomorrow", the word before a time (`klo`), duration units. Loaded from `Config/messages.yaml`
/// so that no user-facing word lives in Swift code.
public struct Vocabulary: Sendable, Hashable {
    public var yes: Set<String>
    public var no: Set<String>
    public var today: Set<String>
    public var tomorrow: Set<String>
    public var dayAfterTomorrow: Set<String>
    /// Words that may stand before a time of day: `klo`, `kl`, `kello`, `at`.
    public var clockWords: Set<String>
    public var hourUnits: Set<String>
    public var minuteUnits: Set<String>
    /// "vuosi", "år", "year": `palkkio vuosi` asks for the year's fees.
    public var yearWords: Set<String>
    /// "kiire", "brådskande", "urgent": a relay marked so may reach its recipient at night.
    public var urgentWords: Set<String>
    /// The parts of `toiveet`: topics, tasks, hours a month; "kaikki" (all agreed), "pois" (none set).
    public var wishTopics: Set<String> = []
    public var wishTasks: Set<String> = []
    public var wishHours: Set<String> = []
    public var all: Set<String> = []
    public var off: Set<String> = []
    /// "pidetty", "hållen", "held": `purku T-… pidetty 45 min` records a debrief held.
    public var held: Set<String> = []
    /// The second word of `omat tiedot`, `mina uppgifter`, `my data`.
    public var dataWords: Set<String> = []
    /// The parts of `rekisteri`: agreement, end, contact, approver, add (`RegistryCommands`).
    public var registryAgreement: Set<String> = []
    public var registryEnd: Set<String> = []
    public var registryContact: Set<String> = []
    public var registryApprover: Set<String> = []
    public var registryAdd: Set<String> = []

    public init(
        yes: Set<String>, no: Set<String>, today: Set<String>, tomorrow: Set<String>,
        dayAfterTomorrow: Set<String>, clockWords: Set<String>, hourUnits: Set<String>,
        minuteUnits: Set<String>, yearWords: Set<String> = [], urgentWords: Set<String> = []
    ) {
        self.yes = yes
        self.no = no
        self.today = today
        self.tomorrow = tomorrow
        self.dayAfterTomorrow = dayAfterTomorrow
        self.clockWords = clockWords
        self.hourUnits = hourUnits
        self.minuteUnits = minuteUnits
        self.yearWords = yearWords
        self.urgentWords = urgentWords
    }

    /// The keys of the `vocabulary:` section of the messages file.
    static let keys = [
        "yes", "no", "today", "tomorrow", "day_after_tomorrow", "clock_words", "hour_units", "minute_units", "year", "urgent",
        "wish_topics", "wish_tasks", "wish_hours", "all", "off", "held", "data",
        "registry_agreement", "registry_end", "registry_contact", "registry_approver", "registry_add",
    ]
}
