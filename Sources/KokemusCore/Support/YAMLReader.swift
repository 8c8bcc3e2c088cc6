import Foundation
import Yams

/// Collects every problem found while reading YAML files, so one run reports them all.
final class Diagnostics {
    private(set) var errors: [ConfigError] = []

    func error(_ message: String, file: String, line: Int?) {
        errors.append(ConfigError(message, file: file, line: line))
    }
}

/// One YAML node with the file it came from, for reading with `FILE:LINE` errors.
struct YAMLValue {
    let node: Node
    let file: String
    let diagnostics: Diagnostics

    var line: Int? { node.mark?.line }

    /// Parses a whole file; a syntax error is reported with its line and gives nil.
    static func parse(_ text: String, file: String, diagnostics: Diagnostics) -> YAMLValue? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                diagnostics.error("the file is empty", file: file, line: 1)
                return nil
            }
            return YAMLValue(node: node, file: file, diagnostics: diagnostics)
        } catch let error as YamlError {
            let (line, problem) = Self.describe(error)
            diagnostics.error("invalid YAML: \(problem)", file: file, line: line)
            return nil
        } catch {
            diagnostics.error("invalid YAML: \(error)", file: file, line: 1)
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> (Int, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let context = context.map { "\($0.text) " } ?? ""
            return (mark.line, "\(context)\(problem)".trimmingCharacters(in: .whitespaces))
        case .reader(let problem, _, _, _):
            return (1, problem)
        default:
            return (1, "\(error)")
        }
    }

    func error(_ message: String) {
        diagnostics.error(message, file: file, line: line)
    }

    /// This node as a mapping; keys outside `allowedKeys` are reported as likely typos.
    func mapping(_ what: String, allowedKeys: Set<String>? = nil) -> YAMLMap? {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping (key: value)")
            return nil
        }
        var entries: [(String, YAMLValue, Int?)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            let keyLine = key.mark?.line
            guard let name = key.string else {
                diagnostics.error("\(what) has a key that is not text", file: file, line: keyLine)
                continue
            }
            if !seen.insert(name).inserted {
                diagnostics.error("\(what) has the key '\(name)' twice", file: file, line: keyLine)
                continue
            }
            if let allowedKeys, !allowedKeys.contains(name) {
                let known = allowedKeys.sorted().joined(separator: ", ")
                diagnostics.error("unknown key '\(name)' in \(what) (known keys: \(known))", file: file, line: keyLine)
                continue
            }
            entries.append((name, YAMLValue(node: value, file: file, diagnostics: diagnostics), keyLine))
        }
        return YAMLMap(owner: self, what: what, entries: entries)
    }

    func sequence(_ what: String) -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            error("\(what) must be a list")
            return nil
        }
        return sequence.map { YAMLValue(node: $0, file: file, diagnostics: diagnostics) }
    }

    func string(_ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(what) must be a plain value, not a list or mapping")
            return nil
        }
        return scalar.string
    }

    /// A non-empty identifier of letters, digits, `_`, `-` and `.`.
    func identifier(_ what: String) -> String? {
        guard let text = string(what) else { return nil }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-."))
        guard !text.isEmpty, text.unicodeScalars.allSatisfy(allowed.contains) else {
            error("\(what) '\(text)' must be letters, digits, '_', '-' or '.'")
            return nil
        }
        return text
    }

    func int(_ what: String) -> Int? {
        guard let text = string(what) else { return nil }
        guard let value = Int(text) else {
            error("\(what) must be a whole number, not '\(text)'")
            return nil
        }
        return value
    }

    func bool(_ what: String) -> Bool? {
        guard let text = string(what) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("\(what) must be true or false, not '\(text)'")
            return nil
        }
    }

    /// A single value or a list of values.
    func stringList(_ what: String) -> [String]? {
        if case .scalar = node { return string(what).map { [$0] } }
        guard let items = sequence(what) else { return nil }
        return items.compactMap { $0.string(what) }
    }

    /// `{fi: …, sv: …, en: …}`; every language must be there.
    func localizedText(_ what: String) -> LocalizedText? {
        guard let map = mapping(what, allowedKeys: Set(Language.allCases.map(\.rawValue))) else { return nil }
        var texts: [Language: String] = [:]
        for language in Language.allCases {
            if let value = map.optional(language.rawValue)?.string("\(what) (\(language.rawValue))") {
                texts[language] = value
            }
        }
        let text = LocalizedText(texts)
        let missing = text.missingLanguages
        if !missing.isEmpty {
            error("\(what) lacks a translation: \(missing.map(\.rawValue).joined(separator: ", "))")
        }
        return text
    }

    /// A duration such as `24h`, `90m`, `2d` or `1h30m`, in seconds.
    func duration(_ what: String) -> TimeInterval? {
        guard let text = string(what) else { return nil }
        guard let seconds = Self.parseDuration(text) else {
            error("\(what) must be a duration like 30m, 24h or 2d, not '\(text)'")
            return nil
        }
        return seconds
    }

    static func parseDuration(_ text: String) -> TimeInterval? {
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for character in text.replacingOccurrences(of: " ", with: "") {
            if character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "d": total += value * 86_400
            case "h": total += value * 3_600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total > 0 else { return nil }
        return total
    }
}

/// The entries of one YAML mapping, read by key.
struct YAMLMap {
    let owner: YAMLValue
    let what: String
    let entries: [(String, YAMLValue, Int?)]

    var keys: [String] { entries.map(\.0) }

    func optional(_ key: String) -> YAMLValue? {
        entries.first { $0.0 == key }?.1
    }

    /// The value for `key`, or an error at the mapping's line if it is missing.
    func required(_ key: String) -> YAMLValue? {
        guard let value = optional(key) else {
            owner.error("\(what) needs '\(key)'")
            return nil
        }
        return value
    }

    func line(of key: String) -> Int? {
        entries.first { $0.0 == key }?.2
    }
}
