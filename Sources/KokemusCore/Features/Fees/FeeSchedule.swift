import Foundation

/// How a task type is paid.
public struct FeeRate: Sendable, Hashable {
    public enum Basis: String, Sendable, CaseIterable {
        /// By the minute at an hourly rate (individual, pair and development work).
        case hour
        /// A fixed fee per session (group guidance).
        case session
        /// A fixed fee per lecture or training.
        case lecture
    }

    public var basis: Basis
    public var amount: Money

    public init(basis: Basis, amount: Money) {
        self.basis = basis
        self.amount = amount
    }

    /// The fee for one session of `minutes`; hourly fees are rounded to the cent.
    public func fee(minutes: Int) -> Money {
        switch basis {
        case .hour:
            // Through Double, bounded before converting back: the rate and the minutes may both
            // come from a state with absurd values, and Int(Double) traps outside Int.
            let cents = (Double(amount.cents) * Double(minutes) / 60).rounded()
            let limit = Double(Money.limit.cents)
            return Money(cents: cents.isFinite ? Int(min(max(cents, -limit), limit)) : 0)
        case .session, .lecture: return amount
        }
    }
}

/// The county's approved fee rates per year and task type, and the kilometre allowance:
/// `Config/fees.yaml`. A session is paid by the rates of the year it took place in.
public struct FeeSchedule: Sendable, Hashable {
    public struct Year: Sendable, Hashable {
        public var rates: [TaskType: FeeRate]
        /// Per kilometre of travel agreed in advance.
        public var kilometreRate: Money
        /// A group's planning time (000 §4.3), when the county prices it (`planning:`).
        public var planningRate: FeeRate?
        /// A debrief after the work (000 §3, §4), when the county pays for it (`debrief:`).
        public var debriefRate: FeeRate?
        /// Tasks of the catalogue with a rate of their own (`tasks:`, by the task's id); the
        /// others are paid by their kind's rate.
        public var taskRates: [String: FeeRate]

        public init(
            rates: [TaskType: FeeRate], kilometreRate: Money, planningRate: FeeRate? = nil, taskRates: [String: FeeRate] = [:],
            debriefRate: FeeRate? = nil
        ) {
            self.debriefRate = debriefRate
            self.rates = rates
            self.kilometreRate = kilometreRate
            self.planningRate = planningRate
            self.taskRates = taskRates
        }
    }

    public var years: [Int: Year]

    public init(years: [Int: Year] = [:]) {
        self.years = years
    }

    public func rate(for taskType: TaskType, year: Int) -> FeeRate? {
        years[year]?.rates[taskType]
    }

    /// The rate an order is paid by in `year`: its catalogue task's own, else its kind's.
    public func rate(for order: Order, year: Int) -> FeeRate? {
        order.task.flatMap { years[year]?.taskRates[$0] } ?? rate(for: order.taskType, year: year)
    }

    /// The task ids given rates of their own that the catalogue does not have and no stored
    /// order names (`stillUsed`: a task removed since is still paid by its rate): one problem
    /// each, for the start to refuse (a misspelt id would pay its task by its kind's rate).
    public func taskRateProblems(in tasks: TaskCatalogue, stillUsed: Set<String> = []) -> [String] {
        years.keys.sorted().flatMap { year in
            (years[year]?.taskRates.keys.sorted() ?? []).compactMap { id in
                tasks.entry(id) == nil && !stillUsed.contains(id)
                    ? "years.\(year).tasks.\(id): no task '\(id)' in the task catalogue" : nil
            }
        }
    }

    /// `years.Y.tasks.ID` for each task with a rate of its own in the year before Y but none
    /// in Y: likely a year's rates copied without its `tasks:` (Y pays it by its kind's rate).
    public func taskRateGaps() -> [String] {
        years.keys.sorted().flatMap { year -> [String] in
            guard let before = years[year - 1] else { return [] }
            return before.taskRates.keys.sorted().filter { years[year]?.taskRates[$0] == nil }.map { "years.\(year).tasks.\($0)" }
        }
    }

    public func planningRate(year: Int) -> FeeRate? {
        years[year]?.planningRate
    }

    /// The rate of a debrief in `year`; nil: the county does not pay for debriefs.
    public func debriefRate(year: Int) -> FeeRate? {
        years[year]?.debriefRate
    }

    public func kilometreRate(year: Int) -> Money {
        years[year]?.kilometreRate ?? .zero
    }

    /// Reads the file; every problem is reported with its line, and a year must price every task type.
    public static func load(file: URL) throws -> FeeSchedule {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read the fee rates: \(error.localizedDescription)", file: file.path)
        }
        return try load(text: text, file: file.path)
    }

    public static func load(text: String, file: String) throws -> FeeSchedule {
        let diagnostics = Diagnostics()
        guard let root = YAMLValue.parse(text, file: file, diagnostics: diagnostics),
            let map = root.mapping("the fee rates", allowedKeys: ["years"]),
            let yearsMap = map.required("years")?.mapping("years")
        else {
            throw ConfigErrors(diagnostics.errors)
        }
        var years: [Int: Year] = [:]
        let keys = Set(TaskType.allCases.map(\.rawValue) + ["kilometre_rate", "planning", "debrief", "tasks"])
        for (key, value, _) in yearsMap.entries {
            guard let year = Int(key), (2000...2200).contains(year) else {
                value.error("'\(key)' is not a year")
                continue
            }
            guard let section = value.mapping("years.\(year)", allowedKeys: keys) else { continue }
            var rates: [TaskType: FeeRate] = [:]
            var planning: FeeRate?
            var debrief: FeeRate?
            // Every task type is required; `planning` (a group's planning time) and `debrief`
            // (a debrief after the work) are optional.
            for key in TaskType.allCases.map(\.rawValue) + ["planning", "debrief"] {
                let type = TaskType(rawValue: key)
                let value = type == nil ? section.optional(key) : section.required(key)
                guard let value, let rate = readRate(value, "years.\(year).\(key)") else { continue }
                if let type { rates[type] = rate } else if key == "planning" { planning = rate } else { debrief = rate }
            }
            var taskRates: [String: FeeRate] = [:]
            for (id, value, _) in section.optional("tasks")?.mapping("years.\(year).tasks")?.entries ?? [] {
                guard TaskType(rawValue: id) == nil else {
                    value.error("years.\(year).tasks.\(id): the kind's rate is years.\(year).\(id)")
                    continue
                }
                if let rate = readRate(value, "years.\(year).tasks.\(id)") { taskRates[id] = rate }
            }
            var kilometre = Money.zero
            if let value = section.optional("kilometre_rate"), let text = value.string("years.\(year).kilometre_rate") {
                if let money = Money(parsing: text) {
                    kilometre = money
                } else {
                    value.error("years.\(year).kilometre_rate must be euros like 0.25, not '\(text)'")
                }
            }
            years[year] = Year(
                rates: rates, kilometreRate: kilometre, planningRate: planning, taskRates: taskRates, debriefRate: debrief)
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return FeeSchedule(years: years)
    }

    /// `{per: hour, euros: 20.00}`, its problems reported with their lines.
    private static func readRate(_ value: YAMLValue, _ what: String) -> FeeRate? {
        guard let entry = value.mapping(what, allowedKeys: ["per", "euros"]) else { return nil }
        let basisText = entry.required("per")?.string("\(what).per")
        let basis = basisText.flatMap(FeeRate.Basis.init(rawValue:))
        if basisText != nil, basis == nil {
            entry.required("per")?.error(
                "\(what).per must be one of \(FeeRate.Basis.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let euros = entry.required("euros").flatMap { value in
            value.string("\(what).euros").flatMap { text -> Money? in
                guard let money = Money(parsing: text) else {
                    value.error("\(what).euros must be an amount of euros like 20 or 20.50, not '\(text)'")
                    return nil
                }
                return money
            }
        }
        guard let basis, let euros else { return nil }
        return FeeRate(basis: basis, amount: euros)
    }
}
