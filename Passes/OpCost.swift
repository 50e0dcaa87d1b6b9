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

    /// Totals for a typed, flat subnet graph (a trial's `subnet-typed` result): reads the types shape inference
    /// already wrote on its nodes instead of inferring the graph again. `nil` if a node is untyped, a choice or a call.
    public static func typedGraphCost(_ g: Graph) -> Counts? {
        var types: [String: [TensorType]] = [:]
        types.reserveCapacity(g.inputs.count + g.nodes.count)
        for i in g.inputs { types[i.name] = [i.type] }
        var total = Counts()
        for n in g.nodes {
            guard !n.op.isChoice, n.op.kind != .call, !n.types.isEmpty else { return nil }
            var ins: [TensorType] = []
            ins.reserveCapacity(n.inputs.count)
            for r in n.inputs {
                guard let ts = types[r.node], r.slot < ts.count else { return nil }
                ins.append(ts[r.slot])
            }
            guard let c = cost(n.op, ins), let t = total.adding(c) else { return nil }
            total = t
            types[n.name] = n.types
        }
        return total
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

    /// The counts of one tensor op (its rule in ``OpTable``). All arithmetic is overflow-checked: absurd sizes give
    /// `nil`, never a trap.
    static func cost(_ op: Op, _ ins: [TensorType]) -> Counts? {
        guard !op.isChoice, case .success(let out?) = ShapeInference.outputType(op: op, inputs: ins),
              let outElems = elements(out), let inElems = ins.first.flatMap(elements) else { return nil }
        switch OpTable[op.kind].cost {
        case .needsSpecialization: return nil
        case .notModelCost: return Counts()
        case .rule(let rule): return rule(op, CostShapes(inputs: ins, output: out, outputElements: outElems, inputElements: inElems))
        }
    }

    /// Counts from optional parts; `nil` if any part is missing or overflowed.
    static func counts(params: Int? = 0, macs: Int? = 0, flops: Int?) -> Counts? {
        guard let params, let macs, let flops else { return nil }
        return Counts(params: params, macs: macs, flops: flops)
    }

    /// A MAC-based layer: weights plus `bias` parameters; FLOPs 2 per MAC plus one add per output element for a bias.
    static func layer(params: Int?, bias: Int, macs: Int?, _ s: CostShapes) -> Counts? {
        counts(params: add(params, bias), macs: macs, flops: add(mul(2, macs), bias > 0 ? s.outputElements : 0))
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
