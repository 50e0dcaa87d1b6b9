// SupernetRepeat: the supernet rewrite of `repeat` — depth-gated chained blocks mixed over the allowed depths.
import NASCIR

extension SupernetBuilder {
    /// The name of block `i` of repeat node `r`: the call `r.from<k>.<i>`, where `k` is the index of the first
    /// allowed depth `>= i`; its scope is `r >= k` (its steps run only for depth choices `>= k` in a sampled supernet).
    static func repeatBlockName(_ node: String, first k: Int, block i: Int) -> String { "\(node).from\(k).\(i)" }

    /// Rewrites `repeat(%x) {label, depths, blocks}`: block `i` (1-based) is a call of `blocks[i-1]` on the
    /// output of block `i-1` (block 0 = `%x`, so depth 0 is the identity); the outputs after each allowed depth are
    /// mixed under the node's name — `weighted_sum(..., softmax(alpha))` (darts) or a `switch` (sampled) whose
    /// unselected deeper blocks are skipped (forward, backward and update).
    mutating func rewriteRepeat(_ node: Node, _ r: RepeatOp) {
        guard node.inputs.count == 1 else {
            engine.error("repeat '\(r.label)' must have exactly one input", at: node.location)
            return
        }
        guard !r.depths.isEmpty, r.depths.allSatisfy({ $0 >= 0 }), zip(r.depths, r.depths.dropFirst()).allSatisfy({ $0 < $1 }) else {
            engine.error("repeat '\(r.label)' needs strictly ascending non-negative depths, got \(r.depths)", at: node.location)
            return
        }
        let maxDepth = r.depths[r.depths.count - 1]
        guard r.blocks.count >= maxDepth else {
            engine.error("repeat '\(r.label)' allows depth \(maxDepth) but has \(r.blocks.count) blocks", at: node.location)
            return
        }
        var outputs: [ValueRef] = [node.inputs[0]]
        for i in 1...max(maxDepth, 1) where i <= maxDepth {
            let first = r.depths.firstIndex { $0 >= i } ?? 0
            let call = candidateCall(exact(Self.repeatBlockName(node.name, first: first, block: i), node), graph: r.blocks[i - 1],
                                     inputs: [outputs[i - 1]], choice: node.name, first, atLeast: true, node)
            nodes.append(call)
            outputs.append(ValueRef(call.name))
        }
        if r.depths.count == 1 {
            // A fixed depth is no decision: the chain's end is the output.
            nodes.append(Node(name: node.name, op: .identity, inputs: [outputs[maxDepth]], types: node.types, location: node.location,
                              scope: node.scope))
            return
        }
        combine(node.name, label: r.label, r.depths.map { outputs[$0] }, types: node.types, node)
    }
}
