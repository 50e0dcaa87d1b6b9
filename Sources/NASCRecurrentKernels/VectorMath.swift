// VectorMath: 8-lane exp, sigmoid and tanh for gate math (Cephes-style range reduction and polynomials), and loads and
// stores of 8 (or fewer, for a tail) floats.

/// Vectorized elementary functions on `SIMD8<Float>`, accurate to a few ulp (tested against the C library's).
public enum VectorMath {
    /// `e^x`, clamped to the normal range: `x` below -87.3 gives about 1.2e-38, above 88.37 about 3.4e38.
    @inline(__always)
    public static func exp(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let x = v.clamped(lowerBound: SIMD8(repeating: -87.3), upperBound: SIMD8(repeating: 88.37))
        let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
        // x - n ln 2 in two parts (Cody-Waite), so r is exact to float precision.
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * r * r + r + 1
        let bits = (SIMD8<Int32>(n) &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
    }

    /// `1 / (1 + e^-x)`.
    @inline(__always)
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { 1 / (1 + exp(-x)) }

    /// `tanh x`: an odd polynomial below 0.625 in magnitude, `1 - 2 / (e^{2|x|} + 1)` with the sign above.
    @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let a = x.replacing(with: -x, where: x .< 0)
        let z = x * x
        var p = SIMD8<Float>(repeating: -5.704_988_727_45e-3)
        p = p * z + 2.063_908_879_54e-2
        p = p * z - 5.373_971_555_31e-2
        p = p * z + 1.333_144_220_36e-1
        p = p * z - 3.333_328_194_22e-1
        let small = x + x * z * p
        var big = 1 - 2 / (exp(2 * a) + 1)
        big.replace(with: -big, where: x .< 0)
        return big.replacing(with: small, where: a .< 0.625)
    }

    /// Eight floats from `p` (or `width < 8` of them, the other lanes 0).
    @inline(__always)
    public static func load(_ p: UnsafePointer<Float>, _ width: Int) -> SIMD8<Float> {
        if width == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        var v = SIMD8<Float>.zero
        for k in 0..<width { v[k] = p[k] }
        return v
    }

    /// Stores the first `width` lanes of `v` at `p`.
    @inline(__always)
    public static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ width: Int) {
        if width == 8 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self); return }
        for k in 0..<width { p[k] = v[k] }
    }

    /// Calls `body(offset, width)` over `0..<count` in chunks of 8 (the last one may be narrower).
    @inline(__always)
    public static func chunks(_ count: Int, _ body: (Int, Int) -> Void) {
        var j = 0
        while j < count { body(j, min(8, count - j)); j += 8 }
    }
}
