// WeightedSum: the supernet mixed value y = sum_k w[k] * x_k (DARTS mixed ops, weighted input choices) and its backward.

/// Weighted sum of equally sized tensors with a small weight vector. Element ranges are split over the workers;
/// the weight gradients are sums of fixed 4096-element blocks added in block order, so every thread count gives
/// the same bits.
///
/// `live` marks the terms to compute (bit `k` = term `k`; terms `k >= 64` are always live): a dead term (an
/// inactive supernet candidate, whose input buffer is stale) is neither read nor written, as if its weight were 0.
public enum WeightedSum {
    /// Elements per block of the weight-gradient reduction (and fewest elements per worker).
    static let block = 4096

    /// Whether term `k` is live in mask `live` (terms `k >= 64` always are).
    @inline(__always) public static func isLive(_ live: UInt64, _ k: Int) -> Bool { k >= 64 || live & (UInt64(1) << UInt64(k)) != 0 }

    /// `output = sum_k weights[k] * inputs[k]` over `count` floats each, over the live terms (zeros if none is live).
    public static func forward(inputs: [UnsafePointer<Float>], weights: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                               count: Int, live: UInt64 = ~0) {
        guard let first = inputs.indices.first(where: { isLive(live, $0) }) else { output.update(repeating: 0, count: count); return }
        Parallel.forEach(count, minChunk: 4 * block) { r in
            let x0 = inputs[first], w0 = weights[first]
            for i in r { output[i] = w0 * x0[i] }
            for k in (first + 1)..<max(first + 1, inputs.count) where isLive(live, k) {
                let x = inputs[k], w = weights[k]
                for i in r { output[i] += w * x[i] }
            }
        }
    }

    /// Backward: `gradInputs[k] = weights[k] * gradOutput` (each written if given) and
    /// `gradWeights[k] = sum_i inputs[k][i] * gradOutput[i]` (if given; float dot products over 4096-element blocks,
    /// accumulated in double precision), for the live terms. A dead term gets `gradWeights[k] = 0`; its
    /// `gradInputs[k]` is left alone unless its bit in `zeroDead` is set (then it is zero-filled, for buffers read
    /// by steps that run whatever the term's guard).
    public static func backward(inputs: [UnsafePointer<Float>], weights: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInputs: [UnsafeMutablePointer<Float>?], gradWeights: UnsafeMutablePointer<Float>?, count: Int,
                                live: UInt64 = ~0, zeroDead: UInt64 = 0) {
        let blocks = (count + block - 1) / block
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, blocks * inputs.count)) { partial in
            let partials = partial.baseAddress.unsafelyUnwrapped
            Parallel.forEach(blocks, minChunk: 4) { range in
                for b in range {
                    let lo = b * block, n = min(block, count - lo)
                    for (k, gx) in gradInputs.enumerated() {
                        guard let gx else { continue }
                        if !isLive(live, k) {
                            if zeroDead & (UInt64(1) << UInt64(k)) != 0 { (gx + lo).update(repeating: 0, count: n) }
                            continue
                        }
                        let w = weights[k]
                        for i in lo..<(lo + n) { gx[i] = w * gradOutput[i] }
                    }
                    if gradWeights != nil {
                        for (k, x) in inputs.enumerated() where isLive(live, k) {
                            partials[k * blocks + b] = Double(ChannelReduce.rowDot(x + lo, gradOutput + lo, count: n))
                        }
                    }
                }
            }
            guard let gradWeights else { return }
            for k in inputs.indices {
                guard isLive(live, k) else { gradWeights[k] = 0; continue }
                var s = 0.0
                for b in 0..<blocks { s += partials[k * blocks + b] }
                gradWeights[k] = Float(s)
            }
        }
    }
}
