// ChannelConcat: concatenation and split along the channel axis of NCHW tensors (each the other's backward).

/// Concatenation / split along channels: part `k` is `[batch, channels[k], spatial]`, the whole is
/// `[batch, sum(channels), spatial]`. `split` is the backward of `concat` and vice versa.
public enum ChannelConcat {
    /// Total channel count of the parts.
    public static func totalChannels(_ channels: [Int]) -> Int { channels.reduce(0, +) }

    /// Concatenates `inputs` (one pointer per part) into `output`.
    public static func concat(_ inputs: [UnsafePointer<Float>], channels: [Int], batch: Int, spatial: Int,
                              output: UnsafeMutablePointer<Float>) {
        let total = totalChannels(channels)
        for n in 0..<batch {
            var offset = 0
            for k in 0..<inputs.count {
                let size = channels[k] * spatial
                (output + (n * total) * spatial + offset).update(from: inputs[k] + n * size, count: size)
                offset += size
            }
        }
    }

    /// Splits `input` into `outputs` (one pointer per part). Overwrites each part unless `accumulate`.
    public static func split(_ input: UnsafePointer<Float>, channels: [Int], batch: Int, spatial: Int,
                             outputs: [UnsafeMutablePointer<Float>], accumulate: Bool = false) {
        let total = totalChannels(channels)
        for n in 0..<batch {
            var offset = 0
            for k in 0..<outputs.count {
                let size = channels[k] * spatial
                Elementwise.copyOrAccumulate(input + (n * total) * spatial + offset, into: outputs[k] + n * size,
                                             count: size, accumulate: accumulate)
                offset += size
            }
        }
    }

    /// Backward of `concat`: splits `gradOutput` into the parts' gradients.
    public static func concatBackward(gradOutput: UnsafePointer<Float>, channels: [Int], batch: Int, spatial: Int,
                                      gradInputs: [UnsafeMutablePointer<Float>], accumulate: Bool = false) {
        split(gradOutput, channels: channels, batch: batch, spatial: spatial, outputs: gradInputs, accumulate: accumulate)
    }

    /// Backward of `split`: concatenates the parts' gradients.
    public static func splitBackward(gradOutputs: [UnsafePointer<Float>], channels: [Int], batch: Int, spatial: Int,
                                     gradInput: UnsafeMutablePointer<Float>) {
        concat(gradOutputs, channels: channels, batch: batch, spatial: spatial, output: gradInput)
    }
}
