import Foundation
import Testing

@testable import KokemusCore

@Suite struct RegistryLoaderTests {
    @Test func exampleRegistryLoads() throws {
        let registry = try RegistryLoader.load(directory: repositoryRoot.appendingPathComponent("Config/example"))
        let experts = registry.people(with: .expert)
        #expect(experts.count >= 5)
        #expect(Set(experts.flatMap { $0.expert?.topics ?? [] }).count >= 5)
        #expect(Set(experts.flatMap { $0.expert?.languages ?? [] }) == Set(Language.allCases))
        #expect(registry.coordinators.map(\.id) == ["kaisa"])
        #expect(registry.units.count >= 3)
        for unit in registry.units.values {
            #expect(registry.person(unit.approver)?.has(.approver) == true)
        }
        #expect(registry.person(channel: .email, address: "ANNA.VIRTANEN@hyvinvointialue.example")?.id == "anna")
        #expect(registry.person(channel: .matrix, address: "@kalle:kokemus.example")?.id == "kalle")
        let kalle = try #require(registry.person("kalle")?.expert)
        #expect(kalle.agreementCovers(day: "2026-12-08"))
        #expect(kalle.agreementCovers(day: "2027-12-31"))
        #expect(!kalle.agreementCovers(day: "2028-01-01"))
    }

    @Test func problemsAreReportedWithFileAndLine() {
        let text = """
            units:
              - id: u1
                name: Yksikkö
                cost_centre: "1"
                approver: nobody
            people:
              - id: anna
                name: Anna
                roles: [employee, wizard]
                unit: u1
              - id: bob
                name: Bob
                roles: [employee]
                unit: u2
                channel: matrix
            """
        let error = #expect(throws: ConfigErrors.self) {
            try RegistryLoader.load(sources: [(file: "people.yaml", text: text)])
        }
        let messages = error?.errors.map(\.description) ?? []
        #expect(messages.contains("people.yaml:9: unknown role 'wizard' (known: employee, expert, approver, coordinator, payroll)"))
        #expect(messages.contains("people.yaml:2: unit 'u1': approver 'nobody' is not in the registry"))
        #expect(messages.contains("people.yaml:11: person 'bob': unit 'u2' is not in the registry"))
        #expect(messages.contains { $0.contains("the registry has no coordinator") })
        #expect(messages.contains("people.yaml:11: person 'bob' prefers matrix but has no matrix address"))
    }

    @Test func anExpertWhoApprovesAUnitIsRefused() {
        let text = """
            units:
              - {id: u1, name: Yksikkö, cost_centre: "1", approver: kalle}
            people:
              - {id: kaisa, name: Kaisa Laine, roles: [coordinator]}
              - id: kalle
                name: Kalle Heikkinen
                roles: [expert, approver]
                expert: {handle: K-12, topics: [mental_health], task_types: [individual], languages: [fi]}
            """
        let error = #expect(throws: ConfigErrors.self) {
            try RegistryLoader.load(sources: [(file: "people.yaml", text: text)])
        }
        let messages = error?.errors.map(\.description) ?? []
        #expect(
            messages.contains(
                "people.yaml:2: unit 'u1': approver 'kalle' is also an expert and could approve their own "
                    + "fee reports; name another approver"), "\(messages)")
    }

    @Test func aMissingOrMistypedDirectoryIsSaidInWords() throws {
        let missing = URL(fileURLWithPath: "/tmp/kokemus-no-such-registry-\(UUID().uuidString)")
        #expect { try RegistryLoader.load(directory: missing) } throws: {
            "\($0)".contains("the registry directory does not exist") && !"\($0)".contains("NSCocoaErrorDomain")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-registry-\(UUID().uuidString).yaml")
        try "people: []".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect { try RegistryLoader.load(directory: file) } throws: { "\($0)".contains("is a file, not a directory") }
    }
}
