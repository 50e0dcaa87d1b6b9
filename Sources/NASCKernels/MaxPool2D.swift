// MaxPool2D: 2-D max pooling with argmax indices, forward and backward.

/// Max pooling over NCHW tensors. Padding acts as negative infinity; the first maximum in
/// row-major window order wins and any NaN in the window propagates (PyTorch's rule).
public enum MaxPool2D {
    /// Forward. `indices` (`[batch, channels, outHeight, outWidth]`) receives, for each output,
    /// the flat index `ih * inWidth + iw` of its maximum within the input plane (PyTorch's convention).
    public static func forward(shape s: Pool2DShape, input: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        if AvgPool2D.isSameBox(s) && s.kernelHeight == s.kernelWidth && w >= 8 {
            Parallel.forEach(s.batch * s.channels, minChunk: max(1, 16_384 / max(1, oh0 * ow0))) { planes in
                for p in planes { sameBoxPlane(s, input + p * h * w, output + p * h * w, indices + p * h * w) }
            }
            return
        }
        let halving = isHalving(s)
        Parallel.forEach(s.batch * s.channels, minChunk: max(1, 16_384 / max(1, oh0 * ow0))) { planes in for p in planes {
            let plane = input + p * h * w
            let out = output + p * oh0 * ow0, idx = indices + p * oh0 * ow0
            if halving { halvingPlane(s, plane, out, idx) } else { genericPlane(s, plane, out, idx) }
        } }
    }

    /// Kernel 2x2, stride 2, no padding (MNIST's pool): every window lies inside the plane.
    static func isHalving(_ s: Pool2DShape) -> Bool {
        s.kernelHeight == 2 && s.kernelWidth == 2 && s.strideHeight == 2 && s.strideWidth == 2 && s.padHeight == 0 && s.padWidth == 0
    }

    /// One plane of a 2x2 stride-2 pool: the scalar rule of ``genericPlane`` with the window unrolled (the generic loop
    /// was ~7% of the instructions of a model (a) training step under callgrind).
    static func halvingPlane(_ s: Pool2DShape, _ plane: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             _ idx: UnsafeMutablePointer<Int32>) {
        let w = s.inWidth, ow0 = s.outWidth
        for oh in 0..<s.outHeight {
            let top = 2 * oh * w
            for ow in 0..<ow0 {
                let i = top + 2 * ow
                // Window order (0,0), (0,1), (1,0), (1,1); the first value always wins against -infinity.
                var best = plane[i], bestIndex = i
                challenge(plane, i + 1, &best, &bestIndex)
                challenge(plane, i + w, &best, &bestIndex)
                challenge(plane, i + w + 1, &best, &bestIndex)
                out[oh * ow0 + ow] = best
                idx[oh * ow0 + ow] = Int32(truncatingIfNeeded: bestIndex)
            }
        }
    }

    /// The scalar rule for one window element: `plane[j]` takes over if it is larger or NaN (branch-free select: random
    /// data would mispredict an `if` half the time).
    @inline(__always)
    static func challenge(_ plane: UnsafePointer<Float>, _ j: Int, _ best: inout Float, _ bestIndex: inout Int) {
        let v = plane[j], take = v > best || v != v
        best = take ? v : best
        bestIndex = take ? j : bestIndex
    }

    /// One plane of any window: the first maximum in row-major window order wins, NaN propagates.
    static func genericPlane(_ s: Pool2DShape, _ plane: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             _ idx: UnsafeMutablePointer<Int32>) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        for oh in 0..<oh0 {
            let h0 = oh * s.strideHeight - s.padHeight
            let hLo = max(h0, 0), hHi = min(h0 + s.kernelHeight, h)
            for ow in 0..<ow0 {
                let w0 = ow * s.strideWidth - s.padWidth
                let wLo = max(w0, 0), wHi = min(w0 + s.kernelWidth, w)
                var best = -Float.infinity
                var bestIndex = hLo * w + wLo
                for ih in hLo..<hHi {
                    for iw in wLo..<wHi { challenge(plane, ih * w + iw, &best, &bestIndex) }
                }
                out[oh * ow0 + ow] = best
                idx[oh * ow0 + ow] = Int32(truncatingIfNeeded: bestIndex)
            }
        }
    }

    /// Backward: routes each output gradient to its argmax. Overwrites `gradInput` unless `accumulate`.
    public static func backward(shape s: Pool2DShape, gradOutput: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                                gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let ohw = s.outHeight * s.outWidth, hw = s.inHeight * s.inWidth
        Parallel.forEach(s.batch * s.channels, minChunk: max(1, 16_384 / max(1, ohw))) { planes in
            if !accumulate, !planes.isEmpty { (gradInput + planes.lowerBound * hw).update(repeating: 0, count: planes.count * hw) }
            for p in planes {
                let g = gradOutput + p * ohw, idx = indices + p * ohw, gin = gradInput + p * hw
                for o in 0..<ohw { gin[Int(idx[o])] += g[o] }
            }
        }
    }

    /// One output of a stride-1 same-box window at `(y, x)`, clipped to the plane (the scalar rule of ``forward``).
    @inline(__always)
    static func one(_ s: Pool2DShape, _ plane: UnsafePointer<Float>, _ y: Int, _ x: Int) -> (Float, Int32) {
        let h = s.inHeight, w = s.inWidth, p = s.padHeight, k = s.kernelHeight
        let hLo = max(y - p, 0), hHi = min(y - p + k, h), wLo = max(x - p, 0), wHi = min(x - p + k, w)
        var best = -Float.infinity, bestIndex = hLo * w + wLo
        for ih in hLo..<hHi {
            for iw in wLo..<wHi { challenge(plane, ih * w + iw, &best, &bestIndex) }
        }
        return (best, Int32(truncatingIfNeeded: bestIndex))
    }

    /// Stride-1 same-box max pooling of one plane: interior windows (fully inside the plane) 8 columns at a time with
    /// SIMD compares in the scalar rule's order (so the same values and argmax indices), the border with ``one``.
    static func sameBoxPlane(_ s: Pool2DShape, _ plane: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             _ idx: UnsafeMutablePointer<Int32>) {
        typealias V = SIMD8<Float>
        typealias I = SIMD8<Int32>
        let h = s.inHeight, w = s.inWidth, p = s.padHeight, k = s.kernelHeight
        let lanes = I(0, 1, 2, 3, 4, 5, 6, 7)
        for y in 0..<h {
            var x = 0
            let interiorRow = y >= p && y + k - p <= h
            while x < w {
                if interiorRow && x >= p && x + 8 + k - 1 - p <= w {
                    var best = V(repeating: -.infinity), bestIndex = I(repeating: 0)
                    for dy in 0..<k {
                        let rowStart = (y - p + dy) * w + x - p
                        for dx in 0..<k {
                            let v = UnsafeRawPointer(plane + rowStart + dx).loadUnaligned(as: V.self)
                            let take = (v .> best) .| (v .!= v)
                            best.replace(with: v, where: take)
                            bestIndex.replace(with: lanes &+ Int32(truncatingIfNeeded: rowStart + dx), where: take)
                        }
                    }
                    UnsafeMutableRawPointer(out + y * w + x).storeBytes(of: best, as: V.self)
                    UnsafeMutableRawPointer(idx + y * w + x).storeBytes(of: bestIndex, as: I.self)
                    x += 8
                } else {
                    let (v, i) = one(s, plane, y, x)
                    out[y * w + x] = v
                    idx[y * w + x] = i
                    x += 1
                }
            }
        }
    }
}
