// SequenceOps: the op-table entries of the sequence ops — embedding and the pools over time (padding masked) —
// and their backward ops. Sequences are batch first, `[N,T,D]`.
import NASCIR

extension OpTable {
    /// Token ids `i64[N,T]` to rows of a `[vocab, dim]` table, `f32[N,T,dim]` (PyTorch `nn.Embedding`); a lookup: no
    /// MACs, `vocab * dim` parameters.
    static let embedding = OpDefinition(
        .embedding,
        language: OpLanguageForm([AttrSpec("vocab", .constInt, required: true), AttrSpec("dim", .expr, required: true)],
                                 positional: ["vocab", "dim"], summary: "token ids i64[N,T] to learned vectors f32[N,T,dim]"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .embedding(let a) = op else { return nil }
            if let m = TypeRules.embeddingInputProblem(x[0]) {
                throw ShapeError(m, hint: x[0].dtype == .f32 ? "declare the space input as token ids, e.g. input x: i64[64]" : nil)
            }
            _ = try AttributeValues.int(a.vocab, "vocab", of: "embedding", atLeast: 1)
            guard let d = try AttributeValues.int(a.dim, "dim", of: "embedding", atLeast: 1) else { return nil }
            return TypeRules.embeddingOutput(x[0], dim: d)
        },
        cost: .rule { op, _ in
            guard case .embedding(let a) = op, let v = a.vocab.constantInt, let d = a.dim.constantInt else { return nil }
            return OpCost.counts(params: OpCost.mul(v, d), flops: 0)
        },
        gradient: .rule { op, b in
            guard case .embedding(let a) = op, b.needsGradient(1) else { return }
            b.give(1, b.emit("grad_weight", .embeddingGrad(a), [b.node.inputs[0], b.gradOutput], [b.inputType(1)]))
        },
        sample: .embedding(EmbeddingAttrs(vocab: .int(1000), dim: .int(16))))

    /// The shape rule of both pools over time: `[N,T,D]` (and optionally its ids `i64[N,T]`) to `[N,D]`.
    static let sequencePoolShape = ShapeRule.rule { op, x throws(ShapeError) in
        switch TypeRules.sequencePoolOutput(op.kind.rawValue, x) {
        case .success(let t): return t
        case .failure(let e): throw ShapeError(e.message)
        }
    }

    /// Max over time; 1 FLOP per input element.
    static let globalMaxPool1d = OpDefinition(
        .globalMaxPool1d,
        language: OpLanguageForm(summary: "max over time: [N,T,D] to [N,D]; (h, ids) skips padding tokens"),
        shape: sequencePoolShape,
        cost: .rule { _, s in OpCost.counts(flops: s.inputElements) },
        gradient: .rule { _, b in b.unary(.globalMaxPool1dGrad, [b.output, b.gradOutput] + b.node.inputs.dropFirst()) },
        sample: .globalMaxPool1d)

    /// Mean over time (over the real tokens when the ids are given); 1 FLOP per input element.
    static let globalAvgPool1d = OpDefinition(
        .globalAvgPool1d,
        language: OpLanguageForm(summary: "mean over time: [N,T,D] to [N,D]; (h, ids) skips padding tokens"),
        shape: sequencePoolShape,
        cost: .rule { _, s in OpCost.counts(flops: s.inputElements) },
        gradient: .rule { _, b in b.unary(.globalAvgPool1dGrad, [b.gradOutput] + b.node.inputs.dropFirst()) },
        sample: .globalAvgPool1d)

    static let embeddingGrad = backward(.embeddingGrad(EmbeddingAttrs(vocab: .int(1000), dim: .int(16))))
    static let globalMaxPool1dGrad = backward(.globalMaxPool1dGrad)
    static let globalAvgPool1dGrad = backward(.globalAvgPool1dGrad)
}
