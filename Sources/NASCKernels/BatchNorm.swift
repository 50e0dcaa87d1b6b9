// BatchNorm: batch normalization over NCHW (or NC) tensors, training and eval mode, forward and backward.

/// Geometry of a batch normalization: input `[batch, channels, spatial]` where `spatial = H * W`
/// (use 1 for `[N, C]` inputs). Statistics are per channel over `batch * spatial` values.
public struct BatchNormShape: Sendable, Equatable, Hashable {
    /// Batch size (N).
    public var batch: Int
    /// Channels (C).
    public var channels: Int
    /// Spatial positions per channel (H * W; 1 for `[N, C]`).
    public var spatial: Int

    /// Creates a batch-norm geometry.
    public init(batch: Int, channels: Int, spatial: Int) {
        self.batch = batch
        self.channels = channels
        self.spatial = spatial
    }

    /// Values per channel (`batch * spatial`).
    public var valuesPerChannel: Int { batch * spatial }
    /// Number of floats in the tensor.
    public var count: Int { batch * channels * spatial }
    /// True when all sizes are positive.
    public var isValid: Bool { batch > 0 && channels > 0 && spatial > 0 }
}

/// Batch normalization with PyTorch semantics: `y = (x - mean) / sqrt(var + eps) * gamma + beta`.
/// Training mode normalizes with the biased batch variance and updates running statistics as
/// `running = (1 - momentum) * running + momentum * batchStat`, using the unbiased variance
/// (`M / (M - 1)`, `M = batch * spatial`; when `M == 1` the biased one) for `runningVar`.
/// `gamma`/`beta` may be nil (no affine transform: gamma 1, beta 0).
public enum BatchNorm {
    /// Training-mode forward. Writes the batch mean and `1 / sqrt(var + eps)` per channel to
    /// `savedMean`/`savedInvStd` (needed by `backwardTraining`) and updates the running statistics if given.
    public static func forwardTraining(shape s: BatchNormShape, input: UnsafePointer<Float>,
                                       gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?,
                                       output: UnsafeMutablePointer<Float>,
                                       runningMean: UnsafeMutablePointer<Float>?, runningVar: UnsafeMutablePointer<Float>?,
                                       momentum: Float, epsilon: Float,
                                       savedMean: UnsafeMutablePointer<Float>, savedInvStd: UnsafeMutablePointer<Float>) {
        let m = s.valuesPerChannel, hw = s.spatial
        Parallel.forEach(s.channels, minChunk: minChannels(s)) { channels in for c in channels {
            var total: Double = 0
            for n in 0..<s.batch { total += Double(ChannelReduce.rowSum(input + (n * s.channels + c) * hw, count: hw)) }
            let mean = Float(total / Double(m))
            var sq: Double = 0
            for n in 0..<s.batch {
                sq += Double(ChannelReduce.rowSquaredDeviation(input + (n * s.channels + c) * hw, center: mean, count: hw))
            }
            let variance = sq / Double(m)
            let invStd = Float(1 / (variance + Double(epsilon)).squareRoot())
            savedMean[c] = mean
            savedInvStd[c] = invStd
            if let runningMean { runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean }
            if let runningVar {
                let unbiased = m > 1 ? sq / Double(m - 1) : variance
                runningVar[c] = (1 - momentum) * runningVar[c] + momentum * Float(unbiased)
            }
            let scale = invStd * (gamma?[c] ?? 1)
            let shift = (beta?[c] ?? 0) - mean * scale
            for n in 0..<s.batch {
                let x = input + (n * s.channels + c) * hw, y = output + (n * s.channels + c) * hw
                for i in 0..<hw { y[i] = x[i] * scale + shift }
            }
        } }
    }

    /// Eval-mode forward with the running statistics.
    public static func forwardInference(shape s: BatchNormShape, input: UnsafePointer<Float>,
                                        gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?,
                                        runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                                        epsilon: Float, output: UnsafeMutablePointer<Float>) {
        let hw = s.spatial
        Parallel.forEach(s.channels, minChunk: minChannels(s)) { channels in for c in channels {
            let invStd = 1 / (runningVar[c] + epsilon).squareRoot()
            let scale = invStd * (gamma?[c] ?? 1)
            let shift = (beta?[c] ?? 0) - runningMean[c] * scale
            for n in 0..<s.batch {
                let x = input + (n * s.channels + c) * hw, y = output + (n * s.channels + c) * hw
                for i in 0..<hw { y[i] = x[i] * scale + shift }
            }
        } }
    }

    /// Training-mode backward (batch statistics depend on the input):
    /// `dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))`, `dgamma = sum(dy * xhat)`, `dbeta = sum(dy)`.
    /// Overwrites `gradInput`, `gradGamma` and `gradBeta`.
    public static func backwardTraining(shape s: BatchNormShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                        gamma: UnsafePointer<Float>?,
                                        savedMean: UnsafePointer<Float>, savedInvStd: UnsafePointer<Float>,
                                        gradInput: UnsafeMutablePointer<Float>,
                                        gradGamma: UnsafeMutablePointer<Float>?, gradBeta: UnsafeMutablePointer<Float>?) {
        let m = Double(s.valuesPerChannel), hw = s.spatial
        Parallel.forEach(s.channels, minChunk: minChannels(s)) { channels in for c in channels {
            let mean = savedMean[c], invStd = savedInvStd[c]
            var sumG: Double = 0, sumGX: Double = 0
            for n in 0..<s.batch {
                let off = (n * s.channels + c) * hw
                sumG += Double(ChannelReduce.rowSum(gradOutput + off, count: hw))
                sumGX += Double(ChannelReduce.rowCenteredDot(gradOutput + off, input + off, center: mean, count: hw))
            }
            let sumGXhat = sumGX * Double(invStd)
            gradGamma?[c] = Float(sumGXhat)
            gradBeta?[c] = Float(sumG)
            let k = invStd * (gamma?[c] ?? 1)
            let meanG = Float(sumG / m)
            // dx = k * (dy - meanG - (x - mean) * invStd * sumGXhat / M)
            let coefX = Float(sumGXhat / m) * invStd
            for n in 0..<s.batch {
                let off = (n * s.channels + c) * hw
                let x = input + off, g = gradOutput + off, dx = gradInput + off
                for i in 0..<hw { dx[i] = k * (g[i] - meanG - (x[i] - mean) * coefX) }
            }
        } }
    }

    /// Eval-mode backward (running statistics are constants): `dx = dy * gamma / sqrt(runningVar + eps)`,
    /// `dgamma = sum(dy * xhat)`, `dbeta = sum(dy)`. Overwrites all outputs given.
    public static func backwardInference(shape s: BatchNormShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                         gamma: UnsafePointer<Float>?,
                                         runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>, epsilon: Float,
                                         gradInput: UnsafeMutablePointer<Float>,
                                         gradGamma: UnsafeMutablePointer<Float>?, gradBeta: UnsafeMutablePointer<Float>?) {
        let hw = s.spatial
        Parallel.forEach(s.channels, minChunk: minChannels(s)) { channels in for c in channels {
            let invStd = 1 / (runningVar[c] + epsilon).squareRoot()
            let k = invStd * (gamma?[c] ?? 1)
            var sumG: Double = 0, sumGX: Double = 0
            for n in 0..<s.batch {
                let off = (n * s.channels + c) * hw
                let g = gradOutput + off, dx = gradInput + off
                for i in 0..<hw { dx[i] = g[i] * k }
                sumG += Double(ChannelReduce.rowSum(g, count: hw))
                sumGX += Double(ChannelReduce.rowCenteredDot(g, input + off, center: runningMean[c], count: hw))
            }
            gradGamma?[c] = Float(sumGX) * invStd
            gradBeta?[c] = Float(sumG)
        } }
    }

    /// Fewest channels per worker: enough values (~32k) to pay for waking a worker.
    @inline(__always) static func minChannels(_ s: BatchNormShape) -> Int { max(1, 32_768 / max(1, s.valuesPerChannel)) }
}
