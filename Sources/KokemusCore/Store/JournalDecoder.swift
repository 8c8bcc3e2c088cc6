import Foundation

/// Reads the JSON of journal records and snapshots into `Decodable` values, faster and with
/// less memory than Foundation's `JSONDecoder` (which took 78 % of a cold start, see
/// BENCHMARKS.md): one pass lays the document out as a flat tape of nodes pointing into the
/// bytes, and containers read their members from it without building dictionaries. It reads
/// what `JournalEncoder` and `JSONEncoder` write with default strategies: dates as seconds
/// since 2001, `Data` as base64. Coding paths are not tracked (they cost an allocation per
/// field): the store reads a record that this decoder refuses again with `JSONDecoder`,
/// whose error names the path.
public struct JournalDecoder {
    public init() {}

    /// Reads with `JournalDecoder`; should it refuse what Foundation accepts, Foundation's
    /// word counts (the files were written by both over time), and its error names the path.
    static func decodeFallingBack<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try data.withUnsafeBytes { raw in try decodeFallingBack(T.self, from: raw) }
    }

    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try data.withUnsafeBytes { raw in try decode(T.self, from: raw) }
    }

    /// Decodes from bytes in place (a record inside a whole journal file read at once).
    func decode<T: Decodable>(_ type: T.Type, from raw: UnsafeRawBufferPointer) throws -> T {
        try withTape(raw) { tape in try tape.decode(T.self, at: 0, path: []) }
    }

    /// The parsed document, for readers that walk it by hand.
    func withTape<R>(_ raw: UnsafeRawBufferPointer, _ body: (Tape) throws -> R) throws -> R {
        guard raw.count < Int(Int32.max) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: [], debugDescription: "a record over 2 GB"))
        }
        let buffer = raw.bindMemory(to: UInt8.self)
        var parser = TapeParser(bytes: buffer)
        try parser.parseDocument()
        return try body(Tape(bytes: buffer, nodes: parser.nodes))
    }

    /// A journal record, `{"seq":…,"events":[…]}`, with events that read themselves from the
    /// tape by hand (`JournalEventReading`); nil if the record is not of that plain form (then
    /// `Codable` reads it, and says what is wrong).
    func decodeRecord<Event: Decodable>(_ raw: UnsafeRawBufferPointer, events: Event.Type) -> (sequence: UInt64, events: [Event])? {
        guard let reading = Event.self as? any JournalEventReading.Type else { return nil }
        return try? withTape(raw) { tape -> (UInt64, [Event])? in
            guard tape.nodes[0].kind == .object, let sequence = tape.member(0, "seq"), let list = tape.member(0, "events"),
                tape.nodes[list].kind == .array
            else { return nil }
            return (
                try tape.integer(UInt64.self, at: sequence, path: []),
                try Self.read(reading, tape.elements(of: list), from: tape) as! [Event]
            )
        }
    }

    private static func read<Reading: JournalEventReading>(
        _ type: Reading.Type, _ elements: [Int],
        from tape: Tape
    ) throws -> [Reading] {
        try elements.map { index in try Reading.readJournal(tape, at: index) ?? tape.decode(Reading.self, at: index, path: []) }
    }

    /// The same from bytes in place; Foundation reads a copy.
    static func decodeFallingBack<T: Decodable>(_ type: T.Type, from raw: UnsafeRawBufferPointer) throws -> T {
        if let value = try? JournalDecoder().decode(T.self, from: raw) { return value }
        return try JSONDecoder().decode(T.self, from: Data(raw))
    }
}

/// One JSON value on the tape. Containers are followed by their members; `after` is the
/// index of the node after the whole value, so siblings can be skipped in one step.
struct TapeNode {
    enum Kind: UInt8 { case null, bool, number, string, escapedString, array, object }
    private var storedKind: Kind
    // 32-bit fields keep a node at 16 bytes: a snapshot has millions of them.
    private var storedStart: Int32
    private var storedEnd: Int32
    private var storedAfter: Int32

    init(kind: Kind, start: Int, end: Int, after: Int) {
        storedKind = kind
        storedStart = Int32(start)
        storedEnd = Int32(end)
        storedAfter = Int32(after)
    }

    var kind: Kind { storedKind }
    /// For scalars, the byte range (strings without their quotes); for containers, the member count.
    var start: Int {
        get { Int(storedStart) }
        set { storedStart = Int32(newValue) }
    }
    var end: Int { Int(storedEnd) }
    var after: Int {
        get { Int(storedAfter) }
        set { storedAfter = Int32(newValue) }
    }
}

struct TapeParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var nodes: [TapeNode] = []
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        nodes.reserveCapacity(bytes.count / 12)
    }

    mutating func parseDocument() throws {
        try parseValue()
        skipSpace()
        guard position == bytes.count else { throw error("trailing bytes") }
    }

    func error(_ what: String) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "\(what) at byte \(position)"))
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws {
        skipSpace()
        guard position < bytes.count else { throw error("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try parseContainer(object: true)
        case UInt8(ascii: "["): try parseContainer(object: false)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try literal("true", .bool)
        case UInt8(ascii: "f"): try literal("false", .bool)
        case UInt8(ascii: "n"): try literal("null", .null)
        default: try parseNumber()
        }
    }

    mutating func literal(_ word: StaticString, _ kind: TapeNode.Kind) throws {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count,
            memcmp(bytes.baseAddress! + position, word.utf8Start, length) == 0
        else { throw error("bad literal") }
        nodes.append(TapeNode(kind: kind, start: position, end: position + length, after: nodes.count + 1))
        position += length
    }

    mutating func parseNumber() throws {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                guard position > start else { throw error("unexpected character") }
                nodes.append(TapeNode(kind: .number, start: start, end: position, after: nodes.count + 1))
                return
            }
        }
        guard position > start else { throw error("unexpected end") }
        nodes.append(TapeNode(kind: .number, start: start, end: position, after: nodes.count + 1))
    }

    mutating func parseString() throws {
        position += 1
        let start = position
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                nodes.append(
                    TapeNode(
                        kind: escaped ? .escapedString : .string, start: start, end: position,
                        after: nodes.count + 1))
                position += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 2
                continue
            }
            if byte < 0x20 { throw error("control character in a string") }
            position += 1
        }
        throw error("unterminated string")
    }

    mutating func parseContainer(object: Bool) throws {
        depth += 1
        guard depth < 512 else { throw error("nesting too deep") }
        let index = nodes.count
        nodes.append(TapeNode(kind: object ? .object : .array, start: 0, end: 0, after: 0))
        position += 1
        var count = 0
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        skipSpace()
        if position < bytes.count, bytes[position] == close {
            position += 1
        } else {
            while true {
                if object {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    try parseString()
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    position += 1
                }
                try parseValue()
                count += 1
                skipSpace()
                guard position < bytes.count else { throw error("unexpected end") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == close {
                    position += 1
                    break
                } else {
                    throw error("expected ',' or a closing bracket")
                }
            }
        }
        nodes[index].start = count
        nodes[index].after = nodes.count
        depth -= 1
    }
}

/// Events that read their journal form from the tape by hand, bypassing `Codable`; nil when
/// an event is not one they know (then `Codable` reads it).
protocol JournalEventReading: Decodable {
    static func readJournal(_ tape: Tape, at index: Int) throws -> Self?
}

/// The parsed document and the decoding of its nodes.
struct Tape {
    let bytes: UnsafeBufferPointer<UInt8>
    let nodes: [TapeNode]

    /// The value of the object's member `key`, if it has one (a linear search: for records'
    /// small objects).
    func member(_ object: Int, _ key: String) -> Int? {
        var cursor = object + 1
        for _ in 0..<nodes[object].start {
            if keyMatches(cursor, key) { return cursor + 1 }
            cursor = nodes[cursor + 1].after
        }
        return nil
    }

    /// The value of an optional member: nil when absent or null, as `decodeIfPresent` reads it.
    func optionalMember(_ object: Int, _ key: String) -> Int? {
        member(object, key).flatMap { nodes[$0].kind == .null ? nil : $0 }
    }

    /// The node indices of an array's elements.
    func elements(of array: Int) -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(nodes[array].start)
        var cursor = array + 1
        for _ in 0..<nodes[array].start {
            indices.append(cursor)
            cursor = nodes[cursor].after
        }
        return indices
    }

    func double(at index: Int) throws -> Double {
        try number(Double.self, at: index, path: []) { Double($0) }
    }

    func mismatch(_ type: Any.Type, _ path: [any CodingKey], _ what: String = "") -> DecodingError {
        DecodingError.typeMismatch(type, DecodingError.Context(codingPath: path, debugDescription: "expected \(type) \(what)"))
    }

    func string(at index: Int, path: [any CodingKey]) throws -> String {
        let node = nodes[index]
        switch node.kind {
        case .string:
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[node.start..<node.end]), as: UTF8.self)
        case .escapedString:
            return try unescape(node.start, node.end, path: path)
        default:
            throw mismatch(String.self, path)
        }
    }

    /// The raw bytes of a key, for comparing without making a String (keys are not escaped).
    func keyMatches(_ index: Int, _ key: String) -> Bool {
        let node = nodes[index]
        guard node.kind == .string else { return (try? string(at: index, path: [])) == key }
        var key = key
        return key.withUTF8 { utf8 in
            utf8.count == node.end - node.start && memcmp(utf8.baseAddress!, bytes.baseAddress! + node.start, utf8.count) == 0
        }
    }

    func unescape(_ start: Int, _ end: Int, path: [any CodingKey]) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var index = start
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= end else { throw mismatch(String.self, path, "(bad \\u escape)") }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = bytes[at + offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw mismatch(String.self, path, "(bad \\u escape)")
                }
                value = value << 4 | digit
            }
            return value
        }
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < end else {
                out.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= end, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = try hex4(index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(character)).utf8))
            default: out.append(escape)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func number<N>(_ type: N.Type, at index: Int, path: [any CodingKey], _ make: (String) -> N?) throws -> N {
        let node = nodes[index]
        guard node.kind == .number,
            let value = make(String(decoding: UnsafeBufferPointer(rebasing: bytes[node.start..<node.end]), as: UTF8.self))
        else { throw mismatch(N.self, path) }
        return value
    }

    func integer<N: FixedWidthInteger>(_ type: N.Type, at index: Int, path: [any CodingKey]) throws -> N {
        let node = nodes[index]
        guard node.kind == .number else { throw mismatch(N.self, path) }
        // Plain digits without a String; anything else (1.0, 1e3) through Double.
        var value: N = 0
        var negative = false
        var position = node.start
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var plain = position < node.end
        while position < node.end {
            let byte = bytes[position]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                plain = false
                break
            }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let digit = N(byte - UInt8(ascii: "0"))
            let (next, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { throw mismatch(N.self, path, "(out of range)") }
            value = next
            position += 1
        }
        if plain { return value }
        let double = try number(Double.self, at: index, path: path) { Double($0) }
        guard let exact = N(exactly: double) else { throw mismatch(N.self, path, "(not an integer)") }
        return exact
    }

    func decode<T: Decodable>(_ type: T.Type, at index: Int, path: [any CodingKey]) throws -> T {
        if T.self == String.self { return try string(at: index, path: path) as! T }
        if T.self == Int.self { return try integer(Int.self, at: index, path: path) as! T }
        if T.self == UInt64.self { return try integer(UInt64.self, at: index, path: path) as! T }
        if T.self == Double.self { return try number(Double.self, at: index, path: path) { Double($0) } as! T }
        if T.self == Bool.self { return try bool(at: index, path: path) as! T }
        if T.self == Date.self {
            return Date(timeIntervalSinceReferenceDate: try number(Double.self, at: index, path: path) { Double($0) }) as! T
        }
        if T.self == Data.self {
            guard let data = Data(base64Encoded: try string(at: index, path: path)) else { throw mismatch(Data.self, path) }
            return data as! T
        }
        if T.self == URL.self {
            guard let url = URL(string: try string(at: index, path: path)) else { throw mismatch(URL.self, path) }
            return url as! T
        }
        return try T(from: TapeDecoder(tape: self, index: index, codingPath: path))
    }

    func bool(at index: Int, path: [any CodingKey]) throws -> Bool {
        let node = nodes[index]
        guard node.kind == .bool else { throw mismatch(Bool.self, path) }
        return bytes[node.start] == UInt8(ascii: "t")
    }
}

private struct TapeDecoder: Decoder {
    let tape: Tape
    let index: Int
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.nodes[index].kind == .object else { throw tape.mismatch([String: Any].self, codingPath) }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(tape: tape, index: index, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.nodes[index].kind == .array else { throw tape.mismatch([Any].self, codingPath) }
        return TapeUnkeyedContainer(tape: tape, index: index, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TapeSingleContainer(tape: tape, index: index, codingPath: codingPath)
    }
}

private struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let tape: Tape
    var codingPath: [any CodingKey]
    /// Node indices of each member's key and value, in order.
    let members: [(key: Int, value: Int)]
    /// For large objects (a dictionary of orders), the members by key: a linear search per
    /// key would make reading a dictionary quadratic.
    let index: [String: Int]?

    init(tape: Tape, index: Int, codingPath: [any CodingKey]) {
        self.tape = tape
        self.codingPath = codingPath
        var members: [(key: Int, value: Int)] = []
        members.reserveCapacity(tape.nodes[index].start)
        var cursor = index + 1
        for _ in 0..<tape.nodes[index].start {
            let value = cursor + 1
            members.append((cursor, value))
            cursor = tape.nodes[value].after
        }
        self.members = members
        if members.count > 16 {
            var byKey: [String: Int] = [:]
            byKey.reserveCapacity(members.count)
            for member in members {
                if let key = try? tape.string(at: member.key, path: codingPath), byKey[key] == nil { byKey[key] = member.value }
            }
            self.index = byKey
        } else {
            self.index = nil
        }
    }

    var allKeys: [Key] {
        members.compactMap { (try? tape.string(at: $0.key, path: codingPath)).flatMap(Key.init(stringValue:)) }
    }

    private func value(_ key: Key) -> Int? {
        let name = key.stringValue
        if let index { return index[name] }
        return members.first { tape.keyMatches($0.key, name) }?.value
    }

    private func required(_ key: Key) throws -> Int {
        guard let index = value(key) else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        return index
    }

    func contains(_ key: Key) -> Bool { value(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let index = value(key) else { return true }
        return tape.nodes[index].kind == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try tape.decode(T.self, at: try required(key), path: codingPath)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = value(key), tape.nodes[index].kind != .null else { return nil }
        return try tape.decode(T.self, at: index, path: codingPath)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(tape: tape, index: try required(key), codingPath: codingPath).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(tape: tape, index: try required(key), codingPath: codingPath).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TapeDecoder(tape: tape, index: try required(Key(stringValue: "super")!), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TapeDecoder(tape: tape, index: try required(key), codingPath: codingPath)
    }
}

private struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let tape: Tape
    var codingPath: [any CodingKey]
    let count: Int?
    var currentIndex = 0
    private var cursor: Int

    init(tape: Tape, index: Int, codingPath: [any CodingKey]) {
        self.tape = tape
        self.codingPath = codingPath
        count = tape.nodes[index].start
        cursor = index + 1
    }

    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    private mutating func next() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "array at its end"))
        }
        let index = cursor
        cursor = tape.nodes[index].after
        currentIndex += 1
        return index
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, tape.nodes[cursor].kind == .null else { return false }
        _ = try next()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let index = try next()
        return try tape.decode(T.self, at: index, path: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(tape: tape, index: try next(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(tape: tape, index: try next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        TapeDecoder(tape: tape, index: try next(), codingPath: codingPath)
    }
}

private struct TapeSingleContainer: SingleValueDecodingContainer {
    let tape: Tape
    let index: Int
    var codingPath: [any CodingKey]

    func decodeNil() -> Bool { tape.nodes[index].kind == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try tape.decode(T.self, at: index, path: codingPath)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try tape.bool(at: index, path: codingPath) }
    func decode(_ type: String.Type) throws -> String { try tape.string(at: index, path: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try tape.number(Double.self, at: index, path: codingPath) { Double($0) } }
    func decode(_ type: Float.Type) throws -> Float { try tape.number(Float.self, at: index, path: codingPath) { Float($0) } }
    func decode(_ type: Int.Type) throws -> Int { try tape.integer(Int.self, at: index, path: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try tape.integer(Int8.self, at: index, path: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try tape.integer(Int16.self, at: index, path: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try tape.integer(Int32.self, at: index, path: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try tape.integer(Int64.self, at: index, path: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try tape.integer(UInt.self, at: index, path: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try tape.integer(UInt8.self, at: index, path: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try tape.integer(UInt16.self, at: index, path: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try tape.integer(UInt32.self, at: index, path: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try tape.integer(UInt64.self, at: index, path: codingPath) }
}
