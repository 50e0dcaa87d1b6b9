// ExplicitParams: the `explicit-params` pass — turns the implicit weights of conv/linear/norm layers into `param` nodes.
import NASCIR

/// Gives every parameterized layer explicit `param` inputs, named PyTorch style after the node
/// (`conv1.weight`, `conv1.bias`, `bn.running_mean`), with PyTorch's default initializers:
///
/// - `conv2d(%x)` -> `conv2d(%x, %w[, %b])`, `depthwise_conv2d` likewise; `linear(%x)` -> `linear(%x, %w[, %b])`
/// - `batch_norm(%x)` -> `batch_norm(%x[, %gamma, %beta], %running_mean, %running_var)` (running stats not trainable)
/// - `layer_norm(%x)` -> `layer_norm(%x[, %gamma, %beta])`
///
/// Layers that already have their parameters are left alone, so the pass is idempotent. Typed
/// `separable_conv2d` nodes must be split first (`decompose-separable`; the `params` pipeline runs both). Needs the layer input
/// types (run `shape-infer` first) and constant attributes (run `specialize` first).
public struct ExplicitParams: Pass {
    public let name = "explicit-params"
    public let summary = "make layer weights explicit param nodes with PyTorch's default initializers"

    /// Creates the pass.
    public init() {}

    /// Reports problems (unknown input types, non-constant attributes) in `context.diagnostics`.
    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        for gi in space.graphs.indices {
            // Graphs whose layers all have their parameters (every run after the first) are left untouched.
            guard space.graphs[gi].nodes.contains(where: Self.mayNeedParameters) else { continue }
            var g = space.graphs[gi]
            var out: [Node] = []
            var failed = false
            var taken = Set(g.inputs.map(\.name) + g.nodes.map(\.name))
            let types = ValueTypes(g)
            for n in g.nodes {
                do {
                    let params = try Self.parameters(for: n, typeOf: types.type(of:))
                    if params.isEmpty { out.append(n); continue }
                    var node = n
                    for p in params {
                        var name = p.name, k = 1
                        // One set operation per name: insert fails while the name is taken.
                        while !taken.insert(name).inserted { name = "\(p.name)_\(k)"; k += 1 }
                        let pn = Node(name: name, op: .param(p), inputs: [],
                                      types: [TensorType(.f32, p.shape.map { .fixed($0) })], location: n.location, scope: n.scope)
                        out.append(pn)
                        node.inputs.append(ValueRef(name))
                    }
                    out.append(node)
                } catch let d as Diagnostic {
                    context.diagnostics.emit(d)
                    failed = true
                    out.append(n)
                }
            }
            if failed { continue }
            g.nodes = out
            space.graphs[gi] = g
        }
    }

    /// Reports, for pass `pass`, the first node of the root graph whose weights are still implicit (or that is a
    /// separable convolution not yet split); true when there is none. Passes that need explicit parameters
    /// (`autodiff`, `fuse`, `lower`) check this instead of running `explicit-params` themselves.
    public static func requireExplicit(_ space: ModelSpace, before pass: String, _ context: inout PassContext) -> Bool {
        guard let root = space.rootGraph else { return true }
        for n in root.nodes {
            if case .separableConv2d = n.op {
                context.diagnostics.error("separable_conv2d '\(n.name)' must be split before \(pass) (run decompose-separable and explicit-params first)",
                                          at: n.location)
                return false
            }
            if mayNeedParameters(n) {
                context.diagnostics.error("'\(n.op.kind.rawValue)' node '\(n.name)' has implicit parameters (run explicit-params before \(pass))",
                                          at: n.location)
                return false
            }
        }
        return true
    }

    /// Whether ``parameters(for:typeOf:)`` can return parameters (or an error) for `n`: a layer with one input.
    static func mayNeedParameters(_ n: Node) -> Bool {
        // Attention reads the sequence and optionally its token ids before its parameters.
        if case .multiheadAttention = n.op { return n.inputs.count <= 2 }
        guard n.inputs.count == 1 else { return false }
        switch n.op {
        case .conv2d, .depthwiseConv2d, .linear, .batchNorm, .layerNorm, .embedding, .conv1d, .lstm, .gru: return true
        default: return false
        }
    }

    /// The parameters a node with implicit weights needs, in input order (empty if none or already explicit).
    public static func parameters(for n: Node, in g: Graph) throws -> [ParamAttrs] {
        try parameters(for: n, typeOf: g.type(of:))
    }

    /// ``parameters(for:in:)`` with the input type looked up by `typeOf` (a `ValueTypes` index in whole-graph loops).
    static func parameters(for n: Node, typeOf: (ValueRef) -> TensorType?) throws -> [ParamAttrs] {
        guard n.inputs.count == 1 || (n.op.kind == .multiheadAttention && n.inputs.count == 2) else { return [] }
        func inputType() throws -> TensorType {
            guard let t = typeOf(n.inputs[0]) else {
                throw Diagnostic.error("'\(n.op.kind.rawValue)' needs a known input type to create its parameters (run shape-infer first)",
                                       at: n.location)
            }
            return t
        }
        func const(_ e: ValueExpr, _ what: String) throws -> Int {
            guard let v = e.constantInt else {
                throw Diagnostic.error("\(what) of '\(n.op.kind.rawValue)' must be a constant here, got \(e) (run specialize first)",
                                       at: n.location)
            }
            return v
        }
        func dim(_ t: TensorType, _ i: Int, _ what: String) throws -> Int {
            let k = i < 0 ? t.rank + i : i
            guard k >= 0, k < t.rank, let v = t.shape[k].value else {
                throw Diagnostic.error("'\(n.op.kind.rawValue)' needs a fixed \(what) dimension, input is \(t)", at: n.location)
            }
            return v
        }
        let p = n.name
        switch n.op {
        case .conv2d(let a):
            let t = try inputType()
            let cin = try dim(t, 1, "channel"), out = try const(a.outChannels, "out"), k = try const(a.kernel, "kernel")
            let groups = try const(a.groups, "groups")
            guard groups > 0, cin % groups == 0 else {
                throw Diagnostic.error("conv2d groups = \(groups) does not divide its \(cin) input channels", at: n.location)
            }
            let fanIn = cin / groups * k * k
            var ps = [ParamAttrs(name: "\(p).weight", shape: [out, cin / groups, k, k], initializer: .kaimingUniform(fanIn: fanIn))]
            if a.bias { ps.append(ParamAttrs(name: "\(p).bias", shape: [out], initializer: .fanInUniform(fanIn: fanIn))) }
            return ps
        case .conv1d(let a):
            let t = try inputType()
            let cin = try dim(t, -1, "channel"), out = try const(a.outChannels, "out"), k = try const(a.kernel, "kernel")
            let groups = try const(a.groups, "groups")
            guard groups > 0, cin % groups == 0 else {
                throw Diagnostic.error("conv1d groups = \(groups) does not divide its \(cin) input channels", at: n.location)
            }
            let fanIn = cin / groups * k
            var ps = [ParamAttrs(name: "\(p).weight", shape: [out, cin / groups, k], initializer: .kaimingUniform(fanIn: fanIn))]
            if a.bias { ps.append(ParamAttrs(name: "\(p).bias", shape: [out], initializer: .fanInUniform(fanIn: fanIn))) }
            return ps
        case .depthwiseConv2d(let a):
            let t = try inputType()
            let c = try dim(t, 1, "channel"), k = try const(a.kernel, "kernel")
            var ps = [ParamAttrs(name: "\(p).weight", shape: [c, 1, k, k], initializer: .kaimingUniform(fanIn: k * k))]
            if a.bias { ps.append(ParamAttrs(name: "\(p).bias", shape: [c], initializer: .fanInUniform(fanIn: k * k))) }
            return ps
        case .linear(let a):
            let t = try inputType()
            let fin = try dim(t, -1, "feature"), out = try const(a.outFeatures, "out")
            var ps = [ParamAttrs(name: "\(p).weight", shape: [out, fin], initializer: .kaimingUniform(fanIn: fin))]
            if a.bias { ps.append(ParamAttrs(name: "\(p).bias", shape: [out], initializer: .fanInUniform(fanIn: fin))) }
            return ps
        case .batchNorm(let a):
            let c = try dim(try inputType(), 1, "channel")
            var ps: [ParamAttrs] = []
            if a.affine {
                ps.append(ParamAttrs(name: "\(p).weight", shape: [c], initializer: .ones))
                ps.append(ParamAttrs(name: "\(p).bias", shape: [c], initializer: .zeros))
            }
            ps.append(ParamAttrs(name: "\(p).running_mean", shape: [c], initializer: .zeros, trainable: false))
            ps.append(ParamAttrs(name: "\(p).running_var", shape: [c], initializer: .ones, trainable: false))
            return ps
        case .embedding(let a):
            // U(-1, 1) (fan-in 1); PyTorch draws N(0, 1).
            return [ParamAttrs(name: "\(p).weight", shape: [try const(a.vocab, "vocab"), try const(a.dim, "dim")],
                               initializer: .fanInUniform(fanIn: 1))]
        case .multiheadAttention:
            return OpTable.attentionParameters(p, dim: try dim(try inputType(), -1, "model"))
        case .lstm(let a), .gru(let a):
            let cell: RecurrentCell = n.op.kind == .lstm ? .lstm : .gru
            return OpTable.recurrentParameters(p, cell: cell, inputSize: try dim(try inputType(), -1, "feature"),
                                               hidden: try const(a.hidden, "hidden"), directions: a.directions)
        case .layerNorm(let a):
            guard a.affine else { return [] }
            let f = try dim(try inputType(), -1, "feature")
            return [ParamAttrs(name: "\(p).weight", shape: [f], initializer: .ones),
                    ParamAttrs(name: "\(p).bias", shape: [f], initializer: .zeros)]
        default:
            return []
        }
    }
}
