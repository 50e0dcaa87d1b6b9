// WeightedSum: the supernet mixed value y = sum_k w[k] * x_k (DARTS mixed ops, weighted input choices) and its backward.

/// Weighted sum of equally sized tensors with a small weight vector.
public enum WeightedSum {
    /// `output = sum_k weights[k] * inputs[k]` over `count` floats each.
    public static func forward(inputs: [UnsafePointer<Float>], weights: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                               count: Int) {
        guard let first = inputs.first else { output.update(repeating: 0, count: count); return }
        let w0 = weights[0]
        for i in 0..<count { output[i] = w0 * first[i] }
        for k in 1..<max(1, inputs.count) {
            let x = inputs[k], w = weights[k]
            for i in 0..<count { output[i] += w * x[i] }
        }
    }

    /// Backward: `gradInputs[k] = weights[k] * gradOutput` (each written if given) and
    /// `gradWeights[k] = sum_i inputs[k][i] * gradOutput[i]` (if given; accumulated in double precision).
    public static func backward(inputs: [UnsafePointer<Float>], weights: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInputs: [UnsafeMutablePointer<Float>?], gradWeights: UnsafeMutablePointer<Float>?, count: Int) {
        for (k, gx) in gradInputs.enumerated() {
            guard let gx else { continue }
            let w = weights[k]
            for i in 0..<count { gx[i] = w * gradOutput[i] }
        }
        guard let gradWeights else { return }
        for (k, x) in inputs.enumerated() {
            var s = 0.0
            for i in 0..<count { s += Double(x[i]) * Double(gradOutput[i]) }
            gradWeights[k] = Float(s)
        }
    }
}
