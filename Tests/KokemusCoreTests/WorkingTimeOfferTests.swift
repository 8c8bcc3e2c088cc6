import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Offers and their deadlines in working time: no offer goes out in the quiet hours, at a
/// weekend or on a holiday unless the task is too near to wait, and a 24 h answer time
/// counts only working hours (08–21 on working days).
@Suite struct WorkingTimeOfferTests {
    @Test func twentyFourWorkingHoursFromFridayEveningEndOnTuesday() {
        let working = WorkingTime()
        // Friday 4.12.2026 20.00: one hour on Friday, thirteen on Monday, ten on Tuesday.
        #expect(working.adding(24 * 3600, to: local(2026, 12, 4, 20)) == local(2026, 12, 8, 18))
        // From the quiet hours the clock starts at 8.00; Independence Day (Sunday 6.12.) changes nothing here.
        #expect(working.adding(3600, to: local(2026, 12, 7, 2)) == local(2026, 12, 7, 9))
        // Christmas Eve, Christmas Day and Boxing Day (Thu–Sat) and the Sunday are not working days.
        #expect(working.adding(2 * 3600, to: local(2026, 12, 23, 20)) == local(2026, 12, 28, 9))
        #expect(working.adding(0, to: local(2026, 12, 7, 10)) == local(2026, 12, 7, 10))
    }

    @Test func anOrderOnFridayNightIsOfferedOnMondayMorningWithWorkingHoursToAnswer() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 4, 22))
        let placed = try await h.placeOrder(when: "ke 16.12. klo 14")
        #expect(texts(placed, to: "kalle").isEmpty, "no offer at night")
        #expect(!placed.contains { $0.text.contains("ei ole vielä löytynyt") }, "not reported as unfilled")
        #expect(try await h.advance(to: local(2026, 12, 5, 12)).filter { $0.recipient == "kalle" }.isEmpty, "nor on Saturday")
        let morning = try await h.advance(to: local(2026, 12, 7, 8))
        let offer = try #require(texts(morning, to: "kalle").first)
        // Monday 8–21 is thirteen hours, Tuesday 8–19 the other eleven.
        #expect(offer.contains("Vastaa viimeistään 8.12.2026 klo 19.00"), "\(offer)")
        let order = try #require(await h.state.orders[OrderID(rawValue: "T-2026-0001")])
        #expect(order.offers.first?.offeredAt == local(2026, 12, 7, 8) && !order.unfilledReported)
    }

    @Test func aTaskTooNearToWaitIsOfferedAtOnceEvenAtNight() async throws {
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 7, 22))
        let placed = try await h.placeOrder(when: "ti 8.12. klo 9")
        let offer = try #require(texts(placed, to: "kalle").first)
        // The answer is due two hours before the start.
        #expect(offer.contains("Vastaa viimeistään 8.12.2026 klo 7.00"), "\(offer)")
    }

    @Test func aCountyMayOfferAtAnyHour() async throws {
        var policy = MatchingPolicy()
        policy.offersInWorkingTime = false
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 4, 22), matching: policy)
        let placed = try await h.placeOrder(when: "ke 16.12. klo 14")
        #expect(texts(placed, to: "kalle").first?.contains("Vastaa viimeistään 5.12.2026 klo 22.00") == true)
        #expect(!(try config("matching:\n  offers_in_working_time: false\n").matching.offersInWorkingTime))
        #expect(try config("state_dir: state\n").matching.offersInWorkingTime)
    }

    func config(_ text: String) throws -> KokemusConfig {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("working-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("kokemus.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try KokemusConfig.load(file: file)
    }
}
