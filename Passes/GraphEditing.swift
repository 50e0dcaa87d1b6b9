// GraphEditing: small rewriting helpers shared by passes (replace uses of a value, liveness, label use).
import NASCIR

extension Graph {
    /// Makes every node input and graph output that reads `old` read `new` instead.
    mutating func replaceAllUses(of old: ValueRef, with new: ValueRef) {
        for i in nodes.indices {
            for j in nodes[i].inputs.indices where nodes[i].inputs[j] == old { nodes[i].inputs[j] = new }
        }
        for j in outputs.indices where outputs[j] == old { outputs[j] = new }
    }

    /// Names of nodes whose results reach a graph output (a backward walk from the outputs).
    var liveNodeNames: Set<String> {
        var byName: [String: Node] = [:]
        for n in nodes where byName[n.name] == nil { byName[n.name] = n }
        var live = Set<String>()
        var work = outputs.map(\.node)
        while let name = work.popLast() {
            guard let n = byName[name], live.insert(name).inserted else { continue }
            work.append(contentsOf: n.inputs.map(\.node))
        }
        return live
    }
}

extension ModelSpace {
    /// Every value-choice label some node attribute reads.
    var referencedValueLabels: Set<String> {
        var s = Set<String>()
        for g in graphs { for n in g.nodes { s.formUnion(n.op.valueLabels) } }
        return s
    }
}
