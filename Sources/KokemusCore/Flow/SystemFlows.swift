/// The flows the gateway starts by itself, by their ids: renaming `id: offer` in a flow file
/// would otherwise stop every task offer without a word. Each must exist and use the action
/// that loads what it is about; that action belongs in that flow only.
public enum SystemFlows {
    public struct Requirement: Sendable {
        public var id: String
        public var loads: String
        public var purpose: String
    }

    public static let required: [Requirement] = [
        Requirement(id: GatewayState.offerFlowID, loads: "offer.load", purpose: "task offers to experts"),
        Requirement(id: GatewayState.hoursFlowID, loads: "hours.load", purpose: "an expert's hours after a session"),
        Requirement(id: GatewayState.feeReportFlowID, loads: "feereport.load", purpose: "the monthly fee report to the expert"),
        Requirement(id: GatewayState.feeApprovalFlowID, loads: "approval.load", purpose: "fee reports to the unit's approver"),
        Requirement(id: GatewayState.feedbackFlowID, loads: "feedback.load", purpose: "feedback after a task"),
        Requirement(
            id: GatewayState.sessionCheckFlowID, loads: "check.load",
            purpose: "asking the orderer whether a session no one confirmed took place"),
    ]

    /// What is wrong with these flows as the gateway's set, each said so that a coordinator
    /// can act on it (`FILE: message`, or the directory when no file has the id).
    public static func problems(in flows: [FlowDefinition], directory: String) -> [ConfigError] {
        var problems: [ConfigError] = []
        for requirement in required {
            guard let flow = flows.first(where: { $0.id == requirement.id }) else {
                problems.append(
                    ConfigError(
                        "no flow has id: \(requirement.id); the gateway starts it by itself for "
                            + "\(requirement.purpose), so without it they stop", file: directory))
                continue
            }
            if !actions(of: flow).contains(requirement.loads) {
                problems.append(
                    ConfigError(
                        "flow '\(requirement.id)' must use the action \(requirement.loads) "
                            + "(it loads what the flow is about: \(requirement.purpose))", file: flow.file))
            }
        }
        for flow in flows {
            for requirement in required where requirement.id != flow.id && actions(of: flow).contains(requirement.loads) {
                problems.append(
                    ConfigError(
                        "the action \(requirement.loads) belongs in the flow with id: \(requirement.id), "
                            + "which the gateway starts by itself, not in '\(flow.id)'", file: flow.file))
            }
        }
        return problems
    }

    private static func actions(of flow: FlowDefinition) -> Set<String> {
        Set(
            flow.steps.compactMap { step in
                if case .action(let name, _) = step.kind { return name }
                return nil
            })
    }
}
