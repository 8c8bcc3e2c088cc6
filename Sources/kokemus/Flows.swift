import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus flows`: check and draw flow files.
struct Flows: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check or draw the conversation flows.",
        subcommands: [Check.self, Graph.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate every flow file in a directory.",
            discussion: """
                Checks YAML syntax, keys, step targets, unreachable steps, missing fi/sv/en \
                translations, unknown actions, conditions and placeholders, and that the flows the \
                gateway starts by itself (offer, hours, fee_report, fee_approval, feedback) are there \
                with their actions. Problems are printed as FILE:LINE: message and the exit status \
                is 1; valid flows exit 0.
                """)

        @Argument(help: "The flow directory.")
        var directory: String = "Flows"

        func run() throws {
            let loaded = FlowLoader(actions: ActionRegistry.standard.signatures)
                .load(directory: URL(fileURLWithPath: directory))
            // Only a set that loads can be judged as the gateway's whole set.
            let errors = loaded.errors.isEmpty ? SystemFlows.problems(in: loaded.flows, directory: directory) : loaded.errors
            if !errors.isEmpty {
                for error in errors { print(error) }
                print("\(errors.count) problem\(errors.count == 1 ? "" : "s") in \(directory)")
                throw ExitCode.failure
            }
            print(
                "\(loaded.flows.count) flow\(loaded.flows.count == 1 ? "" : "s") OK: "
                    + loaded.flows.map(\.id).sorted().joined(separator: ", "))
        }
    }

    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a flow as Graphviz DOT (pipe it to `dot -Tpng`).")

        @Argument(help: "The flow's id.")
        var flowID: String

        @Option(name: .long, help: "The flow directory.")
        var flows: String = "Flows"

        @Option(name: .long, help: "The language of the step texts: fi, sv or en.")
        var language: String = "fi"

        func run() throws {
            guard let language = Language(rawValue: language) else {
                throw ValidationError("--language must be fi, sv or en")
            }
            let loaded = FlowLoader(actions: ActionRegistry.standard.signatures).load(directory: URL(fileURLWithPath: flows))
            guard let flow = loaded.flows.first(where: { $0.id == flowID }) else {
                for error in loaded.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
                let known = loaded.flows.map(\.id).sorted().joined(separator: ", ")
                throw ValidationError("no valid flow '\(flowID)' in \(flows) (flows: \(known.isEmpty ? "none" : known))")
            }
            print(FlowGraph.dot(flow, language: language), terminator: "")
        }
    }
}
