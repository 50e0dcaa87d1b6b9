// StrategyRandom: platform-stable uniform draws (integers, doubles, BigInts) from a SplitMix64 stream.
import BigInt
import NASCIR

/// Uniform draws used by every strategy. They depend only on the ``SplitMix64`` output stream (not on the
/// standard library's `random(in:)` algorithms), so a saved strategy state resumes identically on any platform.
extension SplitMix64 {
    /// A uniform integer in `0..<bound` (`bound > 0`), by rejection so there is no modulo bias.
    mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "uniform(below:) needs a positive bound")  // internal invariant, never user input
        // Accept draws below the largest multiple of `bound` that fits in 2^64.
        let threshold = (0 &- bound) % bound  // (2^64 - bound) mod bound = 2^64 mod bound
        while true {
            let x = next()
            if x >= threshold { return x % bound }
        }
    }

    /// A uniform `Int` in `0..<bound` (`bound > 0`).
    mutating func uniformInt(below bound: Int) -> Int {
        Int(uniform(below: UInt64(bound)))
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform BigInt in `0..<bound` (`bound > 0`): one 64-bit draw when the bound fits, otherwise
    /// rejection sampling on the bound's bit width.
    mutating func uniformBig(below bound: BigInt) -> BigInt {
        precondition(bound > 0, "uniformBig(below:) needs a positive bound")
        if let small = UInt64(exactly: bound) { return BigInt(uniform(below: small)) }
        let bits = (bound - 1).magnitude.bitWidth
        let wordCount = (bits + 63) / 64
        let topBits = bits - 64 * (wordCount - 1)
        let topMask: UInt64 = topBits == 64 ? ~0 : (UInt64(1) << UInt64(topBits)) - 1
        while true {
            var words = (0..<wordCount).map { _ in UInt(next()) }
            words[wordCount - 1] &= UInt(topMask)
            let x = BigInt(BigUInt(words: words))
            if x < bound { return x }
        }
    }

    /// `k` distinct indices of `0..<n`, uniformly, in the order drawn (partial Fisher-Yates; `k <= n`).
    mutating func distinctIndices(_ k: Int, of n: Int) -> [Int] {
        var pool = Array(0..<n)
        let k = min(k, n)
        for i in 0..<k { pool.swapAt(i, i + uniformInt(below: n - i)) }
        return Array(pool[0..<k])
    }
}

/// A 64-bit mixing function (SplitMix64's finalizer): a bijection on `UInt64` with good avalanche.
@inline(__always)
func mix64(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
