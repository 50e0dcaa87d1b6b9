// CandidateRoles: what a choice candidate does, read from its subgraph's structure and never from its name — a skip
// connection passes its input through; a zero (`none`) candidate returns a `zero` op.
import NASCIR

/// Structural roles of layer-choice and cell candidates, shared by the passes (skip dropout, the DARTS- auxiliary
/// skip) and the one-shot strategies (skip caps and counts, the exclusion of `none` from exports).
public enum CandidateRoles {
    /// Whether a single-input graph returns its input, directly or through `identity` nodes.
    public static func isPassThrough(_ graph: Graph?) -> Bool {
        guard let g = graph, g.inputs.count == 1, g.outputs.count == 1 else { return false }
        var ref = g.outputs[0]
        while let n = g.node(named: ref.node) {
            guard case .identity = n.op, n.inputs.count == 1 else { return false }
            ref = n.inputs[0]
        }
        return ref.node == g.inputs[0].name && ref.slot == 0
    }

    /// Whether a single-output graph returns a `zero` op's result.
    public static func isZero(_ graph: Graph?) -> Bool {
        guard let g = graph, g.outputs.count == 1, let n = g.node(named: g.outputs[0].node) else { return false }
        if case .zero = n.op { return true }
        return false
    }

    /// The candidate subgraphs of reachable layer choices and cells (cells' input candidates included) that pass
    /// their input through unchanged, in first-use order.
    public static func skipGraphs(_ space: ModelSpace) -> [String] {
        var out: [String] = []
        forEachChoice(space) { _, candidates, inputCandidates in
            for c in candidates + inputCandidates where isPassThrough(space.graph(named: c.graph)) && !out.contains(c.graph) {
                out.append(c.graph)
            }
        }
        return out
    }

    /// The names of the skip candidates of each layer-choice and cell label; strategies use it to count and cap skip
    /// connections in an exported architecture.
    public static func skipNames(_ space: ModelSpace) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        forEachChoice(space) { label, candidates, _ in
            for c in candidates where isPassThrough(space.graph(named: c.graph)) { out[label, default: []].insert(c.name) }
        }
        return out
    }

    /// Calls `body` with the label, the operation candidates and (cells only) the input candidates of every layer
    /// choice and cell of the reachable graphs.
    static func forEachChoice(_ space: ModelSpace, _ body: (String, [NamedGraph], [NamedGraph]) -> Void) {
        for g in space.reachableGraphs.compactMap(space.graph(named:)) {
            for n in g.nodes {
                switch n.op {
                case .layerChoice(let lc): body(lc.label, lc.candidates, [])
                case .cell(let cell): body(cell.label, cell.candidates, cell.inputCandidates)
                default: continue
                }
            }
        }
    }
}
