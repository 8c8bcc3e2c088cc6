import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus-bench registry`: how long one coordinator's registry change takes to write
/// (`RegistryWriter`: the files read and loaded, the change placed, the result loaded back and
/// compared, the file replaced with its fsyncs) for registries of 500 to 20,000 people. The
/// gateway does it between two messages, so it is time no message is handled.
struct RegistryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Time a registry change written into registries of 500–20,000 people.")

    @Option(help: "Changes written per size (the median is reported).")
    var runs = 5

    func run() throws {
        print("| people | write one change (median) | of which the two loads |")
        print("|---|---|---|")
        for size in [500, 2_000, 20_000] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-bench-registry-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try Self.registry(people: size).write(to: directory.appendingPathComponent("people.yaml"), atomically: true, encoding: .utf8)
            try Self.units.write(to: directory.appendingPathComponent("units.yaml"), atomically: true, encoding: .utf8)
            let writer = RegistryWriter(directory: directory)
            var writes: [Double] = []
            var loads: [Double] = []
            for run in 0..<max(1, runs) {
                let change = RegistryChange(
                    id: UInt64(run + 1), edit: .agreementUntil(expert: PersonID("expert\(size - 1)"), day: "2030-01-\(10 + run)"),
                    by: "kaisa", channel: .console, at: Date(), why: "bench")
                var start = DispatchTime.now().uptimeNanoseconds
                guard case .written = writer.write(change) else { throw ValidationError("the change was not written") }
                writes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                start = DispatchTime.now().uptimeNanoseconds
                _ = try RegistryLoader.load(directory: directory)
                loads.append(2 * Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            print(String(format: "| %d | %.1f ms | %.1f ms |", size, writes.sorted()[writes.count / 2], loads.sorted()[loads.count / 2]))
        }
    }

    static let units = """
        units:
          - {id: unit, name: Unit, cost_centre: "1", approver: approver}
        """

    static func registry(people count: Int) -> String {
        var text = """
            people:
              - {id: kaisa, name: Kaisa Laine, roles: [coordinator], contacts: {email: kaisa@example.org}}
              - {id: approver, name: Aino Hyväksyjä, roles: [approver], contacts: {email: approver@example.org}}

            """
        for index in 0..<count {
            text += """
                  # Expert \(index).
                  - id: expert\(index)
                    name: Expert Number\(index)
                    roles: [expert]
                    contacts: {email: "expert\(index)@example.org", phone: "+358 40 \(1_000_000 + index)"}
                    expert:
                      handle: Kokemusasiantuntija K-\(index)
                      topics: [mental_health]
                      task_types: [individual, group]
                      languages: [fi]
                      municipalities: [Porvoo]
                      agreement_valid_from: 2025-01-01
                      agreement_valid_until: 2027-12-31

                """
        }
        return text
    }
}
