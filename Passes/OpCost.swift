// OpCost: parameter, multiply-accumulate and FLOP counts of ops and choice-free graphs with fixed shapes.
import NASCIR

/// Cost model for fixed shapes, per sample (the batch dimension counts as 1).
///
/// Parameters are trainable weights only (PyTorch's `parameters()`: batch-norm running statistics are buffers):
/// - conv2d: `out * in/groups * k * k` + `out` bias; depthwise: `C * k * k` + `C` bias;
///   separable: depthwise `C * k * k` (no bias: it would fold into the pointwise bias) + pointwise `C * out` + `out` bias.
/// - linear: `in * out` + `out` bias; batch_norm: `2C` if affine; layer_norm: `2 * last dim` if affine; others: 0.
///
/// MACs (multiply-accumulates) count conv2d/depthwise/separable/linear work only — the number NNI's counter
/// and fvcore report as "FLOPs". FLOPs here count every arithmetic operation:
/// - `2 * MACs` (one multiply and one add each) plus one add per output element for a bias;
/// - batch_norm 2 per element (+2 if affine); layer_norm 5 per element (+2 if affine);
/// - activations 1 per element; `add`/`mul` (inputs - 1) per element; softmax/log_softmax 3 per element;
/// - max/avg pooling `k * k` per output element; global_avg_pool 1 per input element;
/// - flatten, dropout (inference), identity, concat, zero: 0.
public enum OpCost {
    /// Trainable parameters of a tensor op, or `nil` for structural/choice ops, unknown shapes or symbolic attributes.
    public static func params(op: Op, inputTypes: [TensorType]) -> Int? {
        cost(op, inputTypes)?.params
    }

    /// Multiply-accumulates of a tensor op (conv and linear only; 0 for others), or `nil` as for ``params(op:inputTypes:)``.
    public static func macs(op: Op, inputTypes: [TensorType]) -> Int? {
        cost(op, inputTypes)?.macs
    }

    /// FLOPs of a tensor op, or `nil` as for ``params(op:inputTypes:)``.
    public static func flops(op: Op, inputTypes: [TensorType]) -> Int? {
        cost(op, inputTypes)?.flops
    }

    /// Totals for a graph whose nodes are all fixed (no choice op, no value choice), following `call`s.
    /// `nil` if the graph has a choice, an untyped node, or a shape error.
    public static func graphCost(graph: String, in space: ModelSpace, inputTypes: [TensorType]? = nil) -> Counts? {
        var visiting: Set<String> = []
        return graphCost(graph, space, inputTypes, &visiting)
    }

    /// Parameter, MAC and FLOP counts.
    public struct Counts: Hashable, Sendable {
        public var params: Int
        public var macs: Int
        public var flops: Int
        /// Creates counts.
        public init(params: Int = 0, macs: Int = 0, flops: Int = 0) { self.params = params; self.macs = macs; self.flops = flops }
        /// The sum, or `nil` on overflow.
        func adding(_ b: Counts) -> Counts? {
            guard let p = OpCost.add(params, b.params), let m = OpCost.add(macs, b.macs), let f = OpCost.add(flops, b.flops) else { return nil }
            return Counts(params: p, macs: m, flops: f)
        }
    }

    static func graphCost(_ name: String, _ space: ModelSpace, _ inputTypes: [TensorType]?, _ visiting: inout Set<String>) -> Counts? {
        guard !visiting.contains(name),
              let (g, _) = try? ShapeInference.annotate(graph: name, in: space, inputTypes: inputTypes) else { return nil }
        visiting.insert(name)
        defer { visiting.remove(name) }
        var total = Counts()
        for n in g.nodes {
            guard !n.op.isChoice, !n.types.isEmpty else { return nil }
            let ins = n.inputs.compactMap { g.type(of: $0) }
            guard ins.count == n.inputs.count else { return nil }
            if case .call(let callee) = n.op {
                guard let c = graphCost(callee, space, ins, &visiting), let t = total.adding(c) else { return nil }
                total = t
            } else {
                guard let c = cost(n.op, ins), let t = total.adding(c) else { return nil }
                total = t
            }
        }
        return total
    }

    /// The counts of one tensor op. All arithmetic is overflow-checked: absurd sizes give `nil`, never a trap.
    static func cost(_ op: Op, _ ins: [TensorType]) -> Counts? {
        guard !op.isChoice, case .success(let out?) = ShapeInference.outputType(op: op, inputs: ins),
              let outElems = elements(out), let inElems = ins.first.flatMap(elements) else { return nil }
        func const(_ e: ValueExpr) -> Int? { e.constantInt }
        /// Counts from optional parts; `nil` if any part is missing or overflowed.
        func counts(params: Int? = 0, macs: Int? = 0, flops: Int?) -> Counts? {
            guard let params, let macs, let flops else { return nil }
            return Counts(params: params, macs: macs, flops: flops)
        }
        /// FLOPs of a MAC-based op: 2 per MAC plus one add per output element for a bias.
        func macFlops(_ macs: Int?, bias: Bool) -> Int? { add(mul(2, macs), bias ? outElems : 0) }
        switch op {
        case .conv2d(let a):
            guard let c = ins[0].shape[1].value, let o = const(a.outChannels), let k = const(a.kernel), let g = const(a.groups) else { return nil }
            let macs = mul(outElems, c / g, k, k)
            return counts(params: add(mul(o, c / g, k, k), a.bias ? o : 0), macs: macs, flops: macFlops(macs, bias: a.bias))
        case .depthwiseConv2d(let a):
            guard let c = ins[0].shape[1].value, let k = const(a.kernel) else { return nil }
            let macs = mul(outElems, k, k)
            return counts(params: add(mul(c, k, k), a.bias ? c : 0), macs: macs, flops: macFlops(macs, bias: a.bias))
        case .separableConv2d(let a):
            guard let c = ins[0].shape[1].value, let o = const(a.outChannels), let k = const(a.kernel),
                  let h = out.shape[2].value, let w = out.shape[3].value else { return nil }
            let macs = add(mul(c, h, w, k, k), mul(outElems, c))
            return counts(params: add(mul(c, k, k), mul(c, o), a.bias ? o : 0), macs: macs, flops: macFlops(macs, bias: a.bias))
        case .linear(let a):
            guard let f = ins[0].shape.last?.value, let o = const(a.outFeatures) else { return nil }
            let macs = mul(outElems, f)
            return counts(params: add(mul(f, o), a.bias ? o : 0), macs: macs, flops: macFlops(macs, bias: a.bias))
        case .batchNorm(let a):
            guard let c = ins[0].shape[1].value else { return nil }
            return counts(params: a.affine ? mul(2, c) : 0, flops: mul(a.affine ? 4 : 2, outElems))
        case .layerNorm(let a):
            guard let d = ins[0].shape.last?.value else { return nil }
            return counts(params: a.affine ? mul(2, d) : 0, flops: mul(a.affine ? 7 : 5, outElems))
        case .activation: return counts(flops: outElems)
        case .add, .mul: return counts(flops: mul(ins.count - 1, outElems))
        case .scale: return counts(flops: outElems)
        case .softmax, .logSoftmax: return counts(flops: mul(3, outElems))
        case .maxPool2d(let a), .avgPool2d(let a):
            guard let k = const(a.kernel) else { return nil }
            return counts(flops: mul(k, k, outElems))
        case .globalAvgPool: return counts(flops: inElems)
        case .flatten, .dropout, .identity, .concat, .zero: return Counts()
        case .call, .layerChoice, .inputChoice, .repeated, .cell: return nil
        default: return Counts()  // training ops (params, losses, gradients) are not part of the model's cost
        }
    }

    /// Elements per sample (the batch dimension counts as 1), or `nil` on overflow.
    static func elements(_ t: TensorType) -> Int? { mul(t.shape.map { $0.value ?? 1 }) }

    /// Overflow-checked product; `nil` if a factor is `nil` or the product overflows.
    static func mul(_ xs: Int?...) -> Int? { mul(xs) }

    static func mul(_ xs: [Int?]) -> Int? {
        var p = 1
        for x in xs {
            guard let x else { return nil }
            let (r, o) = p.multipliedReportingOverflow(by: x)
            if o { return nil }
            p = r
        }
        return p
    }

    /// Overflow-checked sum; `nil` if a term is `nil` or the sum overflows.
    static func add(_ xs: Int?...) -> Int? {
        var s = 0
        for x in xs {
            guard let x else { return nil }
            let (r, o) = s.addingReportingOverflow(x)
            if o { return nil }
            s = r
        }
        return s
    }
}
