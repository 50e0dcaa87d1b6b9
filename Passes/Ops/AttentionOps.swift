// AttentionOps: the op-table entries of multi-head self-attention over `[N,T,D]` sequences and its backward op.
import NASCIR

extension OpTable {
    /// PyTorch `nn.MultiheadAttention(D, heads, batch_first=True)` as self-attention (query = key = value); `(h, ids)`
    /// masks padding keys. Parameters `4D^2 + 4D`; MACs: the projections `4 T D^2` and the scores and mix `2 T^2 D`;
    /// FLOPs twice the MACs plus biases and the softmax (about 5 per score).
    static let multiheadAttention = OpDefinition(
        .multiheadAttention,
        language: OpLanguageForm([AttrSpec("heads", .expr, required: true)], positional: ["heads"],
                                 summary: "multi-head self-attention over [N,T,D]; (h, ids) masks padding keys"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .multiheadAttention(let a) = op else { return nil }
            let h = try AttributeValues.int(a.heads, "heads", of: "multihead_attention", atLeast: 1)
            switch TypeRules.attentionOutput(x, heads: h) {
            case .success(let t): return t
            case .failure(let e):
                throw ShapeError(e.message, hint: e.message.contains("does not divide") ? "choose head counts that divide the model dimension" : nil)
            }
        },
        cost: .rule { op, s in
            guard case .multiheadAttention(let a) = op, let h = a.heads.constantInt, s.inputs[0].rank == 3,
                  let t = s.inputs[0].shape[1].value, let d = s.inputs[0].shape[2].value else { return nil }
            let macs = OpCost.add(OpCost.mul(4, t, d, d), OpCost.mul(2, t, t, d))
            let extra = OpCost.add(OpCost.mul(4, t, d), OpCost.mul(5, h, t, t))
            return OpCost.counts(params: OpCost.add(OpCost.mul(4, d, d), OpCost.mul(4, d)), macs: macs,
                                 flops: OpCost.add(OpCost.mul(2, macs), extra))
        },
        gradient: .rule { op, b in
            guard case .multiheadAttention(let a) = op else { return }
            // Inputs: x, [ids], in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias.
            let ins = b.node.inputs
            let masked = ins.count == 6
            let p = masked ? 2 : 1
            let r = b.emit("grad", .multiheadAttentionGrad(a),
                           [ins[0], b.output, b.gradOutput] + (masked ? [ins[1]] : []) + [ins[p], ins[p + 2]],
                           [b.inputType(0), b.inputType(p), b.inputType(p + 1), b.inputType(p + 2), b.inputType(p + 3)])
            if b.needsGradient(0) { b.give(0, r) }
            for k in 0..<4 where b.needsGradient(p + k) { b.give(p + k, ValueRef(r.node, slot: k + 1)) }
        },
        sample: .multiheadAttention(AttentionAttrs(heads: .int(4))))

    /// The parameters of an attention layer over model dimension `d`, named `<prefix>.in_proj_weight` ... in PyTorch's
    /// layout, with its initializers: in_proj_weight Xavier-uniform (bound sqrt(6 / (D + 3D)) = 1/sqrt(2D/3)),
    /// in_proj_bias and out_proj.bias zeros, out_proj.weight like a linear layer's. Explicit params and the supernet
    /// (head-count choices share one set) both make them here.
    static func attentionParameters(_ prefix: String, dim d: Int) -> [ParamAttrs] {
        [ParamAttrs(name: "\(prefix).in_proj_weight", shape: [3 * d, d], initializer: .fanInUniform(fanIn: max(1, 2 * d / 3))),
         ParamAttrs(name: "\(prefix).in_proj_bias", shape: [3 * d], initializer: .zeros),
         ParamAttrs(name: "\(prefix).out_proj.weight", shape: [d, d], initializer: .kaimingUniform(fanIn: d)),
         ParamAttrs(name: "\(prefix).out_proj.bias", shape: [d], initializer: .zeros)]
    }

    static let multiheadAttentionGrad = backward(.multiheadAttentionGrad(AttentionAttrs(heads: .int(4))))
}
