import Foundation
import Logging

/// What recovery found when the store opened.
public struct RecoveryReport: Sendable, Hashable {
    /// The sequence number the snapshot covers (0: no snapshot).
    public var snapshotSequence: UInt64
    /// Journal records applied on top of the snapshot.
    public var replayedRecords: Int
    /// Bytes of a torn last record that were cut off (0: the journal ended cleanly).
    public var tornBytesCut: Int64
    /// Leftover temporary files from an interrupted atomic write, removed.
    public var staleTemporaryFiles: [String]
}

/// The single source of truth: state in a snapshot plus an append-only journal of events,
/// in a private directory that one process at a time may use.
///
/// `commit` makes events durable (write, `fdatasync`) before applying them, so whatever
/// the caller acts on after `commit` returns survives a crash. `compact` writes a new
/// snapshot and an empty journal, each by atomic replace; that is also how data is erased
/// for good: remove it from the state, then compact, and no file holds it any more.
public final class StateStore<State: JournaledState> {
    public struct Options: Sendable {
        /// Compact after this many records (0: never automatically).
        public var snapshotEvery: Int
        /// Create the directory when it does not exist; tools that only look at a state
        /// turn this off so that a mistyped path is reported, not created.
        public var createIfMissing: Bool

        public init(snapshotEvery: Int = 10_000, createIfMissing: Bool = true) {
            self.snapshotEvery = snapshotEvery
            self.createIfMissing = createIfMissing
        }
    }

    private struct Entry: Codable {
        var seq: UInt64
        var events: [State.Event]
    }

    public let directory: URL
    public private(set) var state: State
    public private(set) var lastSequence: UInt64
    public let recovery: RecoveryReport
    public var options: Options

    private let lock: FileLock
    private var journalDescriptor: Int32
    private var journalLength: Int64
    /// The journal's length in bytes, and when a commit last reached the disk.
    public var journalBytes: Int64 { journalLength }
    public private(set) var lastSyncedAt: Date?
    private var recordsSinceSnapshot: Int
    private var failure: StoreError?
    private let logger: Logger
    /// Journal records: written straight to bytes on the hot path (`JournalEncoder`).
    private let encoder = JournalEncoder()

    /// Kept, not rebuilt from `directory`: every append names the journal (building the path
    /// from a URL took 6 % of the engine benchmark).
    let journalPath: String
    let snapshotPath: String

    /// Opens (creating if needed) the store in `directory`: takes the lock, loads the snapshot,
    /// replays the journal and cuts a torn last record, saying so in the log.
    public init(directory: URL, options: Options = Options(), logger: Logger) throws {
        self.directory = directory
        self.options = options
        self.logger = logger
        journalPath = directory.appendingPathComponent("journal").path
        snapshotPath = directory.appendingPathComponent("snapshot").path
        if !options.createIfMissing, !FileManager.default.fileExists(atPath: directory.path) {
            throw StoreError.missing(path: directory.path)
        }
        try DurableFile.makePrivateDirectory(directory.path)
        lock = try FileLock(path: directory.appendingPathComponent("lock").path)

        var stale: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasSuffix(".tmp") {
            unlink(directory.appendingPathComponent(name).path)
            stale.append(name)
        }
        if !stale.isEmpty {
            logger.notice("store: removed temporary files of an interrupted write", metadata: ["files": "\(stale)"])
        }

        let loaded = try Self.read(directory)
        let state = loaded.state
        let sequence = loaded.sequence
        let snapshotSequence = loaded.snapshotSequence
        let replayed = loaded.replayed
        var tornBytes: Int64 = 0
        if let recovered = loaded.journal {
            if recovered.tornBytes > 0 {
                tornBytes = recovered.tornBytes
                try Self.truncate(journalPath, to: recovered.validLength)
                logger.warning(
                    "store: cut a torn last journal record (interrupted write)",
                    metadata: ["offset": "\(recovered.validLength)", "bytes": "\(recovered.tornBytes)"])
            }
            if recovered.validLength == 0 { try Self.createJournal(journalPath) }
        } else {
            try Self.createJournal(journalPath)
        }

        journalDescriptor = open(journalPath, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard journalDescriptor >= 0 else { throw StoreError.io("cannot open", path: journalPath) }
        journalLength = Int64(lseek(journalDescriptor, 0, SEEK_END))
        self.state = state
        lastSequence = sequence
        recordsSinceSnapshot = replayed
        recovery = RecoveryReport(
            snapshotSequence: snapshotSequence, replayedRecords: replayed,
            tornBytesCut: tornBytes, staleTemporaryFiles: stale)
        logger.info(
            "store: opened",
            metadata: [
                "directory": "\(directory.path)", "snapshot": "\(snapshotSequence)",
                "replayed": "\(replayed)",
            ])
    }

    deinit {
        if journalDescriptor >= 0 { close(journalDescriptor) }
    }

    /// The state as the files hold it, read without taking the lock or changing anything, so
    /// that a tool (the payroll export) can look while the gateway runs. A torn last record
    /// (a write in progress) is left out.
    public static func readState(directory: URL) throws -> State {
        guard FileManager.default.fileExists(atPath: directory.path) else { throw StoreError.missing(path: directory.path) }
        return try read(directory).state
    }

    static func read(_ directory: URL) throws
        -> (state: State, sequence: UInt64, snapshotSequence: UInt64, replayed: Int, journal: Journal.Recovery?)
    {
        var state = State()
        var sequence: UInt64 = 0
        if let snapshot = try SnapshotFile.read(State.self, from: directory.appendingPathComponent("snapshot").path) {
            state = snapshot.state
            sequence = snapshot.sequence
        }
        let snapshotSequence = sequence
        let journalPath = directory.appendingPathComponent("journal").path
        var replayed = 0
        // A block of the file at a time; its records decoded side by side on all cores, a
        // chunk at a time, and applied in order.
        let recovered = try Journal.read(path: journalPath) { raw, blockRecords in
            var start = 0
            while start < blockRecords.count {
                let records = blockRecords[start..<min(start + Self.replayChunk, blockRecords.count)]
                for (record, entry) in zip(records, try decode(records, in: raw, path: journalPath)) {
                    if entry.seq <= sequence { continue }  // already in the snapshot
                    guard entry.seq == sequence + 1 else {
                        throw StoreError.corruptJournal(
                            path: journalPath, offset: record.offset,
                            reason: "sequence \(entry.seq) follows \(sequence)")
                    }
                    for event in entry.events { state.apply(event) }
                    sequence = entry.seq
                    replayed += 1
                }
                start = records.endIndex
            }
        }
        return (state, sequence, snapshotSequence, replayed, recovered)
    }

    /// Records replayed per round of concurrent decoding: large enough to keep the cores busy,
    /// small enough that the decoded records waiting to be applied stay few.
    static var replayChunk: Int { 4_096 }

    /// The records' entries, decoded in as many pieces as there are cores.
    private static func decode(
        _ records: ArraySlice<Journal.Record>, in raw: UnsafeRawBufferPointer,
        path: String
    ) throws -> [Entry] {
        nonisolated(unsafe) let raw = raw
        let pieces = Concurrently.width
        let size = (records.count + pieces - 1) / pieces
        let decoded = Concurrently.map(count: pieces) { piece -> [Entry] in
            let first = records.startIndex + piece * size
            let end = min(first + size, records.endIndex)
            guard first < end else { return [] }
            return try records[first..<end].map { record in
                do {
                    let payload = UnsafeRawBufferPointer(rebasing: raw[record.payload])
                    if let read = JournalDecoder().decodeRecord(payload, events: State.Event.self) {
                        return Entry(seq: read.sequence, events: read.events)
                    }
                    return try JournalDecoder.decodeFallingBack(Entry.self, from: payload)
                } catch {
                    throw StoreError.corruptJournal(
                        path: path, offset: record.offset,
                        reason: "record checks out but cannot be decoded: \(error)")
                }
            }
        }
        return try decoded.flatMap { try $0.get() }
    }

    /// Appends the events as one record, waits until it is on disk, then applies them.
    /// A failed write leaves the journal as it was; a failed fsync stops the store for good
    /// (a retried fsync can falsely succeed), and the caller must end the process.
    ///
    /// `durable: false` writes the record without waiting for the disk: a process crash
    /// keeps it (it is in the kernel's cache), a power loss may lose it, and the next durable
    /// commit makes it durable too. For records whose loss only repeats work (a delivery
    /// done, which at worst is sent again), never for an input's outcome.
    public func commit(_ events: [State.Event], durable: Bool = true) throws {
        guard !events.isEmpty else { return }
        try append(events, durable: durable)
        for event in events { state.apply(event) }
        afterAppend()
    }

    /// Hands the state over for changing in place, without a copy: the store holds an
    /// empty placeholder until `commit(_:adopting:)` gives the changed state back. Between
    /// the two nothing may read the store's state.
    public func takeState() -> State {
        let taken = state
        state = State()
        return taken
    }

    /// Commits `events` (already applied to `newState`, which `takeState` handed out) and
    /// keeps `newState`. If the record cannot be written, the state is read back from the
    /// files, so memory never runs ahead of the disk, and the error is thrown.
    public func commit(_ events: [State.Event], adopting newState: State) throws {
        do {
            if !events.isEmpty { try append(events, durable: true) }
        } catch {
            if let committed = try? Self.read(directory).state { state = committed } else { failure = failure ?? (error as? StoreError) }
            throw error
        }
        state = newState
        if !events.isEmpty { afterAppend() }
    }

    private func append(_ events: [State.Event], durable: Bool) throws {
        if let failure { throw StoreError.poisoned(path: journalPath, underlying: failure) }
        let sequence = lastSequence + 1
        let payload: Data
        do {
            // The same bytes as `encoder.encode(Entry(seq:events:))`, faster.
            payload = try encoder.encodeRecord(sequence: sequence, events: events)
        } catch {
            throw StoreError.encoding("\(error)", path: journalPath)
        }
        let record = Journal.encode(payload)
        do {
            try DurableFile.writeAll(journalDescriptor, record, path: journalPath)
        } catch let error as StoreError {
            // Take back a partial record, so that later records never follow garbage.
            if ftruncate(journalDescriptor, off_t(journalLength)) != 0 {
                failure = error
            }
            throw error
        }
        CrashPoint.afterWriteBeforeSync.reach()
        if durable {
            guard fdatasync(journalDescriptor) == 0 else {
                let error = StoreError.syncFailed(path: journalPath)
                failure = error
                logger.critical("store: \(error)")
                throw error
            }
            lastSyncedAt = Date()
        }
        journalLength += Int64(record.count)
        lastSequence = sequence
    }

    private func afterAppend() {
        recordsSinceSnapshot += 1
        if options.snapshotEvery > 0, recordsSinceSnapshot >= options.snapshotEvery {
            do {
                try compact()
            } catch {
                // The journal holds everything; a later commit tries again.
                logger.error("store: compaction failed: \(error)")
            }
        }
    }

    /// Replaces the whole state and compacts at once, so that neither the snapshot nor the
    /// journal keeps what the old state had (`PersonErasure`). A crash before the journal is
    /// replaced leaves its old records on disk (skipped at load): the caller checks and says so.
    public func rewrite(_ newState: State) throws {
        if let failure { throw StoreError.poisoned(path: journalPath, underlying: failure) }
        state = newState
        try compact()
    }

    /// Writes the whole state as a new snapshot and starts an empty journal. Each step is an
    /// atomic replace, so a crash between them leaves a snapshot plus a journal whose records
    /// the snapshot already covers, which recovery skips.
    public func compact() throws {
        if let failure { throw StoreError.poisoned(path: journalPath, underlying: failure) }
        let snapshotBytes: Int
        do {
            snapshotBytes = try SnapshotFile.write(state, sequence: lastSequence, to: snapshotPath)
            CrashPoint.afterSnapshotBeforeJournal.reach()
            try Self.createJournal(journalPath)
        } catch let error as StoreError {
            if error.isFatal { failure = error }
            throw error
        }
        close(journalDescriptor)
        journalDescriptor = open(journalPath, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard journalDescriptor >= 0 else {
            let error = StoreError.io("cannot reopen", path: journalPath)
            failure = error
            throw error
        }
        journalLength = Int64(Journal.magic.count)
        recordsSinceSnapshot = 0
        logger.info("store: compacted", metadata: ["sequence": "\(lastSequence)", "snapshotBytes": "\(snapshotBytes)"])
    }

    // MARK: Files

    private static func createJournal(_ path: String) throws {
        try DurableFile.replace(path, with: Data(Journal.magic))
    }

    private static func truncate(_ path: String, to length: Int64) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.io("cannot open", path: path) }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw StoreError.io("cannot truncate", path: path) }
        guard fsync(descriptor) == 0 else { throw StoreError.syncFailed(path: path) }
    }
}
