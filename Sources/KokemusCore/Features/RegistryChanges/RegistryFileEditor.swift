import Foundation
import Yams

/// Writes a registry change into the registry's YAML text by changing only the values it is
/// about: a value is replaced where it stands, a missing key gets a line of its own beside its
/// siblings, a new expert is added after the last person. Comments, order and layout stay as
/// the county wrote them. What this cannot place safely (a value over several lines, a
/// `people:` list in flow style) is refused; and every result is loaded back and compared
/// with the change's meaning before it is written (`RegistryWriter`), so an edit that came
/// out wrong is never written.
struct RegistryFileEditor {
    /// The registry's files as (name, text), in the order the loader reads them.
    let sources: [(file: String, text: String)]
    /// The name of a file for new people when no file's `people:` list can be added to.
    static let newPeopleFile = "people-added.yaml"

    /// One file's new text (`isNew`: a file of its own for a new expert).
    struct Result {
        var file: String
        var text: String
        var isNew: Bool
    }

    func edit(_ change: RegistryChange) throws(RegistryChangeProblem) -> Result {
        switch change.edit {
        case .agreementUntil(let expert, let day), .agreementEnds(let expert, let day):
            let (index, person) = try find("people", id: expert.rawValue)
            var text = TextLines(sources[index].text)
            guard case .mapping(let profile)? = person["expert"] else { throw cannot(index, "the expert details are not a mapping") }
            try text.set(key: "agreement_valid_until", to: Self.scalar(day), in: profile)
            return Result(file: sources[index].file, text: text.joined, isNew: false)
        case .approver(let unit, let approver):
            let (index, entry) = try find("units", id: unit.rawValue)
            var text = TextLines(sources[index].text)
            try text.set(key: "approver", to: Self.scalar(approver.rawValue), in: entry)
            return Result(file: sources[index].file, text: text.joined, isNew: false)
        case .contact(let id, let channel, let address):
            let (index, person) = try find("people", id: id.rawValue)
            var text = TextLines(sources[index].text)
            let key = channel == .matrix ? "matrix" : "email"
            if case .mapping(let contacts)? = person["contacts"] {
                try text.set(key: key, to: Self.scalar(address), in: contacts)
            } else if person["contacts"] == nil {
                try text.set(key: "contacts", to: "{\(key): \(Self.scalar(address))}", in: person)
            } else {
                throw cannot(index, "contacts is not a mapping")
            }
            // Both edits are on lines of their own or within one line: the second is found
            // again in the text as the first left it.
            let reread = try Self.compose(text.joined, file: sources[index].file)
            guard let again = Self.entry(in: reread, "people", id: id.rawValue) else { throw cannot(index, "the entry moved") }
            var second = TextLines(text.joined)
            try second.set(key: "channel", to: channel.rawValue, in: again)
            return Result(file: sources[index].file, text: second.joined, isNew: false)
        case .addExpert(let new):
            return try add(new, by: change)
        }
    }

    // MARK: Finding entries

    private func find(_ list: String, id: String) throws(RegistryChangeProblem) -> (Int, Node.Mapping) {
        for (index, source) in sources.enumerated() {
            guard let root = try? Self.compose(source.text, file: source.file) else { continue }
            if let entry = Self.entry(in: root, list, id: id) { return (index, entry) }
        }
        throw .unknown(id)
    }

    static func entry(in root: Node, _ list: String, id: String) -> Node.Mapping? {
        guard case .sequence(let items)? = root[list] else { return nil }
        for item in items {
            if case .mapping(let mapping) = item, mapping["id"]?.string == id { return mapping }
        }
        return nil
    }

    static func compose(_ text: String, file: String) throws(RegistryChangeProblem) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw RegistryChangeProblem.files("\(file) is empty") }
            return node
        } catch let problem as RegistryChangeProblem {
            throw problem
        } catch {
            throw .files("\(file) is not valid YAML")
        }
    }

    private func cannot(_ index: Int, _ why: String) -> RegistryChangeProblem {
        .files("\(sources[index].file): \(why); change it by hand")
    }

    // MARK: A new expert

    /// After the last person of the file whose `people:` list ends it (`people.yaml` first),
    /// indented as its people are; without one, in a file of its own.
    private func add(_ new: NewExpert, by change: RegistryChange) throws(RegistryChangeProblem) -> Result {
        let candidates = sources.indices.sorted { a, b in
            (sources[a].file.hasSuffix("people.yaml") ? 0 : 1, a) < (sources[b].file.hasSuffix("people.yaml") ? 0 : 1, b)
        }
        for index in candidates {
            guard let root = try? Self.compose(sources[index].text, file: sources[index].file),
                case .mapping(let top) = root, Array(top.keys).last?.string == "people",
                case .sequence(let people)? = top["people"], case .mapping(let first)? = people.first, let mark = first.mark
            else { continue }
            let lines = TextLines(sources[index].text)
            // Yams does not keep a collection's style: the text at its start tells.
            guard lines.scalar(at: root.mark) != "{", lines.scalar(at: people.mark) != "[" else { continue }
            let before = lines.prefix(line: mark.line, column: mark.column)
            guard let dash = before.firstIndex(of: "-"), before.allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            // A document end (`...`) or a second document after the list: what is added at
            // the end would not be in the list, so the expert goes into a file of their own.
            guard !lines.hasDocumentMarker(after: mark.line) else { continue }
            var text = sources[index].text
            let newline = lines.newline
            if !(text.unicodeScalars.last.map { "\n\r\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) } ?? true) { text += newline }
            text += Self.block(new, change: change, dash: dash, key: mark.column - 1).replacingOccurrences(of: "\n", with: newline)
            return Result(file: sources[index].file, text: text, isNew: false)
        }
        let own = Self.newPeopleFile
        guard !sources.contains(where: { ($0.file as NSString).lastPathComponent == own }) else {
            throw .files("\(own) cannot be added to; add the expert by hand")
        }
        return Result(
            file: own,
            text: "# People added in chat by coordinators (kokemus: rekisteri lisää). Edit as any registry file.\npeople:\n"
                + Self.block(new, change: change, dash: 2, key: 4),
            isNew: true)
    }

    static func block(_ new: NewExpert, change: RegistryChange, dash: Int, key: Int) -> String {
        let pad = String(repeating: " ", count: key)
        let inner = String(repeating: " ", count: key + 2)
        let day = LocalTime.helsinki.day(of: change.at).iso
        var lines = [
            String(repeating: " ", count: dash) + "# Added in chat by \(change.by) on \(day) from application \(new.application).",
            String(repeating: " ", count: dash) + "-" + String(repeating: " ", count: max(1, key - dash - 1))
                + "id: \(scalar(new.id.rawValue))",
            pad + "name: \(scalar(new.name))",
            pad + "roles: [expert]",
            pad + "language: \(new.language.rawValue)",
            pad + "channel: \(new.channel.rawValue)",
            pad + "contacts: {\(new.channel == .matrix ? "matrix" : "email"): \(scalar(new.address))}",
            pad + "expert:",
            inner + "handle: \(scalar(new.handle))",
            inner + "topics: [\(new.topics.map(scalar).joined(separator: ", "))]",
            inner + "task_types: [\(new.taskTypes.map(\.rawValue).joined(separator: ", "))]",
            inner + "languages: [\(new.languages.map(\.rawValue).joined(separator: ", "))]",
            inner + "municipalities: [\(new.municipalities.map(scalar).joined(separator: ", "))]",
        ]
        if let training = new.training { lines.append(inner + "training: \(scalar(training))") }
        lines.append(inner + "agreement_valid_from: \(scalar(new.validFrom))")
        lines.append(inner + "agreement_valid_until: \(scalar(new.validUntil))")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Scalars

    /// A value as YAML: plain when it is a day or an id, else double-quoted with escapes (a
    /// name may hold any letter; a control or format character is written as an escape).
    static func scalar(_ value: String) -> String {
        let plain = value.unicodeScalars.first.map { CharacterSet.lowercaseLetters.contains($0) && $0.isASCII } ?? false
        if plain,
            value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) }
            ),
            !["yes", "no", "on", "off", "true", "false", "null", "y", "n"].contains(value)
        {
            return value
        }
        if LocalDateParsing.isoDay(value) != nil, value.count == 10 { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                    out += scalar.value > 0xFFFF ? String(format: "\\U%08X", scalar.value) : String(format: "\\u%04X", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A YAML text as lines of Unicode scalars (the columns libyaml counts), edited in place. Lines
/// end where libyaml's do (LF, CR LF, CR, NEL, U+2028, U+2029), each keeping its own ending,
/// so a mark's line is the line here; a new line takes the file's first ending. Every index
/// is checked: what does not fit is refused, never trapped on.
struct TextLines {
    private var lines: [[Unicode.Scalar]] = []
    private var endings: [String] = []

    init(_ text: String) {
        var line: [Unicode.Scalar] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\r":
                let both = index + 1 < scalars.count && scalars[index + 1] == "\n"
                lines.append(line)
                endings.append(both ? "\r\n" : "\r")
                line = []
                index += both ? 2 : 1
                continue
            case "\n", "\u{85}", "\u{2028}", "\u{2029}":
                lines.append(line)
                endings.append(String(scalar))
                line = []
            default:
                line.append(scalar)
            }
            index += 1
        }
        lines.append(line)
        endings.append("")
    }

    var joined: String {
        var text = String.UnicodeScalarView()
        for (line, ending) in zip(lines, endings) {
            text.append(contentsOf: line)
            text.append(contentsOf: ending.unicodeScalars)
        }
        return String(text)
    }

    /// Whether a line after the 1-based `line` is a document marker (`---` or `...` at its
    /// start, then nothing or white space), which ends what comes before it.
    func hasDocumentMarker(after line: Int) -> Bool {
        lines.dropFirst(max(0, line)).contains { scalars in
            guard scalars.count >= 3, scalars[0] == scalars[1], scalars[1] == scalars[2], scalars[0] == "-" || scalars[0] == "."
            else { return false }
            return scalars.count == 3 || scalars[3] == " " || scalars[3] == "\t"
        }
    }

    /// The ending new lines get: the file's first.
    var newline: String { endings.first { !$0.isEmpty } ?? "\n" }

    /// The scalars of a line before a 1-based column.
    func prefix(line: Int, column: Int) -> [Unicode.Scalar] {
        guard line >= 1, line <= lines.count else { return [] }
        return Array(lines[line - 1].prefix(max(0, column - 1)))
    }

    /// The scalar at a mark, if the mark is within the text.
    func scalar(at mark: Mark?) -> Unicode.Scalar? {
        guard let mark, mark.line >= 1, mark.line <= lines.count, mark.column >= 1, mark.column <= lines[mark.line - 1].count else {
            return nil
        }
        return lines[mark.line - 1][mark.column - 1]
    }

    /// Sets `key` in the mapping to `value` (YAML text): in place when the key is there, else
    /// as a new entry beside the others.
    mutating func set(key: String, to value: String, in mapping: Node.Mapping) throws(RegistryChangeProblem) {
        let cannot = RegistryChangeProblem.files("\(key) cannot be placed here; change it by hand")
        // A mapping starts at its `{` (flow) or its first key (block); an anchor or a tag
        // before it is a layout this does not place into.
        guard let opening = scalar(at: mapping.mark), !["&", "!", "*", "|", ">"].contains(opening) else { throw cannot }
        let flow = opening == "{"
        if let existing = mapping[key] {
            guard let (line, start, end) = extent(of: existing, flow: flow) else {
                throw .files("the value of \(key) is not one line; change it by hand")
            }
            lines[line - 1].replaceSubrange(start..<end, with: Array(value.unicodeScalars))
            return
        }
        if flow {
            guard let mark = mapping.mark else { throw cannot }
            if let firstKey = mapping.keys.first {
                guard let keyMark = firstKey.mark, scalar(at: keyMark) != nil else { throw cannot }
                lines[keyMark.line - 1].insert(contentsOf: Array("\(key): \(value), ".unicodeScalars), at: keyMark.column - 1)
            } else {
                // `{}`: after its opening brace.
                lines[mark.line - 1].insert(contentsOf: Array("\(key): \(value)".unicodeScalars), at: mark.column)
            }
            return
        }
        // A block mapping: a line of its own after a sibling whose value is one line beside it,
        // indented as that sibling.
        for (sibling, siblingValue) in mapping {
            guard let keyMark = sibling.mark, scalar(at: keyMark) != nil, let (line, _, _) = extent(of: siblingValue, flow: false),
                line == keyMark.line
            else { continue }
            let indent = String(repeating: " ", count: keyMark.column - 1)
            lines.insert(Array("\(indent)\(key): \(value)".unicodeScalars), at: line)
            // The new line ends as the sibling's did, and the sibling's line now ends.
            let ending = endings[line - 1]
            endings[line - 1] = ending.isEmpty ? newline : ending
            endings.insert(ending, at: line)
            return
        }
        throw cannot
    }

    /// Where a scalar written on one line stands: (line, first column index, end index).
    func extent(of node: Node, flow: Bool) -> (Int, Int, Int)? {
        guard case .scalar(let scalar) = node, let mark = scalar.mark, self.scalar(at: mark) != nil else { return nil }
        let line = lines[mark.line - 1]
        let start = mark.column - 1
        // The text tells the style (Yams' composer does not keep it).
        switch line[start] {
        case "|", ">", "&", "*", "!":
            // A block scalar, an anchor, an alias or a tag: not one plain line.
            return nil
        case "\"":
            var index = start + 1
            while index < line.count {
                if line[index] == "\\" {
                    index += 2
                    continue
                }
                if line[index] == "\"" { return (mark.line, start, index + 1) }
                index += 1
            }
            return nil
        case "'":
            var index = start + 1
            while index < line.count {
                if line[index] == "'" {
                    if index + 1 < line.count, line[index + 1] == "'" {
                        index += 2
                        continue
                    }
                    return (mark.line, start, index + 1)
                }
                index += 1
            }
            return nil
        default:
            var end = start
            while end < line.count {
                let character = line[end]
                if character == "#", end > start, line[end - 1] == " " || line[end - 1] == "\t" { break }
                if flow, character == "," || character == "}" || character == "]" { break }
                end += 1
            }
            while end > start, line[end - 1] == " " || line[end - 1] == "\t" { end -= 1 }
            // A plain value that goes on to the next line is found when the result is loaded back.
            return end > start ? (mark.line, start, end) : nil
        }
    }
}
