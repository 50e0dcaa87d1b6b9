// SupernetCellExport: maps a DARTS supernet's per-edge cell alphas back onto the cell decisions `op_i_k`/`input_i_k`.
import NASCIR

/// The export of relaxed DARTS cells (NNI's `DifferentiableMixedCell.export`).
///
/// For intermediate node `i` every (source `j`, candidate `o`) pair is ranked by its raw alpha
/// `alpha[<label>/i_j][o]`, highest first (ties: lower `j`, then lower `o`). The best pair of each distinct
/// source moves to the front (keeping their rank order), so the node prefers different inputs, then the other
/// pairs follow; slot `k` takes pair `k` (wrapping around when there are fewer pairs than slots):
/// `<label>/op_i_k = candidate o` and `<label>/input_i_k = [j]`.
public enum SupernetCellExport {
    /// The cell decisions of every `cell` node reachable from the root of `space` (the space before the supernet
    /// pass), from the alphas `alpha(label)` returns for the edge labels `<label>/i_j` (a missing alpha counts
    /// as zeros). Cells sharing a label are exported once.
    public static func decisions(space: ModelSpace, alpha: (String) -> [Float]?) -> [String: DecisionValue] {
        var out: [String: DecisionValue] = [:]
        var done = Set<String>()
        for name in space.reachableGraphs {
            guard let g = space.graph(named: name) else { continue }
            for n in g.nodes {
                guard case .cell(let c) = n.op, done.insert(c.label).inserted else { continue }
                let preds = n.inputs.count
                for m in 0..<max(c.numNodes, 0) {
                    let i = preds + m
                    let weights = (0..<i).map { j in
                        alpha(SupernetCellLabels.edge(c.label, node: i, source: j)) ?? []
                    }
                    for (k, pick) in choose(weights: weights, candidates: c.candidates.count, slots: c.opsPerNode).enumerated() {
                        out[CellLabels.op(c.label, node: i, op: k)] = .candidate(c.candidates[pick.op].name)
                        out[CellLabels.input(c.label, node: i, op: k)] = .inputs([pick.source])
                    }
                }
            }
        }
        return out
    }

    /// The (source, op) pair of each of `slots` slots of one node from its edges' alphas (`weights[j][o]`).
    public static func choose(weights: [[Float]], candidates: Int, slots: Int) -> [(source: Int, op: Int)] {
        var pairs: [(w: Float, source: Int, op: Int)] = []
        for (j, w) in weights.enumerated() {
            for o in 0..<candidates { pairs.append((o < w.count ? w[o] : 0, j, o)) }
        }
        guard !pairs.isEmpty, slots > 0 else { return [] }
        pairs.sort { a, b in a.w != b.w ? a.w > b.w : (a.source, a.op) < (b.source, b.op) }
        var seen = Set<Int>()
        var front: [(w: Float, source: Int, op: Int)] = [], rest: [(w: Float, source: Int, op: Int)] = []
        for p in pairs {
            if seen.insert(p.source).inserted { front.append(p) } else { rest.append(p) }
        }
        let ranked = front + rest
        return (0..<slots).map { k in (ranked[k % ranked.count].source, ranked[k % ranked.count].op) }
    }
}
