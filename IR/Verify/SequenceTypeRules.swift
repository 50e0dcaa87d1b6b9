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

/// A sequence-op type error message.
package struct SequenceTypeError: Error, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
}
