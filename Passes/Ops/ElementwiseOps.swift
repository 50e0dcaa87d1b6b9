// ElementwiseOps: the op-table entries of dropout, add, mul, scale, concat, identity, zero, softmax and log_softmax.
import NASCIR

extension OpTable {
    /// Inference dropout is free; training dropout's mask is a backward input.
    static let dropout = OpDefinition(
        .dropout,
        language: OpLanguageForm([AttrSpec("p", .expr, default: .float(0.5))], positional: ["p"], summary: "dropout"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .dropout(let p) = op else { return nil }
            let t = try OpShapeRules.float("dropout", x[0])
            if let v = try AttributeValues.double(p, "p", of: "dropout"), !(v >= 0 && v < 1) {
                throw ShapeError("dropout probability must be in [0, 1), but is \(Scalar.float(v))")
            }
            return t
        },
        cost: .rule { _, _ in OpCost.Counts() },
        gradient: .rule { op, b in
            guard case .dropout(let p) = op else { return }
            b.unary(.dropoutGrad(p: p), [b.output, b.gradOutput])
        },
        sample: .dropout(p: .float(0.25)))

    /// `(inputs - 1)` FLOPs per element; every input gets the output's gradient.
    static let add = OpDefinition(
        .add,
        language: OpLanguageForm(summary: "elementwise sum of 2 or more tensors"),
        shape: .rule { _, x throws(ShapeError) in
            if let m = TypeRules.elementwiseProblem("add", x) { throw ShapeError(m) }
            return x[0]
        },
        cost: .rule { _, s in OpCost.counts(flops: OpCost.mul(s.inputs.count - 1, s.outputElements)) },
        gradient: .rule { _, b in for i in b.node.inputs.indices where b.needsGradient(i) { b.give(i, b.gradOutput) } },
        sample: .add)

    static let mul = OpDefinition(
        .mul,
        language: OpLanguageForm(aliases: ["multiply"], summary: "elementwise product of 2 or more tensors"),
        shape: .rule { _, x throws(ShapeError) in
            if let m = TypeRules.elementwiseProblem("mul", x) { throw ShapeError(m) }
            return x[0]
        },
        cost: .rule { _, s in OpCost.counts(flops: OpCost.mul(s.inputs.count - 1, s.outputElements)) },
        gradient: .rule { _, b in
            guard b.node.inputs.count == 2 else {
                throw Diagnostic.error("autodiff supports mul of 2 inputs, '\(b.node.name)' has \(b.node.inputs.count)", at: b.node.location)
            }
            let r = b.emit("grad", .mulGrad, [b.node.inputs[0], b.node.inputs[1], b.gradOutput], [b.inputType(0), b.inputType(1)])
            if b.needsGradient(0) { b.give(0, r) }
            if b.needsGradient(1) { b.give(1, ValueRef(r.node, slot: 1)) }
        },
        sample: .mul)

    /// `factor * x`: an input choice's `mean` after specialization (`scale(add(...), 1/k)`); not in the language.
    static let scale = OpDefinition(
        .scale,
        shape: .rule { _, x throws(ShapeError) in try OpShapeRules.float("scale", x[0]) },
        cost: .rule { _, s in OpCost.counts(flops: s.outputElements) },
        gradient: .rule { op, b in b.unary(op, [b.gradOutput]) },
        sample: .scale(factor: 0.5))

    static let concat = OpDefinition(
        .concat,
        language: OpLanguageForm([AttrSpec("axis", .constInt)], aliases: ["cat"],
                                 summary: "concatenation (axis 1 = channels by default)"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .concat(let axis) = op else { return nil }
            if let m = TypeRules.concatProblem(axis: axis, x) { throw ShapeError(m) }
            let a = TypeRules.normalizedAxis(axis, rank: x[0].rank)!
            var out = x[0]
            out.shape[a] = .fixed(x.reduce(0) { $0 + ($1.shape[a].value ?? 0) })
            return out
        },
        cost: .rule { _, _ in OpCost.Counts() },
        gradient: .rule { op, b in
            guard case .concat(let axis) = op else { return }
            b.perInput(.concatGrad(axis: axis), [b.gradOutput])
        },
        sample: .concat(axis: 2))

    static let identity = OpDefinition(
        .identity,
        language: OpLanguageForm(summary: "passes its input through"),
        shape: .rule { _, x throws(ShapeError) in x[0] },
        cost: .rule { _, _ in OpCost.Counts() },
        gradient: .rule { _, b in if b.needsGradient(0) { b.give(0, b.gradOutput) } },
        sample: .identity)

    /// DARTS's "none": with stride s > 1 it keeps every s-th pixel, `[N,C,H,W] -> [N,C,ceil(H/s),ceil(W/s)]`.
    static let zero = OpDefinition(
        .zero,
        language: OpLanguageForm([AttrSpec("stride", .expr)], positional: ["stride"],
                                 summary: "zeros shaped like the (strided) input: DARTS's none"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .zero(let stride) = op, let s = try AttributeValues.int(stride, "stride", of: "zero", atLeast: 1) else { return nil }
            if s == 1 { return x[0] }
            let (c, h, w) = try OpShapeRules.image("zero with stride \(s)", x[0])
            return TensorType(x[0].dtype, [x[0].shape[0], .fixed(c), .fixed((h + s - 1) / s), .fixed((w + s - 1) / s)])
        },
        cost: .rule { _, _ in OpCost.Counts() },
        gradient: .none,
        sample: .zero(stride: .int(2)))

    /// 3 FLOPs per element.
    static let softmax = OpDefinition(
        .softmax,
        language: OpLanguageForm([AttrSpec("axis", .constInt)], summary: "softmax (last axis by default)"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .softmax(let axis) = op else { return nil }
            return try OpShapeRules.axisOp("softmax", axis: axis, x[0])
        },
        cost: .rule { _, s in OpCost.counts(flops: OpCost.mul(3, s.outputElements)) },
        gradient: .rule { op, b in
            guard case .softmax(let axis) = op else { return }
            b.unary(.softmaxGrad(axis: axis), [b.output, b.gradOutput])
        },
        sample: .softmax(axis: 1))

    static let logSoftmax = OpDefinition(
        .logSoftmax,
        language: OpLanguageForm([AttrSpec("axis", .constInt)], summary: "log-softmax (last axis by default)"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .logSoftmax(let axis) = op else { return nil }
            return try OpShapeRules.axisOp("log_softmax", axis: axis, x[0])
        },
        cost: .rule { _, s in OpCost.counts(flops: OpCost.mul(3, s.outputElements)) },
        gradient: .rule { op, b in
            guard case .logSoftmax(let axis) = op else { return }
            b.unary(.logSoftmaxGrad(axis: axis), [b.output, b.gradOutput])
        },
        sample: .logSoftmax(axis: -1))
}
