// Fuse: the `fuse` pass — merges conv2d with a following inference batchnorm (folded) and activation.
import NASCIR

/// Rewrites, in inference graphs (no gradient ops), chains `conv2d -> [batch_norm] -> [activation]` into one
/// `fused_conv2d` node: the convolution keeps its bias, a batchnorm is folded into the weights and bias using
/// its running statistics (so the fused graph computes eval-mode batchnorm), and the activation is applied in
/// place. A link is fused only when the intermediate value has exactly one user and is not a graph output.
/// Parameters are made explicit first. Training graphs are left unchanged: batch statistics cannot be folded.
public struct Fuse: Pass {
    public let name = "fuse"
    public let summary = "fuse conv2d + batchnorm (folded, inference) + activation into one fused_conv2d"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        try ExplicitParams().run(on: &space, context: &context)
        if context.diagnostics.hasErrors { return }
        for gi in space.graphs.indices where !space.graphs[gi].nodes.contains(where: { $0.op.kind.isBackward }) {
            space.graphs[gi] = Self.fuse(space.graphs[gi])
        }
    }

    /// Fuses every eligible chain of one graph.
    static func fuse(_ graph: Graph) -> Graph {
        var g = graph
        var uses: [String: Int] = [:]
        for n in g.nodes { for r in n.inputs { uses[r.node, default: 0] += 1 } }
        for r in g.outputs { uses[r.node, default: 0] += 1 }
        /// The only user of `name`, if it has exactly one and it reads output 0.
        func soleUser(_ name: String) -> Int? {
            guard uses[name] == 1 else { return nil }
            return g.nodes.firstIndex { n in n.inputs.contains { $0.node == name && $0.slot == 0 } }
        }
        var removed = Set<Int>()
        for ci in g.nodes.indices {
            guard case .conv2d(let conv) = g.nodes[ci].op, g.nodes[ci].inputs.count == (conv.bias ? 3 : 2) else { continue }
            var fused = FusedConv2DAttrs(conv: conv)
            var inputs = g.nodes[ci].inputs
            var tail = ci
            if let bi = soleUser(g.nodes[tail].name), case .batchNorm(let bn) = g.nodes[bi].op,
               g.nodes[bi].inputs.first == ValueRef(g.nodes[tail].name), g.nodes[bi].inputs.count == (bn.affine ? 5 : 3) {
                fused.batchNorm = bn
                inputs += g.nodes[bi].inputs.dropFirst()
                removed.insert(tail)
                tail = bi
            }
            if let ai = soleUser(g.nodes[tail].name), case .activation(let f) = g.nodes[ai].op {
                fused.activation = f
                removed.insert(tail)
                tail = ai
            }
            guard tail != ci else { continue }
            // The last node of the chain becomes the fused node (its name and users stay).
            var node = g.nodes[tail]
            node.op = .fusedConv2d(fused)
            node.inputs = inputs
            node.location = g.nodes[ci].location
            g.nodes[tail] = node
        }
        g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        return g
    }
}
