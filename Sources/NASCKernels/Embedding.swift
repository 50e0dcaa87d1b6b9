// Embedding: a table lookup from token ids to rows of a weight matrix, forward and backward (PyTorch nn.Embedding).

/// Embedding lookup: `ids` (`count` int64 token ids) to `count` rows of `dim` floats taken from `weight`
/// (`[vocab, dim]`, row-major).
public enum Embedding {
    /// Forward: `output[i, :] = weight[ids[i], :]`.
    ///
    /// - Throws: ``KernelError/tokenOutOfRange(index:token:vocab:)`` for an id outside `0..<vocab` (nothing is read
    ///   out of bounds; the output is unspecified then).
    public static func forward(count: Int, vocab: Int, dim: Int, ids: UnsafePointer<Int64>, weight: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>) throws(KernelError) {
        for i in 0..<count where ids[i] < 0 || ids[i] >= Int64(vocab) {
            throw KernelError.tokenOutOfRange(index: i, token: ids[i], vocab: vocab)
        }
        Parallel.forEach(count, minChunk: max(1, 16_384 / max(1, dim))) { rows in
            for i in rows { (output + i * dim).update(from: weight + Int(ids[i]) * dim, count: dim) }
        }
    }

    /// Backward: `gradWeight[ids[i], :] += gradOutput[i, :]` over every position (rows never looked up get 0).
    /// Overwrites `gradWeight` unless `accumulate`. Ids must be valid (``forward`` checked them).
    public static func backward(count: Int, vocab: Int, dim: Int, ids: UnsafePointer<Int64>, gradOutput: UnsafePointer<Float>,
                                gradWeight: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        if !accumulate { gradWeight.update(repeating: 0, count: vocab * dim) }
        // Columns are independent: split the embedding dimension so two workers never add into the same element.
        Parallel.forEach(dim, minChunk: max(1, 4_096 / max(1, count))) { cols in
            for i in 0..<count {
                let g = gradOutput + i * dim, w = gradWeight + Int(ids[i]) * dim
                for j in cols { w[j] += g[j] }
            }
        }
    }
}
