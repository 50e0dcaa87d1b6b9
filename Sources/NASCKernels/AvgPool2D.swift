// AvgPool2D: 2-D average pooling (count_include_pad true/false), forward and backward.

/// Average pooling over NCHW tensors with PyTorch semantics. With `countIncludePad`, the divisor is
/// the window size clipped to the padded input; otherwise it counts only elements inside the input.
public enum AvgPool2D {
    /// The window `[hLo, hHi) x [wLo, wHi)` inside the input, and the divisor for output `(oh, ow)`.
    @inline(__always)
    static func window(_ s: Pool2DShape, _ oh: Int, _ ow: Int, _ countIncludePad: Bool)
        -> (hLo: Int, hHi: Int, wLo: Int, wHi: Int, divisor: Float) {
        let h0 = oh * s.strideHeight - s.padHeight, w0 = ow * s.strideWidth - s.padWidth
        let hEndPadded = min(h0 + s.kernelHeight, s.inHeight + s.padHeight)
        let wEndPadded = min(w0 + s.kernelWidth, s.inWidth + s.padWidth)
        let paddedSize = (hEndPadded - h0) * (wEndPadded - w0)
        let hLo = max(h0, 0), wLo = max(w0, 0)
        let hHi = min(hEndPadded, s.inHeight), wHi = min(wEndPadded, s.inWidth)
        let size = countIncludePad ? paddedSize : (hHi - hLo) * (wHi - wLo)
        return (hLo, hHi, wLo, wHi, Float(max(size, 1)))
    }

    /// Forward.
    public static func forward(shape s: Pool2DShape, countIncludePad: Bool, input: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        let minPlanes = max(1, 16_384 / max(1, oh0 * ow0))
        if isSameBox(s) {
            Parallel.forEach(s.batch * s.channels, minChunk: minPlanes) { planes in
                let rows = ThreadScratch.floats(h * w)
                for p in planes {
                    let out = output + p * h * w
                    boxSum(input + p * h * w, s, rows: rows, into: out, accumulate: false)
                    for y in 0..<h {
                        for x in 0..<w { out[y * w + x] /= divisor(s, y, x, countIncludePad) }
                    }
                }
            }
            return
        }
        Parallel.forEach(s.batch * s.channels, minChunk: minPlanes) { planes in for p in planes {
            let plane = input + p * h * w, out = output + p * oh0 * ow0
            for oh in 0..<oh0 {
                for ow in 0..<ow0 {
                    let win = window(s, oh, ow, countIncludePad)
                    var sum: Float = 0
                    for ih in win.hLo..<win.hHi {
                        for iw in win.wLo..<win.wHi { sum += plane[ih * w + iw] }
                    }
                    out[oh * ow0 + ow] = sum / win.divisor
                }
            }
        } }
    }

    /// Backward: spreads each output gradient evenly (by the same divisor) over its window.
    /// Overwrites `gradInput` unless `accumulate`.
    public static func backward(shape s: Pool2DShape, countIncludePad: Bool, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        let minPlanes = max(1, 16_384 / max(1, oh0 * ow0))
        if isSameBox(s) {
            // A stride-1 "same" box is its own adjoint: the input gradient is the box sum of gradOutput / divisor.
            Parallel.forEach(s.batch * s.channels, minChunk: minPlanes) { planes in
                let scratch = ThreadScratch.floats(2 * h * w)
                let rows = scratch, scaled = scratch + h * w
                for p in planes {
                    let g = gradOutput + p * h * w
                    for y in 0..<h {
                        for x in 0..<w { scaled[y * w + x] = g[y * w + x] / divisor(s, y, x, countIncludePad) }
                    }
                    boxSum(scaled, s, rows: rows, into: gradInput + p * h * w, accumulate: accumulate)
                }
            }
            return
        }
        Parallel.forEach(s.batch * s.channels, minChunk: minPlanes) { planes in
          if !accumulate, !planes.isEmpty { (gradInput + planes.lowerBound * h * w).update(repeating: 0, count: planes.count * h * w) }
          for p in planes {
            let gin = gradInput + p * h * w, g = gradOutput + p * oh0 * ow0
            for oh in 0..<oh0 {
                for ow in 0..<ow0 {
                    let win = window(s, oh, ow, countIncludePad)
                    let v = g[oh * ow0 + ow] / win.divisor
                    for ih in win.hLo..<win.hHi {
                        for iw in win.wLo..<win.wHi { gin[ih * w + iw] += v }
                    }
                }
            }
          }
        }
    }

    /// Stride 1 with `2 * padding == kernel - 1` on both axes: the output has the input's size and every window is
    /// the `k x k` box around its position, clipped to the plane (the fast path).
    static func isSameBox(_ s: Pool2DShape) -> Bool {
        s.strideHeight == 1 && s.strideWidth == 1 && 2 * s.padHeight == s.kernelHeight - 1 && 2 * s.padWidth == s.kernelWidth - 1
    }

    /// The divisor of output `(y, x)` of a same box: `k * k` with padding counted, else the clipped window's size.
    @inline(__always)
    static func divisor(_ s: Pool2DShape, _ y: Int, _ x: Int, _ countIncludePad: Bool) -> Float {
        if countIncludePad { return Float(s.kernelHeight * s.kernelWidth) }
        let rows = min(y + s.padHeight, s.inHeight - 1) - max(y - s.padHeight, 0) + 1
        let cols = min(x + s.padWidth, s.inWidth - 1) - max(x - s.padWidth, 0) + 1
        return Float(rows * cols)
    }

    /// `out (+)= ` the clipped `k x k` box sums of one `h x w` plane: row sums into `rows`, then column sums.
    static func boxSum(_ src: UnsafePointer<Float>, _ s: Pool2DShape, rows: UnsafeMutablePointer<Float>,
                       into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let h = s.inHeight, w = s.inWidth, ph = s.padHeight, pw = s.padWidth
        for y in 0..<h {
            let r = rows + y * w, x0 = src + y * w
            r.update(from: x0, count: w)
            for d in 1...max(1, pw) where d <= pw {
                // r[x] += x0[x + d] (x + d < w) and x0[x - d] (x - d >= 0)
                if d < w {
                    for x in 0..<(w - d) { r[x] += x0[x + d] }
                    for x in d..<w { r[x] += x0[x - d] }
                }
            }
        }
        for y in 0..<h {
            let o = out + y * w
            if !accumulate { o.update(repeating: 0, count: w) }
            for yy in max(0, y - ph)...min(h - 1, y + ph) {
                let r = rows + yy * w
                for x in 0..<w { o[x] += r[x] }
            }
        }
    }
}
