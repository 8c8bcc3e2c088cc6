import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The registry edited while the gateway runs: taken in on a reload or a look at the files,
/// without dropping a conversation in progress; a broken edit refused, the old kept, the
/// coordinators told.
@Suite struct ConfigReloadTests {
    @Test func anEditedRegistryIsTakenInAndABrokenOneRefused() async throws {
        let registry = try exampleRegistry()
        defer { cleanUp(registry) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: registry)
        let reloader = ConfigReloader(
            gateway: h.gateway, config: h.config, requireSystemFlows: h.flowsAreTheWholeSet, logger: TestGateway.quietLogger)
        // Anna is in the middle of an order when the registry changes.
        for answer in ["tilaa", "1", "2"] { try await h.send("anna", answer) }
        let people = registry.appendingPathComponent("people.yaml")
        let original = try String(contentsOf: people, encoding: .utf8)
        // Kalle now reads Swedish; someone new is added.
        let edited =
            original.replacingOccurrences(
                of: "  - id: kalle\n    name: Kalle Heikkinen\n    roles: [expert]\n    language: fi",
                with: "  - id: kalle\n    name: Kalle Heikkinen\n    roles: [expert]\n    language: sv")
            + "  - {id: uusi, name: Uuno Uusi, roles: [employee], unit: mielenterveys-porvoo, language: fi}\n"
        #expect(!edited.hasPrefix(original), "Kalle's language is changed in the file")
        try edited.write(to: people, atomically: true, encoding: .utf8)
        // A look finds the change, and takes it once it has stayed the same for one more look.
        #expect(await reloader.check() == false)
        #expect(await reloader.check() == true)
        #expect(await h.gateway.registry.person("uusi")?.name == "Uuno Uusi")
        #expect(await h.gateway.registry.person("kalle")?.language == .sv)
        let greeted = try await h.reply("uusi", "moi")
        #expect(greeted.contains("Uuno"), "\(greeted)")
        // Anna's order goes on where it was.
        let next = try await h.reply("anna", "1")
        #expect(!next.contains("En ymmärtänyt"), "\(next)")
        #expect(await h.state.conversations["anna"] != nil)

        // A broken edit: refused, the old registry kept, the coordinators told with the line.
        try (edited + "  - {id: rikki, name: Rikki, roles: [wizard]}\n").write(to: people, atomically: true, encoding: .utf8)
        _ = h.transport.take()
        #expect(await reloader.reload(reason: "SIGHUP") == false)
        let kept = await h.gateway.registry
        #expect(kept.person("uusi") != nil && kept.person("rikki") == nil)
        await h.gateway.deliverOutbox()
        let told = h.transport.take().filter { $0.recipient == "kaisa" }.map(\.text)
        #expect(told.count == 1 && told[0].contains("ei otettu käyttöön") && told[0].contains("people.yaml:"), "\(told)")
        // Not told again at every look, nor at every SIGHUP, while the files stay broken.
        #expect(await reloader.check() == false)
        #expect(await reloader.reload(reason: "SIGHUP") == false)
        await h.gateway.deliverOutbox()
        #expect(h.transport.take().isEmpty)
    }

    /// Taking out someone whose work is under way, or everyone, is refused: their waiting
    /// messages would be dropped and their offer wait on no one.
    @Test func takingOutSomeoneWithWorkUnderWayIsRefused() async throws {
        let registry = try exampleRegistry()
        defer { cleanUp(registry) }
        let h = try GatewayHarness(flows: try shippedFlows(), now: local(2026, 12, 1, 9), registry: registry)
        try await h.placeOrder()
        let reloader = ConfigReloader(
            gateway: h.gateway, config: h.config, requireSystemFlows: h.flowsAreTheWholeSet, logger: TestGateway.quietLogger)
        let people = registry.appendingPathComponent("people.yaml")
        let original = try String(contentsOf: people, encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.contains("- id: kalle") })
        let end = try #require(lines[(start + 1)...].firstIndex { $0.contains("  - id: ") })
        lines.removeSubrange(start..<end)
        try lines.joined(separator: "\n").write(to: people, atomically: true, encoding: .utf8)
        #expect(await reloader.reload(reason: "SIGHUP") == false)
        #expect(await h.gateway.registry.person("kalle") != nil)
        await h.gateway.deliverOutbox()
        let told = h.transport.take().filter { $0.recipient == "kaisa" }.map(\.text).joined()
        #expect(told.contains("'kalle' is taken out of the registry but has an offer unanswered (T-2026-0001)"), "\(told)")
        try "people: []\n".write(to: people, atomically: true, encoding: .utf8)
        #expect(await reloader.reload(reason: "SIGHUP") == false)
        #expect(await h.gateway.registry.people.count > 5)
    }

    /// One address, one person: two people with one address (in any case) could be taken for
    /// each other, rights and all.
    @Test func anAddressTwoPeopleShareIsRefused() {
        let yaml = """
            people:
              - {id: kaisa, name: Kaisa Laine, roles: [coordinator], contacts: {email: kaisa@example.test}}
              - {id: anna, name: Anna Virtanen, roles: [coordinator], contacts: {email: Kaisa@Example.test}}
              - {id: Kaisa, name: Toinen Kaisa, roles: [coordinator]}
            """
        #expect {
            try RegistryLoader.load(sources: [("people.yaml", yaml)])
        } throws: { error in
            let text = "\(error)"
            return text.contains("people.yaml:3") && text.contains("the email address is also 'kaisa''s")
                && text.contains("differs from 'kaisa' only in case")
        }
    }
}
