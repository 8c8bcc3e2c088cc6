import Foundation

/// Encodes `Encodable` values as JSON straight into bytes, for journal records on the hot
/// path: Foundation's `JSONEncoder` builds a tree of boxed values first and took half of the
/// time of handling a message (see BENCHMARKS.md). The output is plain JSON that
/// `JSONDecoder` reads with its default strategies: dates as seconds since 2001 (what
/// `Date.encode(to:)` writes), `Data` as base64, keys unsorted, slashes unescaped.
///
/// Containers are closed lazily: synthesized `encode(to:)` uses containers strictly nested
/// (a child's value is complete before its parent writes the next key), so a container is
/// closed when its parent writes again or the encoding ends.
/// Events that write their journal form by hand, bypassing `Codable` (same bytes).
protocol JournalEventWriting {
    /// Writes `events` as the members of the array open at `level - 1`.
    static func writeJournal(_ events: [Self], to writer: JSONByteWriter, level: Int) throws
}

public struct JournalEncoder {
    /// Writes every object's members in the order of their keys (by Unicode scalars), so that
    /// equal values give equal bytes whatever order their dictionaries hold (a `Set` is still
    /// an array in its own order): for snapshots.
    public var sortsKeys: Bool

    public init(sortsKeys: Bool = false) {
        self.sortsKeys = sortsKeys
    }

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let writer = JSONByteWriter(sortsKeys: sortsKeys)
        try writer.encodeValue(value, level: 0)
        writer.close(downTo: 0)
        return Data(writer.bytes)
    }

    /// A journal record, `{"seq":…,"events":[…]}`: as the encoding of a struct with those two
    /// members, with events that can be written by hand (`JournalEventWriting`) so written.
    func encodeRecord<Event: Encodable>(sequence: UInt64, events: [Event]) throws -> Data {
        let writer = JSONByteWriter(sortsKeys: sortsKeys)
        writer.open(.object, level: 0)
        writer.member("seq", of: 1)
        writer.writeRaw(String(sequence))
        writer.member("events", of: 1)
        if let writing = Event.self as? any JournalEventWriting.Type {
            writer.open(.array, level: 1)
            try Self.write(events, as: writing, to: writer)
        } else {
            try writer.encodeValue(events, level: 1)
        }
        writer.close(downTo: 0)
        return Data(writer.bytes)
    }

    private static func write<Writing: JournalEventWriting>(
        _ events: Any, as type: Writing.Type,
        to writer: JSONByteWriter
    ) throws {
        try Writing.writeJournal(events as! [Writing], to: writer, level: 2)
    }
}

final class JSONByteWriter {
    enum Kind { case object, array }
    struct Frame {
        var kind: Kind
        var count: Int
        /// With sorted keys: each member's key and where it starts.
        var members: [(key: String, start: Int)] = []
    }

    var bytes: [UInt8] = []
    var stack: [Frame] = []
    var codingPath: [any CodingKey] = []
    let sortsKeys: Bool

    init(sortsKeys: Bool = false) {
        self.sortsKeys = sortsKeys
        bytes.reserveCapacity(512)
    }

    /// Closes the containers deeper than `level` (the number of containers that stay open).
    func close(downTo level: Int) {
        while stack.count > level {
            let frame = stack.removeLast()
            if frame.kind == .object, frame.members.count > 1 { sortMembers(frame.members) }
            bytes.append(frame.kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Rewrites an object's members, which run from the first start to the end, in key order.
    /// Members nested deeper were sorted when their own object closed.
    private func sortMembers(_ members: [(key: String, start: Int)]) {
        let order = members.indices.sorted { members[$0].key.unicodeScalars.lexicographicallyPrecedes(members[$1].key.unicodeScalars) }
        guard order != Array(members.indices) else { return }
        let end = bytes.count
        // Each member ends where the comma before the next one is.
        func range(_ index: Int) -> Range<Int> {
            members[index].start..<(index + 1 < members.count ? members[index + 1].start - 1 : end)
        }
        var sorted: [UInt8] = []
        sorted.reserveCapacity(end - members[0].start)
        for (position, index) in order.enumerated() {
            if position > 0 { sorted.append(UInt8(ascii: ",")) }
            sorted.append(contentsOf: bytes[range(index)])
        }
        bytes.replaceSubrange(members[0].start..<end, with: sorted)
    }

    func open(_ kind: Kind, level: Int) {
        close(downTo: level)
        bytes.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        stack.append(Frame(kind: kind, count: 0))
    }

    /// Before a member of the container at `level - 1`: closes deeper ones, writes the comma.
    func beginMember(of level: Int) {
        close(downTo: level)
        if stack[level - 1].count > 0 { bytes.append(UInt8(ascii: ",")) }
        stack[level - 1].count += 1
    }

    /// Before the member `key` of the object at `level - 1`.
    func member(_ key: String, of level: Int) {
        beginMember(of: level)
        writeKey(key)
    }

    func writeKey(_ key: String) {
        if sortsKeys { stack[stack.count - 1].members.append((key, bytes.count)) }
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func writeString(_ string: String) {
        let utf8 = string.utf8
        // Most text needs no escaping: then it goes in with one append.
        let plain =
            utf8.withContiguousStorageIfAvailable { buffer in
                !buffer.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
            } ?? false
        if plain {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(utf8.count + 8)
        let hex = Array("0123456789abcdef".utf8)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
                    hex[Int(byte & 0xF)],
                ]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: out)
    }

    func writeRaw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    func writeDouble(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "\(value) is not valid JSON"))
        }
        writeRaw(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)")
    }

    /// Writes one value whose container, if any, opens at `level`.
    func encodeValue<T: Encodable>(_ value: T, level: Int) throws {
        // Type checks, not casts: a cast of every value cost as much as writing it.
        if T.self == String.self { return writeString(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return writeRaw(String(unsafeBitCast(value, to: Int.self))) }
        if T.self == UInt64.self { return writeRaw(String(unsafeBitCast(value, to: UInt64.self))) }
        if T.self == Double.self { return try writeDouble(unsafeBitCast(value, to: Double.self)) }
        if T.self == Bool.self { return writeRaw(unsafeBitCast(value, to: Bool.self) ? "true" : "false") }
        if T.self == Data.self { return writeString((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return writeString((value as! URL).absoluteString) }
        let start = bytes.count
        let depth = stack.count
        try value.encode(to: ByteEncoder(writer: self, level: level, codingPath: codingPath))
        // A value that wrote nothing at all is an empty object, as JSONEncoder writes it.
        if bytes.count == start, stack.count == depth { bytes.append(contentsOf: Array("{}".utf8)) }
    }
}

private struct ByteEncoder: Encoder {
    let writer: JSONByteWriter
    /// How many containers are open above this value.
    let level: Int
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.open(.object, level: level)
        return KeyedEncodingContainer(KeyedByteContainer<Key>(writer: writer, level: level + 1, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.open(.array, level: level)
        return UnkeyedByteContainer(writer: writer, level: level + 1, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleByteContainer(writer: writer, level: level, codingPath: codingPath)
    }
}

private struct KeyedByteContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    /// The number of open containers counting this one.
    let level: Int
    var codingPath: [any CodingKey]

    private func member(_ key: Key) {
        writer.beginMember(of: level)
        writer.writeKey(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws {
        member(key)
        writer.writeRaw("null")
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        member(key)
        writer.writeRaw(value ? "true" : "false")
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        member(key)
        writer.writeString(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        member(key)
        try writer.writeDouble(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        member(key)
        try writer.writeDouble(Double(value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        member(key)
        writer.writeRaw(String(value))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        member(key)
        try writer.encodeValue(value, level: level)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        member(key)
        writer.open(.object, level: level)
        return KeyedEncodingContainer(
            KeyedByteContainer<NestedKey>(
                writer: writer, level: level + 1,
                codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        member(key)
        writer.open(.array, level: level)
        return UnkeyedByteContainer(writer: writer, level: level + 1, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        writer.beginMember(of: level)
        writer.writeKey("super")
        return ByteEncoder(writer: writer, level: level, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        member(key)
        return ByteEncoder(writer: writer, level: level, codingPath: codingPath + [key])
    }
}

private struct UnkeyedByteContainer: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let level: Int
    var codingPath: [any CodingKey]
    var count: Int { writer.stack.count >= level ? writer.stack[level - 1].count : 0 }

    private func member() { writer.beginMember(of: level) }

    mutating func encodeNil() throws {
        member()
        writer.writeRaw("null")
    }
    mutating func encode(_ value: Bool) throws {
        member()
        writer.writeRaw(value ? "true" : "false")
    }
    mutating func encode(_ value: String) throws {
        member()
        writer.writeString(value)
    }
    mutating func encode(_ value: Double) throws {
        member()
        try writer.writeDouble(value)
    }
    mutating func encode(_ value: Float) throws {
        member()
        try writer.writeDouble(Double(value))
    }
    mutating func encode(_ value: Int) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int8) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int16) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int32) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int64) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt8) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt16) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt32) throws {
        member()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt64) throws {
        member()
        writer.writeRaw(String(value))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        member()
        try writer.encodeValue(value, level: level)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        member()
        writer.open(.object, level: level)
        return KeyedEncodingContainer(KeyedByteContainer<NestedKey>(writer: writer, level: level + 1, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        member()
        writer.open(.array, level: level)
        return UnkeyedByteContainer(writer: writer, level: level + 1, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        member()
        return ByteEncoder(writer: writer, level: level, codingPath: codingPath)
    }
}

private struct SingleByteContainer: SingleValueEncodingContainer {
    let writer: JSONByteWriter
    let level: Int
    var codingPath: [any CodingKey]

    private func prepare() { writer.close(downTo: level) }

    mutating func encodeNil() throws {
        prepare()
        writer.writeRaw("null")
    }
    mutating func encode(_ value: Bool) throws {
        prepare()
        writer.writeRaw(value ? "true" : "false")
    }
    mutating func encode(_ value: String) throws {
        prepare()
        writer.writeString(value)
    }
    mutating func encode(_ value: Double) throws {
        prepare()
        try writer.writeDouble(value)
    }
    mutating func encode(_ value: Float) throws {
        prepare()
        try writer.writeDouble(Double(value))
    }
    mutating func encode(_ value: Int) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int8) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int16) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int32) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: Int64) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt8) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt16) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt32) throws {
        prepare()
        writer.writeRaw(String(value))
    }
    mutating func encode(_ value: UInt64) throws {
        prepare()
        writer.writeRaw(String(value))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        prepare()
        try writer.encodeValue(value, level: level)
    }
}
