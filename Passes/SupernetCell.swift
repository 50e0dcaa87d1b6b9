// SupernetCell: the supernet relaxation of `cell` nodes (an extension of SupernetBuilder).
import NASCIR

extension SupernetBuilder {
    /// Relaxes a `cell` node (see `SupernetPass`).
    mutating func rewriteCell(_ node: Node, _ c: CellOp) {
        guard mode == .darts else {
            engine.error("cell '\(c.label)' is only supported by darts supernets so far", at: node.location)
            return
        }
        guard c.merge == .all else {
            engine.error("cell '\(c.label)' with merge = loose_end is not supported in a supernet", at: node.location)
            return
        }
        let preds = node.inputs.count
        var nodeOutputs: [ValueRef] = []
        for m in 0..<c.numNodes {
            let i = preds + m
            var terms: [ValueRef] = []
            for k in 0..<c.opsPerNode {
                let inLabel = CellLabels.input(c.label, node: i, op: k), opLabel = CellLabels.op(c.label, node: i, op: k)
                var edges: [ValueRef] = []
                for j in 0..<i {
                    let source = j < preds ? node.inputs[j] : nodeOutputs[j - preds]
                    var calls: [ValueRef] = []
                    for (o, cand) in c.candidates.enumerated() {
                        let g = j < preds && o < c.inputCandidates.count ? c.inputCandidates[o].graph : cand.graph
                        let call = Node(name: fresh("\(node.name).n\(i)_\(k).e\(j).\(o)"), op: .call(graph: g), inputs: [source],
                                        location: node.location)
                        nodes.append(call)
                        calls.append(ValueRef(call.name))
                    }
                    let e = fresh("\(node.name).n\(i)_\(k).e\(j)")
                    combine(e, label: opLabel, calls, types: [], node)
                    edges.append(ValueRef(e))
                }
                let s = fresh("\(node.name).n\(i)_\(k)")
                combine(s, label: inLabel, edges, types: [], node)
                terms.append(ValueRef(s))
            }
            if terms.count == 1 {
                nodeOutputs.append(terms[0])
            } else {
                let sum = Node(name: fresh("\(node.name).node_\(i)"), op: .add, inputs: terms, location: node.location)
                nodes.append(sum)
                nodeOutputs.append(ValueRef(sum.name))
            }
        }
        if nodeOutputs.count == 1 {
            alias[ValueRef(node.name)] = nodeOutputs[0]
        } else {
            nodes.append(Node(name: node.name, op: .concat(axis: 1), inputs: nodeOutputs, types: node.types, location: node.location))
        }
    }
}
