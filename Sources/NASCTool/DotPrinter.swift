// DotPrinter: renders a model space as Graphviz DOT, one cluster per graph and one per choice node.
import Foundation
import NASCIR

/// Graphviz rendering of a model space. Choice nodes (layer_choice, input_choice, repeat, cell) are dashed
/// clusters holding their candidates; inputs flow into every candidate and candidates flow into the choice's output.
public enum DotPrinter {
    /// The DOT text for `space`.
    public static func print(_ space: ModelSpace) -> String {
        var out = "digraph \(quote(space.name)) {\n"
        out += "  compound=true;\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
        for (gi, graph) in space.graphs.enumerated() {
            out += "  subgraph \(quote("cluster_g\(gi)")) {\n"
            out += "    label=\(quote("@" + graph.name + (graph.name == space.root ? " (root)" : "")));\n"
            func id(_ name: String) -> String { quote("\(graph.name)/\(name)") }
            for input in graph.inputs {
                out += "    \(id(input.name)) [shape=ellipse, label=\(quote("%\(input.name)\n\(input.type)"))];\n"
            }
            for (ni, node) in graph.nodes.enumerated() {
                let typeText = node.types.map(\.description).joined(separator: ", ")
                let candidates = candidateLabels(node)
                if candidates.isEmpty {
                    out += "    \(id(node.name)) [label=\(quote("%\(node.name) = \(node.op.kind.rawValue)\(attrText(node.op))\n\(typeText)"))];\n"
                    for r in node.inputs { out += "    \(id(r.node)) -> \(id(node.name));\n" }
                } else {
                    out += "    subgraph \(quote("cluster_g\(gi)_n\(ni)")) {\n"
                    out += "      style=dashed; color=blue;\n"
                    out += "      label=\(quote("\(node.op.kind.rawValue) \"\(choiceLabel(node.op))\""));\n"
                    for (ci, c) in candidates.enumerated() {
                        out += "      \(quote("\(graph.name)/\(node.name)/\(ci)")) [style=rounded, label=\(quote(c))];\n"
                    }
                    out += "      \(id(node.name)) [shape=point];\n    }\n"
                    for ci in candidates.indices {
                        let cid = quote("\(graph.name)/\(node.name)/\(ci)")
                        if case .inputChoice = node.op {
                            if ci < node.inputs.count { out += "    \(id(node.inputs[ci].node)) -> \(cid);\n" }
                        } else {
                            for r in node.inputs { out += "    \(id(r.node)) -> \(cid);\n" }
                        }
                        out += "    \(cid) -> \(id(node.name));\n"
                    }
                }
            }
            for (oi, o) in graph.outputs.enumerated() {
                let oid = quote("\(graph.name)/<out\(oi)>")
                out += "    \(oid) [shape=ellipse, label=\"return\"];\n    \(id(o.node)) -> \(oid);\n"
            }
            out += "  }\n"
        }
        return out + "}\n"
    }

    static func choiceLabel(_ op: Op) -> String {
        switch op {
        case .layerChoice(let c): return c.label
        case .inputChoice(let c): return c.label
        case .repeated(let r): return r.label
        case .cell(let c): return c.label
        default: return ""
        }
    }

    /// One label per candidate box; an input choice has one per input (each drawn with an edge from its input).
    static func candidateLabels(_ node: Node) -> [String] {
        switch node.op {
        case .layerChoice(let c): return c.candidates.map { "\($0.name) = @\($0.graph)" }
        case .inputChoice(let c):
            let how = "n_chosen = \(c.nChosen.map(String.init) ?? "any"), \(c.reduction.rawValue)"
            return node.inputs.indices.map { "input \($0) of \(node.inputs.count) (\(how))" }
        case .repeated(let r): return ["depth in \(r.depths)"] + r.blocks.map { "@" + $0 }
        case .cell(let c): return ["\(c.numNodes) nodes x \(c.opsPerNode) ops"] + c.candidates.map { "\($0.name) = @\($0.graph)" }
        default: return []
        }
    }

    static func attrText(_ op: Op) -> String {
        let attrs = op.attributes.compactMap { a -> String? in
            if case .expr(let e) = a.value { return "\(a.name)=\(e)" }
            if case .symbol(let s) = a.value { return "\(a.name)=\(s)" }
            if case .graph(let g) = a.value { return "@\(g)" }
            return nil
        }
        return attrs.isEmpty ? "" : " {" + attrs.joined(separator: ", ") + "}"
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
