// LayerOps: the op-table entries of linear, batch_norm and layer_norm.
import NASCIR

extension OpTable {
    static let linear = OpDefinition(
        .linear,
        language: OpLanguageForm([AttrSpec("in", .expr), AttrSpec("out", .expr, required: true), AttrSpec("bias", .bool)],
                                 positional: ["out"], summary: "fully connected layer over the last dimension"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .linear(let a) = op else { return nil }
            return try OpShapeRules.linear(a, x[0])
        },
        cost: .rule { op, s in
            guard case .linear(let a) = op, let f = s.inputs[0].shape.last?.value, let o = a.outFeatures.constantInt else { return nil }
            return OpCost.layer(params: OpCost.mul(f, o), bias: a.bias ? o : 0, macs: OpCost.mul(s.outputElements, f), s)
        },
        gradient: .rule { op, b in
            guard case .linear(let a) = op else { return }
            b.layer(input: .linearGradInput(a), weight: .linearGradWeight(a), bias: .linearGradBias(a))
        },
        sample: .linear(LinearAttrs(outFeatures: .int(10), bias: false, inFeatures: .int(32))))

    /// Parameters `2C` if affine (running statistics are buffers); FLOPs 2 per element (+2 if affine).
    static let batchNorm = OpDefinition(
        .batchNorm,
        language: OpLanguageForm([AttrSpec("eps", .constFloat), AttrSpec("momentum", .constFloat), AttrSpec("affine", .bool)],
                                 aliases: ["batchnorm", "batchnorm2d"], summary: "batch normalization over channels"),
        shape: .rule { op, x throws(ShapeError) in
            let t = try OpShapeRules.float("batch_norm", x[0])
            guard (2...4).contains(t.rank), t.shape[1].value != nil else {
                throw ShapeError("batch_norm needs [N,C], [N,C,L] or [N,C,H,W] with a fixed C, but gets \(t)")
            }
            return t
        },
        cost: .rule { op, s in
            guard case .batchNorm(let a) = op, let c = s.inputs[0].shape[1].value else { return nil }
            return OpCost.counts(params: a.affine ? OpCost.mul(2, c) : 0, flops: OpCost.mul(a.affine ? 4 : 2, s.outputElements))
        },
        gradient: .rule { op, b in
            guard case .batchNorm(let a) = op else { return }
            b.normalization(.batchNormGrad(a), affine: a.affine)
        },
        sample: .batchNorm(BatchNormAttrs(eps: 1e-3, momentum: 0.01, affine: false)))

    /// Parameters `2 * last dim` if affine; FLOPs 5 per element (+2 if affine).
    static let layerNorm = OpDefinition(
        .layerNorm,
        language: OpLanguageForm([AttrSpec("eps", .constFloat), AttrSpec("affine", .bool)], aliases: ["layernorm"],
                                 summary: "layer normalization over the last dimension"),
        shape: .rule { op, x throws(ShapeError) in
            let t = try OpShapeRules.float("layer_norm", x[0])
            guard t.rank >= 2, t.shape[t.rank - 1].value != nil else {
                throw ShapeError("layer_norm needs a batched input with a fixed last dimension, but gets \(t)")
            }
            return t
        },
        cost: .rule { op, s in
            guard case .layerNorm(let a) = op, let d = s.inputs[0].shape.last?.value else { return nil }
            return OpCost.counts(params: a.affine ? OpCost.mul(2, d) : 0, flops: OpCost.mul(a.affine ? 7 : 5, s.outputElements))
        },
        gradient: .rule { op, b in
            guard case .layerNorm(let a) = op else { return }
            b.normalization(.layerNormGrad(a), affine: a.affine)
        },
        sample: .layerNorm(LayerNormAttrs(eps: 1e-6)))
}
