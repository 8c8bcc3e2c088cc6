import Testing

@testable import KokemusCore

@Suite struct ConditionTests {
    func condition(_ text: String) throws -> Condition {
        try Condition.parse(text).get()
    }

    @Test func comparesChoicesNumbersAndPresence() throws {
        let slots: [String: SlotValue] = ["task_type": .choice("group"), "sessions": .integer(6), "ok": .bool(true)]
        #expect(try condition("task_type == group").holds(for: slots))
        #expect(try !condition("task_type != group").holds(for: slots))
        #expect(try condition("sessions > 5").holds(for: slots))
        #expect(try !condition("sessions < 6").holds(for: slots))
        #expect(try condition("sessions <= 6").holds(for: slots))
        #expect(try condition("ok == yes").holds(for: slots))
        #expect(try condition("sessions is set").holds(for: slots))
        #expect(try condition("address is empty").holds(for: slots))
        #expect(try condition("task_type == group and sessions >= 6").holds(for: slots))
        #expect(try !condition("task_type == pair and sessions >= 6").holds(for: slots))
        #expect(try condition("task_type == pair or sessions >= 6").holds(for: slots))
        #expect(try condition("task_type == 'group'").holds(for: slots))
    }

    @Test func refusesWhatItCannotRead() {
        #expect(throws: ConfigError.self) { try Condition.parse("task_type group").get() }
        #expect(throws: ConfigError.self) { try Condition.parse("a == 1 and b == 2 or c == 3").get() }
        #expect(throws: ConfigError.self) { try Condition.parse("sessions > many").get() }
    }
}
