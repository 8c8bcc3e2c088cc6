import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// The flows the gateway starts by itself must be there, under their ids, with their actions:
/// a coordinator who renames `id: offer` is told at load, not left with offers that stop.
@Suite struct SystemFlowsTests {
    func load(_ change: (inout [String: String]) -> Void) throws -> [FlowDefinition] {
        var flows = try shippedFlows()
        change(&flows)
        let directory = temporaryDirectory("kokemus-system-flows")
        defer { cleanUp(directory) }
        for (name, text) in flows {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try GatewayBuilder.loadFlows(directory)
    }

    func message(_ error: any Error) -> String { "\(error)" }

    @Test func theShippedFlowsAreTheWholeSet() throws {
        #expect(try load { _ in }.count == 10)
        #expect(SystemFlows.problems(in: try load { _ in }, directory: "Flows").isEmpty)
    }

    @Test func aRenamedOrMissingSystemFlowIsRefusedWithWhatItIsFor() throws {
        #expect {
            try load { $0["offer.yaml"] = $0["offer.yaml"]!.replacingOccurrences(of: "\nid: offer\n", with: "\nid: tarjous\n") }
        } throws: {
            self.message($0).contains("no flow has id: offer") && self.message($0).contains("task offers")
                && self.message($0).contains("offer.load belongs in the flow with id: offer")
        }
        #expect { try load { $0["feedback.yaml"] = nil } } throws: { self.message($0).contains("no flow has id: feedback") }
        #expect { try load { $0["session_check.yaml"] = nil } } throws: { self.message($0).contains("no flow has id: session_check") }
    }

    @Test func aSystemFlowWithoutItsLoadingActionIsRefused() throws {
        var flows = try load { _ in }
        let index = try #require(flows.firstIndex { $0.id == "hours" })
        flows[index].steps.removeAll { step in
            if case .action("hours.load", _) = step.kind { return true }
            return false
        }
        let problems = SystemFlows.problems(in: flows, directory: "Flows").map(\.description)
        #expect(problems.count == 1 && problems[0].contains("flow 'hours' must use the action hours.load"), "\(problems)")
    }
}

/// What actions give, known to the flow check: a branch on a value no action gives is refused.
@Suite struct ActionOutcomeTests {
    @Test func aConditionOnAValueNoActionGivesIsRefusedWithTheValuesItCanBe() throws {
        let shipped = try shippedFlows()
        let loader = FlowLoader(actions: ActionRegistry.standard.signatures)
        for (file, good, typo) in [
            ("hours.yaml", "hours_state == closed", "hours_state == closd"),
            ("fee_approval.yaml", "report_state == returned", "report_state == retruned"),
            ("offer.yaml", "offer_state == clash", "offer_state == clashed"),
        ] {
            let text = try #require(shipped[file])
            #expect(text.contains(good), "\(file)")
            #expect(loader.load(text: text, file: file).errors.isEmpty, "\(file) as shipped")
            let errors = loader.load(text: text.replacingOccurrences(of: good, with: typo), file: file).errors.map(\.description)
            #expect(errors.contains { $0.contains("is never a value of") && $0.contains("its actions give:") }, "\(errors)")
        }
    }
}
