import Foundation

/// The snapshot file. Format 3 (`KOKSNAP3`) is a head record and then the state's bulk items
/// in records of `itemsPerRecord`, each record framed and checksummed as in the journal:
///
///     KOKSNAP3 [head: {"format":3,"seq":…,"items":…,"state":{…}}] [items: [...]] …
///
/// Format 3 is format 2's layout with the state of the journal's format 2 (typed channel
/// memory): a new magic, so that an older release, which would skip the members it does not
/// know and lose the channels' memory without a word, refuses the file instead. `KOKSNAP2`
/// is still read (its channel keys are read into the typed memory).
///
/// It is written a record at a time and read as the journal is (`Journal.read`, a block at a
/// time): one whole JSON document of a large state needed the file, the decoder's tape and
/// the state in memory together (a peak of 388 MB for 100,000 orders). Item records are
/// decoded on all cores. Format 1 (`KOKSNAP1`, one document behind a checksum) is still read.
enum SnapshotFile {
    static let magicV1 = Array("KOKSNAP1".utf8)
    static let magicV2 = Array("KOKSNAP2".utf8)
    static let magicV3 = Array("KOKSNAP3".utf8)
    static let itemsPerRecord = 1_000

    private struct Head<State: JournaledState>: Codable {
        var format: Int
        var seq: UInt64
        var items: Int
        var state: State
    }

    /// Format 1: the whole state in one document.
    private struct Version1<State: JournaledState>: Codable {
        var format: Int
        var seq: UInt64
        var state: State
    }

    // MARK: Writing

    /// Writes the snapshot of `state` at `sequence` by atomic replace; returns its size.
    static func write<State: JournaledState>(_ state: State, sequence: UInt64, to path: String) throws -> Int {
        let (rest, items) = state.splitForSnapshot()
        let encoder = JournalEncoder(sortsKeys: true)
        var written = 0
        try DurableFile.replace(path) { output in
            func record(_ payload: Data) throws {
                let framed = Journal.encode(payload)
                try output(framed)
                written += framed.count
            }
            try output(Data(magicV3))
            written += magicV3.count
            let head: Data
            do {
                head = try encoder.encode(Head(format: 3, seq: sequence, items: items.count, state: rest))
            } catch {
                throw StoreError.encoding("\(error)", path: path)
            }
            try record(head)
            var start = 0
            while start < items.count {
                let end = min(start + itemsPerRecord, items.count)
                do {
                    try record(try encoder.encode(Array(items[start..<end])))
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw StoreError.encoding("\(error)", path: path)
                }
                start = end
            }
        }
        return written
    }

    // MARK: Reading

    /// The state and sequence in the snapshot at `path`, or nil when there is none.
    static func read<State: JournaledState>(_ type: State.Type, from path: String) throws -> (state: State, sequence: UInt64)? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let file = FileHandle(forReadingAtPath: path) else { throw StoreError.io("cannot open", path: path) }
        let magic = Array(file.readData(ofLength: magicV2.count))
        if magic == magicV1 {
            let rest = file.readDataToEndOfFile()
            try? file.close()
            return try readVersion1(State.self, rest, path: path)
        }
        try? file.close()
        guard magic == magicV2 || magic == magicV3 else { throw StoreError.corruptSnapshot(path: path, reason: "bad header") }
        // Framed as the journal is: read a block at a time, each block's item records decoded
        // on all cores. Unlike the journal, a snapshot is written whole or not at all, so a
        // record that does not check out anywhere is damage.
        var head: Head<State>?
        var state = State()
        var count = 0
        let recovery: Journal.Recovery?
        do {
            recovery = try Journal.read(path: path, magic: magic) { raw, records in
                var items = records[...]
                if head == nil, let first = items.popFirst() {
                    do {
                        head = try JournalDecoder.decodeFallingBack(
                            Head<State>.self,
                            from: UnsafeRawBufferPointer(rebasing: raw[first.payload]))
                    } catch {
                        throw StoreError.corruptSnapshot(path: path, reason: "cannot decode the head record: \(error)")
                    }
                    state = head!.state
                }
                guard let head else { return }
                for decoded in try decodeConcurrently([State.SnapshotItem].self, items, in: raw, path: path) {
                    count += decoded.count
                    state.insertSnapshotItems(decoded, total: head.items)
                }
            }
        } catch let error as StoreError {
            guard let offset = error.corruptOffset, let reason = error.corruptReason else { throw error }
            throw StoreError.corruptSnapshot(path: path, reason: "record at offset \(offset): \(reason)")
        }
        if let recovery, recovery.tornBytes > 0 {
            throw StoreError.corruptSnapshot(path: path, reason: "record at offset \(recovery.validLength) does not check out")
        }
        guard let head else { throw StoreError.corruptSnapshot(path: path, reason: "no head record") }
        guard count == head.items else {
            throw StoreError.corruptSnapshot(path: path, reason: "\(count) items, the head says \(head.items)")
        }
        return (state, head.seq)
    }

    private static func readVersion1<State: JournaledState>(
        _ type: State.Type, _ bytes: Data,
        path: String
    ) throws -> (state: State, sequence: UInt64) {
        guard bytes.count >= 12 else { throw StoreError.corruptSnapshot(path: path, reason: "bad header") }
        let crc = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) }
        let length = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt64.self)) }
        let payload = bytes.dropFirst(12)
        guard UInt64(payload.count) == length else {
            throw StoreError.corruptSnapshot(path: path, reason: "length \(payload.count), expected \(length)")
        }
        guard CRC32C.checksum(payload) == crc else { throw StoreError.corruptSnapshot(path: path, reason: "checksum") }
        do {
            let snapshot = try JournalDecoder.decodeFallingBack(Version1<State>.self, from: payload)
            return (snapshot.state, snapshot.seq)
        } catch {
            throw StoreError.corruptSnapshot(path: path, reason: "cannot decode: \(error)")
        }
    }

    private static func decodeConcurrently<T: Decodable>(
        _ type: T.Type, _ records: ArraySlice<Journal.Record>,
        in raw: UnsafeRawBufferPointer, path: String
    ) throws -> [T] {
        nonisolated(unsafe) let raw = raw
        return try Concurrently.map(count: records.count) { index in
            try JournalDecoder.decodeFallingBack(
                T.self,
                from: UnsafeRawBufferPointer(
                    rebasing: raw[records[records.startIndex + index].payload]))
        }.map { result in
            do {
                return try result.get()
            } catch {
                throw StoreError.corruptSnapshot(path: path, reason: "cannot decode an item record: \(error)")
            }
        }
    }
}
