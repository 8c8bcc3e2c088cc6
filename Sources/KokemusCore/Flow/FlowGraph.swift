/// Draws a flow as Graphviz DOT: one box per step, edges labelled with their conditions.
public enum FlowGraph {
    public static func dot(_ flow: FlowDefinition, language: Language = .fi) -> String {
        var lines = [
            "digraph \(quote(flow.id)) {",
            "  label=\(quote(flow.title.text(in: language)));",
            "  node [shape=box, fontname=\"Helvetica\"];",
            "  edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for step in flow.steps {
            let label: String
            let shape: String
            switch step.kind {
            case .ask(let question, let expect, let slot, _):
                label = "\(step.id)\n\(slot): \(expect.typeName)\n\(excerpt(question.text(in: language)))"
                shape = "box"
            case .say(let text):
                label = "\(step.id)\n\(excerpt(text.text(in: language)))"
                shape = "note"
            case .action(let name, _):
                label = "\(step.id)\n[\(name)]"
                shape = "component"
            }
            let style = step.end ? ", peripheries=2" : ""
            lines.append("  \(quote(step.id)) [label=\(quote(label)), shape=\(shape)\(style)];")
        }
        for step in flow.steps {
            for transition in step.next {
                let label = transition.condition.map { ", label=\(quote($0.source))" } ?? ""
                lines.append("  \(quote(step.id)) -> \(quote(transition.target))[\(label.dropFirst(2))];")
            }
            if !step.end, !step.next.contains(where: { $0.condition == nil }), let following = flow.stepAfter(step) {
                lines.append("  \(quote(step.id)) -> \(quote(following.id));")
            }
            if case .action(_, let onError?) = step.kind {
                lines.append("  \(quote(step.id)) -> \(quote(onError)) [label=\"error\", style=dashed];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func excerpt(_ text: String) -> String {
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        return firstLine.count > 40 ? String(firstLine.prefix(39)) + "…" : firstLine
    }

    private static func quote(_ text: String) -> String {
        "\""
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
