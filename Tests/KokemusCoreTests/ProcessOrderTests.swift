import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Client processes (000 §4.2: a planned start and end, the number and frequency of meetings
/// agreed) and groups at any frequency, through the gateway with the shipped flows: one
/// expert offered the whole series once, the dates checked as they are given, and a change
/// to one meeting following the individual rules while the expert stays.
@Suite struct ProcessOrderTests {
    static let id = OrderID(rawValue: "T-2026-0001")

    /// Anna's order of individual work up to the number of meetings, remote, from Tuesday 8.12. at 14.
    func orderUpToMeetings(_ h: GatewayHarness) async throws {
        for answer in ["tilaa", "1", "2", "1", "ti 8.12. klo 14", "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee vertaistukea."] {
            try await h.send("anna", answer)
        }
    }

    @Test func aProcessEveryOtherWeekIsOfferedOnceAndTakenWholeByOneExpert() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await orderUpToMeetings(h)
        #expect(try await h.reply("anna", "5").contains("Kuinka usein"))
        let summary = try await h.reply("anna", "2")
        #expect(summary.contains("prosessi: sama kokemusasiantuntija (parityössä sama pari) loppuun asti"), "\(summary)")
        #expect(
            summary.contains(
                "Aika: 5 kertaa: 8.12.2026 klo 14.00, 22.12.2026 klo 14.00, 5.1.2027 klo 14.00, 19.1.2027 klo 14.00, 2.2.2027 klo 14.00"
            ))
        let offered = try await h.send("anna", "kyllä")
        // One offer, to one expert, for the whole series.
        let offer = try #require(texts(offered, to: "kalle").first)
        #expect(offer.contains("Aika: 5 kertaa: 8.12.2026 klo 14.00, 22.12.2026 klo 14.00"), "\(offer)")
        #expect(texts(offered, to: "sanna").isEmpty)
        let order = try #require(await h.state.orders[Self.id])
        #expect(order.frequency == .everyOtherWeek && order.taskType == .individual)
        #expect(
            order.sessions.map(\.start) == [
                local(2026, 12, 8, 14), local(2026, 12, 22, 14), local(2027, 1, 5, 14), local(2027, 1, 19, 14), local(2027, 2, 2, 14),
            ])
        try await h.send("kalle", "1")
        let booked = try #require(await h.state.orders[Self.id])
        #expect(booked.assignedExpert == "kalle" && booked.offers.count == 1)
        let calendars = h.transport.takeCalendars()
        #expect(calendars.count == 2)
        #expect(calendars.allSatisfy { $0.invite.otherStarts?.count == 4 && $0.invite.weeklyCount == 1 })
    }

    @Test func datesGivenOneByOneAreCheckedAsTheyAreGiven() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await orderUpToMeetings(h)
        try await h.send("anna", "3")
        #expect(try await h.reply("anna", "3").contains("Ensimmäinen kerta on 8.12.2026 klo 14.00"))
        let tooFew = try await h.send("anna", "15.12. klo 14")
        #expect(texts(tooFew, to: "anna").first == "Kirjoita 2 aikaa pilkuilla erotettuina (nyt 1), esim. 15.12. klo 14, 22.12. klo 10.")
        #expect(texts(tooFew, to: "anna").last?.contains("Milloin ovat muut kerrat?") == true)
        #expect(try await h.send("anna", "15.12. klo 14, ensi kuussa").first?.text.contains("\"ensi kuussa\" ei ole tuleva päivä") == true)
        #expect(try await h.send("anna", "15.12. klo 14, 4.12. klo 10").first?.text.contains("on ennen ensimmäistä kertaa") == true)
        #expect(try await h.send("anna", "15.12. klo 14, 15.12. klo 14").first?.text.contains("on kahdesti") == true)
        // Meetings of 1 h 30 min at 14 and 15 would overlap.
        #expect(try await h.send("anna", "15.12. klo 14, 15.12. klo 15").first?.text.contains("menee päällekkäin") == true)
        // Given out of order, they are put in order.
        let summary = try await h.reply("anna", "12.1. klo 10; 15.12. klo 9")
        #expect(summary.contains("Aika: 3 kertaa: 8.12.2026 klo 14.00, 15.12.2026 klo 9.00, 12.1.2027 klo 10.00"), "\(summary)")
        try await h.send("anna", "kyllä")
        let order = try #require(await h.state.orders[Self.id])
        #expect(order.frequency == .dates)
        #expect(order.sessions.map(\.start) == [local(2026, 12, 8, 14), local(2026, 12, 15, 9), local(2027, 1, 12, 10)])
    }

    @Test func aSingleMeetingIsAsBefore() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await h.placeOrder()
        let order = try #require(await h.state.orders[Self.id])
        #expect(order.sessions.count == 1 && order.frequency == nil)
    }

    /// A meeting of a process is cancelled and moved by the rules of one meeting: free by
    /// 15.00 the day before (not the group rule), and the expert stays for the rest.
    @Test func oneMeetingOfAProcessChangesByTheIndividualRulesAndTheExpertStays() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await orderUpToMeetings(h)
        for answer in ["3", "2", "kyllä"] { try await h.send("anna", answer) }
        try await h.send("kalle", "1")
        _ = h.transport.takeCalendars()
        let cancelled = try await h.send("anna", "peru T-2026-0001 2 asiakas on lomalla")
        #expect(texts(cancelled, to: "anna").first?.contains("palkkiota ei makseta") == true)
        try await h.send("anna", "siirrä T-2026-0001 3 to 7.1. klo 12")
        try await h.send("kalle", "siirrä T-2026-0001 kyllä")
        let order = try #require(await h.state.orders[Self.id])
        #expect(order.sessions.map(\.status) == [.planned, .cancelledFree, .planned])
        #expect(order.sessions[2].start == local(2027, 1, 7, 12) && order.sessions[2].plannedStart == local(2027, 1, 5, 14))
        #expect(order.status == .assigned && order.assignedExpert == "kalle")
        let calendars = h.transport.takeCalendars()
        #expect(
            calendars.map(\.invite.recurrenceID) == [
                local(2026, 12, 22, 14), local(2026, 12, 22, 14), local(2027, 1, 5, 14), local(2027, 1, 5, 14),
            ])
    }

    @Test func aGroupEveryOtherWeekIsCutWhereTheCoordinatorStopsIt() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        for answer in [
            "tilaa", "3", "4", "2", "1", "ke 2.12. klo 14", "1,5 h", "2", "suomi", "2", "Vertaisryhmä.", "ei", "ei", "2", "kyllä",
        ] {
            try await h.send("anna", answer)
        }
        try await h.send("kalle", "1")
        #expect(await h.state.orders[Self.id]?.sessions.map(\.start).last == local(2027, 1, 13, 14))
        _ = h.transport.takeCalendars()
        h.clock.set(local(2026, 12, 17, 9))
        try await h.send("kaisa", "lopeta T-2026-0001 ryhmä ei koonnut osallistujia")
        let calendars = h.transport.takeCalendars()
        #expect(calendars.count == 2)
        #expect(calendars.allSatisfy { $0.invite.otherStarts == [local(2026, 12, 16, 14)] && $0.invite.method == .request })
    }

    /// The new free-text answers are guarded like the rest: an identity code pasted into the
    /// dates or a group's stop reasons is refused and never stored.
    @Test func anIdentityCodeInTheNewFieldsIsRefusedAndNotStored() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9))
        try await orderUpToMeetings(h)
        try await h.send("anna", "3")
        try await h.send("anna", "3")
        #expect(try await h.reply("anna", "15.12. klo 14, asiakas 131052-308T").contains("henkilötunnus"))
        #expect(await h.state.conversations["anna"]?.slots["dates"] == nil)
        try await h.send("anna", "peruuta")
        for answer in ["tilaa", "3", "4", "2", "1", "ke 2.12. klo 14", "1,5 h", "2", "suomi", "2", "Vertaisryhmä."] {
            try await h.send("anna", answer)
        }
        #expect(try await h.reply("anna", "jos 131052–308T ei tule").contains("henkilötunnus"))
        #expect(await h.state.conversations["anna"]?.slots["stop_reasons"] == nil)
    }
}
