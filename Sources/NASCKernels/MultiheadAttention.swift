// MultiheadAttention: multi-head self-attention over [N,T,D] sequences (PyTorch nn.MultiheadAttention numerics,
// batch first, query = key = value), with an optional key padding mask from token ids, forward and backward on sgemm.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS

/// Geometry of a self-attention layer: `batch` sequences of `length` steps of `dim` features, split into `heads`
/// heads of `dim / heads` features.
public struct AttentionShape: Sendable, Hashable {
    public var batch: Int
    public var length: Int
    public var dim: Int
    public var heads: Int

    /// Creates a geometry.
    public init(batch: Int, length: Int, dim: Int, heads: Int) {
        self.batch = batch; self.length = length; self.dim = dim; self.heads = heads
    }

    /// Features per head.
    public var headDim: Int { dim / heads }
    /// True when every size is positive and `heads` divides `dim`.
    public var isValid: Bool { batch > 0 && length > 0 && dim > 0 && heads > 0 && dim % heads == 0 }
    /// Elements per sample of the saved projections `[T, 3D]`.
    public var qkvPerSample: Int { length * 3 * dim }
    /// Elements per sample of the saved attention probabilities `[H, T, T]`.
    public var probabilitiesPerSample: Int { heads * length * length }
    /// Elements per sample of the backward workspace: the context and projection gradients and the score gradients.
    public var workspacePerSample: Int { length * 4 * dim + heads * length * length }
}

/// Self-attention `y = out_proj(concat_h softmax(q_h k_h^T / sqrt(D/H) + mask) v_h)` with `[q | k | v] = x W_in^T + b_in`
/// (weights in PyTorch's layout: `in_proj_weight [3D, D]`, `in_proj_bias [3D]`, `out_proj.weight [D, D]`,
/// `out_proj.bias [D]`). With `ids` (`[N, T]`), keys whose id is `paddingID` get no attention (PyTorch's
/// `key_padding_mask`). A sequence whose keys are all padding attends to nothing: its context is 0 (PyTorch gives NaN).
public enum MultiheadAttention {
    /// Forward. Saves `qkv` (`[N, T, 3D]`), `probabilities` (`[N, H, T, T]`) and `context` (`[N, T, D]`, the heads'
    /// outputs before the output projection) for ``backward``.
    public static func forward(shape s: AttentionShape, input: UnsafePointer<Float>, ids: UnsafePointer<Int64>?,
                               paddingID: Int64 = 0, inWeight: UnsafePointer<Float>, inBias: UnsafePointer<Float>,
                               outWeight: UnsafePointer<Float>, outBias: UnsafePointer<Float>,
                               qkv: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>,
                               context: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let t0 = s.length, d = s.dim, hd = s.headDim, rows = s.batch * t0
        Linear.forward(shape: LinearShape(batch: rows, inFeatures: d, outFeatures: 3 * d), input: input, weight: inWeight,
                       bias: inBias, output: qkv)
        let scale = 1 / Float(hd).squareRoot()
        Parallel.forEach(s.batch * s.heads, minChunk: max(1, 32_768 / max(1, t0 * t0 * hd))) { pairs in
            for pair in pairs {
                let n = pair / s.heads, h = pair % s.heads
                let q = UnsafePointer(qkv + n * t0 * 3 * d + h * hd), k = q + d, v = q + 2 * d
                let p = probabilities + pair * t0 * t0
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t0), Int32(t0), Int32(hd), scale, q, Int32(3 * d),
                            k, Int32(3 * d), 0, p, Int32(t0))
                maskedSoftmax(p, length: t0, ids: ids.map { $0 + n * t0 }, paddingID: paddingID)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t0), Int32(hd), Int32(t0), 1, p, Int32(t0),
                            v, Int32(3 * d), 0, context + n * t0 * d + h * hd, Int32(d))
            }
        }
        Linear.forward(shape: LinearShape(batch: rows, inFeatures: d, outFeatures: d), input: context, weight: outWeight,
                       bias: outBias, output: output)
    }

    /// Row-wise softmax of the `[T, T]` scores in place, leaving out the keys (columns) whose id is padding.
    static func maskedSoftmax(_ p: UnsafeMutablePointer<Float>, length t0: Int, ids: UnsafePointer<Int64>?, paddingID: Int64) {
        if let ids {
            for j in 0..<t0 where ids[j] == paddingID {
                for i in 0..<t0 { p[i * t0 + j] = -.infinity }
            }
        }
        for i in 0..<t0 {
            let row = p + i * t0
            var m = -Float.infinity
            for j in 0..<t0 { m = max(m, row[j]) }
            guard m > -.infinity else { row.update(repeating: 0, count: t0); continue }
            var sum: Float = 0
            for j in 0..<t0 { let e = expf(row[j] - m); row[j] = e; sum += e }
            let inv = 1 / sum
            for j in 0..<t0 { row[j] *= inv }
        }
    }

    /// Backward: the gradients of the input and of the four parameters from `gradOutput` (`[N, T, D]`) and what
    /// ``forward`` saved. `workspace` holds ``AttentionShape/workspacePerSample`` floats per sample. Overwrites every
    /// gradient.
    public static func backward(shape s: AttentionShape, input: UnsafePointer<Float>, inWeight: UnsafePointer<Float>,
                                outWeight: UnsafePointer<Float>, qkv: UnsafePointer<Float>, probabilities: UnsafePointer<Float>,
                                context: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>, gradInWeight: UnsafeMutablePointer<Float>,
                                gradInBias: UnsafeMutablePointer<Float>, gradOutWeight: UnsafeMutablePointer<Float>,
                                gradOutBias: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>) {
        let t0 = s.length, d = s.dim, hd = s.headDim, rows = s.batch * t0
        let gradContext = workspace, gradQKV = workspace + rows * d, gradScores = gradQKV + rows * 3 * d
        let outShape = LinearShape(batch: rows, inFeatures: d, outFeatures: d)
        Linear.backwardInput(shape: outShape, gradOutput: gradOutput, weight: outWeight, gradInput: gradContext)
        Linear.backwardWeight(shape: outShape, input: context, gradOutput: gradOutput, gradWeight: gradOutWeight)
        Linear.backwardBias(shape: outShape, gradOutput: gradOutput, gradBias: gradOutBias)
        let scale = 1 / Float(hd).squareRoot()
        Parallel.forEach(s.batch * s.heads, minChunk: max(1, 32_768 / max(1, t0 * t0 * hd))) { pairs in
            for pair in pairs {
                let n = pair / s.heads, h = pair % s.heads
                let q = qkv + n * t0 * 3 * d + h * hd, k = q + d, v = q + 2 * d
                let gq = gradQKV + n * t0 * 3 * d + h * hd, gk = gq + d, gv = gq + 2 * d
                let gc = UnsafePointer(gradContext + n * t0 * d + h * hd)
                let p = probabilities + pair * t0 * t0, gs = gradScores + pair * t0 * t0
                // d(probabilities) = gc v^T; d(v) = p^T gc.
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t0), Int32(t0), Int32(hd), 1, gc, Int32(d),
                            v, Int32(3 * d), 0, gs, Int32(t0))
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(t0), Int32(hd), Int32(t0), 1, p, Int32(t0),
                            gc, Int32(d), 0, gv, Int32(3 * d))
                // Through the softmax (masked keys have probability 0, so their score gradient is 0), in place.
                Softmax.backward(rows: t0, columns: t0, output: p, gradOutput: gs, gradInput: gs)
                // d(q) = scale * gs k; d(k) = scale * gs^T q.
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t0), Int32(hd), Int32(t0), scale, gs, Int32(t0),
                            k, Int32(3 * d), 0, gq, Int32(3 * d))
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(t0), Int32(hd), Int32(t0), scale, gs, Int32(t0),
                            q, Int32(3 * d), 0, gk, Int32(3 * d))
            }
        }
        let inShape = LinearShape(batch: rows, inFeatures: d, outFeatures: 3 * d)
        Linear.backwardInput(shape: inShape, gradOutput: gradQKV, weight: inWeight, gradInput: gradInput)
        Linear.backwardWeight(shape: inShape, input: input, gradOutput: gradQKV, gradWeight: gradInWeight)
        Linear.backwardBias(shape: inShape, gradOutput: gradQKV, gradBias: gradInBias)
    }
}
