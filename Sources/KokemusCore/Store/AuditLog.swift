import Crypto
import Foundation

/// The access log (`audit.jsonl` in the state directory, 0600): one line per time someone was
/// shown another person's data (`DataAccess`), appended only, each line carrying the SHA-256
/// of the line before it (`prev`) and of itself (`hash`), so a changed, inserted or removed
/// line breaks the chain (`verify`). Written by the gateway and by command-line reads, which
/// may run at once: each append holds an `flock` on the file. Format in `Store/FORMAT.md`.
///
/// The chain shows that lines were changed; it cannot stop someone who can write the file
/// from rewriting all of it. `verify` prints the head (the last hash) and the gateway logs it
/// at every start, so a head kept elsewhere (the system log) shows a rewrite.
public struct AuditLog: Sendable {
    /// One line of the log.
    public struct Entry: Codable, Sendable, Hashable {
        public var v = 1
        public var seq: UInt64
        public var prev: String
        public var at: Date
        public var by: String
        public var via: DataAccess.Route
        public var what: String
        public var about: [PersonID]
        public var why: String
        /// The gateway's number for the access (nil from the command line).
        public var id: UInt64?
        /// The line's own hash (not a member of the body it covers).
        public internal(set) var hash = ""

        var access: DataAccess { DataAccess(id: id, at: at, by: by, via: via, what: what, about: about, why: why) }
    }

    /// The first line after the oldest entries were dropped by retention: where the chain
    /// goes on from (the dropped last entry's sequence number and hash).
    public struct Checkpoint: Codable, Sendable, Hashable {
        public var seq: UInt64
        public var hash: String
        public var dropped: UInt64
        public var before: Date
    }

    /// What `verify` found.
    public struct Verification: Sendable {
        public var entries: Int
        /// The last entry's sequence number and hash (the head to keep elsewhere).
        public var lastSequence: UInt64
        public var head: String
        /// Entries dropped by retention before the first line kept.
        public var dropped: UInt64
        /// The first problem: its line number (from 1) and what is wrong; nil when whole.
        public var problem: (line: Int, reason: String)?
        /// A last line cut by a crash while it was written (not a change; cut at the next append).
        public var tornTail: Bool
        public var isWhole: Bool { problem == nil }
    }

    public static let fileName = "audit.jsonl"
    static let genesis = String(repeating: "0", count: 64)
    /// No line is longer: an entry is bounded (`DataAccess.fieldLimit`, `aboutLimit`).
    static let lineLimit = 1 << 20

    public let path: String

    public init(directory: URL) {
        path = directory.appendingPathComponent(Self.fileName).path
    }

    // MARK: Writing

    /// Appends the accesses as entries, durably (`fdatasync`), under the file's lock. A
    /// gateway access already in the log as it is (written before a crash kept the gateway
    /// from recording so) is not written again. Returns the entries written.
    @discardableResult
    public func append(_ accesses: [DataAccess]) throws -> [Entry] {
        guard !accesses.isEmpty else { return [] }
        let descriptor = try openLocked(creating: true)
        defer {
            _ = flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        let size = Int64(lseek(descriptor, 0, SEEK_END))
        guard size >= 0 else { throw StoreError.io("cannot seek in the audit log", path: path) }
        let tail = try Self.tail(descriptor, size: size, path: path, gatewayEntries: accesses.contains { $0.id != nil })
        var bytes = Data()
        if tail.end < size {
            if tail.tornEntry {
                // A whole entry that lost only its line feed: kept, and the line ended.
                bytes.append(0x0A)
            } else {
                // A write the process died in: never a whole entry, so never part of the chain.
                guard ftruncate(descriptor, off_t(tail.end)) == 0 else { throw StoreError.io("cannot cut a torn line of", path: path) }
            }
        }
        var sequence = tail.last?.seq ?? 0
        var previous = tail.last?.hash ?? Self.genesis
        var written: [Entry] = []
        for access in accesses {
            if access.id != nil, tail.gatewayEntries.contains(Self.fingerprint(access)) { continue }
            sequence += 1
            var entry = Entry(
                seq: sequence, prev: previous, at: access.at, by: access.by, via: access.via, what: access.what,
                about: Array(access.about.prefix(DataAccess.aboutLimit)), why: access.why, id: access.id)
            let (line, hash) = try Self.line(for: entry)
            bytes.append(line)
            previous = hash
            entry.hash = hash
            written.append(entry)
        }
        guard !written.isEmpty else { return [] }
        try DurableFile.writeAll(descriptor, bytes, path: path)
        guard fdatasync(descriptor) == 0 else { throw StoreError.syncFailed(path: path) }
        if size == 0 { try? DurableFile.syncDirectory((path as NSString).deletingLastPathComponent) }
        return written
    }

    /// What makes a gateway access the same one again: its number, second, person and what.
    /// Not the number alone: a state put back from a backup numbers again from an earlier one.
    static func fingerprint(_ access: DataAccess) -> String {
        "\(access.id ?? 0)|\(iso.string(from: access.at))|\(access.by)|\(access.what)"
    }

    nonisolated(unsafe) private static let iso = ISO8601DateFormatter()

    /// The last line (the head, to go on from) and the file's end after its last line feed;
    /// whether what follows is a whole entry without its line feed; with `gatewayEntries`,
    /// the gateway entries of the last `dedupeWindow` bytes (where a crash's are).
    private struct Tail {
        var last: (seq: UInt64, hash: String)?
        var end: Int64
        var tornEntry = false
        var gatewayEntries: Set<String> = []
    }

    static let dedupeWindow: Int64 = 1 << 20

    private static func tail(_ descriptor: Int32, size: Int64, path: String, gatewayEntries: Bool) throws -> Tail {
        func read(_ start: Int64, _ end: Int64) throws -> Data {
            var buffer = [UInt8](repeating: 0, count: Int(end - start))
            let count = pread(descriptor, &buffer, buffer.count, off_t(start))
            guard count == buffer.count else { throw StoreError.io("cannot read the audit log", path: path) }
            return Data(buffer)
        }
        // The last line feed, however far back (a torn tail of any length is found).
        var end: Int64 = 0
        var position = size
        while position > 0 {
            let start = max(0, position - 65_536)
            if let newline = try read(start, position).lastIndex(of: 0x0A) {
                end = start + Int64(newline) + 1
                break
            }
            position = start
        }
        var tail = Tail(last: nil, end: end)
        if end < size, size - end <= Int64(lineLimit), case .entry(let entry, let hash)? = parse(try read(end, size)) {
            tail.tornEntry = true
            tail.last = (entry.seq, hash)
            if gatewayEntries, entry.id != nil { tail.gatewayEntries.insert(fingerprint(entry.access)) }
        }
        // Back from the end until the head is known and, if asked, the window is read.
        var windowEnd = end
        var carry = Data()
        while windowEnd > 0 {
            let start = max(0, windowEnd - 65_536)
            var chunk = try read(start, windowEnd) + carry
            var lines = chunk.split(separator: 0x0A, omittingEmptySubsequences: false)
            // The first piece may start inside a line: carried to the next read.
            carry = start > 0 ? Data(lines.removeFirst()) : Data()
            chunk = Data()
            for line in lines.reversed() where !line.isEmpty {
                guard let parsed = parse(Data(line)) else {
                    throw StoreError.io("a line of the audit log cannot be read (run kokemus audit verify)", path: path, errno: EINVAL)
                }
                switch parsed {
                case .entry(let entry, let hash):
                    if tail.last == nil { tail.last = (entry.seq, hash) }
                    if gatewayEntries, entry.id != nil { tail.gatewayEntries.insert(fingerprint(entry.access)) }
                case .checkpoint(let checkpoint):
                    if tail.last == nil { tail.last = (checkpoint.seq, checkpoint.hash) }
                }
            }
            windowEnd = start
            let windowDone = !gatewayEntries || end - windowEnd >= dedupeWindow
            if tail.last != nil, windowDone { break }
            guard carry.count <= lineLimit else {
                throw StoreError.io(
                    "a line of the audit log is longer than any entry (run kokemus audit verify)", path: path, errno: EINVAL)
            }
        }
        return tail
    }

    /// The log's head (its last entry's number and hash) and the number of entries after it
    /// that a crash left without a line feed: read from the end, not the whole log.
    public func head() throws -> (seq: UInt64, hash: String)? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.io("cannot open the audit log", path: path) }
        defer { close(descriptor) }
        let size = Int64(lseek(descriptor, 0, SEEK_END))
        return try Self.tail(descriptor, size: size, path: path, gatewayEntries: false).last
    }

    /// The file opened and locked (`flock`), for appending. Retention replaces the file by
    /// rename: a descriptor that got the lock on the old file opens the new one instead.
    private func openLocked(creating: Bool) throws -> Int32 {
        for _ in 0..<100 {
            let descriptor = open(path, O_RDWR | O_APPEND | O_CLOEXEC | (creating ? O_CREAT : 0), 0o600)
            guard descriptor >= 0 else { throw StoreError.io("cannot open the audit log", path: path) }
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(descriptor)
                    throw StoreError.io("cannot lock the audit log", path: path)
                }
            }
            var opened = stat()
            var current = stat()
            if fstat(descriptor, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino,
                opened.st_dev == current.st_dev
            {
                return descriptor
            }
            _ = flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        throw StoreError.io("the audit log keeps being replaced", path: path, errno: EAGAIN)
    }

    /// An entry's line and hash: the entry as JSON with sorted keys, then its SHA-256 added as
    /// the last member. The hash covers the line's bytes without that member.
    static func line(for entry: Entry) throws -> (Data, String) {
        let body = try encoder.encode(entry)
        let hash = sha256(body)
        var line = body.dropLast()  // the closing brace
        line.append(contentsOf: Array(",\"hash\":\"\(hash)\"}\n".utf8))
        return (Data(line), hash)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    private enum Line {
        case entry(Entry, hash: String)
        case checkpoint(Checkpoint)
    }

    private struct CheckpointLine: Codable {
        var v: Int
        var checkpoint: Checkpoint
    }

    private static func parse(_ line: Data) -> Line? {
        if var entry = try? decoder.decode(Entry.self, from: line), let hash = hashMember(of: line) {
            entry.hash = hash.hash
            return .entry(entry, hash: hash.hash)
        }
        if let checkpoint = try? decoder.decode(CheckpointLine.self, from: line) { return .checkpoint(checkpoint.checkpoint) }
        return nil
    }

    /// A line's own hash and the bytes it covers (the line without its last member).
    private static func hashMember(of line: Data) -> (hash: String, body: Data)? {
        let suffix = Array(",\"hash\":\"".utf8)
        guard line.count > 64 + suffix.count + 2, line.last == UInt8(ascii: "}") else { return nil }
        let hashStart = line.endIndex - 2 - 64
        let memberStart = hashStart - suffix.count
        guard Array(line[memberStart..<hashStart]) == suffix, line[line.endIndex - 2] == UInt8(ascii: "\"") else { return nil }
        let hash = String(decoding: line[hashStart..<(line.endIndex - 2)], as: UTF8.self)
        guard hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return (hash, Data(line[..<memberStart]) + Data("}".utf8))
    }

    // MARK: Reading

    /// Every entry, oldest first (after a checkpoint, from the first kept). Does not verify.
    public func entries() throws -> [Entry] {
        try lines().compactMap { line in
            if case .entry(let entry, _)? = Self.parse(line) { return entry }
            return nil
        }
    }

    private func lines() throws -> [Data] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw StoreError.io("cannot read", path: path) }
        return data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
    }

    /// Walks the chain: every line readable, numbered on without a gap, pointing at the hash
    /// of the line before, and hashing to its own hash; with the state's `anchor` (the last
    /// entry the gateway wrote), that the log still has that entry.
    public func verify(anchor: AuditAnchor? = nil) throws -> Verification {
        var lines = try lines()
        var result = Verification(entries: 0, lastSequence: 0, head: Self.genesis, dropped: 0, problem: nil, tornTail: false)
        // The file ends with a line feed, so the last piece is empty. Anything else was torn:
        // a whole entry that lost only its line feed is checked (and ended by the next append),
        // anything less is cut by the next append.
        if let last = lines.popLast(), !last.isEmpty {
            result.tornTail = true
            if case .entry? = Self.parse(last) { lines.append(last) }
        }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            guard let parsed = Self.parse(line) else {
                result.problem = (number, "not an entry of this format")
                return result
            }
            switch parsed {
            case .checkpoint(let checkpoint):
                guard index == 0 else {
                    result.problem = (number, "a checkpoint after the first line")
                    return result
                }
                // Entries are numbered from 1, so all before the first kept were dropped; and
                // only those written before the checkpoint's day.
                guard checkpoint.seq > 0, checkpoint.dropped == checkpoint.seq else {
                    result.problem = (number, "a checkpoint that does not count the entries before it")
                    return result
                }
                if lines.count > 1, case .entry(let first, _)? = Self.parse(lines[1]), first.at < checkpoint.before {
                    result.problem = (2, "an entry older than the checkpoint before it: entries removed")
                    return result
                }
                result.lastSequence = checkpoint.seq
                result.head = checkpoint.hash
                result.dropped = checkpoint.dropped
            case .entry(let entry, let hash):
                guard entry.v == 1 else {
                    result.problem = (number, "format \(entry.v), which this build cannot check")
                    return result
                }
                guard entry.seq == result.lastSequence + 1 else {
                    result.problem = (number, "entry \(entry.seq) where \(result.lastSequence + 1) was due: entries removed or added")
                    return result
                }
                guard entry.prev == result.head else {
                    result.problem = (number, "entry \(entry.seq) does not follow the entry before it: changed, removed or added")
                    return result
                }
                guard let own = Self.hashMember(of: line), Self.sha256(own.body) == hash else {
                    result.problem = (number, "entry \(entry.seq) was changed after it was written")
                    return result
                }
                if let anchor, anchor.seq == entry.seq, anchor.hash != hash {
                    result.problem = (number, "entry \(entry.seq) is not the one the gateway wrote: the log was replaced")
                    return result
                }
                result.entries += 1
                result.lastSequence = entry.seq
                result.head = hash
            }
        }
        if let anchor, anchor.seq > result.lastSequence {
            result.problem = (
                lines.count, "the log ends at entry \(result.lastSequence), the gateway wrote up to \(anchor.seq): entries removed"
            )
        }
        return result
    }

    // MARK: Retention

    /// Drops the entries written before `cutoff` (the county's retention), keeping the chain
    /// checkable: the file is replaced atomically by a checkpoint naming the last dropped
    /// entry and the entries kept, unchanged. Refuses a log whose chain is broken (it would
    /// hide the break). Returns how many were dropped.
    @discardableResult
    public func prune(before cutoff: Date) throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let descriptor = try openLocked(creating: false)
        defer {
            _ = flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        let verification = try verify()
        if let problem = verification.problem {
            throw StoreError.io(
                "the audit log's chain is broken at line \(problem.line) (\(problem.reason)); not pruned", path: path, errno: EINVAL)
        }
        var kept: [Data] = []
        var dropped: (seq: UInt64, hash: String)?
        var droppedCount = verification.dropped
        var previousCheckpointBefore: Date?
        var lines = try lines()
        if !lines.isEmpty { lines.removeLast() }  // the empty piece after the last line feed, or a torn line
        for line in lines {
            switch Self.parse(line) {
            case .checkpoint(let checkpoint)?:
                dropped = (checkpoint.seq, checkpoint.hash)
                previousCheckpointBefore = checkpoint.before
            case .entry(let entry, let hash)? where kept.isEmpty && entry.at < cutoff:
                dropped = (entry.seq, hash)
                droppedCount += 1
            default:
                kept.append(line)
            }
        }
        let count = Int(droppedCount - verification.dropped)
        guard count > 0, let dropped else { return 0 }
        let checkpoint = Checkpoint(
            seq: dropped.seq, hash: dropped.hash, dropped: droppedCount, before: max(cutoff, previousCheckpointBefore ?? cutoff))
        var data = try Self.encoder.encode(CheckpointLine(v: 1, checkpoint: checkpoint))
        data.append(0x0A)
        for line in kept {
            data.append(line)
            data.append(0x0A)
        }
        // Replaced while the lock on the old file is held: an append waiting for it opens the
        // path again only after this returns, and a waiting one on the old file re-checks below.
        try DurableFile.replace(path, with: data)
        return count
    }
}
