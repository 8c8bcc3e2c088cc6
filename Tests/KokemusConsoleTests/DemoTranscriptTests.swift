import Foundation
import KokemusConsole
import KokemusCore
import Testing

@Suite struct DemoTranscriptTests {
    let script = fixtures.appendingPathComponent("demo-order.script")
    let expected = fixtures.appendingPathComponent("demo-order.transcript")

    /// The scripted order gives exactly the recorded transcript, and the order it stores is
    /// there, whole, when the state directory is opened again.
    @Test func scriptedOrderMatchesTheTranscriptAndSurvivesARestart() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(script, in: root)
        #expect(writer.text == (try String(contentsOf: expected, encoding: .utf8)))

        let store = try StateStore<GatewayState>(directory: config.stateDirectory, logger: quietLogger)
        let order = try #require(store.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(store.state.orders.count == 1)
        #expect(order.orderer == "anna")
        #expect(order.unit == "mielenterveys-porvoo")
        #expect(order.taskType == .individual)
        #expect(order.topic == "substance_use")
        #expect(order.start == LocalTime.helsinki.date(year: 2026, month: 12, day: 8, hour: 14))
        #expect(order.durationMinutes == 90)
        #expect(order.sessions.count == 1)
        #expect(order.place == .onSite(address: "Vanha kirjasto, Porvoo"))
        #expect(order.language == .fi)
        #expect(order.audience == .client)
        #expect(order.description == "Asiakas tarvitsee vertaistukea päihteiden käytön vähentämiseen.")
        #expect(order.status == .open)
        // The best candidate has the offer in front of them.
        #expect(order.offers.map(\.expert) == ["kalle"])
        #expect(order.pendingOffers.count == 1)
        #expect(store.state.conversations.keys.sorted() == ["kalle"])
        #expect(store.state.conversations["kalle"]?.flowID == "offer")
        #expect(store.state.outbox.isEmpty)
    }

    /// Sessions → hours confirmed → the month's report on the 1st → reminders on the 7th
    /// (the 5th is a Saturday) and the 8th → confirmed with a note → returned → confirmed →
    /// reminders to the approver on the 9th and 10th → approved late, paid on the next payday and
    /// handed to payroll on 11.1.2027; then the payroll CSV, run
    /// by the real binary on the demo's state, holds the report with the unit's cost centre.
    @Test func scriptedFeesMatchTheTranscriptAndReachPayroll() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-fees.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-fees.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        let report = try #require(state.feeReports["P-2026-11-kalle-mielenterveys-porvoo"])
        #expect(report.status == .approved && report.approvedBy == "liisa")
        #expect(report.total == Money(cents: 7150))
        // Approved after the handover of 10.12.: paid on the last banking day of January, and
        // handed to payroll by the gateway on Monday 11.1.2027.
        #expect(report.payday == LocalDay(year: 2027, month: 1, day: 29))
        #expect(report.handedToPayrollAt != nil)
        #expect(state.sentReminders.keys.contains("payroll:late:2026-12:kaisa"))
        let feedback = state.orders[OrderID(rawValue: "T-2026-0001")]?.feedback ?? []
        #expect(feedback.map { "\($0.source.rawValue) \($0.by) \($0.rating)" } == ["expert kalle 5", "employee anna 4", "client anna 5"])
        #expect(
            state.sentReminders.keys.filter { $0.hasPrefix("feedback:") }.sorted() == [
                "feedback:T-2026-0002:anna", "feedback:T-2026-0002:kalle",
            ])
        #expect(
            state.sentReminders.keys.filter { $0.hasPrefix("feereport:") }.sorted() == [
                "feereport:P-2026-11-kalle-mielenterveys-porvoo:approver:2026-12-09",
                "feereport:P-2026-11-kalle-mielenterveys-porvoo:approver:2026-12-10",
                "feereport:P-2026-11-kalle-mielenterveys-porvoo:expert:5",
                "feereport:P-2026-11-kalle-mielenterveys-porvoo:expert:8",
            ])

        let csv = root.appendingPathComponent("payroll-2026-11.csv")
        let result = try runKokemus([
            "payroll", "export", "--month", "2026-11", "--state", config.stateDirectory.path,
            "--output", csv.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrote 1 report(s)"))
        let rows = try String(contentsOf: csv, encoding: .utf8).components(separatedBy: "\r\n")
        #expect(rows[0].hasPrefix("report_id,month,payday,expert_id,expert_name,unit_id,unit_name,cost_centre,"))
        #expect(
            rows[1] == "P-2026-11-kalle-mielenterveys-porvoo,2026-11,2027-01-29,kalle,Kalle Heikkinen,"
                + "mielenterveys-porvoo,\"Mielenterveys- ja päihdepalvelut, Porvoo\",4102,2,165,55.00,24,13.20,3.30,71.50,"
                + "liisa,2026-12-10T08:00,2026,fee,,2027-01-11T08:00")
        #expect(result.stderr.contains("Kalle Heikkinen: verokortti 2027 puuttuu"), "paid in 2027; in Finnish by default")
        #expect(rows.count == 3 && rows[2].isEmpty)
        #expect(result.stderr.contains("tämä tiedosto on tarkistuskopio"), "the handover is on")
        let english = try runKokemus([
            "payroll", "export", "--month", "2026-11", "--state", config.stateDirectory.path, "--language", "en",
        ])
        #expect(english.stderr.contains("Kalle Heikkinen: no tax card for 2027"), "\(english.stderr)")
        let wrong = try runKokemus(["payroll", "export", "--month", "2026-11", "--state", config.stateDirectory.path, "--language", "de"])
        #expect(wrong.status != 0 && wrong.stderr.contains("--language must be fi, sv or en"))
        // The files of a handover, for IT when payroll reads chat: the same row.
        let handover = try runKokemus(["payroll", "export", "--handover", "2027-01-11", "--state", config.stateDirectory.path])
        #expect(handover.status == 0, "\(handover.stderr)")
        #expect(handover.stdout.components(separatedBy: "\r\n")[1] == rows[1])
        #expect(
            try runKokemus(["payroll", "export", "--handover", "2026-12-10", "--state", config.stateDirectory.path]).stdout
                .components(separatedBy: "\r\n").count == 2, "nothing was handed over that day")
        #expect(try runKokemus(["payroll", "export", "--state", config.stateDirectory.path]).status != 0)

        // The coordinator's year report from the same state: two paid tasks and the feedback given.
        let year = try runKokemus([
            "report", "year", "--year", "2026", "--state", config.stateDirectory.path,
            "--now", "2026-12-31T12:00", "--format", "csv",
        ])
        #expect(year.status == 0, "\(year.stderr)")
        let lines = year.stdout.components(separatedBy: "\r\n")
        #expect(lines.contains("Tasks by type 2026,individual,2,2,2.75,55.00,16.50"))
        #expect(lines.contains("Tasks by unit 2026,\"Mielenterveys- ja päihdepalvelut, Porvoo\",2,2,2.75,55.00,16.50"))
        #expect(lines.contains("Feedback 2026,employee,1,4.0"))
        let fees = try runKokemus(["report", "fees", "--month", "2026-11", "--state", config.stateDirectory.path])
        #expect(
            fees.stdout.contains(
                "| Mielenterveys- ja päihdepalvelut, Porvoo | 4102 | Kalle Heikkinen | 2 | 2.75 | 55.00 | 16.50 | 71.50 | approved |"))
    }

    /// After bookings: reminders the day before (once, not at night, not again after a
    /// restart), cancellations at 14.59 and 15.01 on the day before, a group session with no
    /// participants, an ill expert and a substitute, a move, and a group stopped.
    @Test func scriptedChangesMatchTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-changes.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-changes.transcript"),
                    encoding: .utf8)))
        let store = try StateStore<GatewayState>(directory: config.stateDirectory, logger: quietLogger)
        func statuses(_ id: String) -> [Session.Status] {
            store.state.orders[OrderID(rawValue: id)]?.sessions.map(\.status) ?? []
        }
        #expect(statuses("T-2026-0001") == [.cancelledFree])
        #expect(statuses("T-2026-0002") == [.cancelledPaid])
        #expect(statuses("T-2026-0003") == [.noParticipants, .expertIll, .groupStopped])
        // Sanna's substitute session of the group (10.12.) was still to come: it stops with the group.
        #expect(store.state.orders[OrderID(rawValue: "T-2026-0004")]?.assignment?.expert == "sanna")
        #expect(store.state.orders[OrderID(rawValue: "T-2026-0004")]?.status == .cancelled)
        #expect(statuses("T-2026-0004") == [.groupStopped])
        #expect(
            store.state.orders[OrderID(rawValue: "T-2026-0003")]?.sessions[2].start
                == LocalTime.helsinki.date(year: 2026, month: 12, day: 18, hour: 14))
        // Each reminder once: three sessions reminded to two people each.
        #expect(store.state.sentReminders.keys.filter { $0.hasPrefix("session:") }.count == 8)
    }

    /// A group under 000 §6.2: reasons for stopping agreed in the order, a session called off
    /// a week ahead paid until the coordinator releases it, the group stopped for an agreed reason.
    @Test func scriptedGroupMatchesTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-groups.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-groups.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        let order = try #require(state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.agreedStopReasons == "alle kolme osallistujaa kahdella kerralla peräkkäin")
        #expect(order.planningMinutes == 120)
        #expect(order.sessions.map(\.status) == [.planned, .groupStopped, .planned, .groupStopped])
        #expect(order.sessions.map { $0.decision?.by } == [nil, "kaisa", nil, "kaisa"])
    }

    /// A client process of three meetings on dates given one by one, offered once with its
    /// terms, taken whole by one expert; one meeting called off in time, one moved.
    @Test func scriptedProcessMatchesTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-processes.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-processes.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        let order = try #require(state.orders[OrderID(rawValue: "T-2026-0001")])
        let time = LocalTime.helsinki
        #expect(order.frequency == .dates && order.assignedExpert == "kalle" && order.offers.count == 1)
        #expect(order.sessions.map(\.status) == [.planned, .cancelledFree, .planned])
        #expect(
            order.sessions.map(\.start) == [
                time.date(year: 2026, month: 12, day: 8, hour: 14), time.date(year: 2026, month: 12, day: 15, hour: 9),
                time.date(year: 2027, month: 1, day: 13, hour: 10),
            ])
    }

    /// A coordinator's registry changes in chat: an expert added from an application, an
    /// agreement extended and one ended, an address and a unit's approver set; written into
    /// the registry's files, which the restarted gateway reads.
    @Test func scriptedRegistryChangesMatchTheTranscriptAndReachTheFiles() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-registry.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-registry.transcript"),
                    encoding: .utf8)))
        let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
        #expect(registry.person("nina")?.expert?.agreementValidUntil == "2027-12-31")
        #expect(registry.person("kalle")?.expert?.agreementValidUntil == "2028-06-30")
        #expect(registry.person("pekka")?.expert?.agreementValidUntil == "2026-12-01")
        #expect(registry.person("olli")?.contacts.matrix == "@olli:kokemus.example")
        #expect(registry.unit("perhepalvelut-loviisa")?.approver == "tuula")
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        #expect(state.applications["H-2026-001"]?.expert == "nina" && state.pendingRegistryChanges.isEmpty)
    }

    /// Order → offer → question → decline → next expert → accept, relayed messages with
    /// contact details held back, an offer that lapses and one made by hand.
    @Test func scriptedOffersMatchTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-offer.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-offer.transcript"),
                    encoding: .utf8)))

        let store = try StateStore<GatewayState>(directory: config.stateDirectory, logger: quietLogger)
        let first = try #require(store.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(first.status == .assigned)
        #expect(first.assignedExpert == "sanna")
        #expect(first.offers.map { "\($0.expert) \($0.status.rawValue)" } == ["kalle declined", "sanna accepted"])
        let second = try #require(store.state.orders[OrderID(rawValue: "T-2026-0002")])
        #expect(second.assignedExpert == "pekka")
        #expect(second.offers.map { "\($0.expert) \($0.status.rawValue)" } == ["johan expired", "pekka accepted"])
        #expect(second.offers.last?.byHand == true)
        #expect(second.unfilledReported)

        // Nothing the employees received holds an expert's contact details.
        let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
        let contacts = registry.people(with: .expert).flatMap { [$0.contacts.email, $0.contacts.matrix, $0.contacts.phone] }
            .compactMap { $0 }
        var toEmployees: [String] = []
        var inEmployeeMessage = false
        for line in writer.lines {
            if line.hasPrefix("  ") {
                if inEmployeeMessage { toEmployees.append(line) }
            } else {
                inEmployeeMessage = line.hasPrefix("bot → anna:") || line.hasPrefix("bot → bengt:")
                if inEmployeeMessage { toEmployees.append(line) }
            }
        }
        #expect(toEmployees.count > 50)
        for line in toEmployees {
            for contact in contacts { #expect(!line.contains(contact)) }
        }
        #expect(!writer.text.contains("050 000 0202"))
    }

    /// An expert pair ordered, taken by Kalle and then Sanna, and booked only then; Kalle
    /// falls ill, Sanna is told, and a substitute taken by hand becomes Sanna's pair without
    /// her booking being confirmed again; then pair work with a named professional.
    @Test func scriptedPairsMatchTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-pairs.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-pairs.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        func order(_ number: Int) throws -> Order {
            try #require(state.orders[OrderID(year: 2026, number: number)])
        }
        #expect(try order(1).pairedWith == order(2).id && order(2).pairedWith == order(1).id)
        #expect(try order(1).sessions.map(\.status) == [.expertIll])
        #expect(try order(3).replaces == order(1).id && order(3).pairedWith == order(2).id)
        #expect(try order(3).assignedExpert == "johan" && order(3).pairStoodAt != nil)
        #expect(try order(4).pairedWith == nil && order(4).secondFacilitator?.text == "Anna Virtanen, sairaanhoitaja")
        // Sanna's booking was confirmed once, when the pair first stood.
        #expect(writer.lines.filter { $0.hasPrefix("bot → sanna: Tehtävä T-2026-0002 on vahvistettu") }.count == 1)
        #expect(writer.lines.contains { $0.hasPrefix("bot → sanna: Sanna, tieto työparistasi") })
    }

    /// An order left unfinished: reminded after a day, kept as a draft after three, resumed
    /// where it was left on a Friday evening; offered on Monday at 8.00; a message relayed at
    /// night waits for 8.00, an urgent one goes at once.
    @Test func scriptedDraftsAndQuietHoursMatchTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-quiet.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-quiet.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        let order = try #require(state.orders[OrderID(rawValue: "T-2026-0001")])
        let time = LocalTime.helsinki
        #expect(order.unit == "asumispalvelut-sipoo" && order.assignedExpert == "johan")
        #expect(order.createdAt == time.date(year: 2026, month: 12, day: 4, hour: 21, minute: 30))
        #expect(order.offers.count == 1 && order.offers.first?.offeredAt == time.date(year: 2026, month: 12, day: 7, hour: 8))
        #expect(state.drafts.isEmpty && state.outbox.isEmpty)
        // The urgent message reached Johan before the one sent earlier that waited for the morning.
        let urgent = try #require(writer.lines.firstIndex { $0.hasPrefix("  BRÅDSKANDE: Porten har ny kod") })
        let morning = try #require(writer.lines.firstIndex { $0 == "  Klienten vill börja med en promenad." })
        let eight = try #require(writer.lines.firstIndex(of: "# time 2026-12-08T08:00"))
        #expect(urgent < eight && eight < morning)
    }

    /// Eeva's earnings limit: the offer of a process whose December sessions, paid in
    /// January, pass her month's limit warns her and shows in the coordinator's ranking; the
    /// orderer hears none of it; she takes it, and her years show the fees by payday.
    @Test func scriptedEarningsLimitMatchesTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-limits.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-limits.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        let order = try #require(state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.assignedExpert == "eeva" && order.sessions.count == 6)
        #expect(writer.text.contains("past your limit (paid in 1/2027: €280.00, limit €250.00)"))
        #expect(writer.text.contains("yli oman ansiorajansa (maksut 1/2027: 280,00\u{00A0}€, raja 250,00\u{00A0}€)"))
        // Anna, the orderer, is told nothing of Eeva's limit.
        var toAnna: [String] = []
        var inAnnas = false
        for line in writer.lines {
            if !line.hasPrefix("  ") { inAnnas = line.hasPrefix("bot → anna:") }
            if inAnnas { toAnna.append(line) }
        }
        #expect(!toAnna.isEmpty && !toAnna.contains { $0.contains("ansioraja") || $0.contains("limit") || $0.contains("250,00") })
    }

    /// An expert's own matters: coming tasks, days away (an agreed task stands and is shown),
    /// back early, an introduction the guard keeps contacts out of, wishes narrowing the
    /// agreement (the next order goes to Sanna); a booking on site brings the unit's
    /// onboarding and tells its named employee; Eeva confirms the confidentiality commitment.
    @Test func scriptedSelfServiceMatchesTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-self.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-self.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        let kalle = try #require(state.expertRecords["kalle"])
        #expect(kalle.away.isEmpty && kalle.topics == nil && kalle.monthlyCapHours == 20)
        #expect(kalle.introductions == ["sv": "Jag har återhämtat mig från depression och berättar gärna vad som hjälpte mig."])
        #expect(state.expertRecords["eeva"]?.confidentialityConfirmedAt != nil)
        // Kalle took T-2026-0001 and gave it up at the end: closed, its session his no more.
        #expect(state.orders[OrderID(rawValue: "T-2026-0001")]?.assignment?.expert == "kalle")
        #expect(state.orders[OrderID(rawValue: "T-2026-0001")]?.status == .cancelled)
        #expect(state.orders[OrderID(rawValue: "T-2026-0002")]?.pendingOffers.map(\.expert) == ["sanna"])
        #expect(writer.text.contains("- Kalle Heikkinen (kalle): ei omien toiveidensa mukainen\n"))
        #expect(
            writer.text.contains(
                "kalle → bot: esittely sv: Ring mig på noll fyra noll 123 4567, så berättar jag mer!\n"
                    + "bot → kalle: Tekstissä on puhelinnumero, eikä sitä tallennettu."))
    }

    /// A year for the year's report: orders from three units and topics, an offer declined
    /// and an order no one could take, sessions held and feedback with comments; the page of
    /// the report counts what the transcript shows (its rendering: test_year_report.py).
    @Test func scriptedYearMatchesTheTranscriptAndItsReport() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-year.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-year.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
        let figures = YearFigures(
            year: 2026, state: state, registry: registry, schedule: try FeeSchedule.load(file: config.feesFile!),
            now: try #require(LocalTime.helsinki.date(year: 2026, month: 12, day: 31)))
        #expect(figures.months.map(\.tasks) == [0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0])
        #expect(figures.units.map(\.work.tasks) == [2, 1] && figures.topics.count == 3)
        #expect(figures.offers.accepted == 3 && figures.offers.declined == 1 && figures.fill.unfilled == 1)
        // Anna's "-" on the September task is no comment; the other six are.
        #expect(figures.comments.count == 6 && figures.comments.contains { $0.text == "Bra samtal." && $0.source == .expert })
        #expect(figures.feedback.map(\.answers) == [3, 2, 2])
    }

    /// The support around the work: announcements to all, by language and by topic, held on a
    /// Saturday evening for Monday morning (a slip, an unknown topic and an identity code stop);
    /// a debrief asked, arranged, recorded and paid; supervision signed up for and attended.
    @Test func scriptedSupportMatchesTheTranscript() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let (config, writer) = try await runScript(fixtures.appendingPathComponent("demo-support.script"), in: root)
        #expect(
            writer.text
                == (try String(
                    contentsOf: fixtures.appendingPathComponent("demo-support.transcript"),
                    encoding: .utf8)))
        let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
        #expect(state.announcements.keys.sorted() == ["A-1", "A-2", "A-3"])
        #expect(state.announcements["A-2"]?.recipients == ["johan"])
        #expect(!writer.text.contains("bot → kalle: Hei Kalle! Tiedote koordinaattorilta (Kaisa Laine):\n  Asiakas"))
        // The debrief: asked, recorded held, paid on December's report as a line of its own.
        let debrief = try #require(state.orders[OrderID(rawValue: "T-2026-0001")]?.debrief)
        #expect(debrief.requestedBy == "kalle" && debrief.heldBy == "anna" && debrief.minutes == 45)
        #expect(writer.text.contains("  - 10.12.2026 klo 11.00 T-2026-0001 Purkukeskustelu: 45 min, 15,00\u{00A0}€\n"))
        let report = try #require(state.feeReports["P-2026-12-kalle-mielenterveys-porvoo"])
        #expect(report.lines.filter { $0.debrief == true }.map(\.minutes) == [45] && report.sessionCount == 1)
        // Supervision: announced, Kalle and Johan signed up, only Kalle came.
        let supervision = try #require(state.supervisions["TO-1"])
        #expect(supervision.signedUp == ["kalle", "johan"] && supervision.attended == ["kalle"])
    }

    /// Runs a script in a demo on a fresh state directory under `root` and closes it.
    func runScript(_ script: URL, in root: URL) async throws -> (KokemusConfig, TranscriptWriter) {
        let config = try demoConfig(state: root.appendingPathComponent("state"))
        try DemoSession.seedRegistry(from: repositoryRoot.appendingPathComponent("Config/example"), into: config)
        let writer = TranscriptWriter.memory()
        let session = try DemoSession(config: config, clock: ManualClock(Date()), writer: writer, logger: quietLogger)
        try await session.open()
        try await session.run(script: String(contentsOf: script, encoding: .utf8))
        session.close()
        return (config, writer)
    }

    /// A registry change a crash left unwritten is written when the demo opens, as the
    /// running gateway's first tick writes it, not only after the next line typed.
    @Test func aChangeLeftUnwrittenIsWrittenWhenTheDemoOpens() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let config = try demoConfig(state: root.appendingPathComponent("state"))
        try DemoSession.seedRegistry(from: repositoryRoot.appendingPathComponent("Config/example"), into: config)
        do {
            let store = try StateStore<GatewayState>(directory: config.stateDirectory, logger: quietLogger)
            try store.commit([
                .registryChangeRequested(
                    RegistryChange(
                        id: 1, edit: .agreementUntil(expert: "kalle", day: "2028-06-30"), by: "kaisa", channel: .console, at: Date(),
                        why: "rekisteri sopimus kalle"))
            ])
        }
        let writer = TranscriptWriter.memory()
        let session = try DemoSession(config: config, clock: ManualClock(Date()), writer: writer, logger: quietLogger)
        try await session.open()
        session.close()
        #expect(writer.text.contains("bot → kaisa: Kaisa, kirjattu rekisteriin (people.yaml)"), "\(writer.text)")
        let people = try String(contentsOf: config.effectiveRegistryDirectory.appendingPathComponent("people.yaml"), encoding: .utf8)
        #expect(people.contains("2028-06-30"))
    }

    @Test func directivesExplainMistakes() async throws {
        let root = temporaryDirectory("kokemus-demo-test")
        defer { cleanUp(root) }
        let config = try demoConfig(state: root.appendingPathComponent("state"))
        try DemoSession.seedRegistry(from: repositoryRoot.appendingPathComponent("Config/example"), into: config)
        let writer = TranscriptWriter.memory()
        let session = try DemoSession(config: config, clock: ManualClock(Date()), writer: writer, logger: quietLogger)
        try await session.open()
        try await session.run(script: "hei\n/as nobody\n/time tomorrow\n/jump\n/as anna\n/who")
        #expect(
            writer.lines[0...3] == [
                "# choose who you are first: /as NAME (/who lists people)",
                "# no person 'nobody' in the registry; /who lists people",
                "# cannot read the time 'tomorrow'; write it like 2026-12-08T14:30 (Helsinki time)",
                "# unknown directive /jump; /help lists them",
            ])
        #expect(writer.lines.contains("# anna: Anna Virtanen (employee, Mielenterveys- ja päihdepalvelut, Porvoo), fi"))
    }

    @Test func multiLineMessagesIndentTheirContinuation() {
        let writer = TranscriptWriter.memory()
        writer.message(from: "bot", to: "anna", "first\nsecond\n\nfourth")
        #expect(writer.lines == ["bot → anna: first", "  second", "  ", "  fourth"])
    }
}
