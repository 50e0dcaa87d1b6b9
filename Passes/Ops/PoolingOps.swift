// PoolingOps: the op-table entries of max_pool2d, avg_pool2d, global_avg_pool and flatten.
import NASCIR

extension OpTable {
    static let poolAttributes = [AttrSpec("kernel", .expr, required: true), AttrSpec("stride", .expr), AttrSpec("padding", .padding)]

    /// FLOPs of a window op: `k * k` per output element.
    static let poolCost = CostRule.rule { op, s in
        guard case .maxPool2d(let a) = op, let k = a.kernel.constantInt else {
            guard case .avgPool2d(let a) = op, let k = a.kernel.constantInt else { return nil }
            return OpCost.counts(flops: OpCost.mul(k, k, s.outputElements))
        }
        return OpCost.counts(flops: OpCost.mul(k, k, s.outputElements))
    }

    static let maxPool2d = OpDefinition(
        .maxPool2d,
        language: OpLanguageForm(poolAttributes, positional: ["kernel", "stride", "padding"], aliases: ["maxpool", "maxpool2d"],
                                 summary: "max pooling (stride defaults to kernel)"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .maxPool2d(let a) = op else { return nil }
            return try OpShapeRules.pool("max_pool2d", a, x[0])
        },
        cost: poolCost,
        gradient: .rule { op, b in
            guard case .maxPool2d(let a) = op else { return }
            b.unary(.maxPool2dGrad(a), [b.node.inputs[0], b.output, b.gradOutput])
        },
        sample: .maxPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(2), padding: .explicit(.int(1)))))

    static let avgPool2d = OpDefinition(
        .avgPool2d,
        language: OpLanguageForm(poolAttributes + [AttrSpec("count_include_pad", .bool)], positional: ["kernel", "stride", "padding"],
                                 aliases: ["avgpool", "avgpool2d"], summary: "average pooling (stride defaults to kernel)"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .avgPool2d(let a) = op else { return nil }
            return try OpShapeRules.pool("avg_pool2d", a, x[0])
        },
        cost: poolCost,
        gradient: .rule { op, b in
            guard case .avgPool2d(let a) = op else { return }
            b.unary(.avgPool2dGrad(a), [b.gradOutput])
        },
        sample: .avgPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(1), padding: .same, countIncludePad: false)))

    /// `adaptive_avg_pool2d(1)` followed by `flatten`: `[N,C,H,W] -> [N,C]`; 1 FLOP per input element.
    static let globalAvgPool = OpDefinition(
        .globalAvgPool,
        language: OpLanguageForm(aliases: ["gap"], summary: "global average pooling: [N,C,H,W] to [N,C]"),
        shape: .rule { _, x throws(ShapeError) in
            let (c, _, _) = try OpShapeRules.image("global_avg_pool", x[0])
            return TensorType(x[0].dtype, [x[0].shape[0], .fixed(c)])
        },
        cost: .rule { _, s in OpCost.counts(flops: s.inputElements) },
        gradient: .rule { _, b in b.unary(.globalAvgPoolGrad, [b.gradOutput]) },
        sample: .globalAvgPool)

    /// Keeps dimension 0 and multiplies the rest: `[N,a,b,c] -> [N,a*b*c]`.
    static let flatten = OpDefinition(
        .flatten,
        language: OpLanguageForm(summary: "flatten all dimensions after the batch"),
        shape: .rule { _, x throws(ShapeError) in
            let t = x[0]
            guard t.rank >= 2 else { throw ShapeError("flatten needs a batched input, but gets \(t)") }
            var product = 1
            for d in t.shape.dropFirst() {
                guard let v = d.value else { throw ShapeError("flatten needs fixed dimensions after the first, but gets \(t)") }
                let (p, overflow) = product.multipliedReportingOverflow(by: v)
                guard !overflow, p <= AttributeValues.limit else { throw ShapeError("flatten of \(t) has too many features") }
                product = p
            }
            return TensorType(t.dtype, [t.shape[0], .fixed(product)])
        },
        cost: .rule { _, _ in OpCost.Counts() },
        gradient: .rule { _, b in b.unary(.flattenGrad, [b.gradOutput]) },
        sample: .flatten)
}
