// Dropout: seeded (counter-based) dropout masks with inverted scaling, forward and backward.

/// Dropout with inverted scaling: kept elements are multiplied by `1 / (1 - p)`, dropped ones are 0.
/// The mask is a pure function of `(seed, index)` (SplitMix64 of `seed + index`), so the same seed
/// reproduces the same mask on any thread layout. Backward multiplies by the same mask.
public enum Dropout {
    /// Fills `mask` with `0` (dropped, with probability `p`) or `1 / (1 - p)` (kept).
    /// `p <= 0` keeps everything (mask 1); `p >= 1` drops everything (mask 0).
    public static func makeMask(probability p: Float, seed: UInt64, mask: UnsafeMutablePointer<Float>, count: Int) {
        if p <= 0 { mask.update(repeating: 1, count: count); return }
        if p >= 1 { mask.update(repeating: 0, count: count); return }
        let scale = 1 / (1 - p)
        // Compare 24 random bits against p * 2^24.
        let threshold = UInt64((Double(p) * 16_777_216).rounded())
        for i in 0..<count {
            let r = splitMix64(seed &+ UInt64(i)) >> 40
            mask[i] = r < threshold ? 0 : scale
        }
    }

    /// `output = input * mask` (the forward pass, given a mask from `makeMask`).
    public static func forward(input: UnsafePointer<Float>, mask: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                               count: Int) {
        for i in 0..<count { output[i] = input[i] * mask[i] }
    }

    /// `gradInput = gradOutput * mask`.
    public static func backward(gradOutput: UnsafePointer<Float>, mask: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { gradInput[i] = gradOutput[i] * mask[i] }
    }

    /// SplitMix64 finalizer: a well-mixed 64-bit hash of `x`.
    @inline(__always)
    static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
