import Foundation
import Testing

@testable import KokemusCore

/// Addresses in the log: told apart, never shown.
@Suite struct LogRedactionTests {
    @Test func anAddressKeepsItsDomainAndAFingerprintOnly() {
        let mail = LogRedaction.address("kalle.h@posti.example")
        #expect(mail.hasPrefix("…@posti.example#") && !mail.contains("kalle"))
        #expect(mail == LogRedaction.address("Kalle.H@posti.example"))
        #expect(mail != LogRedaction.address("sanna@posti.example"))
        let matrix = LogRedaction.address("@kalle:kokemus.example")
        #expect(matrix.hasPrefix("@…:kokemus.example#") && !matrix.contains("kalle"))
        #expect(!LogRedaction.address("no-at-sign").contains("no-at-sign"))
        #expect(LogRedaction.addresses(["a@x.example", "b@y.example"]).components(separatedBy: ", ").count == 2)
    }
}
