// SeededGenerator: a small deterministic random generator (SplitMix64) for parameter init and dropout seeds.

/// SplitMix64: a fast, well-mixed, seedable generator. Equal seeds give equal streams on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The current state.
    public private(set) var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform float in `[-bound, bound)` from 24 random bits.
    public mutating func uniform(bound: Float) -> Float {
        let u = Float(next() >> 40) / 16_777_216  // [0, 1)
        return (2 * u - 1) * bound
    }

    /// The SplitMix64 finalizer, also used to derive independent seeds (`mix(seed ^ k)`).
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed derived from a base seed and a list of integers (slot index, step number, layer index).
    public static func derive(_ seed: UInt64, _ parts: Int...) -> UInt64 {
        var h = mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        for p in parts { h = mix(h ^ (UInt64(bitPattern: Int64(p)) &+ 0x9E37_79B9_7F4A_7C15)) }
        return h
    }
}
