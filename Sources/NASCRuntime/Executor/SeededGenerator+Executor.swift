// SeededGenerator+Executor: the executor's uses of NASCData's SplitMix64 generator (parameter init, dropout seeds).
import NASCData

extension SeededGenerator {
    /// A uniform f32 in `[-bound, bound)` from 24 random bits: `(2u - 1) * bound`, `u = (next() >> 40) / 2^24`.
    public mutating func uniform(bound: Float) -> Float {
        let u = Float(next() >> 40) / 16_777_216
        return (2 * u - 1) * bound
    }

    /// The SplitMix64 finalizer.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed derived from a base seed and integers (slot index, step number, layer index).
    public static func derive(_ seed: UInt64, _ parts: Int...) -> UInt64 {
        var h = mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        for p in parts { h = mix(h ^ (UInt64(bitPattern: Int64(p)) &+ 0x9E37_79B9_7F4A_7C15)) }
        return h
    }
}
