import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// A coordinator's registry changes in chat (`rekisteri …`), written into the registry's files.
@Suite struct RegistryChangeTests {
    static let at = local(2026, 12, 1, 9)

    func change(_ edit: RegistryChange.Edit) -> RegistryChange {
        RegistryChange(id: 1, edit: edit, by: "kaisa", channel: .console, at: Self.at, why: "rekisteri")
    }

    func files(_ directory: URL) throws -> [String: String] {
        var texts: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            texts[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return texts
    }

    /// The lines of `after` that `before` lacks, and the reverse: what an edit changed.
    func changedLines(_ before: String, _ after: String) -> (added: [String], removed: [String]) {
        let old = before.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = after.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let difference = new.difference(from: old)
        var added: [String] = []
        var removed: [String] = []
        for change in difference {
            switch change {
            case .insert(_, let line, _): added.append(line)
            case .remove(_, let line, _): removed.append(line)
            }
        }
        return (added, removed)
    }

    // MARK: The files

    @Test func eachChangeIsWrittenWhereItBelongsAndNothingElseMoves() throws {
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let writer = RegistryWriter(directory: directory)
        var before = try files(directory)

        // A value in place: the agreement's last day.
        guard case .written(let registry, let file, _) = writer.write(change(.agreementUntil(expert: "kalle", day: "2028-06-30"))) else {
            Issue.record("not written")
            return
        }
        #expect(file.hasSuffix("people.yaml"))
        #expect(registry.person("kalle")?.expert?.agreementValidUntil == "2028-06-30")
        var after = try files(directory)
        var lines = changedLines(before["people.yaml"]!, after["people.yaml"]!)
        #expect(lines.added == ["      agreement_valid_until: 2028-06-30"])
        #expect(lines.removed.count == 1 && lines.removed[0].contains("agreement_valid_until"))
        #expect(after["units.yaml"] == before["units.yaml"])
        #expect(try RegistryLoader.load(directory: directory).person("kalle")?.expert?.agreementValidUntil == "2028-06-30")

        // The same again changes nothing.
        guard case .alreadyThere = writer.write(change(.agreementUntil(expert: "kalle", day: "2028-06-30"))) else {
            Issue.record("written twice")
            return
        }
        #expect(try files(directory) == after)

        // A unit's approver.
        before = after
        guard case .written = writer.write(change(.approver(unit: "perhepalvelut-loviisa", approver: "tuula"))) else {
            Issue.record("not written")
            return
        }
        after = try files(directory)
        lines = changedLines(before["units.yaml"]!, after["units.yaml"]!)
        #expect(lines.added == ["    approver: tuula"] && lines.removed == ["    approver: mikael"])

        // An address in a flow mapping, and the channel added on a line of its own.
        before = after
        guard
            case .written(let changed, _, _) = writer.write(
                change(.contact(person: "olli", channel: .matrix, address: "@olli:kokemus.example")))
        else {
            Issue.record("not written")
            return
        }
        #expect(changed.person("olli")?.contacts.matrix == "@olli:kokemus.example")
        #expect(changed.person("olli")?.contacts.email == "olli.nieminen@hyvinvointialue.example")
        #expect(changed.person("olli")?.preferredChannel == .matrix)
        after = try files(directory)
        lines = changedLines(before["people.yaml"]!, after["people.yaml"]!)
        #expect(lines.removed == ["    contacts: {email: olli.nieminen@hyvinvointialue.example}"])
        #expect(
            Set(lines.added) == [
                "    channel: matrix", "    contacts: {matrix: \"@olli:kokemus.example\", email: olli.nieminen@hyvinvointialue.example}",
            ])
        #expect(after["people.yaml"]!.contains("# home_address is never shown"), "comments stay")
    }

    @Test func aNewExpertGoesAfterTheLastPersonAsTheOthersAreWritten() throws {
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let before = try files(directory)
        let new = NewExpert(
            id: "nina", name: "Nina \"Nelli\" Esimerkki", language: .sv, channel: .email, address: "nina@posti.example",
            handle: "Erfarenhetsexpert K-31", topics: ["mental_health"], taskTypes: [.individual, .group], languages: [.sv, .fi],
            municipalities: ["Porvoo", "Loviisa"], training: "Kurs 2025: grund", validFrom: "2026-12-01", validUntil: "2027-12-31",
            application: "H-2026-001")
        guard case .written(let registry, let file, _) = RegistryWriter(directory: directory).write(change(.addExpert(new))) else {
            Issue.record("not written")
            return
        }
        #expect(file.hasSuffix("people.yaml"))
        #expect(registry.person("nina") == new.person)
        let after = try files(directory)
        #expect(after.keys.sorted() == before.keys.sorted(), "no file of its own")
        #expect(after["people.yaml"]!.hasPrefix(before["people.yaml"]!), "added at the end")
        #expect(
            after["people.yaml"]!.contains(
                "  # Added in chat by kaisa on 2026-12-01 from application H-2026-001.\n  - id: nina\n    name: "))
        #expect(try RegistryLoader.load(directory: directory).person("nina") == new.person)
    }

    /// A `people:` list a document end follows cannot be added to at the end: the new expert
    /// goes into a file of their own, and people.yaml is left as it was.
    @Test(arguments: ["...\n", "...\n# loppu\n", "---\nunits: []\n"])
    func aNewExpertAfterADocumentEndGoesIntoAFileOfTheirOwn(end: String) throws {
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let people = directory.appendingPathComponent("people.yaml")
        try (try String(contentsOf: people, encoding: .utf8) + end).write(to: people, atomically: true, encoding: .utf8)
        let before = try String(contentsOf: people, encoding: .utf8)
        let new = NewExpert(
            id: "nina", name: "Nina Esimerkki", language: .fi, channel: .email, address: "nina@posti.example",
            handle: "Kokemusasiantuntija K-31", topics: ["mental_health"], taskTypes: [.individual], languages: [.fi],
            municipalities: ["Porvoo"], training: nil, validFrom: "2026-12-01", validUntil: "2027-12-31", application: "H-2026-001")
        let outcome = RegistryWriter(directory: directory).write(change(.addExpert(new)))
        guard case .written(let registry, let file, _) = outcome else {
            // A second document is not something the loader reads: refused, nothing written.
            #expect(end.hasPrefix("---"), "\(outcome)")
            #expect(try String(contentsOf: people, encoding: .utf8) == before)
            return
        }
        #expect(file == RegistryFileEditor.newPeopleFile && registry.person("nina") == new.person)
        #expect(try String(contentsOf: people, encoding: .utf8) == before)
    }

    @Test func aLayoutTheEditorCannotPlaceSafelyIsRefusedAndTheFileIsLeftAlone() throws {
        // A unit's approver in a block scalar, and another's behind an alias: a change to
        // either cannot be placed on one line, so neither is written.
        let directory = try exampleRegistry { people in
            people.replacingOccurrences(of: "    agreement_valid_until: 2027-12-31", with: "    agreement_valid_until:\n        2027-12-31")
        }
        defer { cleanUp(directory) }
        let units = directory.appendingPathComponent("units.yaml")
        let unitsText = try String(contentsOf: units, encoding: .utf8)
            .replacingOccurrences(of: "    approver: mikael", with: "    approver: |-\n      mikael")
            .replacingOccurrences(of: "    approver: tuula", with: "    approver: &boss tuula")
        try unitsText.write(to: units, atomically: true, encoding: .utf8)
        let before = try files(directory)
        let writer = RegistryWriter(directory: directory)
        for edit: RegistryChange.Edit in [
            .approver(unit: "perhepalvelut-loviisa", approver: "tuula"), .approver(unit: "asumispalvelut-sipoo", approver: "liisa"),
        ] {
            guard case .refused(.files(let why)) = writer.write(change(edit)) else {
                Issue.record("\(edit) was written")
                continue
            }
            #expect(why.contains("by hand"))
        }
        #expect(try files(directory) == before)
        // A value on the line after its key is still one line: written where it stands.
        guard case .written = writer.write(change(.agreementUntil(expert: "kalle", day: "2028-01-31"))) else {
            Issue.record("not written")
            return
        }
        let lines = changedLines(before["people.yaml"]!, try files(directory)["people.yaml"]!)
        #expect(lines.added == ["        2028-01-31"] && lines.removed == ["        2027-12-31"])
    }

    @Test func aChangeTheFilesNoLongerAllowIsRefused() throws {
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let writer = RegistryWriter(directory: directory)
        #expect(
            writer.write(change(.contact(person: "anna", channel: .matrix, address: "@kalle:kokemus.example"))).problem
                == .addressTaken("kalle"))
        #expect(writer.write(change(.approver(unit: "mielenterveys-porvoo", approver: "kalle"))).problem == .notAnApprover("kalle"))
        #expect(writer.write(change(.agreementUntil(expert: "ghost", day: "2027-01-01"))).problem == .unknown("ghost"))
        #expect(writer.write(change(.agreementUntil(expert: "kalle", day: "2020-01-01"))).problem == .beforeAgreementStart("2025-01-01"))
        // A registry someone broke by hand is not written over.
        try "people: [".write(to: directory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        guard case .refused(.files(let why)) = writer.write(change(.agreementUntil(expert: "kalle", day: "2028-01-31"))) else {
            Issue.record("written into a broken registry")
            return
        }
        #expect(why.contains("broken.yaml"))
        // The coordinator reads file names, not where the server keeps them.
        #expect(!why.contains(directory.path) && !why.contains(directory.lastPathComponent + "/"), "\(why)")
    }

    /// Who may ask is checked against the files as they are when the change is written: an
    /// edit by hand since it was asked for (a role taken away, another coordinator made)
    /// counts.
    @Test func whoMayAskIsCheckedAgainstTheFilesWhenWritten() throws {
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let people = directory.appendingPathComponent("people.yaml")
        let text = try String(contentsOf: people, encoding: .utf8)
        let writer = RegistryWriter(directory: directory)
        let moveOlli = change(.contact(person: "olli", channel: .email, address: "evil@posti.example"))
        try text.replacingOccurrences(
            of: "    name: Olli Nieminen\n    roles: [employee]", with: "    name: Olli Nieminen\n    roles: [employee, coordinator]"
        )
        .write(to: people, atomically: true, encoding: .utf8)
        #expect(writer.write(moveOlli).problem == .coordinatorContact("olli"))
        // Kaisa is no longer a coordinator; Olli is.
        try text.replacingOccurrences(
            of: "    name: Olli Nieminen\n    roles: [employee]", with: "    name: Olli Nieminen\n    roles: [employee, coordinator]"
        )
        .replacingOccurrences(of: "    name: Kaisa Laine\n    roles: [coordinator]", with: "    name: Kaisa Laine\n    roles: [approver]")
        .write(to: people, atomically: true, encoding: .utf8)
        #expect(writer.write(moveOlli).problem == .notCoordinator("kaisa"))
        #expect(writer.write(change(.approver(unit: "perhepalvelut-loviisa", approver: "tuula"))).problem == .notCoordinator("kaisa"))
        let before = try String(contentsOf: people, encoding: .utf8)
        #expect(!before.contains("evil@"))
        // Her own address a coordinator may set.
        try text.write(to: people, atomically: true, encoding: .utf8)
        guard case .written = writer.write(change(.contact(person: "kaisa", channel: .email, address: "kaisa.uusi@posti.example"))) else {
            Issue.record("a coordinator's own address was not written")
            return
        }
    }

    @Test func lineEndingsAreLibyamlsAndKeptAsTheFileHasThem() throws {
        // CR LF throughout; and a file of LF lines with one stray CR LF, a CR and a U+2028
        // in comments before the edited lines (libyaml counts each as a line break).
        let crlf = try exampleRegistry { $0.replacingOccurrences(of: "\n", with: "\r\n") }
        defer { cleanUp(crlf) }
        let units = crlf.appendingPathComponent("units.yaml")
        try String(contentsOf: units, encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
            .write(to: units, atomically: true, encoding: .utf8)
        let writer = RegistryWriter(directory: crlf)
        for edit: RegistryChange.Edit in [
            .agreementUntil(expert: "kalle", day: "2028-06-30"),
            .contact(person: "olli", channel: .matrix, address: "@olli:kokemus.example"),
            .approver(unit: "perhepalvelut-loviisa", approver: "tuula"),
            .addExpert(
                NewExpert(
                    id: "nina", name: "Nina", language: .fi, channel: .email, address: "nina@posti.example", handle: "K-31",
                    topics: ["mental_health"], taskTypes: [.individual], languages: [.fi], municipalities: [], training: nil,
                    validFrom: "2026-12-01", validUntil: "2027-12-31", application: "H-2026-001")),
        ] {
            guard case .written(_, let file, _) = writer.write(change(edit)) else {
                Issue.record("\(edit) not written into a CR LF registry: \(writer.write(change(edit)))")
                continue
            }
            #expect(file.hasSuffix("people.yaml") || file.hasSuffix("units.yaml"))
        }
        for name in ["people.yaml", "units.yaml"] {
            let bytes = try Data(contentsOf: crlf.appendingPathComponent(name))
            let lone = zip(bytes, [0] + bytes).filter { $0.0 == 0x0A && $0.1 != 0x0D }.count
            #expect(lone == 0, "\(name): every line still ends in CR LF")
        }

        let mixed = try exampleRegistry { people in
            people.replacingOccurrences(of: "# Example people.", with: "# Example\r\n# people.\u{2028}# more\r# still a comment:")
        }
        defer { cleanUp(mixed) }
        let before = try String(contentsOf: mixed.appendingPathComponent("people.yaml"), encoding: .utf8)
        guard case .written = RegistryWriter(directory: mixed).write(change(.agreementUntil(expert: "pekka", day: "2028-01-31"))) else {
            Issue.record("not written")
            return
        }
        let lines = changedLines(before, try String(contentsOf: mixed.appendingPathComponent("people.yaml"), encoding: .utf8))
        #expect(lines.removed.isEmpty && lines.added.count == 1 && lines.added[0].hasSuffix("agreement_valid_until: 2028-01-31"))
        #expect(try RegistryLoader.load(directory: mixed).person("pekka")?.expert?.agreementValidUntil == "2028-01-31")

        // A person written over two lines of a flow list with one CR LF: placed, not trapped on.
        try "people: [{\r\n  id: uusi, name: Uusi Henkilo, roles: [payroll]}]\r\n".write(
            to: mixed.appendingPathComponent("zz.yaml"), atomically: true, encoding: .utf8)
        guard
            case .written = RegistryWriter(directory: mixed).write(
                change(.contact(person: "uusi", channel: .email, address: "uusi@x.example")))
        else {
            Issue.record("not written")
            return
        }
        #expect(try RegistryLoader.load(directory: mixed).person("uusi")?.contacts.email == "uusi@x.example")
    }

    @Test func aFileKeepsItsByteOrderMarkAndANewFileTheOthersMode() throws {
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let units = directory.appendingPathComponent("units.yaml")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(contentsOf: units)).write(to: units)
        chmod(directory.appendingPathComponent("people.yaml").path, 0o640)
        guard
            case .written = RegistryWriter(directory: directory).write(change(.approver(unit: "perhepalvelut-loviisa", approver: "tuula")))
        else {
            Issue.record("not written")
            return
        }
        #expect(try Data(contentsOf: units).prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        // People in a file of their own when people.yaml's list is not its last key.
        let people = directory.appendingPathComponent("people.yaml")
        try (String(contentsOf: people, encoding: .utf8) + "units: []\n").write(to: people, atomically: true, encoding: .utf8)
        chmod(people.path, 0o640)
        let new = NewExpert(
            id: "nina", name: "Nina", language: .fi, channel: .email, address: "nina@posti.example", handle: "K-31",
            topics: ["mental_health"], taskTypes: [.individual], languages: [.fi], municipalities: [], training: nil,
            validFrom: "2026-12-01", validUntil: "2027-12-31", application: "H-2026-001")
        guard case .written(_, let file, _) = RegistryWriter(directory: directory).write(change(.addExpert(new))) else {
            Issue.record("not written")
            return
        }
        #expect(file == RegistryFileEditor.newPeopleFile)
        let info = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(file).path)
        #expect((info[.posixPermissions] as? Int) == 0o640)
    }

    @Test func aChangeTheFilesAlreadyHoldIsNotRefusedWhenWrittenAgain() throws {
        // The process died after the file was replaced and before the state knew: the same
        // new expert, the same address, are there, and that is the change done.
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let writer = RegistryWriter(directory: directory)
        let new = NewExpert(
            id: "nina", name: "Nina", language: .fi, channel: .email, address: "nina@posti.example", handle: "K-31",
            topics: ["mental_health"], taskTypes: [.individual], languages: [.fi], municipalities: [], training: nil,
            validFrom: "2026-12-01", validUntil: "2027-12-31", application: "H-2026-001")
        for edit: RegistryChange.Edit in [.addExpert(new), .contact(person: "olli", channel: .email, address: "olli.uusi@posti.example")] {
            guard case .written = writer.write(change(edit)) else {
                Issue.record("not written")
                continue
            }
            guard case .alreadyThere = writer.write(change(edit)) else {
                Issue.record("\(edit) written again was not found already there")
                continue
            }
        }
    }

    @Test func anEndReadAgainstTheFilesNeverLengthensTheAgreement() throws {
        // The registry in use said 31.12.2027; by hand the file now says 30.6.2027.
        let directory = try exampleRegistry {
            $0.replacingOccurrences(of: "agreement_valid_until: 2027-12-31", with: "agreement_valid_until: 2027-06-30")
        }
        defer { cleanUp(directory) }
        let writer = RegistryWriter(directory: directory)
        #expect(writer.write(change(.agreementEnds(expert: "kalle", day: "2027-12-01"))).problem == .endsEarlier("2027-06-30"))
        guard case .written(_, _, let before) = writer.write(change(.agreementEnds(expert: "kalle", day: "2027-03-31"))) else {
            Issue.record("not written")
            return
        }
        #expect(before.person("kalle")?.expert?.agreementValidUntil == "2027-06-30", "what it replaced, from the files")
    }

    @Test func theLoaderReadsDaysOfDigitsSkipsEditorsFilesAndRefusesUnitsAlikeButForCase() throws {
        let plus = try exampleRegistry {
            $0.replacingOccurrences(of: "agreement_valid_until: 2027-05-31", with: "agreement_valid_until: 2027-+5-31")
        }
        defer { cleanUp(plus) }
        #expect(throws: ConfigErrors.self) { try RegistryLoader.load(directory: plus) }
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        try "people: [".write(to: directory.appendingPathComponent(".#people.yaml"), atomically: true, encoding: .utf8)
        try "junk".write(to: directory.appendingPathComponent("._units.yaml"), atomically: true, encoding: .utf8)
        #expect(try RegistryLoader.load(directory: directory).person("kalle") != nil)
        let units = directory.appendingPathComponent("units.yaml")
        try
            (String(contentsOf: units, encoding: .utf8)
            + "  - {id: Asumispalvelut-Sipoo, name: Toinen, cost_centre: \"1\", approver: tuula}\n")
            .write(to: units, atomically: true, encoding: .utf8)
        #expect(throws: ConfigErrors.self) { try RegistryLoader.load(directory: directory) }
    }

    @Test func aLogLineKeepsNoAddressOrPhoneAProblemQuoted() {
        let line = LogRedaction.text(
            "people.yaml:7: approver 'tuula.makinen@hyvinvointialue.example' and \"@olli:kokemus.example\", not '+358 40 1234567'")
        #expect(!line.contains("tuula.makinen") && !line.contains("olli:") && line.contains("@hyvinvointialue.example#"))
        #expect(line.hasPrefix("people.yaml:7: approver '") && !line.contains("1234567"))
    }

    @Test func anApplicationsTextsBecomeOneLineEach() {
        #expect(RegistryCommands.oneLine("  Nina\n\tEsi\u{202E}merkki\u{2028}x  ", limit: 100) == "Nina Esi merkki x")
        #expect(RegistryCommands.oneLine(String(repeating: "a ", count: 500), limit: 60).count == 60)
    }

    @Test func namesAreWrittenAsYAMLThatReadsBackTheSame() throws {
        for value in [
            "Anna", "yes", "Nina \"N\" O'Brien", "a: b # c", "back\\slash", "tab\there", "\u{202E}evil", "2026-12-01", "-x", "ümlaut",
            "flag \u{1F3F4}\u{E0067}\u{E0062}\u{E007F}", "private \u{F0000}", "line\u{2028}break",
        ] {
            let text = "name: \(RegistryFileEditor.scalar(value))\n"
            let diagnostics = Diagnostics()
            let parsed = YAMLValue.parse(text, file: "t", diagnostics: diagnostics)?.mapping("t")?.required("name")?.string("name")
            #expect(parsed == value, "\(value) came back as \(parsed ?? "nil")")
        }
    }
}

/// The same, through the gateway: a coordinator's words in chat to the files, the registry in
/// use, the access log and the answer.
@Suite struct RegistryChatTests {
    func people(_ h: GatewayHarness) throws -> String {
        try String(contentsOf: h.registryDirectory.appendingPathComponent("people.yaml"), encoding: .utf8)
    }

    @Test func aCoordinatorExtendsAnAgreementAndTheGatewayGoesOnWithIt() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        let answer = try await h.reply("kaisa", "rekisteri sopimus kalle 30.6.2028")
        #expect(answer.contains("kirjattu rekisteriin (people.yaml)") && answer.contains("30.6.2028") && answer.contains("oli 31.12.2027"))
        #expect(try people(h).contains("      agreement_valid_until: 2028-06-30\n"))
        #expect(await h.gateway.registry.person("kalle")?.expert?.agreementValidUntil == "2028-06-30")
        let state = await h.state
        #expect(state.pendingRegistryChanges.isEmpty && state.pendingAccesses.isEmpty)
        let entries = try AuditLog(directory: h.config.stateDirectory).entries()
        #expect(entries.count == 1)
        #expect(entries.first?.what == "registry: agreement of kalle valid until 2028-06-30")
        #expect(
            entries.first?.by == "kaisa" && entries.first?.about == ["kalle"] && entries.first?.why == "rekisteri sopimus kalle 30.6.2028")
        // In Swedish, too; and the files, not the state, hold it after a restart.
        #expect(try await h.reply("kaisa", "register avtal kalle 2028-07-31").contains("voimassa 31.7.2028 asti"))
        try h.restart()
        #expect(await h.gateway.registry.person("kalle")?.expert?.agreementValidUntil == "2028-07-31")
        #expect(try AuditLog(directory: h.config.stateDirectory).entries().count == 2)
    }

    @Test func onlyACoordinatorChangesTheRegistry() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        let before = try people(h)
        for person: PersonID in ["anna", "kalle", "liisa", "palkat"] {
            let answer = try await h.reply(person, "rekisteri sopimus kalle 30.6.2028")
            #expect(answer.contains("koordinaattoreille") || answer.contains("koordinatorer"), "\(person): \(answer)")
        }
        #expect(try people(h) == before)
        #expect(await h.state.pendingRegistryChanges.isEmpty)
    }

    @Test func anAddressIsSetAndTheAccessLogNamesNoAddress() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        let answer = try await h.reply("kaisa", "rekisteri yhteys olli @olli:kokemus.example")
        #expect(answer.contains("kanava matrix, osoite @olli:kokemus.example"))
        let olli = await h.gateway.registry.person("olli")
        #expect(olli?.contacts.matrix == "@olli:kokemus.example" && olli?.preferredChannel == .matrix)
        let log = try String(contentsOf: h.config.stateDirectory.appendingPathComponent("audit.jsonl"), encoding: .utf8)
        #expect(log.contains("matrix contact of olli set") && !log.contains("@olli"), "ids in the log, never an address")
        // Someone else's address is refused, in any case.
        let taken = try await h.reply("kaisa", "rekisteri yhteys olli KALLE.H@posti.example")
        #expect(taken.contains("ei kirjattu") && taken.contains("kalle"))
    }

    @Test func anExpertIsAddedFromAnAcceptedApplicationOnce() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in [
            "hakemus", "Veera Esimerkki", "veera@example.org", "1, 8", "2", "Porvoo, Loviisa", "Koulutus 2025", "Ryhmät", "kyllä",
        ] {
            try await h.send("kaisa", answer)
        }
        let added = try await h.reply("kaisa", "rekisteri lisää h-2026-001 veera veera.e@posti.example 31.12.2027")
        #expect(added.contains("Veera Esimerkki (veera) on kokemusasiantuntija hakemuksesta H-2026-001"), "\(added)")
        #expect(added.contains("Erfarenhetsexpert K-"), "the handle in the expert's first language")
        let veera = try #require(await h.gateway.registry.person("veera"))
        #expect(veera.has(.expert) && veera.language == .sv && veera.contacts.email == "veera.e@posti.example")
        #expect(veera.expert?.topics == ["mental_health", "difficult_life"] && veera.expert?.municipalities == ["Porvoo", "Loviisa"])
        #expect(veera.expert?.agreementValidFrom == "2026-12-01" && veera.expert?.agreementValidUntil == "2027-12-31")
        #expect(try RegistryLoader.load(directory: h.registryDirectory).person("veera") == veera)
        let application = await h.state.applications["H-2026-001"]
        #expect(application?.status == .accepted && application?.expert == "veera")
        #expect(try await h.reply("kaisa", "rekisteri lisää H-2026-001 veera2 veera2@posti.example 31.12.2027").contains("on jo lisätty"))
        // The new expert is in the registry in use: the gateway answers her by name.
        #expect(try await h.reply("veera", "hej").contains("Veera"))
    }

    /// An application's places become at most 20 registry entries of 60 characters; the
    /// answer shows what was written, so nothing is lost unseen.
    @Test func theAnswerShowsThePlacesAsWritten() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        let places = (1...25).map { "Paikka\($0)" }.joined(separator: ", ")
        for answer in ["hakemus", "Veera Esimerkki", "veera@example.org", "1", "2", places, "-", "-", "kyllä"] {
            try await h.send("kaisa", answer)
        }
        let added = try await h.reply("kaisa", "rekisteri lisää H-2026-001 veera veera.e@posti.example 31.12.2027")
        #expect(added.contains("paikkakunnat Paikka1, Paikka2,") && added.contains("Paikka20,"), "\(added)")
        #expect(!added.contains("Paikka21"))
        #expect(await h.gateway.registry.person("veera")?.expert?.municipalities.count == 20)
    }

    @Test func anAgreementEndedTakesBackLaterOffersAndNamesLaterBookings() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        let offered = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.pendingOffers.first?.expert)
        let answer = try await h.send("kaisa", "rekisteri päätä \(offered.rawValue)")
        #expect(texts(answer, to: "kaisa").joined().contains("voimassa 1.12.2026 asti"))
        let offers = await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.offers.filter { $0.expert == offered }
        #expect(offers?.allSatisfy { $0.status != .pending } == true, "the offer for 8.12. is taken back")
        let told = texts(answer, to: offered).joined()
        #expect(told.contains("päättyy 1.12.2026") && told.contains("peruttu: T-2026-0001"), "\(answer)")
        #expect(texts(answer, to: "kaisa").joined().contains("peruttiin (T-2026-0001); asiantuntijalle kerrottiin"))
        // A booking after the end is named for the coordinator to arrange.
        let h2 = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h2.placeOrder()
        _ = try await h2.send("kalle", "1")
        #expect(await h2.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == "kalle")
        let ended = try await h2.reply("kaisa", "rekisteri päätä kalle 7.12.2026")
        #expect(ended.contains("varattuja tehtäviä: T-2026-0001"))
    }

    @Test func wrongWordsAreAnsweredAndChangeNothing() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        let before = try people(h)
        let cases: [(String, String)] = [
            ("rekisteri", "rekisteri sopimus kalle"),
            ("rekisteri jotain", "rekisteri päätä kalle"),
            ("rekisteri sopimus kalle 99999999999999999", "ei käy päiväksi"),
            ("rekisteri sopimus kalle 31.12.2099", "ei käy päiväksi"),
            ("rekisteri sopimus kalle 30.2.2027", "ei käy päiväksi"),
            ("rekisteri sopimus anna 30.6.2028", "anna ei löydy"),
            ("rekisteri sopimus ghost 30.6.2028", "ghost"),
            ("rekisteri yhteys anna ei-osoite", "ei ole sähköpostiosoite"),
            ("rekisteri yhteys anna a\u{0}b@x.fi", "ei ole sähköpostiosoite"),
            ("rekisteri yhteys anna @Anna:kokemus.example", "ei ole sähköpostiosoite"),
            ("rekisteri yhteys anna " + String(repeating: "a", count: 10_000) + "@x.fi", "ei ole sähköpostiosoite"),
            ("rekisteri hyväksyjä ghost-unit liisa", "ghost-unit"),
            ("rekisteri lisää H-2026-999 nina @nina:kokemus.example 31.12.2027", "H-2026-999"),
            ("rekisteri sopimus kalle 30.6.2028 extra", "rekisteri sopimus kalle"),
        ]
        for (words, expected) in cases {
            let answer = try await h.reply("kaisa", words)
            #expect(answer.contains(expected), "\(words.prefix(60)) → \(answer)")
        }
        #expect(try people(h) == before)
        #expect(await h.state.pendingRegistryChanges.isEmpty)
        #expect(try AuditLog(directory: h.config.stateDirectory).entries().isEmpty)
    }

    @Test func anIDTheStateStillHoldsIsNotGivenToANewExpert() async throws {
        // Kalle had an order; the county took him out of the registry by hand. His id must not
        // bring his work and fees to whoever is added next under it.
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        for answer in ["hakemus", "Kalle Uusi", "kalle.uusi@example.org", "1", "1", "Porvoo", "-", "-", "kyllä"] {
            try await h.send("kaisa", answer)
        }
        let people = h.registryDirectory.appendingPathComponent("people.yaml")
        let text = try String(contentsOf: people, encoding: .utf8)
        let start = try #require(text.range(of: "  - id: kalle\n"))
        let end = try #require(text.range(of: "  - id: sanna\n"))
        try text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "").write(to: people, atomically: true, encoding: .utf8)
        // Kalle's booking is done with before the reload lets him go.
        h.gateway = nil
        try h.open()
        #expect(await h.gateway.registry.person("kalle") == nil)
        let answer = try await h.reply("kaisa", "rekisteri lisää H-2026-001 kalle kalle.uusi@example.org 31.12.2027")
        #expect(answer.contains("aiemman henkilön"), "\(answer)")
        #expect(await h.gateway.registry.person("kalle") == nil)
        #expect(try await h.reply("kaisa", "rekisteri lisää H-2026-001 kalle2 kalle.uusi@example.org 31.12.2027").contains("kirjattu"))
    }

    @Test func aCoordinatorWhoIsAnExpertIsRefusedAndOtherCoordinatorsSeeEveryChange() async throws {
        let registry = try exampleRegistry { people in
            people.replacingOccurrences(
                of: "  # Payroll.",
                with: """
                      - id: ville
                        name: Ville Koordinaattori
                        roles: [coordinator]
                        language: sv
                        contacts: {email: ville@hyvinvointialue.example}
                      - id: eino
                        name: Eino Kaksoisrooli
                        roles: [coordinator, expert]
                        contacts: {email: eino@hyvinvointialue.example}
                        expert: {handle: K-99, topics: [mental_health], task_types: [individual], languages: [fi]}
                      # Payroll.
                    """)
        }
        defer { cleanUp(registry) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: registry)
        let refused = try await h.reply("eino", "rekisteri yhteys tuula eino.toinen@posti.example")
        #expect(refused.contains("olet myös kokemusasiantuntija"))
        let answers = try await h.send("kaisa", "rekisteri yhteys tuula tuula.uusi@hyvinvointialue.example")
        #expect(texts(answers, to: "kaisa").joined().contains("kirjattu rekisteriin"))
        let told = texts(answers, to: "ville").joined()
        #expect(told.contains("Kaisa Laine (kaisa) ändrade registret") && told.contains("tuula.uusi@hyvinvointialue.example"), "\(told)")
        #expect(texts(answers, to: "eino").joined().contains("Kaisa Laine (kaisa) muutti rekisteriä"))
        // Another coordinator's address is not moved from chat (notices of changes go there).
        #expect(try await h.reply("kaisa", "rekisteri yhteys ville ville@posti.example").contains("toisen koordinaattorin (ville)"))
    }

    /// Closes the harness's gateway and commits Kaisa's change of Loviisa's approver to
    /// Tuula, as a process that died after committing it and before writing it leaves it.
    func commitChangeWhileClosed(_ h: GatewayHarness) throws {
        h.gateway = nil
        do {
            let store = try StateStore<GatewayState>(directory: h.config.stateDirectory, logger: quietLogger)
            try store.commit([
                .registryChangeRequested(
                    RegistryChange(
                        id: 1, edit: .approver(unit: "perhepalvelut-loviisa", approver: "tuula"), by: "kaisa", channel: .console,
                        at: local(2026, 12, 1, 9), why: "rekisteri hyväksyjä perhepalvelut-loviisa tuula"))
            ])
        }
    }

    @Test(arguments: [false, true])
    func aChangeTheGatewayDiedWritingTwiceIsRefusedNotWrittenAgain(alreadyWritten: Bool) async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try commitChangeWhileClosed(h)
        // What two deaths while writing it leave behind.
        try "kokemus-handling 1\t2\tconsole\tkaisa\tregistry-change-1\n".write(
            to: h.config.stateDirectory.appendingPathComponent("handling-registry"), atomically: true, encoding: .utf8)
        let units = h.registryDirectory.appendingPathComponent("units.yaml")
        if alreadyWritten {
            // It died after the files held it: the files this start reads say it is done.
            let text = try String(contentsOf: units, encoding: .utf8)
            let block = try #require(text.range(of: "perhepalvelut-loviisa"))
            let approver = try #require(text.range(of: "approver: mikael", range: block.upperBound..<text.endIndex))
            try text.replacingCharacters(in: approver, with: "approver: tuula").write(to: units, atomically: true, encoding: .utf8)
        }
        let before = try String(contentsOf: units, encoding: .utf8)
        try h.open()
        let answers = try await h.advance(hours: 0.1)
        let told = texts(answers, to: "kaisa").joined()
        #expect(told.contains(alreadyWritten ? "rekisterissä oli jo näin" : "pysähtyi kahdesti"), "\(answers)")
        #expect(try String(contentsOf: units, encoding: .utf8) == before)
        #expect(await h.state.pendingRegistryChanges.isEmpty)
    }

    /// An identity code typed as an id or an address is refused, not repeated back, and
    /// found nowhere in the state directory afterwards (the log, the access log, the files).
    @Test func anIdentityCodeIsNeitherAnIDNorAnAddress() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["hakemus", "Nina Esimerkki", "nina@example.org", "1", "1", "Porvoo", "-", "-", "kyllä"] {
            try await h.send("kaisa", answer)
        }
        for command in [
            "rekisteri lisää H-2026-001 x131052-308t nina@posti.example 31.12.2027",
            "rekisteri lisää H-2026-001 nina n131052-308T@posti.example 31.12.2027",
            "rekisteri yhteys sanna s131052-308T@posti.example", "rekisteri yhteys sanna @s131052a308t:kokemus.example",
        ] {
            let answer = try await h.reply("kaisa", command)
            #expect(answer.contains("henkilötunnus") && !answer.contains("308"), "\(command): \(answer)")
        }
        // In any word of any change, not only in ids and addresses.
        for command in [
            "rekisteri sopimus 131052-308T 31.12.2027", "rekisteri hyväksyjä 131052-308T liisa",
            "rekisteri lisää 131052-308T nina x@y.example 1.1.2028",
            "rekisteri yhteys 131052-308T sanna@posti.example", "rekisteri päätä kalle 131052-308T",
            // Spread over words, in capitals, with dots: still one code.
            "rekisteri sopimus 131052 -308T", "rekisteri päätä kalle 13 10 52-308T", "REKISTERI HYVÄKSYJÄ 13.10.52-308T liisa",
            "rekisteri lisää H-2026-001 131052 -308t@posti.example 31.12.2027",
        ] {
            let answer = try await h.reply("kaisa", command)
            #expect(answer.contains("henkilötunnus") && !answer.contains("308"), "\(command): \(answer)")
        }
        var bytes = Data()
        for directory in [h.config.stateDirectory, h.registryDirectory] {
            let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files { bytes += (try? Data(contentsOf: file)) ?? Data() }
        }
        #expect(!bytes.isEmpty && bytes.range(of: Data("131052".utf8)) == nil)
        // What is no code still goes in: the application's id and the day read as themselves.
        #expect(try await h.reply("kaisa", "rekisteri lisää H-2026-001 nina nina@posti.example 31.12.2027").contains("kirjattu"))
    }

    /// A change the registry already holds says so, without a "was" that is the same value.
    @Test func aChangeAlreadyThereNamesNoOldValue() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        let until = try #require(await h.gateway.registry.person("kalle")?.expert?.agreementValidUntil)
        let day = LocalDay.display(until)
        let answer = try await h.reply("kaisa", "rekisteri sopimus kalle \(day)")
        #expect(answer.contains("rekisterissä oli jo näin") && answer.contains("voimassa \(day) asti.") && !answer.contains("(oli"))
        #expect(try await h.reply("kaisa", "rekisteri sopimus kalle 30.6.2028").contains("(oli \(day))"))
    }

    @Test func addressesAndWordsAreReadStrictly() async throws {
        let good = ["anna@posti.example", "@anna:kokemus.example", "@anna:localhost:8448", "@a.b_c=d/e:[::1]:8008", "x@localhost"]
        let bad = [
            "@a:b:c", "@b::", "@:x", "@Anna:x", ".olli.@x.example", "olli..x@x.example", "olli@x", "olli@-x.example", "olli@x..example",
            "a@b@c.example", "@a:b:99999", "olli@x.example.",
        ]
        for address in good { #expect(RegistryCommands.address(address) != nil, "\(address)") }
        for address in bad { #expect(RegistryCommands.address(address) == nil, "\(address)") }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        // An id written in capitals is found; an end after the agreement already ends is a lengthening.
        #expect(try await h.reply("kaisa", "rekisteri sopimus KALLE 30.6.2028").contains("kirjattu"))
        #expect(try await h.reply("kaisa", "rekisteri päätä kalle 31.12.2029").contains("päättyy jo 30.6.2028"))
    }

    @Test func oneApplicationOneIDAndOneAddressAreNotGivenTwiceWhileBeingWritten() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["hakemus", "Nina Esimerkki", "nina@example.org", "1", "1", "Porvoo", "-", "-", "kyllä"] {
            try await h.send("kaisa", answer)
        }
        // Two messages handed over together: the first is not yet written when the second is read.
        let at = local(2026, 12, 1, 9)
        try await h.gateway.receive(batch: [
            InboundMessage(
                id: "a", channel: .console, sender: "kaisa", text: "rekisteri lisää H-2026-001 nina nina@posti.example 31.12.2027",
                receivedAt: at),
            InboundMessage(
                id: "b", channel: .console, sender: "kaisa", text: "rekisteri lisää H-2026-001 nina2 nina2@posti.example 31.12.2027",
                receivedAt: at),
            InboundMessage(id: "c", channel: .console, sender: "kaisa", text: "rekisteri yhteys olli nina@posti.example", receivedAt: at),
        ])
        await h.gateway.deliverOutbox()
        let answers = texts(h.transport.take(), to: "kaisa")
        #expect(answers.count == 3)
        #expect(await h.state.nextRegistryChangeID == 2, "b and c refused when asked, against the change still being written")
        #expect(answers.contains { $0.contains("on jo lisätty kokemusasiantuntija nina") })
        #expect(answers.contains { $0.contains("osoite on jo henkilön nina") })
        let registry = await h.gateway.registry
        #expect(
            registry.person("nina") != nil && registry.person("nina2") == nil
                && registry.person("olli")?.contacts.email != "nina@posti.example")
        // A change that changes nothing is answered, not written, logged or told.
        #expect(try await h.reply("kaisa", "rekisteri hyväksyjä mielenterveys-porvoo liisa").contains("oli jo näin"))
        #expect(
            try AuditLog(directory: h.config.stateDirectory).entries().map(\.what) == [
                "registry: expert nina added from application H-2026-001"
            ])
    }

    @Test func anApplicationsNumberIsNeverGivenAgain() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        h.retention.applicationDays = 1
        try h.restart()
        func apply(_ name: String) async throws -> String {
            for answer in ["hakemus", name, "x@example.org", "1", "1", "Porvoo", "-", "-"] { try await h.send("kaisa", answer) }
            return try await h.reply("kaisa", "kyllä")
        }
        #expect(try await apply("Nina Esimerkki").contains("H-2026-001"))
        #expect(try await apply("Olga Esimerkki").contains("H-2026-002"))
        // Both expire; the next is the third, not the first again.
        _ = try await h.advance(to: local(2026, 12, 3, 4))
        #expect(await h.state.applications.isEmpty)
        #expect(try await apply("Pekka Uusi").contains("H-2026-003"))
    }

    /// A change whose asker stopped being a coordinator before it was written (the process
    /// was down meanwhile) is refused, and the coordinators there are now are told of it.
    @Test func aChangeWhoseAskerIsNoLongerACoordinatorIsRefusedAndToldToThoseWhoAre() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try commitChangeWhileClosed(h)
        let people = h.registryDirectory.appendingPathComponent("people.yaml")
        try (try String(contentsOf: people, encoding: .utf8))
            .replacingOccurrences(
                of: "    name: Olli Nieminen\n    roles: [employee]", with: "    name: Olli Nieminen\n    roles: [employee, coordinator]"
            )
            .replacingOccurrences(
                of: "    name: Kaisa Laine\n    roles: [coordinator]", with: "    name: Kaisa Laine\n    roles: [approver]"
            )
            .write(to: people, atomically: true, encoding: .utf8)
        let units = try String(contentsOf: h.registryDirectory.appendingPathComponent("units.yaml"), encoding: .utf8)
        try h.open()
        let answers = try await h.advance(hours: 0.1)
        #expect(texts(answers, to: "kaisa").joined().contains("muutosta ei kirjattu"))
        let told = texts(answers, to: "olli").joined()
        #expect(
            told.contains("Kaisa Laine (kaisa) pyysi rekisteriin muutosta") && told.contains("kaisa ei ole (enää) koordinaattori"),
            "\(told)")
        #expect(try String(contentsOf: h.registryDirectory.appendingPathComponent("units.yaml"), encoding: .utf8) == units)
    }

    @Test func aChangeCommittedBeforeACrashIsWrittenAtTheNextStartOnce() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        // The process died after committing the change and before writing it.
        try commitChangeWhileClosed(h)
        try h.open()
        let answers = try await h.advance(hours: 0.1)
        #expect(texts(answers, to: "kaisa").joined().contains("palkkioiden hyväksyjä on Tuula Mäkinen (tuula) (oli Mikael Holm (mikael))"))
        #expect(await h.gateway.registry.unit("perhepalvelut-loviisa")?.approver == "tuula")
        // Written once: another start finds nothing to do.
        try h.restart()
        #expect(try await h.advance(hours: 0.1).isEmpty)
        #expect(try AuditLog(directory: h.config.stateDirectory).entries().count == 1)
        let units = try String(contentsOf: h.registryDirectory.appendingPathComponent("units.yaml"), encoding: .utf8)
        #expect(units.components(separatedBy: "approver: tuula").count == 3, "Loviisa's and Sipoo's")
    }
}

extension RegistryWriter.Outcome {
    var problem: RegistryChangeProblem? {
        if case .refused(let problem) = self { return problem }
        return nil
    }
}
