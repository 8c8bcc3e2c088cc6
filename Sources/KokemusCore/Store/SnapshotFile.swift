import Foundation

/// The snapshot file. Format 2 (`KOKSNAP2`) is a head record and then the state's bulk items
/// in records of `itemsPerRecord`, each record framed and checksummed as in the journal:
///
///     KOKSNAP2 [head: {"format":2,"seq":…,"items":…,"state":{…}}] [items: [...]] …
///
/// It is written and read a record at a time: one whole JSON document of a large state
/// needed the file, the decoder's tape and the state in memory together (a peak of 388 MB
/// for 100,000 orders). Item records are decoded on all cores. Format 1 (`KOKSNAP1`, one
/// document behind a checksum) is still read.
enum SnapshotFile {
    static let magicV1 = Array("KOKSNAP1".utf8)
    static let magicV2 = Array("KOKSNAP2".utf8)
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
            try output(Data(magicV2))
            written += magicV2.count
            let head: Data
            do {
                head = try encoder.encode(Head(format: 2, seq: sequence, items: items.count, state: rest))
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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw StoreError.io("cannot open", path: path)
        }
        defer { close(descriptor) }
        let reader = RecordReader(descriptor: descriptor, path: path)
        let magic = Array(try reader.read(count: magicV2.count))
        if magic == magicV1 {
            return try readVersion1(State.self, reader: reader, path: path)
        }
        guard magic == magicV2 else { throw StoreError.corruptSnapshot(path: path, reason: "bad header") }
        guard let headRecord = try reader.nextRecord() else {
            throw StoreError.corruptSnapshot(path: path, reason: "no head record")
        }
        let head: Head<State>
        do {
            head = try JournalDecoder.decodeFallingBack(Head<State>.self, from: headRecord)
        } catch {
            throw StoreError.corruptSnapshot(path: path, reason: "cannot decode the head record: \(error)")
        }
        // Item records are decoded as many at a time as there are cores (up to 8).
        var state = head.state
        var count = 0
        var pending: [Data] = []
        func decodePending() throws {
            let decoded = try decodeConcurrently([State.SnapshotItem].self, pending, path: path)
            for items in decoded {
                count += items.count
                state.insertSnapshotItems(items, total: head.items)
            }
            pending.removeAll(keepingCapacity: true)
        }
        while let record = try reader.nextRecord() {
            pending.append(record)
            if pending.count == Concurrently.width { try decodePending() }
        }
        try decodePending()
        guard count == head.items else {
            throw StoreError.corruptSnapshot(path: path, reason: "\(count) items, the head says \(head.items)")
        }
        return (state, head.seq)
    }


    private static func readVersion1<State: JournaledState>(_ type: State.Type, reader: RecordReader,
                                                            path: String) throws -> (state: State, sequence: UInt64) {
        let header = try reader.read(count: 12)
        guard header.count == 12 else { throw StoreError.corruptSnapshot(path: path, reason: "bad header") }
        let crc = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) }
        let length = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt64.self)) }
        let payload = try reader.read(count: Int(clamping: length))
        guard UInt64(payload.count) == length, try reader.read(count: 1).isEmpty else {
            throw StoreError.corruptSnapshot(path: path, reason: "length differs from \(length)")
        }
        guard CRC32C.checksum(payload) == crc else { throw StoreError.corruptSnapshot(path: path, reason: "checksum") }
        do {
            let snapshot = try JournalDecoder.decodeFallingBack(Version1<State>.self, from: payload)
            return (snapshot.state, snapshot.seq)
        } catch {
            throw StoreError.corruptSnapshot(path: path, reason: "cannot decode: \(error)")
        }
    }

    private static func decodeConcurrently<T: Decodable>(_ type: T.Type, _ records: [Data], path: String) throws -> [T] {
        try Concurrently.map(count: records.count) { index in
            try JournalDecoder.decodeFallingBack(T.self, from: records[index])
        }.map { result in
            do {
                return try result.get()
            } catch {
                throw StoreError.corruptSnapshot(path: path, reason: "cannot decode an item record: \(error)")
            }
        }
    }
}

/// Reads a snapshot file a record at a time (journal framing: length, checksum, payload).
private final class RecordReader {
    let descriptor: Int32
    let path: String
    private(set) var offset = 0

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Up to `count` bytes; fewer only at the end of the file.
    func read(count: Int) throws -> Data {
        var data = Data(count: count)
        var filled = 0
        try data.withUnsafeMutableBytes { buffer in
            while filled < count {
                let got = Foundation.read(descriptor, buffer.baseAddress! + filled, count - filled)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.io("cannot read", path: path)
                }
                if got == 0 { break }
                filled += got
            }
        }
        offset += filled
        if filled < count { data.removeSubrange(filled...) }
        return data
    }

    /// The next record's payload, or nil at a clean end of file.
    func nextRecord() throws -> Data? {
        let start = offset
        let header = try read(count: Journal.headerBytes)
        if header.isEmpty { return nil }
        let length = header.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self))) }
        let stored = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) }
        guard header.count == Journal.headerBytes, length > 0, length <= Journal.maximumRecordBytes else {
            throw StoreError.corruptSnapshot(path: path, reason: "bad record at offset \(start)")
        }
        let payload = try read(count: length)
        guard payload.count == length,
              CRC32C.checksum(payload, seed: CRC32C.checksum(header.prefix(4))) == stored else {
            throw StoreError.corruptSnapshot(path: path, reason: "record at offset \(start) does not check out")
        }
        return payload
    }
}
