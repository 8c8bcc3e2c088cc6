import Foundation
import Testing

@testable import KokemusCore

@Suite struct FlowLoaderTests {
    let loader = FlowLoader(actions: ActionRegistry.standard.signatures)

    /// A valid flow; tests break one thing in it at a time.
    static let valid = """
        id: feedback
        title: {fi: Palaute, sv: Respons, en: Feedback}
        roles: [employee]
        triggers: {fi: [palaute], sv: [respons], en: [feedback]}
        steps:
          - id: rating
            ask: {fi: "Arvosana?", sv: "Betyg?", en: "Rating?"}
            expect: {type: integer, min: 1, max: 5}
            next:
              - if: rating < 3
                goto: why
              - goto: thanks
          - id: why
            ask: {fi: "Miksi?", sv: "Varför?", en: "Why?"}
            expect: {type: text}
          - id: thanks
            say: {fi: "Kiitos {name}, {rating}!", sv: "Tack {name}!", en: "Thanks {name}!"}
            end: true
        """

    func errors(_ text: String, file: String = "Flows/feedback.yaml") -> [String] {
        loader.load(text: text, file: file).errors.map(\.description)
    }

    @Test func validFlowLoads() throws {
        let result = loader.load(text: Self.valid, file: "Flows/feedback.yaml")
        #expect(result.errors.isEmpty)
        let flow = try #require(result.flow)
        #expect(flow.id == "feedback")
        #expect(flow.steps.map(\.id) == ["rating", "why", "thanks"])
        #expect(flow.steps[1].line == 13)
    }

    @Test func theShippedFlowsAreValid() {
        let result = loader.load(directory: repositoryRoot.appendingPathComponent("Flows"))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.flows.contains { $0.id == "order" })
    }

    @Test func unknownStepTargetWithLine() {
        let text = Self.valid.replacingOccurrences(of: "goto: thanks", with: "goto: thank_you")
        #expect(errors(text).contains("Flows/feedback.yaml:12: step 'rating' goes to unknown step 'thank_you'"))
    }

    @Test func unreachableStep() {
        let text = Self.valid.replacingOccurrences(
            of: """
                      - if: rating < 3
                        goto: why
                      - goto: thanks
                """,
            with: """
                      - goto: thanks
                """)
        #expect(errors(text) == ["Flows/feedback.yaml:11: step 'why' can never be reached"])
    }

    @Test func missingTranslation() {
        let text = Self.valid.replacingOccurrences(
            of: #"ask: {fi: "Miksi?", sv: "Varför?", en: "Why?"}"#,
            with: #"ask: {fi: "Miksi?", en: "Why?"}"#)
        #expect(errors(text) == ["Flows/feedback.yaml:14: question of step 'why' lacks a translation: sv"])
    }

    @Test func missingTriggerTranslation() {
        let text = Self.valid.replacingOccurrences(of: "en: [feedback]", with: "en: []")
        #expect(errors(text) == ["Flows/feedback.yaml:4: triggers lack a translation: en"])
    }

    @Test func unknownAction() {
        let text = Self.valid.replacingOccurrences(
            of: "  - id: thanks\n", with: "  - id: store\n    action: feedback.store\n  - id: thanks\n")
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("Flows/feedback.yaml:16: step 'store' calls unknown action 'feedback.store'") == true)
    }

    @Test func actionInputsMustBeAsked() {
        let text = Self.valid.replacingOccurrences(
            of: "  - id: thanks\n", with: "  - id: store\n    action: order.submit\n  - id: thanks\n")
        #expect(
            errors(text).contains("Flows/feedback.yaml:16: step 'store': action 'order.submit' needs slot 'audience', which no step asks"))
    }

    @Test func badYAMLWithLine() {
        let text = Self.valid.replacingOccurrences(of: "expect: {type: text}", with: "expect: {type: text")
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("Flows/feedback.yaml:") == true)
        #expect(found.first?.contains("invalid YAML") == true)
    }

    @Test func unknownKeyIsATypo() {
        let text = Self.valid.replacingOccurrences(of: "    expect: {type: text}", with: "    expext: {type: text}")
        let found = errors(text)
        #expect(found.contains { $0.hasPrefix("Flows/feedback.yaml:15: unknown key 'expext' in a step") })
    }

    @Test func unknownAnswerType() {
        let text = Self.valid.replacingOccurrences(of: "{type: text}", with: "{type: email}")
        #expect(errors(text).first?.hasPrefix("Flows/feedback.yaml:15: unknown answer type 'email'") == true)
    }

    @Test func conditionOnUnknownSlotOrChoice() {
        let unknownSlot = Self.valid.replacingOccurrences(of: "if: rating < 3", with: "if: score < 3")
        #expect(errors(unknownSlot) == ["Flows/feedback.yaml:10: condition 'score < 3' uses unknown slot 'score'"])
        let unreadable = Self.valid.replacingOccurrences(of: "if: rating < 3", with: "if: rating is low")
        #expect(errors(unreadable).first?.hasPrefix("Flows/feedback.yaml:10: cannot read condition 'rating is low'") == true)
    }

    @Test func conditionValueMustBeAChoice() {
        let text = """
            id: pick
            title: {fi: a, sv: a, en: a}
            roles: [employee]
            triggers: {fi: [valitse], sv: [välj], en: [pick]}
            steps:
              - id: kind
                ask: {fi: a, sv: a, en: a}
                expect:
                  type: choice
                  choices:
                    - {value: one, fi: yksi, sv: en, en: one}
                next:
                  - if: kind == two
                    goto: done
              - id: done
                say: {fi: a, sv: a, en: a}
            """
        #expect(errors(text, file: "x.yaml") == ["x.yaml:13: condition 'kind == two': 'two' is not a choice of 'kind' (choices: one)"])
    }

    @Test func unknownPlaceholder() {
        let text = Self.valid.replacingOccurrences(of: "Kiitos {name}, {rating}!", with: "Kiitos {nimi}!")
        #expect(errors(text) == ["Flows/feedback.yaml:16: step 'thanks' (fi) uses unknown placeholder {nimi}"])
    }

    @Test func aCountWithAFormMissingIsRefused() {
        let text = Self.valid.replacingOccurrences(of: "Kiitos {name}, {rating}!", with: "Kiitos, {rating|# tähti}!")
        #expect(
            errors(text) == [
                "Flows/feedback.yaml:16: step 'thanks' (fi): {rating|# tähti}: a count's forms are {name|one form|other form}, not 1 form(s)"
            ])
    }

    @Test func duplicateStepIDs() {
        let text = Self.valid.replacingOccurrences(of: "- id: why", with: "- id: rating")
        #expect(errors(text).contains("Flows/feedback.yaml:13: step id 'rating' is used twice"))
    }

    @Test func timeoutNeedsAReminderText() {
        let text = Self.valid.replacingOccurrences(
            of: "    expect: {type: text}",
            with: """
                    expect: {type: text}
                    timeout: {remind_after: 2h}
                """)
        #expect(errors(text) == ["Flows/feedback.yaml:16: remind_after needs a 'reminder' text"])
    }

    @Test func triggerWordsBelongToOneFlow() {
        let other = Self.valid.replacingOccurrences(of: "id: feedback", with: "id: feedback2")
        let result = loader.load(sources: [("a.yaml", Self.valid), ("b.yaml", other)])
        #expect(result.errors.map(\.description).contains("b.yaml:1: flow id 'feedback2' is also used in a.yaml") == false)
        #expect(result.errors.map(\.description).contains("b.yaml:1: trigger word 'feedback' also starts flow 'feedback'"))
    }

    @Test func graphShowsStepsAndConditions() throws {
        let flow = try #require(loader.load(text: Self.valid, file: "f.yaml").flow)
        let dot = FlowGraph.dot(flow)
        #expect(dot.hasPrefix("digraph \"feedback\" {"))
        #expect(dot.contains("\"rating\" -> \"why\"[label=\"rating < 3\"];"))
        #expect(dot.contains("\"why\" -> \"thanks\";"))
        #expect(dot.contains("peripheries=2"))
    }
}
