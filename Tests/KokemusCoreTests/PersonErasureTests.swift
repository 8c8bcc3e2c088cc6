import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Erasure (GDPR Art. 17): what is the person's alone goes, what the county must keep stays
/// under a pseudonym, their words are emptied, others' words lose their name; no one else's
/// data changes.
@Suite struct PersonErasureTests {
    /// Kalle in every corner of the state the demos do not reach.
    func stateWithKalleEverywhere() async throws -> (GatewayState, Registry) {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        try await h.send("kalle", "1")
        try await h.send("kalle", "viesti T-2026-0001 Tulen ajoissa paikalle.")
        try await h.send("anna", "viesti T-2026-0001 Kiitos Kalle, nähdään.")
        _ = try await h.reply("kaisa", "ehdokkaat T-2026-0001")
        try await h.send("kalle", "kieli sv")
        var state = await h.state
        let registry = await h.gateway.registry
        let at = local(2026, 12, 1, 10)
        state.apply(.textHeld(HeldText(id: "P-1", sender: "kalle", order: nil, categories: [.phone], fingerprint: "ab", at: at)))
        state.apply(.inputQuarantined(QuarantinedInput(id: "$x", sender: "kalle", channel: .matrix, attempts: 2, at: at)))
        state.apply(.textPassed(person: "kalle", tail: "loppu viestistä"))
        state.apply(
            .messageQueued(
                OutboxMessage(id: 900, recipient: "kalle", channel: nil, text: "Hei Kalle, odottava viesti.", createdAt: at)))
        state.apply(
            .messageQueued(
                OutboxMessage(
                    id: 901, recipient: "kaisa", channel: nil, text: "Kalle Heikkinen (kalle) ei vastannut.", createdAt: at,
                    subject: "Kalle Heikkinen")))
        state.apply(.matrixMemory(.directRoom(person: "kalle", room: "!kalle:kokemus.example")))
        state.apply(.mailMemory(.threadNoted(person: "kalle", messageID: "<1@posti.example>", subject: "Kallen asia")))
        state.apply(.mailMemory(.replyTokenMade(person: "kalle", id: "t1", token: "secret")))
        state.apply(.mailMemory(.mailSent(address: "kalle.h@posti.example", relay: false, day: LocalDay(year: 2026, month: 12, day: 1))))
        state.apply(.remindersSent(keys: ["taxcard-missing:kalle:2026-12-01", "offer:T-2026-0001:sanna"], at: at))
        state.apply(.expertPaused("kalle", true))
        state.apply(.taxCardConfirmed(expert: "kalle", year: 2026))
        state.apply(
            .announcementMade(
                Announcement(
                    id: "A-1", by: "kaisa", at: at, recipients: ["kalle", "sanna"], text: "Koulutus ensi viikolla.", sendsAt: at)))
        return (state, registry)
    }

    @Test func nothingOfThePersonIsLeftAndNothingOfOthersIsLost() async throws {
        let (state, registry) = try await stateWithKalleEverywhere()
        let erasure = PersonErasure("kalle", entry: registry.person("kalle"), pseudonym: "erased-abcdefgh")
        // The test sees him before.
        let encoder = JSONEncoder()
        let before = String(decoding: try encoder.encode(state), as: UTF8.self)
        #expect(erasure.traces(in: before).contains("kalle") && erasure.traces(in: before).contains("Kalle Heikkinen"))

        let (erased, outcome) = erasure.erase(state)
        var json = String(decoding: try encoder.encode(erased), as: UTF8.self)
        // The flows kept in the state are the county's texts; their examples name him.
        for flow in erased.flowSources.values {
            json = json.replacingOccurrences(of: String(decoding: try encoder.encode(flow.text), as: UTF8.self), with: "")
        }
        #expect(erasure.traces(in: json).isEmpty, "\(erasure.traces(in: json))")
        for text in ["Tulen ajoissa", "loppu viestistä", "secret", "odottava viesti"] {
            #expect(!json.contains(text), "\(text) is still there")
        }
        #expect(erased.languages["kalle"] == nil && erased.taxCards["kalle"] == nil && !erased.pausedExperts.contains("kalle"))
        #expect(erased.heldTexts.isEmpty && erased.quarantined.isEmpty && erased.recentTails["kalle"] == nil)
        #expect(erased.matrix.directRooms["kalle"] == nil && erased.mail.threads["kalle"] == nil)
        #expect(erased.mail.replyTokens["kalle"] == nil && erased.mail.tokenOwners.isEmpty)
        #expect(erased.outbox.map(\.id).contains(901) && !erased.outbox.map(\.id).contains(900))
        #expect(erased.outbox.first { $0.id == 901 }?.text == "erased-abcdefgh (erased-abcdefgh) ei vastannut.")
        #expect(Set(erased.sentReminders.keys) == ["taxcard-missing:erased-abcdefgh:2026-12-01", "offer:T-2026-0001:sanna"])
        #expect(erased.announcements["A-1"]?.recipients == ["sanna"] && erased.announcements["A-1"]?.text == "Koulutus ensi viikolla.")
        #expect(erased.pendingAccesses.allSatisfy { !$0.about.contains("kalle") })

        // Kept as others' work: the order, his offer under the pseudonym; Anna's words, but
        // not his name in them.
        let order = try #require(erased.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.assignedExpert == "erased-abcdefgh" && order.orderer == "anna")
        #expect(order.description == state.orders[OrderID(rawValue: "T-2026-0001")]?.description)
        #expect(outcome.pseudonymised["order"] == 1)
        #expect(erased.recentTails["anna"]?.last?.contains("Kiitos erased-abcdefgh") == true)
        // Everyone else's records are as they were.
        #expect(erased.conversations.keys.sorted() == state.conversations.keys.filter { $0 != "kalle" }.sorted())
        #expect(erased.orderNumbers == state.orderNumbers && erased.processedInputs == state.processedInputs)
    }

    @Test func hisWordsAreEmptiedAndHisFeeReportKeptUnderTheNewName() throws {
        var state = GatewayState()
        let line = FeeLine(
            order: OrderID(rawValue: "T-2026-0001"), session: 1, start: local(2026, 11, 10, 14), taskType: .individual,
            minutes: 60, outcome: .held, fee: Money(cents: 2000), kilometres: 4, travel: Money(cents: 100), otherCosts: .zero)
        var report = FeeReport(
            expert: "kalle", unit: "mielenterveys-porvoo", month: "2026-11", lines: [line], createdAt: local(2026, 12, 1, 8),
            payday: LocalDay(year: 2026, month: 12, day: 31))
        report.expertNote = "Matka oli pidempi, soittakaa Kallelle."
        report.status = .approved
        report.approvedBy = "liisa"
        state.apply(.feeReportSaved(report))
        state.apply(.remindersSent(keys: ["feereport:\(report.id):approver:2026-12-02"], at: local(2026, 12, 2, 8)))
        var order = Order(
            id: OrderID(rawValue: "T-2026-0001"), orderer: "anna", unit: "mielenterveys-porvoo", taskType: .individual,
            topic: "mental_health", start: local(2026, 11, 10, 14), durationMinutes: 60, sessions: [], place: .remote, language: .fi,
            audience: .client, description: "Asiakas tarvitsee vertaistukea.", createdAt: local(2026, 11, 1, 9))
        order.feedback = [
            Feedback(source: .expert, by: "kalle", rating: 5, text: "Hyvä keskustelu.", at: local(2026, 11, 11)),
            Feedback(source: .employee, by: "anna", rating: 4, text: "Kalle oli hyvä.", at: local(2026, 11, 11)),
        ]
        state.apply(.orderCreated(order, year: 2026, number: 1))

        let (erased, outcome) = PersonErasure("kalle", entry: nil, pseudonym: "erased-abcdefgh").erase(state)
        let newID = "P-2026-11-erased-abcdefgh-mielenterveys-porvoo"
        #expect(outcome.renamedReports.map(\.new) == [newID])
        let kept = try #require(erased.feeReports[newID])
        #expect(erased.feeReports[report.id] == nil)
        #expect(kept.total == report.total && kept.lines == report.lines && kept.approvedBy == "liisa" && kept.status == .approved)
        #expect(kept.expertNote?.text == "" && outcome.textsEmptied == 2)
        #expect(Array(erased.sentReminders.keys) == ["feereport:\(newID):approver:2026-12-02"])
        let feedback = try #require(erased.orders[order.id]?.feedback)
        #expect(feedback.map { $0.by } == ["erased-abcdefgh", "anna"] && feedback.map { $0.rating } == [5, 4])
        // His words gone; Anna's kept, without his name (no registry entry: the id, any case).
        #expect(feedback[0].text.text == "" && feedback[1].text.text == "erased-abcdefgh oli hyvä.")
    }

    /// Finnish inflects names; a phone number is written many ways; an address without its
    /// postcode. Found in others' words all the same, and nothing else is.
    @Test func hisNameInflectedHisNumberAndStreetAreFoundInOthersWords() throws {
        let registry = try RegistryLoader.load(directory: TestGateway.repositoryRoot.appendingPathComponent("Config/example"))
        let erasure = PersonErasure("kalle", entry: registry.person("kalle"), pseudonym: "erased-q", registry: registry)
        let cases: [(String, String)] = [
            ("Kysy Kallelta, hän tuntee Heikkisen perheen.", "Kysy erased-q, hän tuntee erased-q perheen."),
            ("Kallen kanssa sovittu, Heikkiselle kiitos. Kalles bok.", "erased-q kanssa sovittu, erased-q kiitos. erased-q bok."),
            ("Soita 040 000 0101 tai 040-0000101 tai (+358) 40 000 0101.", "Soita erased-q tai erased-q tai (erased-q."),
            ("Numero 040 000 0102 on toisen.", "Numero 040 000 0102 on toisen."),
            ("Asuu Rauhankatu 12 B 5 Porvoossa.", "Asuu erased-q Porvoossa."),
            ("Annankatu ja Kallioinen pysyvät, samoin kallellaan-sana.", "Annankatu ja Kallioinen pysyvät, samoin kallellaan-sana."),
        ]
        for (text, expected) in cases {
            #expect(erasure.scrub(text) == expected, "\(text)")
        }
        #expect(erasure.traces(in: "Kallelle terveisiä").contains("Kalle"))
    }

    /// A first name someone else in the registry has too is not replaced alone (it would
    /// change their words); the full name still is.
    @Test func aSharedFirstNameIsNotSearchedAlone() throws {
        let registry = try RegistryLoader.load(directory: TestGateway.repositoryRoot.appendingPathComponent("Config/example"))
        var anna = try #require(registry.person("anna"))
        anna.id = "anna2"
        let others = Registry(people: Array(registry.people.values) + [anna], units: Array(registry.units.values))
        let erasure = PersonErasure("anna2", entry: anna, pseudonym: "erased-q", registry: others)
        #expect(erasure.ambiguous.contains("Anna"))
        #expect(erasure.scrub("Kiitos Anna ja \(anna.name)!") == "Kiitos Anna ja erased-q!")
    }

    @Test func hisApplicationGoesAndTravelHeDecidedIsRenamed() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        var state = await h.state
        let registry = await h.gateway.registry
        state.apply(
            .applicationRecorded(
                ExpertApplication(
                    id: "H-2026-001", applicant: "Heikkinen Kalle", contact: "040 000 0101", topics: ["mental_health"],
                    languages: ["fi"], municipalities: "Porvoo", training: "2023", wishes: "-", recordedBy: "kaisa",
                    recordedAt: local(2026, 12, 1, 9))))
        var order = try #require(state.orders[OrderID(rawValue: "T-2026-0001")])
        order.travel = TravelAgreement(kilometres: 10, otherCosts: .zero, proposedAt: local(2026, 12, 1, 9))
        order.travel?.decidedBy = "kalle"
        state.apply(.orderUpdated(order))
        let erasure = PersonErasure("kalle", entry: registry.person("kalle"), pseudonym: "erased-q", registry: registry)
        let (erased, outcome) = erasure.erase(state)
        #expect(erased.applications.isEmpty && outcome.removed["application"] == 1)
        #expect(erased.orders[order.id]?.travel?.decidedBy == "erased-q")
        #expect(erasure.openWork(in: state, now: local(2026, 12, 1, 10), time: .helsinki) == ["offered T-2026-0001, not answered"])
    }

    /// A registry change waiting to be written holds their new address: it is open work, it
    /// is in their export, and an erasure takes it (or would write them back into the files);
    /// one they asked for as a coordinator stays under the pseudonym.
    @Test func aRegistryChangeWaitingAboutThemIsTheirsAndGoes() async throws {
        var state = GatewayState()
        let at = local(2026, 12, 1, 10)
        state.apply(
            .registryChangeRequested(
                RegistryChange(
                    id: 1, edit: .contact(person: "kalle", channel: .matrix, address: "@kalle.uusi:kokemus.example"), by: "kaisa",
                    channel: .console, at: at, why: "rekisteri yhteys kalle")))
        state.apply(
            .registryChangeRequested(
                RegistryChange(
                    id: 2, edit: .approver(unit: "mielenterveys-porvoo", approver: "liisa"), by: "kaisa", channel: .console, at: at,
                    why: "rekisteri hyväksyjä mielenterveys-porvoo liisa")))
        let registry = await (try GatewayHarness(flows: try shippedFlows(), now: at)).gateway.registry

        let export = PersonData(of: "kalle", state: state, registry: registry, now: at)
        #expect(export.registryChangesWaiting.map(\.id) == [1] && !export.isEmpty)
        #expect(export.text().contains("Registry change 1 asked by kaisa"))
        // The coordinator who asked sees what she asked for, not Kalle's new address.
        let kaisas = PersonData(of: "kaisa", state: state, registry: registry, now: at)
        #expect(kaisas.registryChangesWaiting.map(\.id) == [1, 2] && kaisas.registryChangesWaiting.allSatisfy { $0.edit == nil })
        let kaisasJSON = try kaisas.json()
        let kallesJSON = try export.json()
        #expect(!kaisasJSON.contains("kalle.uusi") && kallesJSON.contains("kalle.uusi"))
        #expect(!kaisasJSON.contains("kalle") && !kaisasJSON.contains("liisa"), "no one else named: \(kaisasJSON)")

        let kalle = PersonErasure("kalle", entry: registry.person("kalle"), pseudonym: "erased-abcdefgh")
        #expect(
            kalle.openWork(in: state, now: at, time: .helsinki) == [
                "registry change 1 not yet written (registry: matrix contact of kalle set)"
            ])
        let (erased, outcome) = kalle.erase(state)
        #expect(erased.pendingRegistryChanges.map(\.id) == [2] && outcome.removed["registry change waiting"] == 1)
        #expect(!String(decoding: try JSONEncoder().encode(erased), as: UTF8.self).contains("kalle.uusi"))

        // Those she asked for as a coordinator are her open work: written after her erasure,
        // they would be refused (a pseudonym is no coordinator) with no one to answer.
        let kaisa = PersonErasure("kaisa", entry: registry.person("kaisa"), pseudonym: "erased-ijklmnop")
        #expect(kaisa.openWork(in: state, now: at, time: .helsinki).count == 2)
        let (without, _) = kaisa.erase(state)
        #expect(without.pendingRegistryChanges.isEmpty)
    }

    @Test func partsAreReplacedAsWholeWordsWithoutJoiningDigits() {
        #expect(PersonErasure.replace(["anna"], in: "Annankatu ja anna, ANNA!", with: "x") == "Annankatu ja x, x!")
        #expect(PersonErasure.replace(["kalle"], in: "kalle-kalle kallekin", with: "erased-q") == "erased-q-erased-q kallekin")
        // A pseudonym has no digits: "040 kalle 123" cannot become a number.
        let pseudonym = PersonErasure.newPseudonym(avoiding: [])
        #expect(pseudonym.rawValue.hasPrefix("erased-") && !pseudonym.rawValue.contains(where: \.isNumber))
        #expect(PersonErasure.replace([String](), in: "teksti", with: "x") == "teksti")
    }
}
