import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Payment modes (003, 004): a fee, business income with a business ID, or volunteering with
/// costs only; the year to date (`palkkio vuosi`); and an expert's own earnings limits, warned
/// of in the offer and shown to the coordinator in the ranking.
@Suite struct PaymentModeTests {
    /// The example registry with `lines` added to Kalle's expert details.
    func registry(kalle lines: String) throws -> URL {
        let anchor = "      work_phone: \"+358 40 000 0909\"\n"
        return try exampleRegistry {
            #expect($0.contains(anchor))
            return $0.replacingOccurrences(of: anchor, with: anchor + lines)
        }
    }

    /// Anna orders again, having worked with Kalle: she names him as her wish.
    @discardableResult
    func orderNamingKalle(_ h: GatewayHarness, when: String) async throws -> [(recipient: PersonID, text: String)] {
        for answer in ["tilaa", "1", "2", "1", when, "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee vertaistukea."] {
            try await h.send("anna", answer)
        }
        let wish = try await h.reply("anna", "2")
        #expect(wish.contains("Kuinka monta tapaamiskertaa"), "\(wish)")
        try await h.send("anna", "1")
        return try await h.send("anna", "kyllä")
    }

    @Test(
        "Business IDs and their check digit",
        arguments: [
            ("0112038-9", true), ("1234567-1", true), ("0112038-8", false), ("112038-9", false), ("0112038 9", false),
            ("０112038-9", false), ("01120389", false), ("0112038-", false), ("", false), ("2345678-1", false),
        ])
    func businessIDs(text: String, valid: Bool) {
        #expect(BusinessID.isValid(text) == valid)
    }

    @Test func theRegistryReadsPaymentModesAndRefusesWhatCannotBePaid() throws {
        let good = try registry(
            kalle: "      payment: business_income\n      business_id: 0112038-9\n      earnings_limit: {month: 800, year: \"7 000,50\"}\n")
        defer { cleanUp(good) }
        let kalle = try #require(try RegistryLoader.load(directory: good).person("kalle")?.expert)
        #expect(kalle.paymentMode == .businessIncome)
        #expect(kalle.businessID == "0112038-9")
        #expect(kalle.earningsLimitMonth == Money(cents: 80_000))
        #expect(kalle.earningsLimitYear == Money(cents: 700_050))
        for (lines, message) in [
            ("      payment: business_income\n", "payment: business_income needs the expert's business_id"),
            ("      business_id: 0112038-9\n", "business_id is given but payment is fee"),
            ("      payment: business_income\n      business_id: 0112038-8\n", "business_id must be a Finnish business ID"),
            ("      payment: salary\n", "payment must be one of fee, business_income, volunteer"),
            ("      earnings_limit: {month: lots}\n", "earnings_limit.month must be euros above 0"),
            ("      earnings_limit: {year: 0}\n", "earnings_limit.year must be euros above 0"),
            ("      earnings_limit: {year: 99999999999999999}\n", "earnings_limit.year must be euros above 0"),
            ("      earnings_limit: {week: 100}\n", "week"),
        ] {
            let directory = try registry(kalle: lines)
            defer { cleanUp(directory) }
            do {
                _ = try RegistryLoader.load(directory: directory)
                Issue.record("loaded with \(lines)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
                #expect("\(error)".contains("people.yaml:"), "the line is named")
            }
        }
    }

    @Test func aVolunteerIsOfferedCostsOnlyAndPaidNoFee() async throws {
        let directory = try registry(kalle: "      payment: volunteer\n")
        defer { cleanUp(directory) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9), registry: directory)
        let offer = try #require(texts(try await h.placeOrder(when: "ti 10.11. klo 14"), to: "kalle").first)
        #expect(offer.contains("Vapaaehtoistehtävä: palkkiota ei makseta"))
        #expect(!offer.contains("Palkkio:"), "no fee promised")
        _ = try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 11, 10, 15, 40))
        _ = try await h.send("kalle", "kyllä")
        _ = try await h.send("kalle", "4,50")
        _ = try await h.advance(to: local(2026, 12, 1, 8))
        let report = try #require(await h.state.feeReports["P-2026-11-kalle-mielenterveys-porvoo"])
        #expect(report.paymentMode == .volunteer)
        #expect(report.fees == .zero)
        #expect(report.otherCosts == Money(cents: 450), "costs are refunded")
        // Approved, it goes to payroll in a file of its own.
        _ = try await h.send("kalle", "1")
        _ = try await h.send("liisa", "1")
        _ = try await h.advance(to: local(2026, 12, 10, 8))
        #expect(h.transport.takeAttachments().map(\.attachment.filename) == ["payroll-2026-12-10-volunteer.csv"])
    }

    @Test func businessIncomeIsExportedApartWithItsBusinessID() throws {
        let directory = try registry(kalle: "      payment: business_income\n      business_id: 0112038-9\n")
        defer { cleanUp(directory) }
        let registry = try RegistryLoader.load(directory: directory)
        var state = GatewayState()
        for (expert, mode) in [("kalle", PaymentMode.businessIncome), ("sanna", .fee)] {
            let line = FeeLine(
                order: OrderID(rawValue: "T-2026-0001"), session: 1, start: local(2026, 11, 10, 14), taskType: .individual,
                minutes: 60, outcome: .held, fee: Money(cents: 2000), kilometres: 0, travel: .zero, otherCosts: .zero)
            var report = FeeReport(
                expert: PersonID(expert), unit: "mielenterveys-porvoo", month: "2026-11", lines: [line],
                createdAt: local(2026, 12, 1, 8), payday: LocalDay(year: 2026, month: 12, day: 31))
            report.status = .approved
            report.paymentMode = mode
            state.apply(.feeReportSaved(report))
        }
        let month = Month(year: 2026, month: 11)
        let fees = PayrollExport(month: month, state: state, registry: registry)
        #expect(fees.reportCount == 1)
        #expect(fees.csv.contains("P-2026-11-sanna-mielenterveys-porvoo") && !fees.csv.contains("kalle"))
        #expect(fees.warnings == [.otherMode(month: month, count: 1, mode: .businessIncome)])
        let catalog = try MessageCatalog.load(file: repositoryRoot.appendingPathComponent("Config/messages.yaml"))
        #expect(
            fees.warnings[0].text(catalog, .en, registry: registry).hasSuffix(
                "paid as business_income, left out: export them with --payment business_income"))
        let business = PayrollExport(month: month, mode: .businessIncome, state: state, registry: registry)
        #expect(business.reportCount == 1)
        #expect(business.csv.contains(",business_income,0112038-9,\r\n"))
        #expect(!business.warnings.contains { if case .noTaxCard = $0 { true } else { false } }, "business income needs no tax card")
    }

    @Test func aLimitTheOfferWouldPassIsWarnedOfAndShownInTheRanking() async throws {
        // 1.5 h at 20 €/h is 30 € a session, paid with December's fees in January: past a
        // limit of 25 € a month. Limits count by the month of payment (as benefits do).
        let directory = try registry(kalle: "      earnings_limit: {month: 25, year: 5000}\n")
        defer { cleanUp(directory) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: directory)
        let offer = try #require(texts(try await h.placeOrder(when: "ti 8.12. klo 14"), to: "kalle").first)
        #expect(
            offer.contains(
                "Huomaa: tämä tehtävä veisi palkkiosi yli asettamasi rajan (maksut 1/2027: 30,00 €, raja 25,00 €)"
                    .replacingOccurrences(of: " €", with: "\u{00A0}€")))
        let ranking = try await h.reply("kaisa", "ehdokkaat T-2026-0001")
        #expect(
            ranking.contains("Kalle Heikkinen (kalle):")
                && ranking.contains(
                    "yli oman ansiorajansa (maksut 1/2027: 30,00 €, raja 25,00 €)".replacingOccurrences(of: " €", with: "\u{00A0}€"))
        )
        #expect(!ranking.contains("Sanna Östman (sanna): yli"), "only the expert whose limit it is")
        // An orderer never sees an expert's earnings.
        #expect(!(try await h.reply("anna", "ehdokkaat T-2026-0001")).contains("raja"))
    }

    @Test func aLimitWithinReachIsNotWarnedOf() async throws {
        let directory = try registry(kalle: "      earnings_limit: {month: 30}\n")
        defer { cleanUp(directory) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: directory)
        let offer = try #require(texts(try await h.placeOrder(when: "ti 8.12. klo 14"), to: "kalle").first)
        #expect(!offer.contains("Huomaa"), "30 € is within a limit of 30 €")
        _ = try await h.send("kalle", "1")
        // A second task the same month would pass it.
        let second = try #require(texts(try await orderNamingKalle(h, when: "to 10.12. klo 10"), to: "kalle").first)
        #expect(second.contains("maksut 1/2027: 60,00"), "\(second)")
    }

    @Test func theYearToDateShowsEachMonthWhatIsBookedAndTheLimits() async throws {
        let directory = try registry(kalle: "      earnings_limit: {year: 5000}\n")
        defer { cleanUp(directory) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 11, 2, 9), registry: directory)
        try await h.placeOrder(when: "ti 10.11. klo 14")
        _ = try await h.send("kalle", "1")
        try await orderNamingKalle(h, when: "ti 8.12. klo 14")
        _ = try await h.send("kalle", "1")
        _ = try await h.advance(to: local(2026, 11, 10, 15, 40))
        _ = try await h.send("kalle", "kyllä")
        _ = try await h.send("kalle", "0")
        let year = try await h.reply("kalle", "palkkio vuosi")
        let euro = { (text: String) in text.replacingOccurrences(of: " €", with: "\u{00A0}€") }
        #expect(year.hasPrefix("Vuotesi 2026, Kalle (palkkio):"))
        #expect(year.contains(euro("- 11/2026: palkkiot 30,00 €, kulut 0,00 €, ei vielä hyväksytty")))
        #expect(year.contains(euro("Yhteensä: palkkiot 30,00 €")))
        #expect(year.contains(euro("Varattuna vuoden loppuun: 30,00 €.")))
        // November's fee is paid in December; the December session's in January 2027.
        #expect(year.contains(euro("Vuonna 2026 maksettavat palkkiot, varatut mukaan lukien: 30,00 €.")))
        #expect(year.contains(euro("Ansiorajasi lasketaan maksupäivien mukaan: vuodessa 5\u{00A0}000,00 €.")))
        // A year written out; the Swedish word too; the word alone is still the fee status.
        #expect(try await h.reply("kalle", "palkkio 2025").contains("Vuotesi 2025"))
        #expect(try await h.reply("kalle", "arvode år").contains("2026"))
        #expect(try await h.reply("kalle", "palkkio").hasPrefix("Palkkiosi, Kalle:"))
        // Someone who is no expert gets the ordinary answer.
        #expect(!(try await h.reply("anna", "palkkio vuosi")).contains("Vuotesi"))
    }
}
