import Foundation
import Testing

@testable import KokemusCore

/// The journal's format is pinned by golden files (`Store/FORMAT.md`): those of format 1 written
/// by the main of 2026-11-30 (`v1/`), and the channel-memory events format 2 added (`v2/`).
/// Every record of them is read by this build, and written again by it to the same bytes. A renamed event case, member or enum value, or a changed encoding, fails
/// here before any county's state would be written in another form. See
/// `Tests/Fixtures/journal/README.md` for how the files were made.
@Suite struct JournalFormatTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/journal/v1")
    static let fixturesV2 = repositoryRoot.appendingPathComponent("Tests/Fixtures/journal/v2")
    /// Unframed records, one per line: `v1/handmade.jsonl`, events the console cannot cause;
    /// `v1/channel-keys.jsonl`, channel memory as format 1 kept it; `v2/handmade.jsonl`, every
    /// kind of channel memory event of format 2.
    static let lineFiles = [
        fixtures.appendingPathComponent("handmade.jsonl"), fixtures.appendingPathComponent("channel-keys.jsonl"),
        fixturesV2.appendingPathComponent("handmade.jsonl"),
    ]
    static let journals = ["order", "offer", "changes", "fees", "extra"]

    /// The payloads of a fixture journal's records, as bytes.
    static func records(_ name: String) throws -> [Data] {
        var payloads: [Data] = []
        let recovery = try Journal.read(path: fixtures.appendingPathComponent("\(name)/journal").path) { raw, records in
            for record in records { payloads.append(Data(raw[record.payload])) }
        }
        #expect(recovery?.tornBytes == 0)
        return payloads
    }

    /// The golden records: those of the journals and the hand-made lines for events the
    /// console cannot cause (a quarantined input, a removed channel value, a signature notice).
    static func goldenRecords() throws -> [(source: String, bytes: Data)] {
        var all: [(String, Data)] = []
        for name in journals {
            for (index, payload) in try records(name).enumerated() { all.append(("\(name) record \(index + 1)", payload)) }
        }
        for file in lineFiles {
            let lines = try String(contentsOf: file, encoding: .utf8)
            for (index, line) in lines.split(separator: "\n").enumerated() {
                all.append(("\(file.lastPathComponent) line \(index + 1)", Data(line.utf8)))
            }
        }
        return all
    }

    private struct Record: Codable, Equatable {
        var seq: UInt64
        var events: [GatewayEvent]
    }

    @Test func everyGoldenRecordIsReadAndWrittenAgainToTheSameBytes() throws {
        let golden = try Self.goldenRecords()
        #expect(golden.count > 450)
        for (source, bytes) in golden {
            // The store's fast path, the tape decoder and Foundation all read it alike.
            let fast = try bytes.withUnsafeBytes { raw in
                try #require(JournalDecoder().decodeRecord(raw, events: GatewayEvent.self), "\(source)")
            }
            let foundation = try JSONDecoder().decode(Record.self, from: bytes)
            #expect(fast.sequence == foundation.seq && fast.events == foundation.events, "\(source)")
            // The same bytes, but for the order of a dictionary's members (Swift keeps no order).
            let written = try JournalEncoder().encodeRecord(sequence: foundation.seq, events: foundation.events)
            #expect(
                written.count == bytes.count && Self.sameJSON(written, bytes),
                """
                \(source) is written differently now:
                golden: \(String(decoding: bytes, as: UTF8.self))
                now:    \(String(decoding: written, as: UTF8.self))
                """)
        }
    }

    /// Equal JSON documents, members of objects in any order.
    static func sameJSON(_ a: Data, _ b: Data) -> Bool {
        func same(_ a: Any, _ b: Any) -> Bool {
            switch (a, b) {
            case (let a as [String: Any], let b as [String: Any]):
                return a.count == b.count && a.allSatisfy { key, value in b[key].map { same(value, $0) } ?? false }
            case (let a as [Any], let b as [Any]):
                return a.count == b.count && zip(a, b).allSatisfy(same)
            case (let a as String, let b as String):
                return a == b
            case (let a as NSNumber, let b as NSNumber):
                return a == b
            case (is NSNull, is NSNull):
                return true
            default:
                return false
            }
        }
        guard let x = try? JSONSerialization.jsonObject(with: a, options: [.fragmentsAllowed]),
            let y = try? JSONSerialization.jsonObject(with: b, options: [.fragmentsAllowed])
        else { return false }
        return same(x, y)
    }

    /// Every kind of event is among the golden records, so none can change unseen: a new kind
    /// needs a golden record (a line in handmade.jsonl) before it is written by anyone.
    @Test func theGoldenRecordsHoldEveryKindOfEvent() throws {
        var kinds: Set<String> = []
        for (_, bytes) in try Self.goldenRecords() {
            let record = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
            for event in try #require(record["events"] as? [[String: Any]]) { kinds.formUnion(event.keys) }
        }
        #expect(kinds == Set(GatewayEvent.CodingKeys.allCases.map(\.stringValue)))
    }

    /// And every kind of channel memory change, inside its event.
    @Test func theGoldenRecordsHoldEveryKindOfChannelMemoryChange() throws {
        var kinds: [String: Set<String>] = [:]
        for (_, bytes) in try Self.goldenRecords() {
            let record = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
            for event in try #require(record["events"] as? [[String: Any]]) {
                for (kind, body) in event where kind.hasSuffix("Memory") {
                    let change = try #require((body as? [String: Any])?["_0"] as? [String: Any])
                    kinds[kind, default: []].formUnion(change.keys)
                }
            }
        }
        #expect(kinds["matrixMemory"] == Set(MatrixMemory.Change.CodingKeys.allCases.map(\.stringValue)))
        #expect(kinds["mailMemory"] == Set(MailMemory.Change.CodingKeys.allCases.map(\.stringValue)))
    }

    /// The enumerations inside records keep the values written out in `Store/Schema`: a case
    /// renamed without its old string as raw value, or added without its string, fails here.
    @Test func storedEnumerationsKeepTheirWrittenValues() {
        func values<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> [String] where T.RawValue == String {
            T.allCases.map(\.rawValue)
        }
        let now: [String: [String]] = [
            "Order.Status": values(Order.Status.self), "Audience": values(Audience.self),
            "Assignment.Status": values(Assignment.Status.self), "Session.Status": values(Session.Status.self),
            "Offer.Status": values(Offer.Status.self), "FeeReport.Status": values(FeeReport.Status.self),
            "Feedback.Source": values(Feedback.Source.self), "ExpertApplication.Status": values(ExpertApplication.Status.self),
            "CalendarInvite.Method": values(CalendarInvite.Method.self), "Channel": values(Channel.self),
            "Language": values(Language.self), "TaskType": values(TaskType.self), "GuardCategory": values(GuardCategory.self),
            "SessionFrequency": values(SessionFrequency.self), "TravelAgreement.Status": values(TravelAgreement.Status.self),
            "PaymentMode": values(PaymentMode.self), "SessionCheck.Answer": values(SessionCheck.Answer.self),
        ]
        // The order of the cases is no part of the format.
        #expect(now.mapValues(Set.init) == StoredEnumerationValues.byType.mapValues(Set.init))
    }

    /// A state directory written by the main of 2026-11-30 opens in this build as it did there:
    /// the fee demo's journal replayed, and the same state from its compacted snapshot.
    @Test func statesWrittenByTheEarlierMainOpen() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-format-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        func open(_ name: String) throws -> (GatewayState, UInt64) {
            let copy = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: copy)
            let store = try StateStore<GatewayState>(directory: copy, options: .init(snapshotEvery: 0), logger: quietLogger)
            return (store.state, store.lastSequence)
        }
        let (replayed, sequence) = try open("fees")
        let (fromSnapshot, snapshotSequence) = try open("fees-compacted")
        #expect(sequence == 136 && snapshotSequence == 136)
        #expect(fromSnapshot == replayed)
        // What the fee demo did, as its transcript says.
        #expect(replayed.orders.count == 2)
        #expect(replayed.feeReports.values.map(\.status) == [.approved])
        #expect(replayed.processedInputs.count > 50)
        // Format 1's channel key for the guard's version, from a journal record and from the
        // snapshot's `channelState`, read into its own member.
        #expect(replayed.scrubbedWithGuard == "1" && fromSnapshot.unknownChannelKeys.isEmpty)
    }

    /// A state written by the build of 2026-12-01 (the fee demo: its retention passes compacted
    /// it, so a snapshot and a journal's tail; and the same compacted whole) opens, the same
    /// both ways, with the access log's anchor, the retention day and the privacy links.
    @Test func statesWrittenByTheBuildOfDecemberOpen() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-format-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        func open(_ name: String) throws -> GatewayState {
            let copy = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.fixturesV2.appendingPathComponent(name), to: copy)
            return try StateStore<GatewayState>(directory: copy, options: .init(snapshotEvery: 0), logger: quietLogger).state
        }
        let tail = try open("fees-2026-12-01")
        let whole = try open("fees-2026-12-01-compacted")
        #expect(tail == whole)
        #expect(tail.orders.count == 2 && tail.feeReports.values.map(\.status) == [.approved])
        #expect(tail.retentionAppliedOn == LocalDay(year: 2027, month: 1, day: 11))
        #expect(tail.auditAnchor != nil && tail.pendingAccesses.isEmpty)
        #expect(tail.privacyNoticeLinked.contains("kalle"))
    }
}
