import Foundation
import Testing

@testable import KokemusCore

/// Snapshots in pieces (format 2): orders in records of 1,000, read back on several cores;
/// the older one-document form (format 1) is still read.
@Suite struct SnapshotFileTests {
    typealias Store = StateStore<GatewayState>

    static func events(orders count: Int) -> [GatewayEvent] {
        let start = Date(timeIntervalSinceReferenceDate: 786_240_000)
        var events: [GatewayEvent] = (0..<count).map { index in
            let when = start + Double(index) * 1_800
            let order = Order(
                id: OrderID(year: 2026, number: index + 1), orderer: PersonID("e\(index % 7)"),
                unit: UnitID("unit-\(index % 3)"), taskType: .individual, topic: "mental_health",
                start: when, durationMinutes: 90,
                sessions: [Session(index: 1, start: when, durationMinutes: 90, status: .held)],
                place: .remote, language: .fi, audience: .client, description: GuardedText(stringLiteral: "Kuvaus \(index) \"ä\""),
                createdAt: when - 86_400)
            return .orderCreated(order, year: 2026, number: index + 1)
        }
        events += [.languageSet(person: "anna", language: .sv), .inputProcessed(id: "$a:localhost")]
        return events
    }

    static func state(orders count: Int) -> GatewayState {
        var state = GatewayState()
        for event in events(orders: count) { state.apply(event) }
        return state
    }

    /// Where each record of a format 2 file starts.
    static func recordOffsets(_ file: Data) -> [Int] {
        var offsets: [Int] = []
        var offset = 8
        while offset + Journal.headerBytes <= file.count {
            offsets.append(offset)
            let length = file.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) }
            offset += Journal.headerBytes + length
        }
        return offsets
    }

    func compacted(orders count: Int, in directory: URL) throws {
        let store = try Store(directory: directory, options: .init(snapshotEvery: 0), logger: quietLogger)
        try store.commit(Self.events(orders: count))
        try store.compact()
    }

    @Test func ordersAreWrittenInPiecesAndReadBackWhole() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let state = Self.state(orders: 2_500)
        try compacted(orders: 2_500, in: directory)
        let bytes = try Data(contentsOf: directory.appendingPathComponent("snapshot"))
        #expect(Array(bytes.prefix(8)) == Array("KOKSNAP3".utf8))
        // A head and three records of orders (1,000 + 1,000 + 500).
        #expect(Self.recordOffsets(bytes).count == 4)
        let reopened = try Store(directory: directory, logger: quietLogger)
        #expect(reopened.state == state)
        #expect(reopened.recovery.snapshotSequence == 1)
        // Two snapshots of one state are the same bytes.
        try reopened.compact()
        #expect(try Data(contentsOf: directory.appendingPathComponent("snapshot")) == bytes)
    }

    @Test func theOlderOneDocumentSnapshotIsStillRead() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let state = Self.state(orders: 30)
        struct Version1: Encodable {
            var format: Int
            var seq: UInt64
            var state: GatewayState
        }
        let payload = try JSONEncoder().encode(Version1(format: 1, seq: 9, state: state))
        var file = Data("KOKSNAP1".utf8)
        withUnsafeBytes(of: CRC32C.checksum(payload).littleEndian) { file.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(payload)
        try file.write(to: directory.appendingPathComponent("snapshot"))
        let store = try Store(directory: directory, logger: quietLogger)
        #expect(store.state == state)
        #expect(store.recovery.snapshotSequence == 9)
    }

    @Test func aMissingOrDamagedPieceStopsTheStartAndSaysWhere() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        try compacted(orders: 1_500, in: directory)
        let path = directory.appendingPathComponent("snapshot")
        let whole = try Data(contentsOf: path)
        // The last record (500 orders) cut off at a record boundary: the count tells.
        let lastStart = try #require(Self.recordOffsets(whole).last)
        try whole.prefix(lastStart).write(to: path)
        var error = #expect(throws: StoreError.self) { try Store(directory: directory, logger: quietLogger) }
        #expect(error?.description.contains("1000 items, the head says 1500") == true)
        // A flipped byte inside an order.
        var damaged = whole
        damaged[lastStart + 100] ^= 0x01
        try damaged.write(to: path)
        error = #expect(throws: StoreError.self) { try Store(directory: directory, logger: quietLogger) }
        #expect(error?.description.contains("offset \(lastStart) does not check out") == true)
    }
}
