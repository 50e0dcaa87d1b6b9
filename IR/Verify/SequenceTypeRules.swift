// SequenceTypeRules: the type rules of the sequence ops (embedding, pooling over time), shared by the front end's
// static checker and shape inference so both accept the same graphs and word errors the same way.

extension TypeRules {
    /// `embedding` reads token ids `i64[N, T]`; `nil` when `ids` is such a tensor, else the error.
    package static func embeddingInputProblem(_ ids: TensorType) -> String? {
        guard ids.dtype == .i64 else {
            return "embedding needs token ids (i64[N,T]), but gets \(ids)"
        }
        guard ids.rank == 2, ids.shape[1].value != nil else {
            return "embedding needs token ids i64[N,T] with a fixed length T, but gets \(ids)"
        }
        return nil
    }

    /// `embedding` output: `f32[N, T, dim]`.
    package static func embeddingOutput(_ ids: TensorType, dim: Int) -> TensorType {
        TensorType(.f32, [ids.shape[0], ids.shape[1], .fixed(dim)])
    }

    /// `global_max_pool1d` / `global_avg_pool1d`: a sequence `f32[N, T, D]` and optionally its token ids `i64[N, T]`
    /// (the padding mask). Returns the output type `f32[N, D]`, or the error.
    package static func sequencePoolOutput(_ op: String, _ inputs: [TensorType]) -> Result<TensorType, SequenceTypeError> {
        guard let x = inputs.first, inputs.count <= 2 else {
            return .failure(SequenceTypeError("\(op) takes a sequence and optionally its token ids, got \(inputs.count) inputs"))
        }
        guard x.dtype == .f32, x.rank == 3, let t = x.shape[1].value, x.shape[2].value != nil else {
            return .failure(SequenceTypeError("\(op) needs a sequence f32[N,T,D] with fixed T and D, but gets \(x)"))
        }
        if inputs.count == 2 {
            let ids = inputs[1]
            guard ids.dtype == .i64, ids.rank == 2, ids.shape[1].value == t else {
                return .failure(SequenceTypeError("\(op) masks with token ids i64[N,\(t)], but gets \(ids)"))
            }
        }
        return .success(TensorType(.f32, [x.shape[0], x.shape[2]]))
    }
}

extension TypeRules {
    /// `multihead_attention`: a sequence `f32[N, T, D]`, optionally its token ids `i64[N, T]` (the key padding mask),
    /// then — once explicit — `in_proj_weight [3D, D]`, `in_proj_bias [3D]`, `out_proj.weight [D, D]`,
    /// `out_proj.bias [D]`. `heads` (`nil` while it reads a value choice) must divide `D`. Returns `f32[N, T, D]`.
    package static func attentionOutput(_ inputs: [TensorType], heads: Int?) -> Result<TensorType, SequenceTypeError> {
        guard let x = inputs.first else { return .failure(SequenceTypeError("multihead_attention takes a sequence")) }
        guard x.dtype == .f32, x.rank == 3, let t = x.shape[1].value, let d = x.shape[2].value else {
            return .failure(SequenceTypeError("multihead_attention needs a sequence f32[N,T,D] with fixed T and D, but gets \(x)"))
        }
        var rest = inputs.dropFirst()
        // One input more than the (0 or 4) parameters: the token ids.
        if rest.count == 1 || rest.count == 5, let ids = rest.first {
            guard ids.dtype == .i64, ids.rank == 2, ids.shape[1].value == t else {
                return .failure(SequenceTypeError("multihead_attention masks with token ids i64[N,\(t)], but gets \(ids)"))
            }
            rest = rest.dropFirst()
        }
        let params: [[Int]] = [[3 * d, d], [3 * d], [d, d], [d]]
        if !rest.isEmpty {
            guard rest.count == params.count,
                  zip(rest, params).allSatisfy({ $0.dtype == .f32 && $0.shape.map(\.value) == $1.map { Optional($0) } }) else {
                return .failure(SequenceTypeError("multihead_attention takes a sequence, optionally its token ids, and its 4 parameters "
                                                  + "[\(3 * d),\(d)], [\(3 * d)], [\(d),\(d)], [\(d)]; got \(inputs.count) inputs"))
            }
        }
        if let h = heads, h < 1 || d % h != 0 {
            return .failure(SequenceTypeError("multihead_attention with \(h) heads: the head count does not divide the model dimension \(d)"))
        }
        return .success(x)
    }
}

/// A sequence-op type error message.
package struct SequenceTypeError: Error, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
}
