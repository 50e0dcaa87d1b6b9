// Autodiff: the `autodiff` pass — reverse-mode differentiation as an IR transformation that appends the backward graph.
import NASCIR

/// Appends a loss and the backward graph to the root graph.
///
/// The root graph's first output is the model output; parameters must be explicit (`explicit-params`). The pass adds an `i64[N]`
/// labels input, a loss node (`softmax_cross_entropy` on logits, or `nll_loss` when the output is a
/// `log_softmax`; option `loss=cross_entropy|nll|mse`, `label_smoothing=0.1`; `mse` adds an `f32[N, D]` targets
/// input instead of the labels, for regression), then walks the graph backwards
/// emitting one gradient op per forward op (`conv2d_grad_input`, `relu`'s `activation_grad`, ...), summing
/// gradients of values used more than once with `add`. Every trainable parameter's gradient is marked by a
/// `param_grad(%param, %grad)` node. The outputs become `[loss, model output, other outputs..., param_grad...]`.
/// Gradients are only computed for values that depend on a trainable parameter.
public struct Autodiff: ConfigurablePass {
    public let name = "autodiff"
    public let summary = "append a loss and the reverse-mode backward graph (gradients of all trainable params)"

    /// The loss autodiff attaches.
    public enum Loss: String, Sendable, Hashable, CaseIterable {
        /// `softmax_cross_entropy` on logits.
        case crossEntropy = "cross_entropy"
        /// `nll_loss` on log-probabilities.
        case nll
        /// Mean squared error against f32 targets (regression).
        case mse
    }

    /// The pass's options (spec keys `loss`, `label_smoothing`).
    public struct Options: Sendable, Hashable {
        /// The loss; `nil` picks `nll` after a `log_softmax` output, else `cross_entropy`.
        public var loss: Loss?
        /// Label smoothing of the cross-entropy loss, in [0, 1).
        public var labelSmoothing: Double
        /// Creates options.
        public init(loss: Loss? = nil, labelSmoothing: Double = 0) { self.loss = loss; self.labelSmoothing = labelSmoothing }
    }

    /// This run's options.
    public var options: Options

    /// Creates the pass.
    public init(options: Options = Options()) { self.options = options }

    public static let optionKeys = ["loss", "label_smoothing"]

    public func configured(_ reader: inout PassOptionReader) throws -> Autodiff {
        var o = options
        o.loss = try reader.choice("loss", Loss.self) ?? o.loss
        o.labelSmoothing = try reader.number("label_smoothing") ?? o.labelSmoothing
        return Autodiff(options: o)
    }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        if let root = space.rootGraph, let n = root.nodes.first(where: { $0.op.isChoice || $0.op.kind == .call }) {
            context.diagnostics.error("'\(n.op.kind.rawValue)' node '\(n.name)' cannot be differentiated (run specialize and inline first)",
                                      at: n.location)
            return
        }
        guard ExplicitParams.requireExplicit(space, before: name, &context) else { return }
        guard var g = space.rootGraph else {
            context.diagnostics.error("model space '\(space.name)' has no root graph '@\(space.root)'", at: .unknown)
            return
        }
        do {
            try Self.differentiate(&g, options: options)
            space.update(g)
        } catch let d as Diagnostic {
            context.diagnostics.emit(d)
        }
    }

    /// Differentiates a graph in place (parameters must already be explicit).
    static func differentiate(_ g: inout Graph, options: Options) throws {
        guard let outRef = g.outputs.first else { throw Diagnostic.error("graph '@\(g.name)' has no output to differentiate", at: g.location) }
        if g.nodes.contains(where: { $0.op.kind == .paramGrad || $0.op.kind == .softmaxCrossEntropy || $0.op.kind == .nllLoss
                                     || $0.op.kind == .mseLoss }) {
            throw Diagnostic.error("graph '@\(g.name)' already has a loss or gradients (autodiff ran twice?)", at: g.location)
        }
        var types: [ValueRef: TensorType] = [:]
        types.reserveCapacity(g.inputs.count + g.nodes.count)
        for i in g.inputs { types[ValueRef(i.name)] = i.type }
        // `run` has rejected choices and calls (before explicit-params, which adds neither).
        for n in g.nodes {
            guard !n.types.isEmpty else {
                throw Diagnostic.error("'\(n.name)' has no inferred type (run shape-infer before autodiff)", at: n.location)
            }
            for (i, t) in n.types.enumerated() { types[ValueRef(n.name, slot: i)] = t }
        }
        guard let outType = types[outRef], outType.rank == 2, outType.shape[0] == .batch else {
            throw Diagnostic.error("the model output \(outRef) must be [N, classes] (or [N, outputs] for mse) to attach a loss", at: g.location)
        }

        // Loss.
        let smoothing = options.labelSmoothing
        guard smoothing.isFinite, smoothing >= 0, smoothing < 1 else {
            throw Diagnostic.error("label_smoothing=\(smoothing) must be a number in [0, 1)")
        }
        let loss = options.loss ?? (g.node(named: outRef.node)?.op.kind == .logSoftmax ? .nll : .crossEntropy)
        let lossOp: Op, lossGradOp: Op
        switch loss {
        case .crossEntropy: lossOp = .softmaxCrossEntropy(labelSmoothing: smoothing); lossGradOp = .softmaxCrossEntropyGrad(labelSmoothing: smoothing)
        case .nll: lossOp = .nllLoss; lossGradOp = .nllLossGrad
        case .mse: lossOp = .mseLoss; lossGradOp = .mseLossGrad
        }
        let labels: ValueRef
        if loss == .mse {
            // Regression: f32 targets of the output's shape, a new graph input.
            let name = g.freshName("targets")
            g.inputs.append(GraphInput(name: name, type: TensorType(.f32, outType.shape)))
            labels = ValueRef(name)
        } else if let l = g.inputs.dropFirst().first(where: { $0.type.dtype == .i64 }) {
            // The first input is the data (token ids are i64 too); labels are a later i64 input.
            labels = ValueRef(l.name)
        } else {
            let name = g.freshName("labels")
            g.inputs.append(GraphInput(name: name, type: TensorType(.i64, [.batch])))
            labels = ValueRef(name)
        }

        // Which values depend on a trainable parameter.
        var needs = Set<String>()
        for n in g.nodes {
            if case .param(let p) = n.op { if p.trainable { needs.insert(n.name) } }
            else if n.inputs.contains(where: { needs.contains($0.node) }) { needs.insert(n.name) }
        }
        guard needs.contains(outRef.node) else {
            throw Diagnostic.error("the model output \(outRef) does not depend on any trainable parameter", at: g.location)
        }

        var b = GradientBuilder(graph: g, types: types, needs: needs)
        let lossNode = b.emitter.emit("loss", lossOp, [outRef, labels], [TensorType(.f32, [])])
        b.contributions[outRef] = [b.emitter.emit("loss.grad", lossGradOp, [outRef, labels], [outType])]

        // Each op's gradient rule is its entry in the op table.
        for n in g.nodes.reversed() where needs.contains(n.name) {
            let y = ValueRef(n.name)
            guard let cs = b.contributions[y], !cs.isEmpty else { continue }
            b.emitter.scope = n.scope
            b.node = n
            b.gradOutput = cs.count == 1 ? cs[0] : b.emitter.emit("\(n.name).grad_sum", .add, cs, [types[y]!])
            switch OpTable[n.op.kind].gradient {
            case .rule(let rule): try rule(n.op, &b)
            case .none: break
            case .notDifferentiable(let why):
                throw Diagnostic.error("autodiff does not support '\(n.op.kind.rawValue)' (node '\(n.name)'): \(why)", at: n.location)
            }
        }
        g = b.emitter.graph
        g.outputs = [lossNode, outRef] + Array(g.outputs.dropFirst()) + b.paramGrads.reversed()
    }

    /// Appends typed nodes with fresh names.
    struct Emitter {
        var graph: Graph
        /// Names in use (kept here so naming stays linear in big graphs, e.g. supernets).
        var taken: Set<String>
        init(graph: Graph) { self.graph = graph; taken = Set(graph.inputs.map(\.name) + graph.nodes.map(\.name)) }
        /// The scope of the forward node whose gradient is being emitted (the gradient runs in its candidates).
        var scope: [CandidateCondition] = []
        mutating func emit(_ base: String, _ op: Op, _ inputs: [ValueRef], _ types: [TensorType]) -> ValueRef {
            var name = base, i = 1
            // One set operation per name: insert fails while the name is taken.
            while !taken.insert(name).inserted { name = "\(base)_\(i)"; i += 1 }
            graph.nodes.append(Node(name: name, op: op, inputs: inputs, types: types, scope: scope))
            return ValueRef(name)
        }
    }
}
