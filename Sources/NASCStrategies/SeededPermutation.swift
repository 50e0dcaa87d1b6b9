// SeededPermutation: a seeded bijection of 0..<n for any BigInt n (Feistel network plus cycle walking).
import BigInt
import NASCIR

/// A pseudo-random permutation of `0..<size` chosen by a seed, computed one element at a time in
/// O(log size) memory, so grid search can visit astronomically large spaces in shuffled order.
///
/// Construction: a balanced Feistel network with 6 rounds on `2h`-bit integers (the smallest even bit width
/// covering `size - 1`, at least 2) is a bijection of `0..<2^(2h)` whatever its round function; the round
/// function hashes the right half with a per-round key drawn from `SplitMix64(seed)`. Cycle walking (apply
/// the network again while the result is `>= size`) restricts it to a bijection of `0..<size`; since
/// `2^(2h) < 4 * size`, fewer than 4 steps are needed on average.
struct SeededPermutation: Sendable {
    let size: BigInt
    /// Bits per half.
    let halfBits: Int
    /// 64-bit words per half.
    let wordsPerHalf: Int
    let roundKeys: [UInt64]

    static let rounds = 6

    init(size: BigInt, seed: UInt64) {
        self.size = size
        let bits = max(1, (size - 1).magnitude.bitWidth)
        halfBits = (bits + 1) / 2
        wordsPerHalf = (halfBits + 63) / 64
        var rng = SplitMix64(seed: seed ^ 0x6772_6964_5f70_6572)  // "grid_per"
        roundKeys = (0..<Self.rounds).map { _ in rng.next() }
    }

    /// The image of `x` (which must be in `0..<size`).
    func apply(_ x: BigInt) -> BigInt {
        var y = x
        repeat { y = feistel(y) } while y >= size
        return y
    }

    /// One pass of the network over `0..<2^(2 * halfBits)`.
    func feistel(_ x: BigInt) -> BigInt {
        let mag = x.magnitude
        let mask = (BigUInt(1) << halfBits) - 1
        var left = words(mag >> halfBits)
        var right = words(mag & mask)
        for k in roundKeys {
            let f = round(right, key: k)
            let newRight = zip(left, f).map { $0 ^ $1 }
            left = right
            right = newRight
        }
        return BigInt((BigUInt(words: left.map { UInt($0) }) << halfBits) | BigUInt(words: right.map { UInt($0) }))
    }

    /// The round function: a hash of `half` under `key`, truncated to `halfBits` bits.
    private func round(_ half: [UInt64], key: UInt64) -> [UInt64] {
        var acc = key
        for w in half { acc = mix64(acc ^ w) &+ 0x9E37_79B9_7F4A_7C15 }
        var out = (0..<wordsPerHalf).map { j in mix64(acc &+ UInt64(j + 1) &* 0xD1B5_4A32_D192_ED03) }
        let topBits = halfBits - 64 * (wordsPerHalf - 1)
        if topBits < 64 { out[wordsPerHalf - 1] &= (UInt64(1) << UInt64(topBits)) - 1 }
        return out
    }

    /// Exactly `wordsPerHalf` little-endian words of `v` (which fits in `halfBits` bits).
    private func words(_ v: BigUInt) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: wordsPerHalf)
        for (i, w) in v.words.enumerated() where i < wordsPerHalf { out[i] = UInt64(w) }
        return out
    }
}
