// GlobalAvgPool: mean over all spatial positions of each channel (NCHW to NC), forward and backward.

/// Global average pooling: `[batch, channels, spatial]` to `[batch, channels]` (mean over H*W).
public enum GlobalAvgPool {
    /// Forward: `output[n, c] = mean(input[n, c, :])`.
    public static func forward(batch: Int, channels: Int, spatial: Int, input: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>) {
        let inv = 1 / Float(spatial)
        Parallel.forEach(batch * channels, minChunk: max(1, 32_768 / max(1, spatial))) { planes in
            for p in planes { output[p] = ChannelReduce.rowSum(input + p * spatial, count: spatial) * inv }
        }
    }

    /// Backward: `gradInput[n, c, i] (+)= gradOutput[n, c] / spatial`. Overwrites unless `accumulate`.
    public static func backward(batch: Int, channels: Int, spatial: Int, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let inv = 1 / Float(spatial)
        Parallel.forEach(batch * channels, minChunk: max(1, 32_768 / max(1, spatial))) { planes in
            for p in planes {
                let v = gradOutput[p] * inv, gin = gradInput + p * spatial
                if accumulate {
                    for i in 0..<spatial { gin[i] += v }
                } else {
                    gin.update(repeating: v, count: spatial)
                }
            }
        }
    }
}
