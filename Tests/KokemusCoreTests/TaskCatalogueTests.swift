import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The task catalogue as data (`Config/tasks.yaml`): the seeds' tasks can be ordered by
/// whom the catalogue says, run as their kind of work, and are named by it everywhere; a
/// unit is ordered for by its own employees unless the registry says otherwise.
@Suite struct TaskCatalogueTests {
    let shipped: TaskCatalogue = {
        do {
            return try TaskCatalogue.load(file: repositoryRoot.appendingPathComponent("Config/tasks.yaml"))
        } catch {
            fatalError("Config/tasks.yaml does not load: \(error)")
        }
    }()

    @Test func theShippedCatalogueHoldsTheSeedsTasksAndEveryKind() {
        for kind in TaskType.allCases { #expect(shipped.entry(kind.rawValue)?.kind == kind) }
        for id in ["reception", "client_panel", "space_host", "extra_eyes", "storyteller", "bridge_builder", "juttupenkki", "day_in_life"] {
            #expect(shipped.entry(id) != nil, "\(id)")
        }
        #expect(shipped.entry("space_host")?.name.text(in: .fi) == "Tilamestari matalan kynnyksen palvelussa")
        #expect(shipped.entry("extra_eyes")?.kind == .pair)
        #expect(shipped.entry("client_panel")?.orderedBy == [.coordinator])
        for entry in shipped.entries { #expect(Language.allCases.allSatisfy { entry.name.texts[$0]?.isEmpty == false }) }
    }

    @Test func aBrokenCatalogueIsReportedWithItsLines() {
        let text = """
            tasks:
              - {id: individual, kind: individual, name: {fi: a, sv: b, en: c}}
              - {id: pair, kind: solo, name: {fi: a, sv: b, en: c}}
              - {id: group, kind: lecture, name: {fi: a, sv: b, en: c}}
              - {id: x, kind: lecture, name: {fi: a, sv: b, en: c}, typical_minutes: 99999999999999999999}
              - {id: x, kind: lecture, name: {fi: a, sv: b, en: c}, ordered_by: [wizard]}
            """
        do {
            _ = try TaskCatalogue.load(text: text, file: "tasks.yaml")
            Issue.record("loaded")
        } catch {
            let message = "\(error)"
            #expect(message.contains("tasks.yaml:3") && message.contains("kind must be one of"))
            #expect(message.contains("tasks.yaml:4") && message.contains("must have kind: group"))
            #expect(message.contains("typical_minutes") && message.contains("listed twice"))
            #expect(message.contains("unknown role 'wizard'"))
            #expect(message.contains("needs an entry with id: development"))
        }
    }

    @Test func aTaskOfTheCatalogueRunsAsItsKindAndIsNamedByTheCatalogue() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        // 7: Tilamestari, an individual kind of work, said to take four hours, always on site:
        // where is asked, on site or remote is not.
        for answer in ["tilaa", "7", "2", "1", "ti 8.12. klo 10"] { try await h.send("anna", answer) }
        #expect(try await h.reply("anna", "4 h").hasPrefix("Missä? Kirjoita yksikön osoite tai tila."))
        for answer in ["Olohuone, Porvoo", "suomi", "1", "Tilavastaava matalan kynnyksen olohuoneeseen.", "1"] {
            try await h.send("anna", answer)
        }
        let submitted = try await h.send("anna", "kyllä")
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.task == "space_host" && order.taskType == .individual)
        #expect(order.place == .onSite(address: "Olohuone, Porvoo"))
        // A role profile (003): offered to Sanna, who is agreed to work as one, not to Kalle.
        #expect(texts(submitted, to: "kalle").isEmpty)
        let offer = try #require(texts(submitted, to: "sanna").first)
        #expect(offer.contains("Tehtävä: Tilamestari matalan kynnyksen palvelussa, Päihteet"))
        #expect(offer.contains("Palkkio: 20,00\u{00A0}€ tunnilta"), "the rate of its kind")
    }

    @Test func theDurationQuestionSaysWhatIsUsual() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "7", "2", "1"] { try await h.send("anna", answer) }
        #expect(try await h.reply("anna", "ti 8.12. klo 10").contains("Tavallisesti 4 h."))
    }

    @Test func whoMayOrderWhatAndForWhichUnit() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        // A client panel is the coordinator's (001): not in Anna's list, in Kaisa's.
        #expect(!(try await h.reply("anna", "tilaa")).contains("Asiakasraati"))
        try await h.send("anna", "peruuta")
        #expect(try await h.reply("kaisa", "tilaa").contains("13. Asiakasraati"))
        try await h.send("kaisa", "peruuta")
        // Anna orders for her own unit only; Bengt for his and Sipoo's (orders_for); Kaisa for all.
        for answer in ["tilaa", "1"] { try await h.send("anna", answer) }
        let annas = try await h.reply("anna", "2")
        #expect(annas.contains("1. Mielenterveys- ja päihdepalvelut, Porvoo") && !annas.contains("2."))
        #expect(try await h.reply("anna", "2").contains("1–1"), "no second unit to pick")
        for answer in ["beställ", "1"] { try await h.send("bengt", answer) }
        let bengts = try await h.reply("bengt", "2")
        #expect(bengts.contains("1. Lapsiperheiden palvelut, Loviisa") && bengts.contains("2. Asumispalvelut, Sipoo"))
        #expect(!bengts.contains("Mielenterveys"))
        for answer in ["tilaa", "1"] { try await h.send("kaisa", answer) }
        #expect(try await h.reply("kaisa", "2").contains("3. "))
    }

    @Test func anAnswerNoLongerAllowedIsAskedAgainNotLost() async throws {
        // Bengt may order for Sipoo; the county takes that away while his order is open.
        let directory = try exampleRegistry()
        defer { cleanUp(directory) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: directory)
        for answer in ["beställ", "1", "4", "2", "15.12. kl 10", "1 h", "2", "svenska", "1", "Stöd i vardagen.", "1"] {
            try await h.send("bengt", answer)
        }
        let people = directory.appendingPathComponent("people.yaml")
        let text = try String(contentsOf: people, encoding: .utf8)
        #expect(text.contains("    orders_for: [asumispalvelut-sipoo]\n"))
        try text.replacingOccurrences(of: "    orders_for: [asumispalvelut-sipoo]\n", with: "").write(
            to: people, atomically: true, encoding: .utf8)
        try h.restart()
        let answered = try await h.send("bengt", "ja")
        let shown = texts(answered, to: "bengt")
        #expect(shown.first == "Uppgiften eller enheten du valde kan du inte längre beställa. Välj dem på nytt.")
        #expect(shown.last?.hasPrefix("Hej Bengt! Till vilken uppgift behöver du en erfarenhetsexpert?") == true)
        #expect(await h.state.orders.isEmpty)
    }

    @Test func aSubstituteIsTheSameTaskOfTheCatalogue() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in [
            "tilaa", "7", "2", "1", "ti 8.12. klo 10", "4 h", "Olohuone, Porvoo", "suomi", "1", "Tilavastaava olohuoneeseen.", "1",
        ] {
            try await h.send("anna", answer)
        }
        _ = try await h.send("anna", "kyllä")
        _ = try await h.send("sanna", "1")
        _ = try await h.send("sanna", "sairas T-2026-0001")
        _ = try await h.send("anna", "korvaaja T-2026-0001")
        let substitute = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0002")])
        #expect(substitute.replaces == OrderID(rawValue: "T-2026-0001") && substitute.task == "space_host")
    }

    /// A role profile of 003 is offered only to experts agreed to work in it; the ranking says
    /// why the others are not, and the coordinator may still offer it to one of them by hand.
    @Test func aRoleProfileIsOfferedOnlyToExpertsAgreedToWorkInIt() async throws {
        #expect(shipped.entries.filter(\.roleProfile).map(\.id) == ["space_host", "extra_eyes", "storyteller", "bridge_builder"])
        #expect(shipped.entry("individual")?.roleProfile == false && shipped.entry("reception")?.roleProfile == false)
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        // 9: Tarinankertoja, a role profile no one in the example registry has.
        for answer in ["tilaa", "9", "2", "1", "ti 8.12. klo 10", "2 h", "2", "suomi", "1", "Tarinoita asukasiltaan.", "1"] {
            try await h.send("anna", answer)
        }
        let submitted = try await h.send("anna", "kyllä")
        #expect(!submitted.contains { $0.text.contains("Sinulle tarjotaan") }, "\(submitted)")
        let ranking = try await h.reply("kaisa", "ehdokkaat T-2026-0001")
        #expect(ranking.contains("Kalle Heikkinen (kalle): ei tätä rooliprofiilia"), "\(ranking)")
        #expect(ranking.contains("Sanna Lehtonen (sanna): ei tätä rooliprofiilia"), "\(ranking)")
        // The coordinator knows Kalle tells stories well: by hand, he is offered it.
        let byHand = try await h.send("kaisa", "tarjoa T-2026-0001 kalle")
        #expect(texts(byHand, to: "kalle").first?.contains("Tarinankertoja asumispalveluissa") == true, "\(byHand)")
    }

    /// A registry naming a role profile the catalogue does not have (a typo would leave the
    /// expert out of every such offer without a word) is refused at the start.
    @Test func aRoleProfileTheCatalogueDoesNotHaveIsRefused() throws {
        let directory = try exampleRegistry {
            $0.replacingOccurrences(of: "role_profiles: [space_host]", with: "role_profiles: [space_host, tilamestari]")
        }
        defer { cleanUp(directory) }
        let registry = try RegistryLoader.load(directory: directory)
        let problems = shipped.roleProfileProblems(in: registry)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("sanna: role_profiles names 'tilamestari', which is no role profile") == true)
        #expect(throws: ConfigErrors.self) {
            _ = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: directory)
        }
        #expect(
            shipped.roleProfileProblems(in: try RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example")))
                .isEmpty)
    }

    /// A client panel (001) is the coordinator's to order and has a rate of its own
    /// (`Config/fees.yaml`), which its offer states.
    @Test func aClientPanelIsOfferedAtItsOwnRate() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "13", "4", "3", "ti 8.12. klo 10", "2 h", "2", "suomi", "4", "Asiakasraadin kokous palveluista."] {
            try await h.send("kaisa", answer)
        }
        let placed = try await h.send("kaisa", "kyllä")
        let offer = try #require(placed.first { $0.text.contains("Sinulle tarjotaan") }?.text, "\(placed)")
        #expect(offer.contains("Tehtävä: Asiakasraati"), "\(offer)")
        #expect(offer.contains("Palkkio: 30,00\u{00A0}€ kerralta"), "\(offer)")
    }

    /// A task the catalogue fixes on site is not asked about; one left to the orderer is. In
    /// the confirmation, both read as on site with the address.
    @Test func whereATaskIsDoneIsAskedOnlyWhenTheCatalogueLeavesItOpen() async throws {
        #expect(
            shipped.entries.filter { $0.place == .onSite }.map(\.id) == [
                "reception", "space_host", "extra_eyes", "juttupenkki", "day_in_life",
            ])
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        // 6: the expert's reception.
        for answer in ["tilaa", "6", "1", "1", "ti 8.12. klo 10"] { try await h.send("anna", answer) }
        #expect(try await h.reply("anna", "3 h").hasPrefix("Missä?"))
        for answer in ["Vastaanotto, Porvoo", "suomi", "1", "Vertaisvastaanotto."] { try await h.send("anna", answer) }
        // One meeting; the confirmation follows.
        let confirmation = try await h.reply("anna", "1")
        #expect(confirmation.hasPrefix("Tarkista tilaus:"), "\(confirmation)")
        #expect(confirmation.contains("Paikka: Paikan päällä Vastaanotto, Porvoo"), "\(confirmation)")
        try await h.send("anna", "peruuta")
        // 1: individual work, where the orderer chooses.
        for answer in ["tilaa", "1", "1", "1", "ti 8.12. klo 10"] { try await h.send("anna", answer) }
        #expect(try await h.reply("anna", "1 h").hasPrefix("Tapahtuuko tehtävä paikan päällä vai etänä?"))
        // A wrong value in the file is refused with its line.
        let text = """
            tasks:
              - {id: individual, kind: individual, name: {fi: a, sv: b, en: c}, place: outdoors}
            """
        #expect {
            try TaskCatalogue.load(text: text, file: "tasks.yaml")
        } throws: { error in
            "\(error)".contains("tasks.yaml:2") && "\(error)".contains("place must be one of on_site, remote, not 'outdoors'")
        }
    }

    /// An order begun with a flow from before the catalogue fixed where a task is done (a
    /// reception answered "remote") is not stored against it: its task is asked again.
    @Test func aPlaceAnsweredAgainstTheCatalogueIsAskedAgain() async throws {
        var flows = try shippedFlows()
        let fixed = """
                # The catalogue may fix where a task is done (a reception is on site): then not asked.
                next:
                  - if: place_rule == on_site
                    goto: address
                  - if: place_rule == remote
                    goto: language
                  - goto: place

            """
        let order = try #require(flows["order.yaml"])
        #expect(order.contains(fixed))
        flows["order.yaml"] = order.replacingOccurrences(of: fixed, with: "\n")
        let h = try GatewayHarness(flows: flows, now: local(2026, 12, 1, 9))
        for answer in ["tilaa", "6", "1", "1", "ti 8.12. klo 10"] { try await h.send("anna", answer) }
        #expect(try await h.reply("anna", "3 h").hasPrefix("Tapahtuuko tehtävä paikan päällä"), "the old flow asks")
        for answer in ["2", "suomi", "1", "Vertaisvastaanotto.", "1"] { try await h.send("anna", answer) }
        try h.writeFlows(try shippedFlows())
        try h.restart()
        let sent = try await h.send("anna", "kyllä")
        #expect(texts(sent, to: "anna").first == "Valitsemasi tehtävä tai yksikkö ei ole enää tilattavissasi. Valitse ne uudelleen.")
        #expect(await h.state.orders.isEmpty)
    }
}
