import Crypto
import Foundation

/// A consistent copy of a state directory taken while the gateway runs
/// (`kokemus state backup --to DIR`), and putting one back (`kokemus state restore`).
///
/// Why the copy is consistent without the lock: the journal is opened before the snapshot.
/// The gateway only appends to a journal, and compaction replaces both files by rename (a new
/// snapshot first, then an empty journal), so the journal read is either the one that follows
/// the snapshot read, or an older one whose records that snapshot already holds (recovery skips
/// them). A record being written as the copy ends is torn in the copy and cut from it. The copy
/// is then loaded as the gateway would load it, and its files' SHA-256 written to `backup.json`.
public enum StateBackup {
    /// What a backup holds, in `backup.json` beside its files.
    public struct Manifest: Codable, Sendable, Hashable {
        public var format = 1
        public var createdAt: Date
        /// The last journal sequence the copy holds.
        public var sequence: UInt64
        /// File name → SHA-256 (hex) of the copy's bytes.
        public var sha256: [String: String]
        public var bytes: [String: Int]
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static let files = ["snapshot", "journal", AuditLog.fileName]
    static let manifestName = "backup.json"

    /// Copies the state in `directory` to `target` (which must not exist, or be empty),
    /// whether or not a gateway runs on it; the registry directory inside it too.
    @discardableResult
    public static func backup<State: JournaledState>(
        _ type: State.Type, from directory: URL, to target: URL, now: Date
    ) throws -> Manifest {
        guard FileManager.default.fileExists(atPath: directory.path) else { throw StoreError.missing(path: directory.path) }
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: target.path), !existing.isEmpty {
            throw Failure("\(target.path) is not empty: a backup goes into a new directory")
        }
        // The journal before the snapshot: see the type's comment.
        let journal = FileHandle(forReadingAtPath: directory.appendingPathComponent("journal").path)
        let snapshot = FileHandle(forReadingAtPath: directory.appendingPathComponent("snapshot").path)
        defer {
            try? journal?.close()
            try? snapshot?.close()
        }
        var contents = ["snapshot": try snapshot?.readToEnd() ?? Data(), "journal": try journal?.readToEnd() ?? Data()]
        // The access log as far as its last whole line (one being appended is cut, as the next
        // append would): it is a log of its own, so any moment's copy is consistent.
        if let audit = FileManager.default.contents(atPath: directory.appendingPathComponent(AuditLog.fileName).path),
            let end = audit.lastIndex(of: 0x0A)
        {
            contents[AuditLog.fileName] = audit.prefix(through: end)
        }
        try DurableFile.makePrivateDirectory(target.path)
        for name in files where !(contents[name] ?? Data()).isEmpty {
            try DurableFile.replace(target.appendingPathComponent(name).path, with: contents[name]!)
        }
        // A record being appended as it was read is torn in the copy: cut, as a start would.
        let journalCopy = target.appendingPathComponent("journal").path
        if FileManager.default.fileExists(atPath: journalCopy),
            let recovered = try Journal.read(path: journalCopy, records: { _, _ in }), recovered.tornBytes > 0
        {
            try DurableFile.replace(journalCopy, with: contents["journal"]!.prefix(Int(recovered.validLength)))
        }
        let registry = directory.appendingPathComponent("registry")
        if FileManager.default.fileExists(atPath: registry.path) {
            try DurableFile.makePrivateDirectory(target.appendingPathComponent("registry").path)
            for name in try FileManager.default.contentsOfDirectory(atPath: registry.path).sorted() where !name.hasPrefix(".") {
                let data = try Data(contentsOf: registry.appendingPathComponent(name))
                try DurableFile.replace(target.appendingPathComponent("registry").appendingPathComponent(name).path, with: data)
            }
        }
        let loaded = try StateStore<State>.read(target)
        let manifest = try Manifest(
            createdAt: now, sequence: loaded.sequence, sha256: checksums(target), bytes: sizes(target))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try DurableFile.replace(target.appendingPathComponent(manifestName).path, with: try encoder.encode(manifest))
        return manifest
    }

    /// Checks a backup: its manifest, every file's checksum, and that the state loads.
    @discardableResult
    public static func verify<State: JournaledState>(_ type: State.Type, _ backup: URL) throws -> Manifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = FileManager.default.contents(atPath: backup.appendingPathComponent(manifestName).path) else {
            throw Failure("\(backup.path) holds no \(manifestName): not a backup made by kokemus state backup")
        }
        let manifest = try decoder.decode(Manifest.self, from: data)
        guard manifest.format == 1 else { throw Failure("\(backup.path): backup format \(manifest.format) is newer than this build reads") }
        let actual = try checksums(backup)
        for (name, expected) in manifest.sha256.sorted(by: { $0.key < $1.key }) where actual[name] != expected {
            throw Failure("\(backup.path)/\(name) has changed since the backup was made (its SHA-256 differs)")
        }
        guard Set(actual.keys) == Set(manifest.sha256.keys) else {
            throw Failure(
                "\(backup.path) holds files the backup did not: \(Set(actual.keys).symmetricDifference(manifest.sha256.keys).sorted())")
        }
        let loaded = try StateStore<State>.read(backup)
        guard loaded.sequence == manifest.sequence else {
            throw Failure("\(backup.path) loads to sequence \(loaded.sequence), its manifest says \(manifest.sequence)")
        }
        return manifest
    }

    /// Puts a checked backup back into `directory`, which no gateway may be running on (its
    /// lock is taken). What was there is moved aside to `directory/before-restore-…`, not lost.
    @discardableResult
    public static func restore<State: JournaledState>(
        _ type: State.Type, from backup: URL, to directory: URL, now: Date
    ) throws -> (manifest: Manifest, setAside: URL?) {
        let manifest = try verify(type, backup)
        try DurableFile.makePrivateDirectory(directory.path)
        let lock = try FileLock(path: directory.appendingPathComponent("lock").path)
        defer { withExtendedLifetime(lock) {} }
        var setAside: URL?
        // The access log is not rolled back: what people were shown stays recorded. The
        // backup's is put back only where none is left (a lost disk).
        let keepsAuditLog = FileManager.default.fileExists(atPath: directory.appendingPathComponent(AuditLog.fileName).path)
        let present = (files.filter { $0 != AuditLog.fileName } + ["registry"]).filter {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        if !present.isEmpty {
            let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
            // Two restores in one second each keep their own.
            var aside = directory.appendingPathComponent("before-restore-\(stamp)")
            var number = 1
            while FileManager.default.fileExists(atPath: aside.path) {
                number += 1
                aside = directory.appendingPathComponent("before-restore-\(stamp)-\(number)")
            }
            try DurableFile.makePrivateDirectory(aside.path)
            for name in present {
                try FileManager.default.moveItem(
                    at: directory.appendingPathComponent(name), to: aside.appendingPathComponent(name))
            }
            setAside = aside
        }
        for name in files where FileManager.default.fileExists(atPath: backup.appendingPathComponent(name).path) {
            if name == AuditLog.fileName, keepsAuditLog { continue }
            try DurableFile.replace(
                directory.appendingPathComponent(name).path, with: try Data(contentsOf: backup.appendingPathComponent(name)))
        }
        let registry = backup.appendingPathComponent("registry")
        if FileManager.default.fileExists(atPath: registry.path) {
            try DurableFile.makePrivateDirectory(directory.appendingPathComponent("registry").path)
            for name in try FileManager.default.contentsOfDirectory(atPath: registry.path).sorted() {
                try DurableFile.replace(
                    directory.appendingPathComponent("registry").appendingPathComponent(name).path,
                    with: try Data(contentsOf: registry.appendingPathComponent(name)))
            }
        }
        return (manifest, setAside)
    }

    /// SHA-256 of the backup's files (`snapshot`, `journal`, `registry/NAME`).
    static func checksums(_ directory: URL) throws -> [String: String] {
        try contents(directory).mapValues { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() }
    }

    static func sizes(_ directory: URL) throws -> [String: Int] {
        try contents(directory).mapValues(\.count)
    }

    private static func contents(_ directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in files where FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        let registry = directory.appendingPathComponent("registry")
        if FileManager.default.fileExists(atPath: registry.path) {
            for name in try FileManager.default.contentsOfDirectory(atPath: registry.path) where !name.hasPrefix(".") {
                result["registry/" + name] = try Data(contentsOf: registry.appendingPathComponent(name))
            }
        }
        return result
    }
}
