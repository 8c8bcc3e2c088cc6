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

        public init(rates: [TaskType: FeeRate], kilometreRate: Money, planningRate: FeeRate? = nil) {
            self.rates = rates
            self.kilometreRate = kilometreRate
            self.planningRate = planningRate
        }
    }

    public var years: [Int: Year]

    public init(years: [Int: Year] = [:]) {
        self.years = years
    }

    public func rate(for taskType: TaskType, year: Int) -> FeeRate? {
        years[year]?.rates[taskType]
    }

    public func planningRate(year: Int) -> FeeRate? {
        years[year]?.planningRate
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
        let keys = Set(TaskType.allCases.map(\.rawValue) + ["kilometre_rate", "planning"])
        for (key, value, _) in yearsMap.entries {
            guard let year = Int(key), (2000...2200).contains(year) else {
                value.error("'\(key)' is not a year")
                continue
            }
            guard let section = value.mapping("years.\(year)", allowedKeys: keys) else { continue }
            var rates: [TaskType: FeeRate] = [:]
            var planning: FeeRate?
            // Every task type is required; `planning` (a group's planning time) is optional.
            for key in TaskType.allCases.map(\.rawValue) + ["planning"] {
                let type = TaskType(rawValue: key)
                let what = "years.\(year).\(key)"
                let value = type == nil ? section.optional(key) : section.required(key)
                guard let entry = value?.mapping(what, allowedKeys: ["per", "euros"]) else { continue }
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
                if let basis, let euros {
                    if let type {
                        rates[type] = FeeRate(basis: basis, amount: euros)
                    } else {
                        planning = FeeRate(basis: basis, amount: euros)
                    }
                }
            }
            var kilometre = Money.zero
            if let value = section.optional("kilometre_rate"), let text = value.string("years.\(year).kilometre_rate") {
                if let money = Money(parsing: text) {
                    kilometre = money
                } else {
                    value.error("years.\(year).kilometre_rate must be euros like 0.25, not '\(text)'")
                }
            }
            years[year] = Year(rates: rates, kilometreRate: kilometre, planningRate: planning)
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return FeeSchedule(years: years)
    }
}
