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
        static func + (a: Counts, b: Counts) -> Counts {
            Counts(params: a.params + b.params, macs: a.macs + b.macs, flops: a.flops + b.flops)
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
                guard let c = graphCost(callee, space, ins, &visiting) else { return nil }
                total = total + c
            } else {
                guard let c = cost(n.op, ins) else { return nil }
                total = total + c
            }
        }
        return total
    }

    /// The counts of one tensor op.
    static func cost(_ op: Op, _ ins: [TensorType]) -> Counts? {
        guard !op.isChoice, case .success(let out?) = ShapeInference.outputType(op: op, inputs: ins) else { return nil }
        let outElems = out.elementsPerSample
        let inElems = ins.first?.elementsPerSample ?? 0
        func const(_ e: ValueExpr) -> Int? { e.constantInt }
        switch op {
        case .conv2d(let a):
            guard let c = ins[0].shape[1].value, let o = const(a.outChannels), let k = const(a.kernel), let g = const(a.groups) else { return nil }
            let macs = outElems * (c / g) * k * k
            let bias = a.bias ? o : 0
            return Counts(params: o * (c / g) * k * k + bias, macs: macs, flops: 2 * macs + (a.bias ? outElems : 0))
        case .depthwiseConv2d(let a):
            guard let c = ins[0].shape[1].value, let k = const(a.kernel) else { return nil }
            let macs = outElems * k * k
            return Counts(params: c * k * k + (a.bias ? c : 0), macs: macs, flops: 2 * macs + (a.bias ? outElems : 0))
        case .separableConv2d(let a):
            guard let c = ins[0].shape[1].value, let o = const(a.outChannels), let k = const(a.kernel),
                  let h = out.shape[2].value, let w = out.shape[3].value else { return nil }
            let macs = c * h * w * k * k + outElems * c
            return Counts(params: c * k * k + c * o + (a.bias ? o : 0), macs: macs, flops: 2 * macs + (a.bias ? outElems : 0))
        case .linear(let a):
            guard let f = ins[0].shape.last?.value, let o = const(a.outFeatures) else { return nil }
            let macs = outElems * f
            return Counts(params: f * o + (a.bias ? o : 0), macs: macs, flops: 2 * macs + (a.bias ? outElems : 0))
        case .batchNorm(let a):
            guard let c = ins[0].shape[1].value else { return nil }
            return Counts(params: a.affine ? 2 * c : 0, flops: (a.affine ? 4 : 2) * outElems)
        case .layerNorm(let a):
            guard let d = ins[0].shape.last?.value else { return nil }
            return Counts(params: a.affine ? 2 * d : 0, flops: (a.affine ? 7 : 5) * outElems)
        case .activation: return Counts(flops: outElems)
        case .add, .mul: return Counts(flops: (ins.count - 1) * outElems)
        case .softmax, .logSoftmax: return Counts(flops: 3 * outElems)
        case .maxPool2d(let a), .avgPool2d(let a):
            guard let k = const(a.kernel) else { return nil }
            return Counts(flops: k * k * outElems)
        case .globalAvgPool: return Counts(flops: inElems)
        case .flatten, .dropout, .identity, .concat, .zero: return Counts()
        case .call, .layerChoice, .inputChoice, .repeated, .cell: return nil
        }
    }
}
