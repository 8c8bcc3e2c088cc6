import Foundation
import Testing

@testable import KokemusCore

/// Backups taken while the store is being written and compacted, checked and put back.
@Suite struct StateBackupTests {
    typealias Store = StateStore<NotesState>

    /// The state after `count` commits of `write` below: note i holds i.
    static func expected(_ count: UInt64) -> NotesState {
        var state = NotesState()
        for index in 0..<Int(count) { state.apply(.set(key: "n\(index % 50)", value: String(index))) }
        return state
    }

    @Test func aBackupWhileTheGatewayWritesIsConsistentAndRestores() throws {
        let root = temporaryDirectory("kokemus-backup")
        defer { cleanUp(root) }
        let live = root.appendingPathComponent("state")
        let store = try Store(directory: live, options: .init(snapshotEvery: 0), logger: quietLogger)
        try DurableFile.makePrivateDirectory(live.appendingPathComponent("registry").path)
        try DurableFile.replace(live.appendingPathComponent("registry/people.yaml").path, with: Data("people: []\n".utf8))

        // A writer commits and now and then compacts, as the gateway does, while backups are taken.
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        let finished = Locked(false)
        // The store is the writer thread's alone while it runs; the test reads files only.
        let shared = Locked(store)
        let writer = Thread {
            let store = shared.get()
            do {
                for index in 0..<3_000 {
                    try store.commit([.set(key: "n\(index % 50)", value: String(index))])
                    if index % 97 == 96 { try store.compact() }
                }
            } catch {
                failure.set("\(error)")
            }
            finished.set(true)
            done.signal()
        }
        writer.start()
        var manifests: [(URL, StateBackup.Manifest)] = []
        // Backups all through the writing, across its compactions.
        var round = 0
        while !finished.get(), round < 500 {
            let target = root.appendingPathComponent("backup-\(round)")
            manifests.append((target, try StateBackup.backup(NotesState.self, from: live, to: target, now: Date())))
            round += 1
        }
        done.wait()
        let compactions = Set(manifests.map { $0.1.sequence / 97 }).count
        #expect(compactions > 3, "backups across \(compactions) compaction periods")
        #expect(failure.get() == nil)
        // Each copy is a state the store passed through: exactly its first `sequence` commits.
        for (target, manifest) in manifests {
            let checked = try StateBackup.verify(NotesState.self, target)
            #expect(checked.sequence == manifest.sequence && checked.sha256 == manifest.sha256)
            #expect(try StateStore<NotesState>.readState(directory: target) == Self.expected(manifest.sequence), "\(manifest.sequence)")
            #expect(manifest.sha256.keys.contains("registry/people.yaml"))
        }
        #expect(manifests.map(\.1.sequence) == manifests.map(\.1.sequence).sorted())

        // A last one after the writer, restored into a new directory: the same state.
        let last = root.appendingPathComponent("backup-last")
        let manifest = try StateBackup.backup(NotesState.self, from: live, to: last, now: Date())
        #expect(manifest.sequence == 3_000)
        let restored = root.appendingPathComponent("restored")
        let (_, aside) = try StateBackup.restore(NotesState.self, from: last, to: restored, now: Date())
        #expect(aside == nil)
        #expect(try Store(directory: restored, options: .init(snapshotEvery: 0), logger: quietLogger).state == store.state)
    }

    @Test func aChangedOrForeignBackupIsRefusedAndARunningGatewayIsNotOverwritten() throws {
        let root = temporaryDirectory("kokemus-backup")
        defer { cleanUp(root) }
        let live = root.appendingPathComponent("state")
        let store = try Store(directory: live, options: .init(snapshotEvery: 0), logger: quietLogger)
        try store.commit([.set(key: "a", value: "1")])
        let backup = root.appendingPathComponent("backup")
        try StateBackup.backup(NotesState.self, from: live, to: backup, now: Date())
        // Not into a directory that holds something.
        #expect(throws: StateBackup.Failure.self) { try StateBackup.backup(NotesState.self, from: live, to: backup, now: Date()) }
        // Not over a running gateway: its lock is held.
        #expect(throws: StoreError.self) { try StateBackup.restore(NotesState.self, from: backup, to: live, now: Date()) }
        // A byte changed in the copy.
        let journal = backup.appendingPathComponent("journal")
        var bytes = try Data(contentsOf: journal)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: journal)
        #expect(throws: StateBackup.Failure.self) { try StateBackup.verify(NotesState.self, backup) }
        // A directory that is no backup.
        #expect(throws: StateBackup.Failure.self) { try StateBackup.verify(NotesState.self, live) }
    }

    /// Restoring over an existing state moves it aside, not away.
    @Test func restoringKeepsWhatWasThere() throws {
        let root = temporaryDirectory("kokemus-backup")
        defer { cleanUp(root) }
        let live = root.appendingPathComponent("state")
        do {
            let store = try Store(directory: live, options: .init(snapshotEvery: 0), logger: quietLogger)
            try store.commit([.set(key: "a", value: "old")])
        }
        let backup = root.appendingPathComponent("backup")
        try StateBackup.backup(NotesState.self, from: live, to: backup, now: Date())
        do {
            let store = try Store(directory: live, options: .init(snapshotEvery: 0), logger: quietLogger)
            try store.commit([.set(key: "a", value: "new")])
        }
        let (_, aside) = try StateBackup.restore(NotesState.self, from: backup, to: live, now: Date())
        let setAside = try #require(aside)
        #expect(try StateStore<NotesState>.readState(directory: live).notes == ["a": "old"])
        #expect(try StateStore<NotesState>.readState(directory: setAside).notes == ["a": "new"])
    }

    /// The access log is backed up (a line being written cut), and a restore does not roll it
    /// back: what people were shown stays recorded. Where none is left, the backup's returns.
    @Test func theAuditLogIsBackedUpAndNeverRolledBack() throws {
        let root = temporaryDirectory("kokemus-backup")
        defer { cleanUp(root) }
        let live = root.appendingPathComponent("state")
        do {
            let store = try Store(directory: live, options: .init(snapshotEvery: 0), logger: quietLogger)
            try store.commit([.set(key: "a", value: "old")])
        }
        let log = AuditLog(directory: live)
        try log.append([AuditLogTests.access(1), AuditLogTests.access(2)])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"about\":[".utf8))
        try handle.close()
        let backup = root.appendingPathComponent("backup")
        let manifest = try StateBackup.backup(NotesState.self, from: live, to: backup, now: Date())
        #expect(manifest.sha256.keys.contains(AuditLog.fileName))
        let copy = try AuditLog(directory: backup).verify()
        #expect(copy.isWhole && copy.entries == 2 && !copy.tornTail)

        try log.append([AuditLogTests.access(3)])
        try StateBackup.restore(NotesState.self, from: backup, to: live, now: Date())
        #expect(try log.verify().entries == 3, "the live log is kept")
        try FileManager.default.removeItem(atPath: log.path)
        let (_, aside) = try StateBackup.restore(NotesState.self, from: backup, to: live, now: Date())
        #expect(try log.verify().entries == 2, "the backup's, where none was left")
        #expect(aside.map { !FileManager.default.fileExists(atPath: $0.appendingPathComponent(AuditLog.fileName).path) } == true)
    }
}

/// A value shared with a thread, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ new: Value) { lock.withLock { value = new } }
}
