import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// What an expert does for themselves in chat (004, 000 §6.1; 003): the confidentiality
/// commitment before the first task, days away and back, the coming tasks, their
/// introduction and wishes; and the unit's onboarding sent with a booking (000 §3, 002).
@Suite struct SelfServiceTests {
    /// The example registry with Kalle's paper commitment taken out: he confirms it in chat.
    func unsignedKalle() throws -> GatewayHarness {
        try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: try unsignedKalleRegistry())
    }

    func unsignedKalleRegistry() throws -> URL {
        let directory = try exampleRegistry()
        let people = directory.appendingPathComponent("people.yaml")
        let text = try String(contentsOf: people, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let kalle = try #require(lines.firstIndex(of: "  - id: kalle"))
        let signed = try #require(lines[kalle...].firstIndex { $0.hasPrefix("      confidentiality_signed:") })
        var edited = lines
        edited.remove(at: signed)
        try edited.joined(separator: "\n").write(to: people, atomically: true, encoding: .utf8)
        return directory
    }

    @Test func anExpertConfirmsTheConfidentialityCommitmentBeforeTheFirstTask() async throws {
        let h = try unsignedKalle()
        try await h.placeOrder()
        try await h.placeOrder(when: "ke 9.12. klo 14")
        let asked = try await h.reply("kalle", "1")
        #expect(asked.hasPrefix("Ennen ensimmäistä tehtävääsi vahvista vaitiolositoumus."))
        #expect(asked.contains("Vaitiolositoumus: Sitoudun pitämään salassa kaiken"))
        // Refusing takes nothing: the offer stays open and is shown again.
        let refused = texts(try await h.send("kalle", "ei"), to: "kalle")
        #expect(refused.first?.hasPrefix("Tehtävää ei voi ottaa ilman vaitiolositoumusta, joten et vielä ottanut sitä.") == true)
        #expect(refused.last?.hasPrefix("Hei Kalle! Sinulle tarjotaan tehtävää T-2026-0001:") == true)
        let order = OrderID(rawValue: "T-2026-0001")
        #expect(await h.state.orders[order]?.status == .open)
        #expect(await h.state.orders[order]?.pendingOffers.map(\.expert) == ["kalle"])
        #expect(await h.state.expertRecords["kalle"]?.confidentialityConfirmedAt == nil)
        // Taking it asks again; yes records the day and books the task.
        #expect(try await h.reply("kalle", "1").hasPrefix("Ennen ensimmäistä tehtävääsi"))
        let taken = try await h.send("kalle", "kyllä")
        #expect(texts(taken, to: "kalle").contains { $0.hasPrefix("Tehtävä T-2026-0001 on vahvistettu sinulle, Kalle.") })
        #expect(await h.state.orders[order]?.assignedExpert == "kalle")
        #expect(await h.state.expertRecords["kalle"]?.confidentialityConfirmedAt == local(2026, 12, 1, 9))
        // Asked only once: the next offer is taken with "1".
        let second = try await h.send("kalle", "1")
        #expect(texts(second, to: "kalle").contains { $0.hasPrefix("Tehtävä T-2026-0002 on vahvistettu sinulle") })
        // Kept across a restart.
        try h.restart()
        #expect(try await h.reply("kalle", "vaitiolo").hasPrefix("Kalle, vahvistit vaitiolositoumuksen 1.12.2026:"))
    }

    @Test func theCommitmentCanBeConfirmedAheadAndAPaperOneIsNotAskedAgain() async throws {
        let h = try unsignedKalle()
        #expect(try await h.reply("kalle", "vaitiolo").hasPrefix("Vaitiolositoumus: Sitoudun"))
        #expect(try await h.reply("kalle", "kyllä") == "Kiitos, Kalle! Vaitiolositoumus on vahvistettu 1.12.2026.")
        try await h.placeOrder()
        #expect(texts(try await h.send("kalle", "1"), to: "kalle").contains { $0.contains("on vahvistettu sinulle") })
        // Sanna signed it with her agreement (people.yaml): shown, never asked.
        #expect(try await h.reply("sanna", "vaitiolo").hasPrefix("Sanna, vahvistit vaitiolositoumuksen 1.6.2024:"))
        // Not an employee's matter.
        #expect(try await h.reply("anna", "vaitiolo").hasPrefix("Toiminto \"Vaitiolositoumus\" ei ole käytössäsi."))
    }

    @Test func daysAwayWithdrawOffersForThemAndKeepBookingsStanding() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        // While the offer is open, the days away are the command, not an answer to it.
        let away = try await h.send("kalle", "poissaolo 7.12.–9.12.2026")
        #expect(
            texts(away, to: "kalle").first
                == "Merkitty, Kalle: olet poissa 7.12.2026–9.12.2026. Sinulle ei tarjota tehtäviä niille päiville.\n"
                + "Näiden päivien tarjoukset sinulle peruttiin: T-2026-0001.")
        #expect(texts(away, to: "sanna").first?.hasPrefix("Hei Sanna! Sinulle tarjotaan tehtävää T-2026-0001") == true)
        #expect(await h.state.expertRecords["kalle"]?.away == [DayRange(from: "2026-12-07", until: "2026-12-09")])
        let ranking = try await h.ranking(of: "T-2026-0001")
        #expect(ranking.excluded.first { $0.expert == "kalle" }?.reasons.contains(ExpertMatcher.Exclusion.unavailable) == true)
        #expect(try await h.reply("kalle", "tehtävät") == "Kalle, sinulla ei ole tulevia tehtäviä eikä avoimia tarjouksia.")
        // Back: the period of that day is removed.
        #expect(
            try await h.reply("kalle", "palasin 8.12.").hasPrefix("Tervetuloa takaisin, Kalle! Poissaolo 7.12.2026–9.12.2026 on poistettu"))
        #expect(await h.state.expertRecords["kalle"]?.away == [])
        // Sanna takes it; days away over it later leave it standing and show it to her.
        _ = try await h.send("sanna", "1")
        let booked = try await h.reply("sanna", "poissaolo 8.12.")
        #expect(
            booked.contains(
                "Sinulla on jo sovittuja tehtäviä niinä päivinä:\n- T-2026-0001: 8.12.2026 klo 14.00, Yksilötyö asiakkaan kanssa"))
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == "sanna")
    }

    @Test func daysAwayAreBoundedAndAPeriodGoingOnEndsYesterday() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        let usage = "Kirjoita poissaolo näin: poissaolo 8.12.–21.12.2026 (tai yksi päivä: poissaolo 21.12.)."
        for wrong in [
            "poissaolo 1.1.2020", "poissaolo 99999999999999999", "poissaolo 1.12.2026–1.12.2027", "poissaolo 9.12.–2.12.2026",
            "poissaolo 32.12.", "poissaolo huomenna ylihuomenna tänään", "poissaolo \u{0}\u{7}",
        ] {
            #expect(try await h.reply("kalle", wrong).hasPrefix(usage), "\(wrong)")
        }
        #expect(await h.state.expertRecords["kalle"] == nil)
        // Overlapping periods are joined; a single day is a period.
        try await h.send("kalle", "poissaolo 1.12.-3.12.")
        try await h.send("kalle", "poissaolo 2.12.–5.12.")
        try await h.send("kalle", "poissaolo 24.12.")
        #expect(
            await h.state.expertRecords["kalle"]?.away
                == [DayRange(from: "2026-12-01", until: "2026-12-05"), DayRange(from: "2026-12-24", until: "2026-12-24")])
        _ = try await h.advance(to: local(2026, 12, 3, 9))
        #expect(
            try await h.reply("kalle", "palasin").hasPrefix(
                "Tervetuloa takaisin, Kalle! Poissaolosi päättyi eiliseen (1.12.2026–2.12.2026)"))
        #expect(try await h.reply("kalle", "poissaolo").contains("- 24.12.2026\n"))
        #expect(try await h.reply("anna", "poissaolo 24.12.") == "Tämä koskee vain kokemusasiantuntijoita.")
    }

    @Test func theComingTasksListBookingsAndOffers() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        #expect(
            try await h.reply("kalle", "tehtävät")
                == "Tarjouksia odottaa vastaustasi (tarjous):\n- T-2026-0001: 8.12.2026 klo 14.00, vastaa viimeistään 2.12.2026 klo 20.00"
        )
        _ = try await h.send("kalle", "1")
        #expect(
            try await h.reply("kalle", "tehtävät")
                == "Kalle, tulevat tehtäväsi:\n- T-2026-0001: 8.12.2026 klo 14.00, 1 h 30 min, Yksilötyö asiakkaan kanssa, etänä")
    }

    @Test func anIntroductionIsGuardedAndReplacesTheRegistrysInItsLanguage() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        #expect(try await h.reply("kalle", "esittely").contains("ruotsiksi: Jag har återhämtat mig från depression och rusmedelsberoende."))
        let held = try await h.reply("kalle", "esittely sv: Jag har återhämtat mig. Ring mig på noll fyra noll 123 4567!")
        #expect(held.hasPrefix("Tekstissä on puhelinnumero, eikä sitä tallennettu."))
        #expect(try await h.reply("kalle", "esittely sv: Hej!").hasPrefix("Esittelyssä on 4 merkkiä"))
        #expect(await h.state.expertRecords["kalle"] == nil)
        let saved = try await h.reply("kalle", "esittely sv: Jag berättar gärna vad som hjälpte mig att återhämta mig.")
        #expect(saved == "Kiitos, Kalle! Esittelysi (ruotsi) on tallennettu:\nJag berättar gärna vad som hjälpte mig att återhämta mig.")
        let kalle = try #require(try RegistryLoader.load(directory: h.registryDirectory).person("kalle"))
        let introduction = await h.state.effective(kalle).expert?.introduction
        #expect(introduction?.text(in: Language.sv) == "Jag berättar gärna vad som hjälpte mig att återhämta mig.")
        #expect(introduction?.text(in: Language.fi) == kalle.expert?.introduction?.text(in: Language.fi), "the other languages stay")
        // Without a code, in his own language; the orderer's confirmation shows it.
        try await h.send("kalle", "esittely Kerron mielelläni, mikä auttoi minua toipumaan.")
        try await h.placeOrder()
        let booked = try await h.send("kalle", "1")
        #expect(texts(booked, to: "anna").first?.contains("Esittely: Kerron mielelläni, mikä auttoi minua toipumaan.") == true)
    }

    @Test func wishesNarrowTheAgreementAndNeverWidenIt() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        #expect(try await h.reply("kalle", "toiveet aiheet asunnottomuus").hasPrefix("Toimeksiantosopimuksessasi ei ole: asunnottomuus."))
        #expect(try await h.reply("kalle", "toiveet tunnit 999").hasPrefix("Kirjoita tunnit kuukaudessa numerona 1–300"))
        #expect(try await h.reply("kalle", "toiveet tunnit 99999999999999999999").hasPrefix("Kirjoita tunnit"))
        #expect(await h.state.expertRecords["kalle"] == nil)
        // Mental health only (by its Swedish name), lectures and groups (a name's beginning).
        #expect(try await h.reply("kalle", "toiveet aiheet psykisk hälsa").contains("Aiheet: Mielenterveys\n"))
        #expect(
            try await h.reply("kalle", "toiveet tehtävät luento, ryhmänohjaus").contains("Tehtävät: Ryhmänohjaus, Luento tai koulutus\n"))
        #expect(try await h.reply("kalle", "toiveet tunnit 12").contains("Tunteja kuukaudessa enintään: 12\n"))
        #expect(await h.state.expertRecords["kalle"]?.topics == ["mental_health"])
        #expect(await h.state.expertRecords["kalle"]?.taskTypes == [.group, .lecture])
        // Anna's order is individual work on substance use: not what Kalle wishes now.
        try await h.placeOrder()
        let reasons = try await h.ranking(of: "T-2026-0001").excluded.first { $0.expert == "kalle" }?.reasons ?? []
        #expect(reasons == [ExpertMatcher.Exclusion.wish])
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.pendingOffers.map(\.expert) == ["sanna"])
        // "kaikki" goes back to the agreement.
        #expect(
            try await h.reply("kalle", "toiveet aiheet kaikki").contains("Aiheet: kaikki sopimuksen mukaiset (Mielenterveys, Päihteet)"))
        #expect(await h.state.expertRecords["kalle"]?.topics == nil)
    }

    @Test func aCommentThatBeginsWithACommandWordIsStillAnAnswer() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        try await h.send("kalle", "3")
        // The question to the orderer begins with the word for wishes: it is the question.
        let asked = try await h.send("kalle", "Toiveet: voiko tapaamisen pitää etänä?")
        #expect(texts(asked, to: "anna").first?.contains("Toiveet: voiko tapaamisen pitää etänä?") == true)
        #expect(await h.state.expertRecords["kalle"] == nil)
    }

    @Test func aLanguageIsUnderstoodByItsNameInAnyLanguage() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        #expect(try await h.reply("kalle", "kieli ruotsi") == "Språket är nu svenska.")
        #expect(try await h.reply("kalle", "språk engelska") == "Language changed to English.")
        #expect(try await h.reply("kalle", "language Finnish") == "Kieli vaihdettu: suomi.")
    }

    @Test func aBookingOnSiteSendsTheUnitsOnboardingAndTellsItsNamedEmployee() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in [
            "tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "1", "Vanha kirjasto, Porvoo", "suomi", "1", "Vertaistukea.", "1",
        ] {
            try await h.send("anna", answer)
        }
        try await h.send("anna", "kyllä")
        let booked = try await h.send("kalle", "1")
        let confirmation = try #require(texts(booked, to: "kalle").first { $0.hasPrefix("Tehtävä T-2026-0001 on vahvistettu") })
        #expect(
            confirmation.hasSuffix(
                "\n\nPerehdytys yksikköön Mielenterveys- ja päihdepalvelut, Porvoo:\nSisäänkäynti Vanhan kirjaston pääovesta; "
                    + "ilmoittaudu aulan infoon, josta sinut haetaan. Tapaamishuone 2, 1. kerros. Kahvia saa henkilökunnan taukotilasta.\n"
                    + "Yksikössä sinut ottaa vastaan Liisa Korhonen."))
        // The unit names no contact: its approver, Liisa, receives the expert.
        let told = try #require(texts(booked, to: "liisa").first)
        #expect(
            told.hasPrefix(
                "Hei Liisa! Yksikköönne Mielenterveys- ja päihdepalvelut, Porvoo on varattu kokemusasiantuntija, tilaus T-2026-0001."))
        #expect(told.contains("Kokemusasiantuntija: Kokemusasiantuntija K-12\nTilaaja: Anna Virtanen\nOlet yksikön nimetty työntekijä"))
        #expect(!told.contains("Kalle Heikkinen") && !told.contains("posti.example"))
    }

    @Test func aRemoteBookingSendsNoOnboardingAndTheOrdererIsNotToldTwice() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        let booked = try await h.send("kalle", "1")
        #expect(texts(booked, to: "kalle").allSatisfy { !$0.contains("Perehdytys") })
        #expect(texts(booked, to: "liisa").first?.contains("Olet yksikön nimetty työntekijä") == false)
        #expect(texts(booked, to: "anna").count == 1)
    }

    @Test func aUnitsContactMustBeAnEmployeeInTheRegistry() throws {
        let directory = try exampleRegistry()
        let units = directory.appendingPathComponent("units.yaml")
        let text = try String(contentsOf: units, encoding: .utf8)
        try text.replacingOccurrences(of: "contact: olli", with: "contact: kalle").write(to: units, atomically: true, encoding: .utf8)
        #expect {
            _ = try RegistryLoader.load(directory: directory)
        } throws: { error in
            "\(error)".contains("unit 'asumispalvelut-sipoo': contact 'kalle' must be an employee, approver or coordinator")
        }
    }

    /// An offer flow begun before the commitment was asked (a conversation keeps its flow
    /// version), or a county's own flow without the step: taking the task still needs it.
    @Test func aFlowWithoutTheCommitmentStepCannotTakeATaskWithoutIt() async throws {
        var flows = try shippedFlows()
        let offer = try #require(flows["offer.yaml"])
        flows["offer.yaml"] = offer.replacingOccurrences(
            of: "      - if: choice == accept\n        goto: confidentiality", with: "      - if: choice == accept\n        goto: accept"
        )
        #expect(flows["offer.yaml"] != offer)
        let h = try GatewayHarness(flows: flows, now: local(2026, 12, 1, 9), registry: try unsignedKalleRegistry())
        try await h.placeOrder()
        // Taking it is refused and turns to the commitment.
        #expect(try await h.reply("kalle", "1").hasPrefix("Ennen ensimmäistä tehtävääsi vahvista vaitiolositoumus."))
        let order = OrderID(rawValue: "T-2026-0001")
        #expect(await h.state.orders[order]?.assignedExpert == nil)
        #expect(await h.state.orders[order]?.status == .open)
        #expect(await h.state.expertRecords["kalle"] == nil)
    }

    @Test func backAfterTakingATaskDoesNotUndoIt() async throws {
        let h = try unsignedKalle()
        // On site: the travel questions follow the taking.
        for answer in [
            "tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "1", "Vanha kirjasto, Porvoo", "suomi", "1",
            "Asiakas tarvitsee vertaistukea.", "1", "kyllä",
        ] {
            try await h.send("anna", answer)
        }
        try await h.send("kalle", "1")
        try await h.send("kalle", "kyllä")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == "kalle")
        let back = try await h.reply("kalle", "takaisin")
        #expect(back.hasPrefix("Tämä on ensimmäinen kysymys.\n\nKalle, matkat korvataan"), "\(back)")
        #expect(try await h.reply("kalle", "ei").contains("Kirjoita kilometrit numerona"))
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.assignedExpert == "kalle")
    }

    @Test func aWishLowersTheHoursAndNeverRaisesThem() async throws {
        let policy = MatchingPolicy(monthlyCapHours: 1)
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), matching: policy)
        #expect(try await h.reply("kalle", "toiveet").contains("Tunteja kuukaudessa enintään: 1\n"), "the county's cap shows")
        #expect(try await h.reply("kalle", "toiveet tunnit 300").contains("Tunteja kuukaudessa enintään: 1\n"))
        try await h.placeOrder()
        let reasons = try await h.ranking(of: "T-2026-0001", policy: policy).excluded.first { $0.expert == "kalle" }?.reasons
        #expect(reasons == [ExpertMatcher.Exclusion.monthlyCap(hours: 2, cap: 1)])
        let now = local(2026, 12, 1, 9)
        let agreed = ExpertProfile(handle: "K", monthlyCapHours: 12)
        #expect(ExpertRecord(expert: "kalle", monthlyCapHours: 300, updatedAt: now).applied(to: agreed).monthlyCapHours == 12)
        #expect(ExpertRecord(expert: "kalle", monthlyCapHours: 5, updatedAt: now).applied(to: agreed).monthlyCapHours == 5)
    }

    @Test func anIntroductionIsNotFooledByWordsCodesOrInvisibleCharacters() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        // "En ole…" is Finnish ("I have not"), not English: the code needs its colon.
        let finnish = try await h.reply("kalle", "esittely En ole koskaan pelännyt puhua masennuksestani.")
        #expect(finnish.hasPrefix("Kiitos, Kalle! Esittelysi (suomi) on tallennettu:\nEn ole koskaan"))
        #expect(await h.state.expertRecords["kalle"]?.introductions.keys.sorted() == ["fi"])
        // Zero-width padding does not make a short text long enough.
        let padded = "esittely sv: Hej då" + String(repeating: "\u{200B}", count: 30)
        #expect(try await h.reply("kalle", padded).hasPrefix("Esittelyssä on 6 merkkiä"))
        // Letters under hundreds of combining marks each: refused.
        let heavy = "esittely en: " + String(repeating: "a" + String(repeating: "\u{0301}", count: 400), count: 27)
        #expect(try await h.reply("kalle", heavy).hasPrefix("Esittelyssä on 27 merkkiä"))
        #expect(await h.state.expertRecords["kalle"]?.introductions["en"] == nil)
    }

    @Test func aNumberSplitBetweenARelayAndTheIntroductionIsSeenWhole() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        _ = try await h.send("kalle", "1")
        // The beginning of a number is enough to hold an introduction, in digits or words.
        for start in [
            "Numeroni alkaa 040 12, kysy loput viestillä.", "Numeroni alkaa noll fyra noll, kysy loput.",
            "Soita +358 ja kysy lisää minusta.",
        ] {
            #expect(try await h.reply("kalle", "esittely \(start)").hasPrefix("Tekstissä on puhelinnumero"), "\(start)")
        }
        // Read with his last relays, as a relay is.
        _ = try await h.send("kalle", "viesti T-2026-0001 Soita 040")
        #expect(try await h.reply("kalle", "esittely 1234567 on se loppu, kerron mielelläni.").contains("puhelinnumero"))
        #expect(await h.state.expertRecords["kalle"] == nil)
        // Years and ages are no phone numbers.
        #expect(try await h.reply("kalle", "esittely Toivuin vuonna 2019, olin silloin 34-vuotias.").hasPrefix("Kiitos, Kalle!"))
    }

    @Test func pastDaysAwayNeitherCountNorStayAndAYearIsAYear() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for day in 2...21 { try await h.send("kalle", "poissaolo \(day).12.") }
        #expect(await h.state.expertRecords["kalle"]?.away.count == 20)
        _ = try await h.advance(to: local(2027, 2, 1, 9))
        #expect(try await h.reply("kalle", "poissaolo 10.2.").hasPrefix("Merkitty, Kalle: olet poissa 10.2.2027."))
        #expect(await h.state.expertRecords["kalle"]?.away == [DayRange(from: "2027-02-10", until: "2027-02-10")])
        // 365 days from the first day is a year; one more is not.
        #expect(try await h.reply("kalle", "poissaolo 1.3.2027–29.2.2028").hasPrefix("Merkitty"))
        #expect(try await h.reply("kalle", "poissaolo 1.3.2027–1.3.2028").hasPrefix("Kirjoita poissaolo näin: poissaolo 8.2.–21.2.2027"))
    }

    @Test func narrowedWishesGiveUpOffersTheyNoLongerCover() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.pendingOffers.map(\.expert) == ["kalle"])
        let narrowed = try await h.send("kalle", "toiveet aiheet mielenterveys")
        #expect(await h.state.orders[OrderID(rawValue: "T-2026-0001")]?.pendingOffers.map(\.expert) == ["sanna"])
        #expect(texts(narrowed, to: "sanna").first?.hasPrefix("Hei Sanna! Sinulle tarjotaan tehtävää T-2026-0001") == true)
        // Naming every agreed topic is no wish at all.
        try await h.send("kalle", "toiveet aiheet mielenterveys, päihteet")
        #expect(await h.state.expertRecords["kalle"]?.topics == nil)
        let long = "toiveet aiheet " + (1...300).map { "sana\($0)" }.joined(separator: ", ")
        let refused = try await h.reply("kalle", long)
        #expect(refused.hasPrefix("Toimeksiantosopimuksessasi ei ole: sana1, sana2, sana3, sana4, sana5, …."))
    }

    @Test func anExpertRecordNarrowsTheProfile() {
        let profile = ExpertProfile(
            handle: "K", topics: ["mental_health", "substance_use"], taskTypes: [.individual, .group], monthlyCapHours: 40,
            unavailable: [DayRange(from: "2026-12-24", until: "2026-12-26")])
        let record = ExpertRecord(
            expert: "kalle", away: [DayRange(from: "2026-12-01", until: "2026-12-02")], introductions: ["sv": "Hej", "xx": "?"],
            topics: ["substance_use", "homelessness"], taskTypes: [], monthlyCapHours: 10, updatedAt: Date(timeIntervalSince1970: 0))
        let applied = record.applied(to: profile)
        #expect(applied.topics == ["substance_use"], "a wish outside the agreement adds nothing")
        #expect(applied.taskTypes == [])
        #expect(applied.monthlyCapHours == 10)
        #expect(applied.isUnavailable(day: "2026-12-02") && applied.isUnavailable(day: "2026-12-25"))
        #expect(applied.introduction?.texts == [.sv: "Hej"])
    }
}

extension GatewayHarness {
    /// The ranking of an order as the gateway's state and registry give it now.
    fileprivate func ranking(of id: String, policy: MatchingPolicy = MatchingPolicy()) async throws -> ExpertMatcher.Ranking {
        let order = try #require(await state.orders[OrderID(rawValue: id)])
        let matcher = ExpertMatcher(
            registry: try RegistryLoader.load(directory: registryDirectory), policy: policy, time: .helsinki)
        return matcher.rank(order, state: await state, now: order.createdAt)
    }
}
