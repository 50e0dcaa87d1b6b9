// DotPrinter: renders a model space as Graphviz DOT, one cluster per graph and one per choice node.
import Foundation
import NASCIR

/// Graphviz rendering of a model space. Choice nodes (layer_choice, input_choice, repeat, cell) are dashed
/// clusters holding their candidates; inputs flow into every candidate and candidates flow into the choice's output.
public enum DotPrinter {
    /// The DOT text for `space`.
    ///
    /// Large spaces stay readable: graphs with the same structure (the same ops wired the same way, attributes aside,
    /// e.g. one candidate op instantiated for every cell) are drawn once, as one cluster labelled with the count and
    /// the other names; with more than `compactAbove` such groups each is one box listing its ops; and the candidate
    /// graphs are stacked in `columns` columns instead of one long row.
    public static func print(_ space: ModelSpace, columns: Int = 1, compactAbove: Int = 6) -> String {
        var out = "digraph \(ValueExpr.quote(space.name)) {\n"
        out += "  compound=true;\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
        // Group graphs by structure; the root is always its own group.
        var groupOf: [String: Int] = [:]
        var groups: [[Int]] = []
        for (gi, graph) in space.graphs.enumerated() {
            let key = graph.name == space.root ? "root" : signature(graph)
            if let g = groupOf[key] { groups[g].append(gi) } else { groupOf[key] = groups.count; groups.append([gi]) }
        }
        var drawn: [(first: String, last: String)] = []
        let compact = groups.count - 1 > compactAbove
        for group in groups {
            let gi = group[0], graph = space.graphs[gi]
            var title = "@" + graph.name + (graph.name == space.root ? " (root)" : "")
            if group.count > 1 {
                let others = group.dropFirst().map { "@" + space.graphs[$0].name }
                // Short lines: a cluster is at least as wide as its label.
                title += " ×\(group.count)\nsame structure as\n" + others.prefix(2).joined(separator: "\n") + (others.count > 2 ? "\n..." : "")
            }
            // Many candidate graphs (a cell space): each is one box listing its ops, stacked in one column.
            if graph.name != space.root, compact {
                let box = ValueExpr.quote("\(graph.name)/<graph>")
                let ops = graph.nodes.map { "\($0.op.kind.rawValue)\(attrText($0.op))" }
                out += "  \(box) [shape=box, style=rounded, label=\(ValueExpr.quote(title + "\n" + (ops.isEmpty ? "(returns its input)" : ops.joined(separator: "\n"))))];\n"
                drawn.append((box, box))
                continue
            }
            if graph.name != space.root, let first = graph.inputs.first?.name ?? graph.nodes.first?.name {
                let last = graph.nodes.last?.name ?? first
                drawn.append((ValueExpr.quote("\(graph.name)/\(first)"), ValueExpr.quote("\(graph.name)/\(last)")))
            }
            out += "  subgraph \(ValueExpr.quote("cluster_g\(gi)")) {\n"
            out += "    label=\(ValueExpr.quote(title));\n"
            func id(_ name: String) -> String { ValueExpr.quote("\(graph.name)/\(name)") }
            for input in graph.inputs {
                out += "    \(id(input.name)) [shape=ellipse, label=\(ValueExpr.quote("%\(input.name)\n\(input.type)"))];\n"
            }
            // Cells sharing a label share their decisions: the first is drawn inside, the others refer to it.
            var cellCount: [String: Int] = [:], cellSeen: [String: Int] = [:]
            for node in graph.nodes { if case .cell(let c) = node.op { cellCount[c.label, default: 0] += 1 } }
            for (ni, node) in graph.nodes.enumerated() {
                let typeText = node.types.map(\.description).joined(separator: ", ")
                let candidates = candidateLabels(node)
                if case .cell(let c) = node.op {
                    cellSeen[c.label, default: 0] += 1
                    out += cell(c, node, graph: graph.name, cluster: "cluster_g\(gi)_n\(ni)", index: cellSeen[c.label]!, of: cellCount[c.label]!)
                } else if candidates.isEmpty {
                    out += "    \(id(node.name)) [label=\(ValueExpr.quote("%\(node.name) = \(node.op.kind.rawValue)\(attrText(node.op))\n\(typeText)"))];\n"
                    for r in node.inputs { out += "    \(id(r.node)) -> \(id(node.name));\n" }
                } else {
                    out += "    subgraph \(ValueExpr.quote("cluster_g\(gi)_n\(ni)")) {\n"
                    out += "      style=dashed; color=blue;\n"
                    out += "      label=\(ValueExpr.quote("\(node.op.kind.rawValue) \"\(choiceLabel(node.op))\""));\n"
                    for (ci, c) in candidates.enumerated() {
                        out += "      \(ValueExpr.quote("\(graph.name)/\(node.name)/\(ci)")) [style=rounded, label=\(ValueExpr.quote(c))];\n"
                    }
                    out += "      \(id(node.name)) [shape=point];\n    }\n"
                    for ci in candidates.indices {
                        let cid = ValueExpr.quote("\(graph.name)/\(node.name)/\(ci)")
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
                let oid = ValueExpr.quote("\(graph.name)/<out\(oi)>")
                out += "    \(oid) [shape=ellipse, label=\"return\"];\n    \(id(o.node)) -> \(oid);\n"
            }
            out += "  }\n"
        }
        // Stack the candidate graphs: graph k sits under graph k - columns.
        for k in drawn.indices where k >= columns {
            out += "  \(drawn[k - columns].last) -> \(drawn[k].first) [style=invis];\n"
        }
        return out + "}\n"
    }

    /// A cell node: the first of its label drawn as one cluster with the count of cells sharing it (its inputs, each
    /// intermediate node fed by every earlier node, the merge), the others as one box referring to it.
    static func cell(_ c: CellOp, _ node: Node, graph: String, cluster: String, index: Int, of count: Int) -> String {
        func id(_ name: String) -> String { ValueExpr.quote("\(graph)/\(name)") }
        let base = "\(graph)/\(node.name)"
        var out = "    subgraph \(ValueExpr.quote(cluster)) {\n      style=dashed; color=blue;\n"
        let ops = c.candidates.map(\.name)
        if index > 1 {
            out += "      label=\(ValueExpr.quote("cell \"\(c.label)\" (\(index) of \(count))"));\n"
            out += "      \(ValueExpr.quote(base + "/0")) [style=rounded, label=\(ValueExpr.quote("as cell \"\(c.label)\" 1 of \(count): same decisions"))];\n"
            out += "      \(id(node.name)) [shape=point];\n    }\n"
            for r in node.inputs { out += "    \(id(r.node)) -> \(ValueExpr.quote(base + "/0"));\n" }
            return out + "    \(ValueExpr.quote(base + "/0")) -> \(id(node.name));\n"
        }
        let title = count > 1 ? "cell \"\(c.label)\" ×\(count) (all share these decisions)" : "cell \"\(c.label)\""
        out += "      label=\(ValueExpr.quote(title + "\neach node sums \(c.opsPerNode) of its inputs, each through one of:\n" + ops.joined(separator: ", ")));\n"
        var preds: [String] = []
        for k in node.inputs.indices {
            let p = ValueExpr.quote("\(base)/in\(k)")
            out += "      \(p) [shape=ellipse, label=\(ValueExpr.quote("input \(k)"))];\n"
            preds.append(p)
        }
        for i in 0..<c.numNodes {
            let n = ValueExpr.quote("\(base)/node\(i)")
            out += "      \(n) [style=rounded, label=\(ValueExpr.quote("node \(i)"))];\n"
            for p in preds { out += "      \(p) -> \(n) [style=dashed];\n" }
            preds.append(n)
        }
        let merge = ValueExpr.quote("\(base)/merge")
        out += "      \(merge) [label=\(ValueExpr.quote(c.merge == .all ? "concat(all nodes)" : "concat(loose ends)"))];\n"
        for i in 0..<c.numNodes { out += "      \(ValueExpr.quote("\(base)/node\(i)")) -> \(merge);\n" }
        out += "      \(id(node.name)) [shape=point];\n    }\n"
        for (k, r) in node.inputs.enumerated() { out += "    \(id(r.node)) -> \(ValueExpr.quote("\(base)/in\(k)"));\n" }
        return out + "    \(merge) -> \(id(node.name));\n"
    }

    /// The structure of a graph: its input count and each node's op, attributes (but output widths) and input
    /// positions; node names are left out.
    static func signature(_ g: Graph) -> String {
        var index: [String: Int] = [:]
        for (i, input) in g.inputs.enumerated() { index[input.name] = i }
        for (i, n) in g.nodes.enumerated() { index[n.name] = g.inputs.count + i }
        // Attributes count (a 3x3 and a 5x5 candidate stay apart), except output widths, which change from stage to stage.
        let nodes = g.nodes.map { n in
            let attrs = n.op.attributes.filter { $0.name != "out" }.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            return n.op.kind.rawValue + "{" + attrs + "}(" + n.inputs.map { String(index[$0.node] ?? -1) }.joined(separator: ",") + ")"
        }
        return "\(g.inputs.count)|" + nodes.joined(separator: ";") + "|" + g.outputs.map { String(index[$0.node] ?? -1) }.joined(separator: ",")
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
        // A cell's candidates are the ops of every edge inside it: one box listing them keeps large cell spaces narrow.
        case .cell(let c):
            return ["\(c.numNodes) nodes x \(c.opsPerNode) ops, each one of:\n" + c.candidates.map { "\($0.name) = @\($0.graph)" }.joined(separator: "\n")]
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
}
