// LayerNorm: layer normalization over the last dimension, forward and backward.

/// Geometry of a layer normalization: `rows` independent vectors of `features` values (the last dimension).
public struct LayerNormShape: Sendable, Equatable, Hashable {
    /// Number of independent rows.
    public var rows: Int
    /// Length of the normalized last dimension.
    public var features: Int

    /// Creates a layer-norm geometry.
    public init(rows: Int, features: Int) {
        self.rows = rows
        self.features = features
    }

    /// True when both sizes are positive.
    public var isValid: Bool { rows > 0 && features > 0 }
}

/// Layer normalization with PyTorch semantics: per row, `y = (x - mean) / sqrt(var + eps) * gamma + beta`
/// with the biased variance; `gamma`/`beta` (`[features]`) may be nil.
public enum LayerNorm {
    /// Forward. Writes each row's mean and `1 / sqrt(var + eps)` to `savedMean`/`savedInvStd` (`[rows]`).
    public static func forward(shape s: LayerNormShape, input: UnsafePointer<Float>,
                               gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?, epsilon: Float,
                               output: UnsafeMutablePointer<Float>,
                               savedMean: UnsafeMutablePointer<Float>, savedInvStd: UnsafeMutablePointer<Float>) {
        let d = s.features
        for r in 0..<s.rows {
            let x = input + r * d, y = output + r * d
            let mean = ChannelReduce.rowSum(x, count: d) / Float(d)
            let variance = ChannelReduce.rowSquaredDeviation(x, center: mean, count: d) / Float(d)
            let invStd = 1 / (variance + epsilon).squareRoot()
            savedMean[r] = mean
            savedInvStd[r] = invStd
            for i in 0..<d {
                let xhat = (x[i] - mean) * invStd
                y[i] = xhat * (gamma?[i] ?? 1) + (beta?[i] ?? 0)
            }
        }
    }

    /// Backward: `dx = invStd * (g - mean(g) - xhat * mean(g * xhat))` with `g = dy * gamma`,
    /// `dgamma = sum over rows of dy * xhat`, `dbeta = sum over rows of dy`. Overwrites all outputs given.
    public static func backward(shape s: LayerNormShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gamma: UnsafePointer<Float>?,
                                savedMean: UnsafePointer<Float>, savedInvStd: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>,
                                gradGamma: UnsafeMutablePointer<Float>?, gradBeta: UnsafeMutablePointer<Float>?) {
        let d = s.features
        gradGamma?.update(repeating: 0, count: d)
        gradBeta?.update(repeating: 0, count: d)
        for r in 0..<s.rows {
            let x = input + r * d, dy = gradOutput + r * d, dx = gradInput + r * d
            let mean = savedMean[r], invStd = savedInvStd[r]
            var sumG: Float = 0, sumGX: Float = 0
            for i in 0..<d {
                let g = dy[i] * (gamma?[i] ?? 1)
                sumG += g
                sumGX += g * (x[i] - mean) * invStd
            }
            let meanG = sumG / Float(d), meanGX = sumGX / Float(d)
            for i in 0..<d {
                let xhat = (x[i] - mean) * invStd
                let g = dy[i] * (gamma?[i] ?? 1)
                dx[i] = invStd * (g - meanG - xhat * meanGX)
                if let gradGamma { gradGamma[i] += dy[i] * xhat }
                if let gradBeta { gradBeta[i] += dy[i] }
            }
        }
    }
}
