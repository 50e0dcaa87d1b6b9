// SupernetCell: the supernet relaxation of `cell` nodes (an extension of SupernetBuilder) and its edge labels.
import NASCIR

/// Names of the architecture weights of a relaxed DARTS cell.
public enum SupernetCellLabels {
    /// `label/i_j`: the alpha of the edge from source `j` (predecessors first, then nodes) to node `i`, as in
    /// NNI's `DifferentiableMixedCell`. Its entries follow the cell's candidates.
    public static func edge(_ label: String, node i: Int, source j: Int) -> String { "\(label)/\(i)_\(j)" }
}

extension SupernetBuilder {
    /// Relaxes a `cell` node (see `SupernetPass`): ``rewriteDartsCell(_:_:)`` or ``rewriteSampledCell(_:_:)``.
    mutating func rewriteCell(_ node: Node, _ c: CellOp) {
        guard c.merge == .all else {
            engine.error("cell '\(c.label)' with merge = loose_end is not supported in a supernet", at: node.location)
            return
        }
        guard !c.candidates.isEmpty else { engine.error("cell '\(c.label)' has no candidates", at: node.location); return }
        let states: [ValueRef]
        switch mode {
        case .darts, .gumbel, .proxyless: states = rewriteDartsCell(node, c)
        case .sampled: states = rewriteSampledCell(node, c)
        }
        if states.count == 1 {
            alias[ValueRef(node.name)] = states[0]
        } else {
            nodes.append(Node(name: node.name, op: .concat(axis: 1), inputs: states, types: node.types, location: node.location,
                              scope: node.scope))
        }
    }

    /// The candidate graph of op `o` on an edge from source `j` (predecessor edges use `input_candidates`).
    private func candidateGraph(_ c: CellOp, source j: Int, predecessors: Int, op o: Int) -> String {
        j < predecessors && o < c.inputCandidates.count ? c.inputCandidates[o].graph : c.candidates[o].graph
    }

    /// Sums values into one (no node for a single value).
    private mutating func sum(_ values: [ValueRef], named name: String, _ at: Node) -> ValueRef {
        if values.count == 1 { return values[0] }
        let n = Node(name: fresh(name), op: .add, inputs: values, location: at.location, scope: at.scope)
        nodes.append(n)
        return ValueRef(n.name)
    }

    /// DARTS, as NNI's `DifferentiableMixedCell`: one mixed op per (node `i`, source `j`) edge, shared by the node's
    /// `ops_per_node` slots: `edge_ij = weighted_sum(op_o(state_j) for every candidate o, softmax(alpha[label/i_j]))`,
    /// `state_i = sum_j edge_ij`. (NNI appends a constant-zero candidate to each alpha; here `none`, when the cell
    /// has it, plays that part, as in the original DARTS.) Returns the node states.
    private mutating func rewriteDartsCell(_ node: Node, _ c: CellOp) -> [ValueRef] {
        let preds = node.inputs.count
        var states = node.inputs
        for m in 0..<c.numNodes {
            let i = preds + m
            var edges: [ValueRef] = []
            for j in 0..<i {
                var calls: [ValueRef] = []
                let firstCall = nodes.count
                for o in c.candidates.indices {
                    let call = candidateCall(fresh("\(node.name).n\(i).e\(j).\(o)"), graph: candidateGraph(c, source: j, predecessors: preds, op: o),
                                             inputs: [states[j]], choice: "", o, node)
                    nodes.append(call)
                    calls.append(ValueRef(call.name))
                }
                let e = fresh("\(node.name).n\(i).e\(j)")
                // The calls are candidates of the edge's mixed op.
                for k in firstCall..<nodes.count { nodes[k].scope[nodes[k].scope.count - 1].choice = e }
                combine(e, label: SupernetCellLabels.edge(c.label, node: i, source: j), calls, types: [], node)
                edges.append(ValueRef(e))
            }
            states.append(sum(edges, named: "\(node.name).n\(i)", node))
        }
        return Array(states[preds...])
    }

    /// Single path (SPOS / ENAS): slot `k` of node `i` reads the source its `input_i_k` switch selects and applies
    /// the op its `op_i_k` switch selects; `state_i = sum_k slot_ik`.
    ///
    /// Without `input_candidates` every source shares the op candidates: the input switch `<cell>.n<i>_<k>.in`
    /// picks the source first, then one call per candidate `<cell>.n<i>_<k>.<o>` (weights per slot and op) feeds
    /// the op switch `<cell>.n<i>_<k>`, so only the selected op runs. With `input_candidates` (reduction cells:
    /// predecessor edges have other ops and shapes) the op is applied per source: calls `<cell>.n<i>_<k>.<j>.<o>`
    /// (weights per slot, source and op), an op switch `<cell>.n<i>_<k>.<j>` per source and the input switch
    /// `<cell>.n<i>_<k>` over them; call `<j>.<o>` has the scope `input_i_k == j, op_i_k == o`, so only the
    /// selected op runs, and only on the selected source.
    /// Returns the node states.
    private mutating func rewriteSampledCell(_ node: Node, _ c: CellOp) -> [ValueRef] {
        let preds = node.inputs.count
        var states = node.inputs
        for m in 0..<c.numNodes {
            let i = preds + m
            var slots: [ValueRef] = []
            for k in 0..<c.opsPerNode {
                let opLabel = CellLabels.op(c.label, node: i, op: k), inLabel = CellLabels.input(c.label, node: i, op: k)
                let slot = "\(node.name).n\(i)_\(k)"
                if c.inputCandidates.isEmpty {
                    let source = exact("\(slot).in", node)
                    combine(source, label: inLabel, Array(states[0..<i]), types: [], node)
                    var calls: [ValueRef] = []
                    for o in c.candidates.indices {
                        let call = candidateCall(exact("\(slot).\(o)", node), graph: c.candidates[o].graph,
                                                 inputs: [ValueRef(source)], choice: slot, o, node)
                        nodes.append(call)
                        calls.append(ValueRef(call.name))
                    }
                    combine(exact(slot, node), label: opLabel, calls, types: [], node)
                } else {
                    var perSource: [ValueRef] = []
                    for j in 0..<i {
                        let edge = exact("\(slot).\(j)", node)
                        var calls: [ValueRef] = []
                        // Source j of the input switch `slot`, op o of the op switch `edge`.
                        let onSource = [CandidateCondition(choice: slot, candidate: j)]
                        for o in c.candidates.indices {
                            let call = candidateCall(exact("\(edge).\(o)", node), graph: candidateGraph(c, source: j, predecessors: preds, op: o),
                                                     inputs: [states[j]], choice: edge, o, node, outer: onSource)
                            nodes.append(call)
                            calls.append(ValueRef(call.name))
                        }
                        combine(edge, label: opLabel, calls, types: [], node, scope: node.scope + onSource)
                        perSource.append(ValueRef(edge))
                    }
                    combine(exact(slot, node), label: inLabel, perSource, types: [], node)
                }
                slots.append(ValueRef(slot))
            }
            states.append(sum(slots, named: "\(node.name).n\(i)", node))
        }
        return Array(states[preds...])
    }
}
