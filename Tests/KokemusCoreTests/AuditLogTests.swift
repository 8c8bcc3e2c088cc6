import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The access log: appended under a lock by several writers, a hash chain that shows a
/// changed, removed, added or reordered line, torn last lines, retention's checkpoint, and the
/// gateway's accesses reaching it exactly once.
@Suite struct AuditLogTests {
    static func access(_ number: Int, id: UInt64? = nil, about: [PersonID] = ["kalle"], at: Date? = nil) -> DataAccess {
        DataAccess(
            id: id, at: at ?? Date(timeIntervalSince1970: 1_790_000_000 + Double(number) * 60), by: "kaisa", via: .chat,
            what: "candidates for T-2026-\(number)", about: about, why: "ehdokkaat T-2026-\(number)")
    }

    func lines(_ log: AuditLog) throws -> [String] {
        try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String], to log: AuditLog) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: log.path))
    }

    @Test func entriesChainAndVerify() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        #expect(try log.verify().isWhole && log.verify().entries == 0)
        try log.append((1...5).map { Self.access($0) })
        try log.append([Self.access(6, about: ["sanna", "kalle", "sanna"])])
        let result = try log.verify()
        #expect(result.isWhole && result.entries == 6 && result.lastSequence == 6)
        let entries = try log.entries()
        #expect(entries.map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(entries[0].prev == AuditLog.genesis && entries[1].prev != entries[0].prev)
        #expect(entries[5].about == ["kalle", "sanna"], "each person once, sorted")
        #expect(entries[5].what == "candidates for T-2026-6" && entries[5].by == "kaisa" && entries[5].via == .chat)
        let mode = try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test(arguments: ["change", "remove", "add", "swap", "rehash"])
    func aChangedLogIsFound(_ tampering: String) throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        try log.append((1...6).map { Self.access($0) })
        var lines = try lines(log)
        switch tampering {
        case "change": lines[2] = lines[2].replacingOccurrences(of: "\"by\":\"kaisa\"", with: "\"by\":\"pekka\"")
        case "remove": lines.remove(at: 3)
        case "add": lines.insert(lines[1], at: 2)
        case "swap": lines.swapAt(2, 3)
        default:
            // A changed entry given a correct own hash still breaks the next entry's `prev`.
            let changed = lines[2].replacingOccurrences(of: "kalle", with: "sanna")
            let body = Data(changed.prefix(changed.count - 75).utf8) + Data("}".utf8)
            let hash = AuditLog.sha256(body)
            lines[2] = String(changed.prefix(changed.count - 75)) + ",\"hash\":\"\(hash)\"}"
        }
        try write(lines, to: log)
        let result = try log.verify()
        #expect(!result.isWhole, "\(tampering) was not found")
        #expect((2...4).contains(result.problem?.line ?? 0), "\(String(describing: result.problem))")
        // Nothing is written after a break, and retention refuses to hide one.
        #expect(throws: StoreError.self) { try log.prune(before: Date.distantFuture) }
    }

    @Test func aTornLastLineIsCutByTheNextAppend() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        try log.append((1...3).map { Self.access($0) })
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"about\":[\"kal".utf8))
        try handle.close()
        let torn = try log.verify()
        #expect(torn.isWhole && torn.tornTail && torn.entries == 3)
        try log.append([Self.access(4)])
        let mended = try log.verify()
        #expect(mended.isWhole && !mended.tornTail && mended.entries == 4)
    }

    @Test func gatewayAccessesAlreadyLoggedAreNotWrittenTwice() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        // The gateway wrote 1–3, died before recording so, and a command-line read came between.
        try log.append((1...3).map { Self.access($0, id: UInt64($0)) })
        try log.append([Self.access(9)])
        let written = try log.append((1...4).map { Self.access($0, id: UInt64($0)) })
        #expect(written.map(\.id) == [4])
        #expect(try log.entries().compactMap(\.id) == [1, 2, 3, 4])
        #expect(try log.verify().isWhole)
    }

    /// A state put back from a backup numbers its accesses again from an earlier id; a
    /// forged entry with a huge id; neither keeps the gateway's new accesses out of the log.
    @Test func onlyTheSameAccessIsSkippedNotTheSameNumber() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        try log.append([Self.access(1, id: 1), Self.access(2, id: 2), Self.access(3, id: UInt64.max)])
        let later = Date(timeIntervalSince1970: 1_800_000_000)
        let again = try log.append([Self.access(1, id: 1, at: later), Self.access(2, id: 2, at: later), Self.access(4, id: 3)])
        #expect(again.count == 3)
        #expect(try log.append([Self.access(4, id: 3)]).isEmpty, "the very same access, after a crash")
        #expect(try log.verify().entries == 6)
    }

    @Test func aWholeEntryThatLostItsLineFeedIsKept() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        try log.append((1...3).map { Self.access($0) })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log.path))
        bytes.removeLast()
        try bytes.write(to: URL(fileURLWithPath: log.path))
        let cut = try log.verify()
        #expect(cut.isWhole && cut.entries == 3 && cut.tornTail)
        try log.append([Self.access(4)])
        #expect(try log.verify().entries == 4 && !log.verify().tornTail)
        // A torn tail longer than any read: found and cut all the same.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: UInt8(ascii: "x"), count: 200_000))
        try handle.close()
        try log.append([Self.access(5)])
        let mended = try log.verify()
        #expect(mended.isWhole && mended.entries == 5 && !mended.tornTail)
    }

    /// The state remembers the last entry the gateway wrote: a log cut after it, or replaced
    /// whole with a chain of its own, is found.
    @Test func theGatewaysAnchorShowsACutOrReplacedLog() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        let written = try log.append((1...4).map { Self.access($0, id: UInt64($0)) })
        let anchor = AuditAnchor(seq: written[3].seq, hash: written[3].hash)
        #expect(try log.verify(anchor: anchor).isWhole)
        #expect(try log.head()?.seq == 4 && log.head()?.hash == anchor.hash)
        var lines = try lines(log)
        lines.removeLast()
        try write(lines, to: log)
        #expect(try log.verify().isWhole, "the chain alone cannot see a cut end")
        #expect(try log.verify(anchor: anchor).problem?.reason.contains("entries removed") == true)
        // Rewritten whole, with a chain of its own.
        try FileManager.default.removeItem(atPath: log.path)
        try log.append((1...4).map { Self.access($0 + 10) })
        #expect(try log.verify(anchor: anchor).problem?.reason.contains("replaced") == true)
        try FileManager.default.removeItem(atPath: log.path)
        #expect(try !log.verify(anchor: anchor).isWhole, "a deleted log")
    }

    @Test func aForgedCheckpointIsFound() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        try log.append((1...4).map { Self.access($0) })
        let lines = try lines(log)
        let third = try #require(try log.entries().dropFirst(2).first)
        for (dropped, before) in [(0, "2020-01-01T00:00:00Z"), (2, "2030-01-01T00:00:00Z")] {
            let checkpoint =
                "{\"checkpoint\":{\"before\":\"\(before)\",\"dropped\":\(dropped),\"hash\":\"\(third.prev)\",\"seq\":2},\"v\":1}"
            try write([checkpoint] + lines.dropFirst(2), to: log)
            #expect(try !log.verify().isWhole, "dropped \(dropped), before \(before)")
        }
    }

    @Test func writersAtOnceKeepOneChain() async throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for number in 0..<40 { try log.append([Self.access(writer * 100 + number)]) }
                }
            }
            // Retention replacing the file meanwhile loses no entry.
            group.addTask {
                for _ in 0..<10 { try log.prune(before: Date(timeIntervalSince1970: 1_790_000_000 + 30 * 60)) }
            }
            try await group.waitForAll()
        }
        let result = try log.verify()
        #expect(result.isWhole, "\(String(describing: result.problem))")
        #expect(result.lastSequence == 320)
        #expect(Int(result.dropped) + result.entries == 320)
    }

    @Test func retentionDropsOldEntriesAndTheChainGoesOn() throws {
        let root = temporaryDirectory("kokemus-audit")
        defer { cleanUp(root) }
        let log = AuditLog(directory: root)
        let day = 86_400.0
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        try log.append((0..<10).map { Self.access($0, about: [PersonID("p\($0)")], at: start + Double($0) * day) })
        #expect(try log.prune(before: start + 4 * day) == 4)
        var result = try log.verify()
        #expect(result.isWhole && result.entries == 6 && result.dropped == 4 && result.lastSequence == 10)
        #expect(try log.entries().first?.about == ["p4"])
        // The dropped people's entries are gone from the file, not only from the listing.
        let bytes = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(!bytes.contains("\"p3\"") && bytes.contains("\"p4\""))
        try log.append([Self.access(11, at: start + 11 * day)])
        #expect(try log.prune(before: start + 6 * day) == 2)
        #expect(try log.prune(before: start + 6 * day) == 0)
        result = try log.verify()
        #expect(result.isWhole && result.entries == 5 && result.dropped == 6 && result.lastSequence == 11)
        // A checkpoint anywhere but first is a change.
        var lines = try lines(log)
        lines.insert(lines.removeFirst(), at: 2)
        try write(lines, to: log)
        #expect(try !log.verify().isWhole)
    }

    @Test func fieldsAreOneBoundedLine() {
        let access = DataAccess(
            at: Date(), by: "os:root\n", via: .cli, what: String(repeating: "x", count: 10_000), about: [],
            why: "kokemus\u{0}person\u{1B}[2J export")
        #expect(access.what.count == DataAccess.fieldLimit)
        #expect(!access.why.contains("\u{0}") && !access.why.contains("\u{1B}") && !access.by.contains("\n"))
        // Bounded in code points, so a letter with endless combining marks is cut too; no
        // line separators or direction overrides to make a line read otherwise.
        let marks = DataAccess(
            at: Date(), by: "os:root", via: .cli, what: "a" + String(repeating: "\u{301}", count: 60_000),
            about: [PersonID(String(repeating: "k", count: 5_000))], why: "export\u{2028}kalle\u{202E}ellak")
        #expect(marks.what.unicodeScalars.count == DataAccess.fieldLimit && marks.about[0].rawValue.count == 100)
        #expect(marks.why == "export kalle ellak")
    }

    // MARK: Through the gateway

    @Test func aCoordinatorsCandidateListIsLoggedOnceAndNotKeptInTheState() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        let log = AuditLog(directory: h.config.stateDirectory)
        #expect(try log.entries().isEmpty, "an order and its offer show no one else's data to anyone")
        let list = try await h.reply("kaisa", "ehdokkaat T-2026-0001")
        #expect(list.contains("kalle"))
        var entries = try log.entries()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.by == "kaisa" && entry.via == .chat && entry.what == "candidates for T-2026-0001")
        #expect(entry.about.contains("kalle") && entry.why == "ehdokkaat T-2026-0001" && entry.id == 1)
        #expect(await h.state.pendingAccesses.isEmpty, "copied to the log and forgotten")
        _ = try await h.reply("kaisa", "tilaukset")
        // Not written again after a restart (the state keeps nothing pending).
        try h.restart()
        _ = try await h.advance(hours: 1)
        entries = try log.entries()
        #expect(entries.map(\.why) == ["ehdokkaat T-2026-0001", "tilaukset"])
        #expect(try log.verify().isWhole)
        // Someone's own data is no access to record; nor is a refused command.
        _ = try await h.reply("kalle", "omat tiedot")
        _ = try await h.reply("anna", "tilaukset")
        #expect(try log.entries().count == 2)
    }

    @Test func accessesWaitInTheStateWhileTheLogCannotBeWritten() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        let log = AuditLog(directory: h.config.stateDirectory)
        // A directory where the log should be: every append fails.
        try FileManager.default.createDirectory(atPath: log.path, withIntermediateDirectories: false)
        let list = try await h.reply("kaisa", "ehdokkaat T-2026-0001")
        #expect(list.contains("kalle"), "the coordinator is answered")
        #expect(await h.state.pendingAccesses.map(\.what) == ["candidates for T-2026-0001"])
        try h.restart()
        #expect(await h.state.pendingAccesses.count == 1, "kept across a restart")
        try FileManager.default.removeItem(atPath: log.path)
        _ = try await h.advance(hours: 1)
        #expect(try log.entries().map(\.what) == ["candidates for T-2026-0001"])
        #expect(await h.state.pendingAccesses.isEmpty)
        #expect(await h.state.auditAnchor?.seq == 1, "the state remembers the last entry written")
        // Why an expert cannot be offered it is theirs: shown, and logged.
        let refused = try await h.reply("kaisa", "tarjoa T-2026-0001 kalle")
        #expect(refused.contains("Kalle"), "\(refused)")
        #expect(try log.entries().last?.what == "why kalle cannot be offered T-2026-0001")
        #expect(await h.state.auditAnchor?.seq == 2)
    }

    @Test func anApproverSeeingAFeeReportAndPayrollGettingItAreLogged() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9))
        let log = AuditLog(directory: h.config.stateDirectory)
        _ = try await h.placeOrder(when: "ti 10.11. klo 14")
        _ = try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 11, 10, 15, 40))
        _ = try await h.send("kalle", "kyllä")
        _ = try await h.send("kalle", "0")
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        #expect(try log.entries().isEmpty, "the expert's own report is no one else's data")
        // Kalle confirms: the report reaches the unit's approver Liisa, who is shown it.
        _ = try await h.send("kalle", "1")
        let shown = try #require(try log.entries().last)
        #expect(shown.by == "liisa" && shown.about == ["kalle"] && shown.what.hasPrefix("fee report P-2026-11-kalle"))
        _ = try await h.send("liisa", "1")
        _ = try await h.advance(to: local(2026, 12, 10, 8))
        let handover = try #require(try log.entries().last)
        #expect(handover.what.hasPrefix("payroll handover of 2026-12-10") && handover.about == ["kalle"])
        #expect(handover.why == "automatic payroll handover" && handover.by != "liisa")
        #expect(try log.verify().isWhole)
    }
}
