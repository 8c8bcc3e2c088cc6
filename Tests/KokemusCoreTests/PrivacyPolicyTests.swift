import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// Who sees what of an expert: the `privacy:` section, the registry's `work_phone`, and what
/// the orderer is told with a booking.
@Suite struct PrivacyPolicyTests {
    static let start = local(2026, 12, 1, 9)

    func kalle() throws -> Person {
        let registry = try RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example"))
        return try #require(registry.person("kalle"))
    }

    @Test func eachReaderSeesTheNameTheCountyChose() throws {
        let kalle = try kalle()
        let defaults = PrivacyPolicy()
        #expect(defaults.nameForEmployees(kalle) == "Kokemusasiantuntija K-12")
        #expect(defaults.nameForApprovers(kalle) == "Kalle Heikkinen")
        #expect(defaults.workPhoneForOrderer(kalle) == nil)
        let chosen = PrivacyPolicy(employeesSee: .firstName, approversSee: .handle, workPhoneToOrderer: true)
        #expect(chosen.nameForEmployees(kalle) == "Kalle")
        #expect(chosen.nameForApprovers(kalle) == "Kokemusasiantuntija K-12")
        #expect(chosen.workPhoneForOrderer(kalle) == "+358 40 000 0909")
        // Even if set in code, the employee side never gets the full name.
        #expect(PrivacyPolicy(employeesSee: .fullName).nameForEmployees(kalle) == "Kokemusasiantuntija K-12")
    }

    func config(_ text: String) throws -> KokemusConfig {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("kokemus.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try KokemusConfig.load(file: file)
    }

    @Test func thePrivacySectionIsReadAndChecked() throws {
        let read = try config("privacy:\n  employees_see: first_name\n  approvers_see: handle\n  work_phone_to_orderer: true\n")
        #expect(read.privacy == PrivacyPolicy(employeesSee: .firstName, approversSee: .handle, workPhoneToOrderer: true))
        #expect(try config("matching:\n  display_name: first_name\n").privacy.employeesSee == .firstName)
        #expect(try config("state_dir: s\n").privacy == PrivacyPolicy())
        #expect(try config("privacy:\n  orderers_see_candidates: true\n").privacy.orderersSeeCandidates)
        for wrong in [
            "privacy:\n  employees_see: full_name\n", "privacy:\n  approvers_see: first_name\n",
            "privacy:\n  work_phone_to_orderer: maybe\n", "privacy:\n  show_private_phone: true\n",
        ] {
            #expect(throws: (any Error).self, "\(wrong)") { try config(wrong) }
        }
    }

    @Test func aWorkPhoneMustBeAPhoneAndNotThePrivateOne() throws {
        func registry(_ contacts: String, _ workPhone: String) throws -> Registry {
            try RegistryLoader.load(sources: [
                (
                    file: "people.yaml",
                    text: """
                    people:
                      - {id: kaisa, name: Kaisa Laine, roles: [coordinator]}
                      - id: kalle
                        name: Kalle Heikkinen
                        roles: [expert]
                        contacts: \(contacts)
                        expert: {handle: K-12, work_phone: "\(workPhone)"}
                    """
                )
            ])
        }
        #expect(try registry("{phone: \"+358 40 000 0101\"}", "+358 40 000 0909").person("kalle")?.expert?.workPhone == "+358 40 000 0909")
        #expect(throws: (any Error).self) { try registry("{phone: \"+358 40 000 0101\"}", "040 000 0101") }
        #expect(throws: (any Error).self) { try registry("{}", "soita 040 000 0909") }
        #expect(throws: (any Error).self) { try registry("{}", "123") }
    }

    @Test func theOrdererIsToldTheWorkPhoneOnlyWhenTheCountyAllowsIt() async throws {
        for allowed in [false, true] {
            let h = try GatewayHarness(
                flows: try shippedFlows(), now: Self.start,
                privacy: PrivacyPolicy(workPhoneToOrderer: allowed))
            try await h.placeOrder()
            let booked = try await h.send("kalle", "1")
            let confirmation = try #require(texts(booked, to: "anna").first)
            #expect(confirmation.contains("Kokemusasiantuntija K-12"))
            #expect(confirmation.contains("Kokemusasiantuntijan työpuhelin: +358 40 000 0909") == allowed)
            // Never the private number, address or name.
            for privateDetail in ["0101", "kalle.h@posti.example", "@kalle:kokemus.example", "Heikkinen"] {
                #expect(!booked.filter { $0.recipient == "anna" }.contains { $0.text.contains(privateDetail) })
            }
        }
    }
}
