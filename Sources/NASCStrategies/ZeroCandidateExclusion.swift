// ZeroCandidateExclusion: P-DARTS and CDARTS (like the DARTS paper's genotype parse) never export the `none` operation —
// a zero candidate is ruled below every other candidate of its layer choice or cell edge before the argmax.
import NASCIR
import NASCPasses

/// Rules zero candidates out of an export. A candidate is a zero candidate when its subgraph returns a `zero` op
/// (recognised by structure, not by its name). Without this a P-DARTS or CDARTS export can cut a cell off from its
/// input (`1_0: none, 2_0: none, 3_0: none` on nb201_digits.nas), and such a network retrains to chance. DARTS,
/// GumbelDARTS and the sampling strategies keep NNI's plain argmax.
public enum ZeroCandidateExclusion {
    /// The probability given to a ruled-out zero candidate: below every probability and below a skip connection the
    /// skip cap ruled out (-1).
    public static let ruledOut = -2.0

    /// `probabilities` (layer choices by label, cell edges by `<cell>/i_j`) with every zero candidate at ``ruledOut``.
    /// An edge or choice whose candidates are all zero keeps them.
    public static func apply(space: ModelSpace, to probabilities: [String: [Double]]) -> [String: [Double]] {
        var out = probabilities
        func rule(_ key: String, _ zeros: [Int], count: Int) {
            guard var row = out[key], row.count == count, zeros.count < count else { return }
            for i in zeros { row[i] = ruledOut }
            out[key] = row
        }
        var seenCells: Set<String> = []
        for g in space.reachableGraphs.compactMap(space.graph(named:)) {
            for node in g.nodes {
                switch node.op {
                case .layerChoice(let lc):
                    let zeros = lc.candidates.indices.filter { CandidateRoles.isZero(space.graph(named: lc.candidates[$0].graph)) }
                    if !zeros.isEmpty { rule(lc.label, zeros, count: lc.candidates.count) }
                case .cell(let cell):
                    guard seenCells.insert(cell.label).inserted else { continue }
                    let zeros = cell.candidates.indices.filter { CandidateRoles.isZero(space.graph(named: cell.candidates[$0].graph)) }
                    guard !zeros.isEmpty else { continue }
                    let preds = node.inputs.count
                    for m in 0..<max(cell.numNodes, 0) {
                        let i = preds + m
                        for j in 0..<i { rule(SupernetCellLabels.edge(cell.label, node: i, source: j), zeros, count: cell.candidates.count) }
                    }
                default: continue
                }
            }
        }
        return out
    }
}
