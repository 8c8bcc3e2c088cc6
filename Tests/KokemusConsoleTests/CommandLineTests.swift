import Foundation
import Testing

/// The `kokemus` binary as a person runs it.
@Suite struct CommandLineTests {
    @Test func shippedFlowsCheckOut() throws {
        let result = try runKokemus(["flows", "check", "Flows"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stdout.contains(
                "10 flows OK: application, confidentiality, fee_approval, fee_report, feedback, hours, offer, order, session_check, supervision"
            ))
    }

    @Test func brokenFlowIsReportedAsFileAndLine() throws {
        let directory = temporaryDirectory("kokemus-flows")
        defer { cleanUp(directory) }
        let broken = try String(contentsOf: repositoryRoot.appendingPathComponent("Flows/order.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "goto: not_sent", with: "goto: not_send")
        try broken.write(to: directory.appendingPathComponent("order.yaml"), atomically: true, encoding: .utf8)
        let result = try runKokemus(["flows", "check", directory.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.range(
                    of: #"^.*/order\.yaml:\d+: step 'confirm' goes to unknown step 'not_send'$"#,
                    options: .regularExpression) != nil
            }, "\(lines)")
    }

    /// `kokemus registry check`: what the registry holds, or every problem as FILE:LINE.
    @Test func theRegistryIsCheckedAsTheGatewayLoadsIt() throws {
        let fine = try runKokemus(["registry", "check", "Config/example"])
        #expect(fine.status == 0, "\(fine.stdout)\(fine.stderr)")
        #expect(fine.stdout == "registry OK: 14 people (6 experts, 4 employees, 3 approvers, 1 coordinator), 3 units\n")

        let directory = temporaryDirectory("kokemus-registry")
        defer { cleanUp(directory) }
        let example = repositoryRoot.appendingPathComponent("Config/example")
        let units = try String(contentsOf: example.appendingPathComponent("units.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "approver: liisa", with: "approver: liisaa")
        try units.write(to: directory.appendingPathComponent("units.yaml"), atomically: true, encoding: .utf8)
        let people = try String(contentsOf: example.appendingPathComponent("people.yaml"), encoding: .utf8)
        try people.write(to: directory.appendingPathComponent("people.yaml"), atomically: true, encoding: .utf8)
        let broken = try runKokemus(["registry", "check", directory.path])
        #expect(broken.status == 1)
        let lines = broken.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.range(of: #"^.*/units\.yaml:\d+: .*liisaa"#, options: .regularExpression) != nil }, "\(lines)")
        #expect(lines.last?.hasSuffix("in \(directory.path)") == true, "\(lines)")

        // A role profile the task catalogue lacks (with the configuration's catalogue).
        try String(contentsOf: example.appendingPathComponent("units.yaml"), encoding: .utf8)
            .write(to: directory.appendingPathComponent("units.yaml"), atomically: true, encoding: .utf8)
        try people.replacingOccurrences(of: "role_profiles: [space_host]", with: "role_profiles: [space_hots]")
            .write(to: directory.appendingPathComponent("people.yaml"), atomically: true, encoding: .utf8)
        let misspelt = try runKokemus(["registry", "check", directory.path])
        #expect(misspelt.status == 1 && misspelt.stdout.contains("space_hots"), "\(misspelt.stdout)")
    }

    @Test func graphPrintsDot() throws {
        let result = try runKokemus(["flows", "graph", "order"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("digraph \"order\" {"))
        #expect(result.stdout.contains("\"task_kind\" -> \"sessions\"[label=\"task_kind == group\"];"))
    }

    @Test func scriptedDemoPrintsTheTranscript() throws {
        let state = temporaryDirectory("kokemus-cli-demo")
        defer { cleanUp(state) }
        let result = try runKokemus(["demo", "--state", state.path, "--script", "Tests/Fixtures/demo-order.script"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-order.transcript"),
                    encoding: .utf8)))
        let listed = try runKokemus(["orders", "list", "--state", state.path])
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("T-2026-0001  2026-12-08T14:00  90 min  individual  substance_use"))

        // What the state holds about Anna, as JSON; about no one, an error.
        let export = try runKokemus(["person", "export", "anna", "--state", state.path])
        #expect(export.status == 0, "\(export.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(json["person"] as? String == "anna" && json["format"] as? Int == 1)
        let orders = try #require(json["orders"] as? [[String: Any]])
        #expect(orders.map { $0["id"] as? String } == ["T-2026-0001"] && orders[0]["roles"] as? [String] == ["orderer"])
        let text = try runKokemus(["person", "export", "anna", "--format", "text", "--state", state.path])
        #expect(text.stdout.hasPrefix("Data held about anna, exported ") && text.stdout.contains("- T-2026-0001 (orderer)"))
        let nobody = try runKokemus(["person", "export", "nobody", "--state", state.path])
        #expect(nobody.status == 1 && nobody.stderr.contains("no person 'nobody'"))

        // Each read of Anna's data is in the access log, by the operating-system user.
        let audit = try runKokemus(["audit", "--person", "anna", "--state", state.path])
        #expect(audit.status == 0, "\(audit.stderr)")
        let lines = audit.stdout.split(separator: "\n")
        #expect(lines.count == 4, "\(audit.stdout)")
        #expect(lines[0].contains("os:") && lines[0].contains("(cli)  every order  [kokemus demo: /orders]"))
        #expect(lines[1].contains("(cli)  every order  [kokemus orders list --state "))
        #expect(lines[2].contains("everything held about anna  [kokemus person export anna --state "))
        #expect(lines[3].contains("[kokemus person export anna --format text --state "))
        #expect(try runKokemus(["audit", "--person", "nobody", "--state", state.path]).stdout.contains("no one has been shown"))
        let auditJSON = try runKokemus(["audit", "--person", "anna", "--format", "json", "--state", state.path])
        #expect(auditJSON.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"about\":[\"anna\"") })
        // The export names them too.
        let exported = try runKokemus(["person", "export", "anna", "--format", "text", "--state", state.path])
        #expect(exported.stdout.contains("Who has been shown this data (5 times):"), "\(exported.stdout)")
        let verify = try runKokemus(["audit", "verify", "--state", state.path])
        #expect(verify.status == 0 && verify.stdout.contains("whole, 5 entries"), "\(verify.stdout)")

        // An entry changed: found, with its line.
        let logPath = state.appendingPathComponent("audit.jsonl").path
        let original = try String(contentsOfFile: logPath, encoding: .utf8)
        try original.replacingOccurrences(of: "every order", with: "nothing much").write(toFile: logPath, atomically: true, encoding: .utf8)
        let broken = try runKokemus(["audit", "verify", "--state", state.path])
        #expect(broken.status == 1 && broken.stdout.contains("BROKEN at line 1"), "\(broken.stdout)")
        #expect(try runKokemus(["audit", "--state", state.path]).stderr.contains("chain is broken at line 1"))
        #expect(try runKokemus(["audit", "--from", "2026-02-30", "--state", state.path]).status != 0, "no such day")

        // Not from a backup: its copy of the access log is no one's record.
        let backup = state.deletingLastPathComponent().appendingPathComponent(state.lastPathComponent + "-backup")
        defer { cleanUp(backup) }
        #expect(try runKokemus(["state", "backup", "--to", backup.path, "--state", state.path]).status == 0)
        let fromBackup = try runKokemus(["person", "export", "anna", "--state", backup.path])
        #expect(fromBackup.status != 0 && fromBackup.stdout.isEmpty && fromBackup.stderr.contains("is a backup"), "\(fromBackup.stderr)")
        #expect(try runKokemus(["state", "restore", "--from", backup.path, "--check", "--state", state.path]).status == 0)

        // A read that cannot be logged shows nothing.
        try FileManager.default.removeItem(atPath: logPath)
        try FileManager.default.createDirectory(atPath: logPath, withIntermediateDirectories: false)
        let unlogged = try runKokemus(["person", "export", "anna", "--state", state.path])
        #expect(unlogged.status != 0 && unlogged.stdout.isEmpty && unlogged.stderr.contains("audit log"), "\(unlogged.stderr)")
    }

    /// Kalle erased after each demo that involves him: no file of the state directory holds
    /// his name, id, handle, contacts or a text he wrote (the access log keeps ids only; the
    /// registry is the county's to edit, and the command names its lines). His fee reports stay,
    /// under a pseudonym, with the same sums.
    @Test(arguments: ["fees", "self", "support", "changes", "year", "pairs"])
    func anErasedPersonIsNowhereInTheState(_ demo: String) throws {
        let state = temporaryDirectory("kokemus-cli-erase")
        defer { cleanUp(state) }
        let ran = try runKokemus(["demo", "--state", state.path, "--script", "Tests/Fixtures/demo-\(demo).script"])
        #expect(ran.status == 0, "\(ran.stderr)")
        let before = try runKokemus(["report", "fees", "--month", "2026-11", "--format", "csv", "--state", state.path])
        let kalle = [
            "kalle", "Kalle", "Heikkinen", "kalle.h@posti.example", "@kalle:kokemus.example", "+358 40 000 0101",
            "Rauhankatu 12 B 5", "K-12", "+358 40 000 0909",
        ]
        // The flows kept in the state name Kalle in their examples: the county's texts, not his
        // data. Left out of the search as JSON strings (as the snapshot and journal hold them).
        let flowTexts = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Flows").path)
            .filter { $0.hasSuffix(".yaml") }
            .map { try String(contentsOf: repositoryRoot.appendingPathComponent("Flows").appendingPathComponent($0), encoding: .utf8) }
            .map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self).replacingOccurrences(of: "\\/", with: "/") }
        func stateFiles() throws -> [(String, String)] {
            let names = try FileManager.default.subpathsOfDirectory(atPath: state.path).sorted()
            return names.compactMap { name in
                let path = state.appendingPathComponent(name).path
                var directory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &directory), !directory.boolValue,
                    let data = FileManager.default.contents(atPath: path)
                else { return nil }
                var text = String(decoding: data, as: UTF8.self)
                for flow in flowTexts { text = text.replacingOccurrences(of: flow, with: "") }
                return (name, text)
            }
        }
        // He is there before (the test can see him).
        #expect(try stateFiles().contains { $0.0 == "snapshot" || $0.0 == "journal" ? $0.1.contains("kalle") : false })
        let dry = try runKokemus(["person", "erase", "kalle", "--state", state.path])
        #expect(dry.status == 0 && dry.stdout.contains("nothing changed"))
        #expect(
            try stateFiles().contains { ($0.0 == "journal" || $0.0 == "snapshot") && $0.1.contains("kalle") },
            "a dry run changes nothing")

        var erased = try runKokemus(["person", "erase", "kalle", "--yes", "--state", state.path])
        if erased.stdout.contains("has work open") {
            // A booking after today, or a fee not yet paid: refused, unless forced.
            #expect(erased.status == 1 && erased.stdout.contains("nothing erased"), "\(erased.stdout)")
            erased = try runKokemus(["person", "erase", "kalle", "--yes", "--force", "--state", state.path])
        }
        #expect(erased.status == 0, "\(erased.stdout)\(erased.stderr)")
        #expect(erased.stdout.contains("registry/people.yaml:63: - id: kalle"), "\(erased.stdout)")
        let pseudonym = try #require(erased.stdout.firstMatch(of: /erased-[a-z]{8}/).map { String($0.output) })
        for (name, text) in try stateFiles() where !name.hasPrefix("registry/") {
            for word in kalle where text.contains(word) {
                let isLog = name == "audit.jsonl"
                // The access log keeps ids (the law asks for the log); nothing else of him.
                #expect(isLog && word == "kalle", "\(name) still holds \(word)")
            }
        }
        for (name, text) in try stateFiles() where !name.hasPrefix("registry/") {
            // Texts he wrote in the demos.
            for sentence in ["Hyvä keskustelu, asiakas oli valmistautunut.", "Jag har återhämtat mig från depression", "kuumetta"] {
                #expect(!text.contains(sentence), "\(name) still holds '\(sentence)'")
            }
        }
        #expect(try runKokemus(["state", "check", "--state", state.path]).status == 0)
        // The accounts still add up, under the pseudonym.
        let after = try runKokemus(["report", "fees", "--month", "2026-11", "--format", "csv", "--state", state.path])
        #expect(after.stdout.replacingOccurrences(of: pseudonym, with: "Kalle Heikkinen") == before.stdout)
        // The erasure is in the access log, without the pseudonym.
        let log = try String(contentsOf: state.appendingPathComponent("audit.jsonl"), encoding: .utf8)
        let entry = try #require(log.split(separator: "\n").first { $0.contains("erased kalle's data") })
        #expect(!entry.contains(pseudonym))
        #expect(try runKokemus(["person", "erase", "nobody", "--yes", "--state", state.path]).status == 1)
        // Erased again: nothing left to do, and nothing found.
        let again = try runKokemus(["person", "erase", "kalle", "--yes", "--force", "--also", "Kalle Heikkinen", "--state", state.path])
        #expect(again.status == 0 && !again.stdout.contains("STILL"), "\(again.stdout)")
    }

    /// Someone the registry no longer knows: only their id could be searched for, so the
    /// erase asks for what identified them.
    @Test func anEraseWithoutTheRegistryEntryAsksForWhatIdentifiedThem() throws {
        let state = temporaryDirectory("kokemus-cli-erase")
        defer { cleanUp(state) }
        #expect(try runKokemus(["demo", "--state", state.path, "--script", "Tests/Fixtures/demo-offer.script"]).status == 0)
        let people = state.appendingPathComponent("registry/people.yaml")
        var lines = try String(contentsOf: people, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.contains("- id: kalle") })
        let end = try #require(lines[(start + 1)...].firstIndex { $0.contains("  - id: ") })
        lines.removeSubrange(start..<end)
        try lines.joined(separator: "\n").write(to: people, atomically: true, encoding: .utf8)
        let refused = try runKokemus(["person", "erase", "kalle", "--yes", "--state", state.path])
        #expect(refused.status == 1 && refused.stderr.contains("--also"), "\(refused.stderr)")
        let erased = try runKokemus([
            "person", "erase", "kalle", "--yes", "--force", "--also", "Kalle Heikkinen", "--also", "+358 40 000 0101", "--state",
            state.path,
        ])
        #expect(erased.status == 0, "\(erased.stdout)")
        let snapshot = String(decoding: try Data(contentsOf: state.appendingPathComponent("snapshot")), as: UTF8.self)
        #expect(!snapshot.contains("Heikkinen") && !snapshot.contains("\"kalle\""))
        // What --also gave is not kept in the access log's record of the erasure either.
        let log = try String(contentsOf: state.appendingPathComponent("audit.jsonl"), encoding: .utf8)
        #expect(log.contains("kokemus person erase kalle") && !log.contains("Heikkinen") && !log.contains("0101"), "\(log)")
    }

    /// `--log-format json`: every line of the log one JSON object with its time, level and message.
    @Test func logsAsJSONLines() throws {
        let state = temporaryDirectory("kokemus-cli-json")
        defer { cleanUp(state) }
        let result = try runKokemus([
            "demo", "--state", state.path, "--script", "Tests/Fixtures/demo-order.script", "--log-format", "json", "--log-level", "info",
        ])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count > 3, "\(result.stderr)")
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["level"] is String && object["message"] is String && (object["time"] as? String)?.hasSuffix("Z") == true)
        }
        #expect(lines.contains { $0.contains("\"message\":\"store: opened\"") || $0.contains("audit log") }, "\(result.stderr)")
    }

    @Test func secondInstanceOnTheSameStateIsRefused() throws {
        let state = temporaryDirectory("kokemus-cli-lock")
        defer { cleanUp(state) }
        let first = Process()
        first.executableURL = try kokemusBinary()
        first.arguments = ["demo", "--state", state.path]
        first.currentDirectoryURL = repositoryRoot
        let input = Pipe()
        let output = Pipe()
        first.standardInput = input
        first.standardOutput = output
        first.standardError = FileHandle.nullDevice
        try first.run()
        // The first instance answers /who only once it holds the state directory.
        input.fileHandleForWriting.write(Data("/who\n".utf8))
        var seen = ""
        while !seen.contains("# anna:") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("# anna:"))

        let second = try runKokemus(["orders", "list", "--state", state.path])
        #expect(second.status == 75)
        // Nor is a person erased under it.
        let erase = try runKokemus(["person", "erase", "kalle", "--yes", "--state", state.path])
        #expect(erase.status == 75 && erase.stderr.contains("the gateway is running"), "\(erase.stderr)")
        #expect(second.stderr.contains("another kokemus process (process \(first.processIdentifier)) is using the state directory"))

        try input.fileHandleForWriting.close()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(try runKokemus(["orders", "list", "--state", state.path]).status == 0)
    }

    @Test func toolsDoNotCreateAMistypedStateDirectory() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-missing-\(UUID().uuidString)")
        let result = try runKokemus(["state", "check", "--state", missing.path])
        #expect(result.status == 74)
        #expect(result.stderr == "kokemus: there is no state directory at \(missing.path)\n")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test func helpExplainsTheCommands() throws {
        let result = try runKokemus(["--help"])
        #expect(result.status == 0)
        for command in ["demo", "flows", "orders", "state"] {
            #expect(result.stdout.contains(command))
        }
        let demo = try runKokemus(["demo", "--help"])
        #expect(demo.stdout.contains("--script"))
        #expect(demo.stdout.contains("/time"))
    }
}
