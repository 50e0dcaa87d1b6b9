// Fuse: the `fuse` pass — merges conv2d with a following inference batchnorm (folded) and activation.
import NASCIR

/// Rewrites, in inference graphs (no gradient ops), chains `conv2d -> [batch_norm] -> [activation]` into one
/// `fused_conv2d` node: the convolution keeps its bias, a batchnorm is folded into the weights and bias using
/// its running statistics (so the fused graph computes eval-mode batchnorm), and the activation is applied in
/// place. A link is fused only when the intermediate value has exactly one user and is not a graph output.
/// Parameters must be explicit (`explicit-params`).
///
/// Training graphs (with gradient ops) never fold batchnorm (batch statistics cannot be folded), but fuse
/// `conv2d -> relu | relu6 | sigmoid | tanh` when the convolution's output is read only by the activation and by that
/// activation's `activation_grad`: the gradient of these four is a function of the activation's output alone
/// (`relu'(x) = [y > 0]`, `relu6'(x) = [0 < y < 6]`, `sigmoid' = y (1 - y)`, `tanh' = 1 - y^2`), so the
/// `activation_grad` is rewired to read the output for its input, and the pre-activation tensor disappears
/// (one pass over it and one buffer fewer per fused convolution).
public struct Fuse: Pass {
    public let name = "fuse"
    public let summary = "fuse conv2d + batchnorm (folded, inference) + activation into one fused_conv2d; conv2d + relu in training"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        guard ExplicitParams.requireExplicit(space, before: name, &context) else { return }
        for gi in space.graphs.indices {
            if space.graphs[gi].nodes.contains(where: { $0.op.kind.isBackward }) {
                Self.fuseTraining(&space.graphs[gi])
            } else {
                Self.fuse(&space.graphs[gi])
            }
        }
    }

    /// Fuses every eligible chain of one graph (edited in place: copying a supernet-sized graph per pass showed up).
    static func fuse(_ g: inout Graph) {
        var uses: [String: Int] = [:]
        for n in g.nodes { for r in n.inputs { uses[r.node, default: 0] += 1 } }
        for r in g.outputs { uses[r.node, default: 0] += 1 }
        // The first node reading output 0 of each value, indexed once (a scan per convolution was quadratic). The
        // rewrites below only give a chain's last node the inputs of its convolution and batchnorm, which are defined
        // before that convolution, so the readers of the values asked about later are the original ones.
        var firstReader: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() {
            for r in n.inputs where r.slot == 0 && firstReader[r.node] == nil { firstReader[r.node] = i }
        }
        /// The only user of `name`, if it has exactly one and it reads output 0.
        func soleUser(_ name: String) -> Int? {
            guard uses[name] == 1 else { return nil }
            return firstReader[name]
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
        removeNodes(at: removed, from: &g.nodes)
    }

    /// Removes the nodes at `indices`, keeping the others in order (moved, not copied).
    static func removeNodes(at indices: Set<Int>, from nodes: inout [Node]) {
        guard !indices.isEmpty else { return }
        var kept = 0
        // Invariant: nodes[..<kept] are the kept nodes so far, in order; nodes[kept..<i] are removed ones.
        for i in nodes.indices where !indices.contains(i) {
            if i != kept { nodes.swapAt(i, kept) }
            kept += 1
        }
        nodes.removeLast(nodes.count - kept)
    }

    /// Activations whose gradient can be computed from their output alone (see the type's documentation).
    static func gradientFromOutput(_ f: Activation) -> Bool {
        switch f {
        case .relu, .relu6, .sigmoid, .tanh: return true
        case .gelu, .hardswish: return false
        }
    }

    /// Fuses `conv2d -> activation` in a training graph (see the type's documentation), in place.
    static func fuseTraining(_ g: inout Graph) {
        // Readers of each convolution's output (the only values asked about), each reader once.
        var users: [String: [Int]] = [:]
        for n in g.nodes { if case .conv2d = n.op { users[n.name] = [] } }
        for (i, n) in g.nodes.enumerated() {
            for r in n.inputs where users[r.node].map({ $0.last != i }) == true { users[r.node]!.append(i) }
        }
        let outputs = Set(g.outputs.map(\.node))
        var removed = Set<Int>()
        for ci in g.nodes.indices {
            guard case .conv2d(let conv) = g.nodes[ci].op, g.nodes[ci].inputs.count == (conv.bias ? 3 : 2) else { continue }
            let c = g.nodes[ci].name
            let conv0 = ValueRef(c)
            guard !outputs.contains(c), let readers = users[c], !readers.isEmpty else { continue }
            // Exactly one forward reader: an activation of the convolution's output.
            let forward = readers.filter { !g.nodes[$0].op.kind.isBackward }
            guard forward.count == 1, let ai = forward.first, case .activation(let f) = g.nodes[ai].op, gradientFromOutput(f),
                  g.nodes[ai].inputs == [conv0] else { continue }
            let y = ValueRef(g.nodes[ai].name)
            // Every other reader is that activation's gradient, reading (x = conv, y = activation, gy).
            let grads = readers.filter { $0 != ai }
            guard grads.allSatisfy({ gi in
                if case .activationGrad(let gf) = g.nodes[gi].op, gf == f, g.nodes[gi].inputs.count == 3,
                   g.nodes[gi].inputs[0] == conv0, g.nodes[gi].inputs[1] == y, g.nodes[gi].inputs[2] != conv0 { return true }
                return false
            }) else { continue }
            for gi in grads { g.nodes[gi].inputs[0] = y }
            var node = g.nodes[ai]
            node.op = .fusedConv2d(FusedConv2DAttrs(conv: conv, activation: f))
            node.inputs = g.nodes[ci].inputs
            node.location = g.nodes[ci].location
            g.nodes[ai] = node
            removed.insert(ci)
        }
        removeNodes(at: removed, from: &g.nodes)
    }
}
