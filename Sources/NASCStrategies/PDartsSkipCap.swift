// PDartsSkipCap: P-DARTS' final rule — an exported architecture keeps at most M skip connections.
import NASCIR
import NASCPasses

/// The skip-connection cap of P-DARTS (M = 2 in the paper): while a group of decisions exports more than `maxSkips`
/// skip connections, the chosen skip with the lowest probability is ruled out on its edge and the export is redone,
/// so that edge takes its next-best candidate (in a cell, the node may also pick another input). Groups: each cell
/// label (its chosen edges), and all layer choices outside cells together. Skip candidates are recognised by
/// structure (``CandidateRoles/skipNames(_:)``: the subgraph passes its input through).
public enum PDartsSkipCap {
    /// The capped architecture for per-label probabilities over the space's candidates (layer choices by label, cell
    /// edges by `<cell>/i_j`), and how many skips were replaced. `fixed` decisions override the export.
    public static func architecture(space: ModelSpace, searchSpace: SearchSpace, probabilities: [String: [Double]], maxSkips: Int,
                                    fixed: [String: DecisionValue] = [:]) throws -> (Architecture, replaced: Int) {
        let skips = CandidateRoles.skipNames(space)
        var probs = probabilities
        var replaced = 0
        while true {
            let cells = OneShotExport.cellDecisions(space, probabilities: probs).merging(fixed) { _, f in f }
            let arch = try OneShotExport.architecture(searchSpace, probabilities: probs, cells: cells)
            // The chosen skips of each group: (alpha label, candidate index, probability).
            var groups: [String: [(label: String, index: Int, p: Double)]] = [:]
            for d in searchSpace.decisions {
                guard case .layerChoice(let names) = d.kind, let s = skips[d.label], case .candidate(let c)? = arch[d.label],
                      s.contains(c), let k = names.firstIndex(of: c) else { continue }
                groups["", default: []].append((d.label, k, probs[d.label].map { k < $0.count ? $0[k] : 0 } ?? 0))
            }
            var seen: Set<String> = []
            for g in space.reachableGraphs.compactMap(space.graph(named:)) {
                for node in g.nodes {
                    guard case .cell(let cell) = node.op, seen.insert(cell.label).inserted, let s = skips[cell.label] else { continue }
                    let preds = node.inputs.count
                    for m in 0..<max(cell.numNodes, 0) {
                        let i = preds + m
                        for k in 0..<cell.opsPerNode {
                            guard case .candidate(let c)? = arch[CellLabels.op(cell.label, node: i, op: k)], s.contains(c),
                                  case .inputs(let js)? = arch[CellLabels.input(cell.label, node: i, op: k)], let j = js.first,
                                  let o = cell.candidates.firstIndex(where: { $0.name == c }) else { continue }
                            let edge = SupernetCellLabels.edge(cell.label, node: i, source: j)
                            groups["cell:" + cell.label, default: []].append((edge, o, probs[edge].map { o < $0.count ? $0[o] : 0 } ?? 0))
                        }
                    }
                }
            }
            // Skips already ruled out (probability -1) that still win have no alternative left on their edge.
            guard let over = groups.keys.sorted().first(where: { groups[$0]!.count > maxSkips && groups[$0]!.contains { $0.p >= 0 } }),
                  let weakest = groups[over]!.filter({ $0.p >= 0 }).min(by: { $0.p != $1.p ? $0.p < $1.p : $0.label < $1.label }) else {
                return (arch, replaced)
            }
            // Rule the skip out on that edge: below every probability (the other candidates keep their order).
            var row = probs[weakest.label] ?? []
            if row.count <= weakest.index { return (arch, replaced) }
            row[weakest.index] = -1
            probs[weakest.label] = row
            replaced += 1
        }
    }
}
