// ChannelReduce: small vectorizable row sums and dot products shared by several kernels.

/// Per-channel reductions over NCHW tensors shared by conv bias, batchnorm and pooling gradients.
enum ChannelReduce {
    /// `out[c] (+)= sum over n, i of x[n, c, i]`; the sum of each row runs in Float, rows accumulate in Double.
    static func sumPerChannel(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                              into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        Parallel.forEach(channels, minChunk: max(1, 32_768 / max(1, batch * spatial))) { range in
            for c in range {
                var total: Double = 0
                for n in 0..<batch {
                    total += Double(rowSum(x + (n * channels + c) * spatial, count: spatial))
                }
                out[c] = accumulate ? out[c] + Float(total) : Float(total)
            }
        }
    }

    /// Sum of `count` floats with 8 independent partial sums (vectorizable, more accurate than one chain).
    @inline(__always)
    static func rowSum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>.zero
        var i = 0
        while i + 8 <= count {
            acc += SIMD8(x[i], x[i + 1], x[i + 2], x[i + 3], x[i + 4], x[i + 5], x[i + 6], x[i + 7])
            i += 8
        }
        var s = acc.sum()
        while i < count { s += x[i]; i += 1 }
        return s
    }

    /// Sum of `a[i] * b[i]` over `count` floats with 8 partial sums.
    @inline(__always)
    static func rowDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>.zero
        var i = 0
        while i + 8 <= count {
            let va = SIMD8(a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6], a[i + 7])
            let vb = SIMD8(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7])
            acc += va * vb
            i += 8
        }
        var s = acc.sum()
        while i < count { s += a[i] * b[i]; i += 1 }
        return s
    }
}

extension ChannelReduce {
    /// Sum of `(x[i] - center)^2` over `count` floats with 8 partial sums.
    @inline(__always)
    static func rowSquaredDeviation(_ x: UnsafePointer<Float>, center: Float, count: Int) -> Float {
        var acc = SIMD8<Float>.zero
        let c = SIMD8<Float>(repeating: center)
        var i = 0
        while i + 8 <= count {
            let d = SIMD8(x[i], x[i + 1], x[i + 2], x[i + 3], x[i + 4], x[i + 5], x[i + 6], x[i + 7]) - c
            acc += d * d
            i += 8
        }
        var s = acc.sum()
        while i < count { let d = x[i] - center; s += d * d; i += 1 }
        return s
    }

    /// Sum of `g[i] * (x[i] - center)` over `count` floats with 8 partial sums.
    @inline(__always)
    static func rowCenteredDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, center: Float, count: Int) -> Float {
        var acc = SIMD8<Float>.zero
        let c = SIMD8<Float>(repeating: center)
        var i = 0
        while i + 8 <= count {
            let vg = SIMD8(g[i], g[i + 1], g[i + 2], g[i + 3], g[i + 4], g[i + 5], g[i + 6], g[i + 7])
            let vx = SIMD8(x[i], x[i + 1], x[i + 2], x[i + 3], x[i + 4], x[i + 5], x[i + 6], x[i + 7]) - c
            acc += vg * vx
            i += 8
        }
        var s = acc.sum()
        while i < count { s += g[i] * (x[i] - center); i += 1 }
        return s
    }
}
