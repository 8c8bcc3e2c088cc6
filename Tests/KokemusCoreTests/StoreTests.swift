import Foundation
import Testing

@testable import KokemusCore

/// A small state for exercising the store on its own.
struct NotesState: JournaledState, Hashable {
    enum Event: Codable, Sendable, Hashable {
        case set(key: String, value: String)
        case remove(key: String)
    }

    var notes: [String: String] = [:]

    mutating func apply(_ event: Event) {
        switch event {
        case .set(let key, let value): notes[key] = value
        case .remove(let key): notes[key] = nil
        }
    }
}

@Suite struct StoreTests {
    typealias Store = StateStore<NotesState>

    func open(_ directory: URL, snapshotEvery: Int = 0) throws -> Store {
        try Store(directory: directory, options: .init(snapshotEvery: snapshotEvery), logger: quietLogger)
    }

    func bytes(_ directory: URL, _ name: String) -> Data {
        FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) ?? Data()
    }

    func write(_ data: Data, _ directory: URL, _ name: String) {
        FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: data)
    }

    /// Three records, returning the state they make.
    func fill(_ store: Store) throws -> NotesState {
        try store.commit([.set(key: "a", value: "1")])
        try store.commit([.set(key: "b", value: "2"), .set(key: "c", value: "3")])
        try store.commit([.remove(key: "a")])
        return store.state
    }

    @Test func journalReplayRestoresTheState() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let expected: NotesState
        do {
            let store = try open(directory)
            expected = try fill(store)
        }
        let reopened = try open(directory)
        #expect(reopened.state == expected)
        #expect(reopened.state.notes == ["b": "2", "c": "3"])
        #expect(reopened.recovery.replayedRecords == 3)
        #expect(reopened.lastSequence == 3)
    }

    @Test func aLongJournalIsReplayedInOrderAcrossDecodingChunks() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let count = Store.replayChunk * 2 + 123
        let expected: NotesState
        do {
            let store = try open(directory)
            // Each record overwrites the same keys: only replay in order gives the last values.
            for index in 0..<count {
                try store.commit(
                    [.set(key: "last", value: "\(index)"), .set(key: "k\(index % 50)", value: "\(index)")],
                    durable: false)
            }
            expected = store.state
        }
        let reopened = try open(directory)
        #expect(reopened.state == expected)
        #expect(reopened.state.notes["last"] == "\(count - 1)")
        #expect(reopened.recovery.replayedRecords == count)
    }

    /// Payloads and the end as `Journal.read` finds them, reading `blockBytes` at a time.
    func journalRead(_ path: String, blockBytes: Int) throws -> (payloads: [Data], recovery: Journal.Recovery?) {
        var payloads: [Data] = []
        let recovery = try Journal.read(path: path, blockBytes: blockBytes) { raw, records in
            for record in records { payloads.append(Data(UnsafeRawBufferPointer(rebasing: raw[record.payload]))) }
        }
        return (payloads, recovery)
    }

    @Test func theJournalReadsTheSameWhereverItsBlocksEnd() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try open(directory)
            for index in 0..<40 { try store.commit([.set(key: "k\(index)", value: String(repeating: "x", count: index * 7))]) }
        }
        let path = directory.appendingPathComponent("journal").path
        let clean = bytes(directory, "journal")
        let whole = try journalRead(path, blockBytes: Journal.blockBytes)
        #expect(whole.payloads.count == 40 && whole.recovery?.tornBytes == 0)
        #expect(whole.recovery?.validLength == Int64(clean.count))
        for block in [1, 5, 8, 9, 37, 300] {
            let read = try journalRead(path, blockBytes: block)
            #expect(read.payloads == whole.payloads, "block \(block)")
            #expect(read.recovery?.validLength == whole.recovery?.validLength)
        }
        // A torn tail and damage in the middle are told apart at any block size.
        write(clean + Data(clean.suffix(30).prefix(20)), directory, "journal")
        for block in [1, 9, 64, Journal.blockBytes] {
            let torn = try journalRead(path, blockBytes: block)
            #expect(torn.payloads.count == 40 && torn.recovery?.tornBytes == 20, "block \(block)")
        }
        var damaged = clean
        damaged[clean.count / 2] ^= 0x40
        write(damaged, directory, "journal")
        for block in [1, 9, 64, Journal.blockBytes] {
            #expect(throws: StoreError.self, "block \(block)") { try journalRead(path, blockBytes: block) }
        }
        #expect(try Journal.read(path: directory.appendingPathComponent("none").path) { _, _ in } == nil)
    }

    @Test func aRecordThatChecksOutButCannotBeDecodedStopsTheStartWithItsOffset() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try open(directory)
            for index in 0..<100 { try store.commit([.set(key: "k", value: "\(index)")], durable: false) }
        }
        let offset = bytes(directory, "journal").count
        var journal = bytes(directory, "journal")
        journal.append(Journal.encode(Data(#"{"seq":101,"events":[{"unknownEvent":{}}]}"#.utf8)))
        journal.append(Journal.encode(Data(#"{"seq":102,"events":[]}"#.utf8)))
        write(journal, directory, "journal")
        let error = #expect(throws: StoreError.self) { try open(directory) }
        #expect(error?.description.contains("cannot be decoded") == true)
        #expect(error?.description.contains("\(offset)") == true)
    }

    @Test func snapshotPlusJournalEqualsTheStateBefore() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let expected: NotesState
        do {
            let store = try open(directory)
            _ = try fill(store)
            try store.compact()
            try store.commit([.set(key: "d", value: "4")])
            try store.commit([.set(key: "b", value: "20")])
            expected = store.state
        }
        let reopened = try open(directory)
        #expect(reopened.state == expected)
        #expect(reopened.recovery.snapshotSequence == 3)
        #expect(reopened.recovery.replayedRecords == 2)
        #expect(reopened.lastSequence == 5)
    }

    @Test func automaticSnapshotsKeepTheState() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        var expected = NotesState()
        do {
            let store = try open(directory, snapshotEvery: 4)
            for index in 0..<10 {
                try store.commit([.set(key: "k\(index % 3)", value: "\(index)")])
            }
            expected = store.state
        }
        let reopened = try open(directory)
        #expect(reopened.state == expected)
        #expect(reopened.recovery.snapshotSequence == 8)
        #expect(reopened.recovery.replayedRecords == 2)
    }

    @Test func aCrashBetweenSnapshotAndNewJournalLosesNothing() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let expected: NotesState
        let oldJournal: Data
        do {
            let store = try open(directory)
            expected = try fill(store)
            oldJournal = bytes(directory, "journal")
            try store.compact()
        }
        // As if the process died after the snapshot's rename but before the journal's.
        write(oldJournal, directory, "journal")
        let reopened = try open(directory)
        #expect(reopened.state == expected)
        #expect(reopened.recovery.replayedRecords == 0)
        try reopened.commit([.set(key: "e", value: "5")])
        #expect(reopened.lastSequence == 4)
    }

    @Test func tornTailIsCutAndSaidSo() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let expected: NotesState
        do {
            let store = try open(directory)
            expected = try fill(store)
        }
        let clean = bytes(directory, "journal")
        // Half of a fourth record: the process died in the middle of a write.
        let record = Journal.encode(Data(#"{"events":[{"set":{"key":"x","value":"y"}}],"seq":4}"#.utf8))
        write(clean + record.prefix(record.count / 2), directory, "journal")
        do {
            let log = CapturedLog()
            let reopened = try Store(directory: directory, options: .init(snapshotEvery: 0), logger: log.logger)
            #expect(
                log.entries.contains { entry in
                    entry.level == .warning && entry.message.contains("cut a torn last journal record")
                        && entry.message.contains("bytes=\(record.count / 2)") && entry.message.contains("offset=\(clean.count)")
                }, "\(log.entries)")
            #expect(reopened.state == expected)
            #expect(reopened.recovery.tornBytesCut == Int64(record.count / 2))
            #expect(bytes(directory, "journal") == clean)
            // New records go after the cut and load again.
            try reopened.commit([.set(key: "z", value: "26")])
        }
        let again = try open(directory)
        #expect(again.state.notes["z"] == "26")
        #expect(again.recovery.tornBytesCut == 0)
    }

    @Test func wholeLastRecordWithBadChecksumIsATornTail() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try open(directory)
            _ = try fill(store)
        }
        var journal = bytes(directory, "journal")
        journal[journal.count - 3] ^= 0xFF  // inside the last record's payload
        write(journal, directory, "journal")
        let reopened = try open(directory)
        #expect(reopened.state.notes == ["a": "1", "b": "2", "c": "3"])  // the removal of "a" was the torn one
        #expect(reopened.recovery.tornBytesCut > 0)
    }

    @Test func garbageAfterTheLastRecordIsCut() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let expected: NotesState
        do {
            let store = try open(directory)
            expected = try fill(store)
        }
        // A growing file may hold garbage where the unfinished write was going.
        write(bytes(directory, "journal") + Data((0..<300).map { UInt8(($0 * 37) % 251) }), directory, "journal")
        let reopened = try open(directory)
        #expect(reopened.state == expected)
        #expect(reopened.recovery.tornBytesCut == 300)
    }

    @Test func damagedMiddleRecordRefusesToStartWithItsOffset() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try open(directory)
            _ = try fill(store)
        }
        let journal = bytes(directory, "journal")
        var damaged = journal
        // The first record starts right after the 8-byte header; damage its payload.
        damaged[Journal.magic.count + Journal.headerBytes + 2] ^= 0x01
        write(damaged, directory, "journal")
        let error = #expect(throws: StoreError.self) { try open(directory) }
        #expect(error?.corruptOffset == Int64(Journal.magic.count))
        #expect(error?.description.contains("byte offset 8") == true)
        // Nothing was cut: the file is as it was, for a person to inspect.
        #expect(bytes(directory, "journal") == damaged)
    }

    @Test func damagedLengthInTheMiddleIsNotMistakenForATornTail() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try open(directory)
            _ = try fill(store)
        }
        var damaged = bytes(directory, "journal")
        // A huge length in the first record would reach past the end, like a torn write,
        // but valid records follow it.
        damaged[Journal.magic.count + 3] = 0x7F
        write(damaged, directory, "journal")
        let error = #expect(throws: StoreError.self) { try open(directory) }
        #expect(error?.corruptOffset == Int64(Journal.magic.count))
    }

    @Test func secondInstanceIsRefusedWhileTheFirstRuns() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        var first: Store? = try open(directory)
        let error = #expect(throws: StoreError.self) { try open(directory) }
        #expect(error?.isLocked == true)
        #expect(error?.description.contains("another kokemus process (process \(getpid()))") == true)
        _ = first
        first = nil
        #expect(throws: Never.self) { _ = try open(directory) }
    }

    @Test func filesArePrivate() throws {
        let directory = temporaryDirectory().appendingPathComponent("state")
        defer { cleanUp(directory.deletingLastPathComponent()) }
        let store = try open(directory)
        _ = try fill(store)
        try store.compact()
        func mode(_ path: String) throws -> Int {
            try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        #expect(try mode(directory.path) == 0o700)
        for name in ["journal", "snapshot", "lock"] {
            #expect(try mode(directory.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
    }

    @Test func staleTemporaryFilesAreRemoved() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do { _ = try open(directory) }
        write(Data("half a snapshot".utf8), directory, "snapshot.tmp")
        let reopened = try open(directory)
        #expect(reopened.recovery.staleTemporaryFiles == ["snapshot.tmp"])
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("snapshot.tmp").path))
    }

    @Test func damagedSnapshotRefusesToStart() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        do {
            let store = try open(directory)
            _ = try fill(store)
            try store.compact()
        }
        var snapshot = bytes(directory, "snapshot")
        snapshot[snapshot.count - 2] ^= 0x20
        write(snapshot, directory, "snapshot")
        let error = #expect(throws: StoreError.self) { try open(directory) }
        #expect(error?.description.contains("snapshot") == true)
    }

    @Test func compactionErasesRemovedDataFromEveryFile() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let secret = "Salainen Henkilö 040 123 4567"
        do {
            let store = try open(directory)
            try store.commit([.set(key: "keep", value: "public")])
            try store.commit([.set(key: "person", value: secret)])
            try store.compact()
            try store.commit([.set(key: "more", value: "x")])
            #expect(String(decoding: bytes(directory, "snapshot"), as: UTF8.self).contains(secret))
            // Erasure: remove from the state, then compact.
            try store.commit([.remove(key: "person")])
            try store.compact()
        }
        for name in (try FileManager.default.contentsOfDirectory(atPath: directory.path)) {
            let text = String(decoding: bytes(directory, name), as: UTF8.self)
            #expect(!text.contains(secret), "\(name) still holds the erased data")
        }
        let reopened = try open(directory)
        #expect(reopened.state.notes == ["keep": "public", "more": "x"])
    }
}
