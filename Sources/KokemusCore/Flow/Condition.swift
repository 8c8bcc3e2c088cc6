/// A simple test on slots, as written after `if:` in a flow: `task_type == group`,
/// `sessions > 1`, `place is set`, joined by `and` or by `or` (not both in one condition).
public struct Condition: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Codable, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case less = "<"
        case greater = ">"
        case isSet = "is set"
        case isEmpty = "is empty"
    }

    public struct Clause: Codable, Sendable, Hashable {
        public var slot: String
        public var op: Operator
        public var value: String?
    }

    public enum Joiner: String, Codable, Sendable { case and, or }

    public var clauses: [Clause]
    public var joiner: Joiner
    public var source: String

    public var description: String { source }

    /// Parses the text of an `if:`; the error says what is wrong in words a flow author reads.
    public static func parse(_ text: String) -> Result<Condition, ConfigError> {
        let source = text.trimmingCharacters(in: .whitespaces)
        let hasAnd = source.range(of: " and ") != nil
        let hasOr = source.range(of: " or ") != nil
        if hasAnd && hasOr {
            return .failure(ConfigError("condition '\(source)' mixes 'and' and 'or'; split it into two steps"))
        }
        let joiner: Joiner = hasOr ? .or : .and
        var clauses: [Clause] = []
        for part in source.components(separatedBy: " \(joiner.rawValue) ") {
            switch parseClause(part.trimmingCharacters(in: .whitespaces)) {
            case .success(let clause): clauses.append(clause)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(Condition(clauses: clauses, joiner: joiner, source: source))
    }

    private static func parseClause(_ text: String) -> Result<Clause, ConfigError> {
        for op in [Operator.isSet, .isEmpty] where text.hasSuffix(" " + op.rawValue) {
            let slot = String(text.dropLast(op.rawValue.count + 1)).trimmingCharacters(in: .whitespaces)
            guard isIdentifier(slot) else { break }
            return .success(Clause(slot: slot, op: op, value: nil))
        }
        // Two-character operators first, so `<=` is not read as `<`.
        for op in [Operator.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater] {
            guard let range = text.range(of: op.rawValue) else { continue }
            let slot = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            var value = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == value.last, value.first == "'" || value.first == "\"" {
                value = String(value.dropFirst().dropLast())
            }
            guard isIdentifier(slot), !value.isEmpty else { break }
            if [.less, .greater, .lessOrEqual, .greaterOrEqual].contains(op), Int(value) == nil {
                return .failure(ConfigError("'\(text)': \(op.rawValue) compares with a whole number"))
            }
            return .success(Clause(slot: slot, op: op, value: value))
        }
        return .failure(
            ConfigError(
                "cannot read condition '\(text)'; write 'SLOT == VALUE', 'SLOT != VALUE', 'SLOT > NUMBER' or 'SLOT is set'"))
    }

    private static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Whether the condition holds for these slots.
    public func holds(for slots: [String: SlotValue]) -> Bool {
        let results = clauses.map { clause -> Bool in
            let value = slots[clause.slot]
            switch clause.op {
            case .isSet: return value != nil
            case .isEmpty: return value == nil
            case .equal: return value?.comparable == clause.value
            case .notEqual: return value?.comparable != clause.value
            case .less, .greater, .lessOrEqual, .greaterOrEqual:
                guard let number = value?.number, let limit = clause.value.flatMap({ Int($0) }) else { return false }
                switch clause.op {
                case .less: return number < limit
                case .greater: return number > limit
                case .lessOrEqual: return number <= limit
                default: return number >= limit
                }
            }
        }
        return joiner == .and ? results.allSatisfy { $0 } : results.contains(true)
    }
}
