// WeightedSum: the supernet mixed value y = sum_k w[k] * x_k (DARTS mixed ops, weighted input choices) and its backward.

/// Weighted sum of equally sized tensors with a small weight vector. Element ranges are split over the workers;
/// the weight gradients are sums of fixed 4096-element blocks added in block order, so every thread count gives
/// the same bits.
public enum WeightedSum {
    /// Elements per block of the weight-gradient reduction (and fewest elements per worker).
    static let block = 4096

    /// `output = sum_k weights[k] * inputs[k]` over `count` floats each.
    public static func forward(inputs: [UnsafePointer<Float>], weights: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                               count: Int) {
        guard let first = inputs.first else { output.update(repeating: 0, count: count); return }
        Parallel.forEach(count, minChunk: 4 * block) { r in
            let w0 = weights[0]
            for i in r { output[i] = w0 * first[i] }
            for k in 1..<max(1, inputs.count) {
                let x = inputs[k], w = weights[k]
                for i in r { output[i] += w * x[i] }
            }
        }
    }

    /// Backward: `gradInputs[k] = weights[k] * gradOutput` (each written if given) and
    /// `gradWeights[k] = sum_i inputs[k][i] * gradOutput[i]` (if given; float dot products over 4096-element blocks,
    /// accumulated in double precision).
    public static func backward(inputs: [UnsafePointer<Float>], weights: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInputs: [UnsafeMutablePointer<Float>?], gradWeights: UnsafeMutablePointer<Float>?, count: Int) {
        let blocks = (count + block - 1) / block
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, blocks * inputs.count)) { partial in
            let partials = partial.baseAddress.unsafelyUnwrapped
            Parallel.forEach(blocks, minChunk: 4) { range in
                for b in range {
                    let lo = b * block, n = min(block, count - lo)
                    for (k, gx) in gradInputs.enumerated() {
                        guard let gx else { continue }
                        let w = weights[k]
                        for i in lo..<(lo + n) { gx[i] = w * gradOutput[i] }
                    }
                    if gradWeights != nil {
                        for (k, x) in inputs.enumerated() {
                            partials[k * blocks + b] = Double(ChannelReduce.rowDot(x + lo, gradOutput + lo, count: n))
                        }
                    }
                }
            }
            guard let gradWeights else { return }
            for k in inputs.indices {
                var s = 0.0
                for b in 0..<blocks { s += partials[k * blocks + b] }
                gradWeights[k] = Float(s)
            }
        }
    }
}
