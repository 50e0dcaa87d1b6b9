// DirectConv2D: stride-1 convolution without im2col — SIMD over output columns, 4 output channels per register block.

/// Direct convolution kernels for small channel counts (stride 1, dilation 1, groups 1, square kernel, output width at
/// least 8), where im2col + sgemm spends most of its time unfolding and packing a tiny GEMM (M = 16..64).
/// Each image is first copied into a zero-padded plane set in the workspace, so the inner loops have no bounds tests:
/// per (channel, kernel row, kernel column) they load 8 or 16 shifted input columns and add them, times a broadcast
/// weight, into 4 output channels' accumulators. `Conv2D` dispatches here when ``supports(_:)`` holds.
enum DirectConv2D {
    typealias V = SIMD8<Float>
    /// Floats per vector (AVX2: 8; the accumulator blocks are sized for 16 vector registers).
    static let lanes = 8

    /// True when the direct kernels handle `s` (forward and both gradients) within `Conv2D.workspaceSize(s)` floats.
    static func supports(_ s: Conv2DShape) -> Bool {
        supportsForward(s) && supportsBackwardInput(s) && supportsBackwardWeight(s)
    }

    /// Stride 1, dilation 1, groups 1, a square kernel (k > 1) with padding below k, output channels a multiple of 4
    /// and both channel counts up to 64 (the forward and weight-gradient kernels block output channels by 4; any input
    /// channel count works, e.g. a 3-channel stem).
    static func commonShape(_ s: Conv2DShape) -> Bool {
        let k = s.kernelHeight, p = s.padHeight
        return s.groups == 1 && s.strideHeight == 1 && s.strideWidth == 1 && s.dilationHeight == 1 && s.dilationWidth == 1
            && s.kernelWidth == k && s.padWidth == p && k > 1 && p < k
            && s.outChannels % 4 == 0 && s.outChannels <= 64 && s.inChannels <= 64
    }

    /// The forward kernel applies: common shape, output width at least 8 (a last partial block of 8 columns is
    /// recomputed over the final 8), and room for the packed weights and one
    /// padded image.
    static func supportsForward(_ s: Conv2DShape) -> Bool {
        commonShape(s) && s.outWidth >= lanes && forwardWorkspace(s) <= Conv2D.workspaceSize(s)
    }

    /// The input-gradient kernel applies: common shape, input channels a multiple of 4 (it blocks them by 4), input width
    /// a multiple of 8 (measured on MNIST's 26-wide 64 -> 32 input gradient: with a partial last block the direct kernel
    /// took ~2x the time of im2col + sgemm, relative to the same run's forward), and room for the packed weights and
    /// one padded output gradient.
    static func supportsBackwardInput(_ s: Conv2DShape) -> Bool {
        commonShape(s) && s.inChannels % 4 == 0 && s.inWidth % lanes == 0 && backwardInputWorkspace(s) <= Conv2D.workspaceSize(s)
    }

    /// The weight-gradient kernel applies: common shape, output width a multiple of 8, room for one padded image, and
    /// at most 16 input and 32 output channels (measured: for MNIST's 32 -> 64 convolution im2col + sgemm was faster,
    /// 66 vs 91 ms per batch of 64; for 16 -> 16 the direct kernel was ~2x faster).
    static func supportsBackwardWeight(_ s: Conv2DShape) -> Bool {
        commonShape(s) && s.inChannels <= 16 && s.outChannels <= 32 && s.outWidth % lanes == 0
            && forwardWorkspace(s) <= Conv2D.workspaceSize(s)
    }

    static func forwardWorkspace(_ s: Conv2DShape) -> Int {
        s.inChannels * (s.inHeight + 2 * s.padHeight) * (s.inWidth + 2 * s.padWidth) + s.weightCount
    }

    static func backwardInputWorkspace(_ s: Conv2DShape) -> Int {
        let pb = s.kernelHeight - 1 - s.padHeight
        return s.outChannels * (s.outHeight + 2 * pb) * (s.outWidth + 2 * pb) + s.weightCount
    }

    /// How many workers to split a batch over: the BLAS thread count (``Kernels/threads``), at most one per image, and
    /// only as many as have `perWorker` floats each in `scratch`.
    static func workers(batch: Int, scratch: Int, perWorker: Int) -> Int {
        max(1, min(Kernels.threads, batch, perWorker > 0 ? scratch / perWorker : 1))
    }

    /// The images of worker `t` of `parts`.
    static func images(_ t: Int, of parts: Int, batch: Int) -> Range<Int> { (t * batch / parts)..<((t + 1) * batch / parts) }

    /// Runs `body(0..<parts)`, concurrently when `parts > 1`.
    @inline(__always) static func parallel(_ parts: Int, _ body: (Int) -> Void) { Parallel.run(parts, body) }

    static let laneIndex = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)

    /// Stores `a` (plus the current values when accumulating) into the `fresh` lanes at `p`, keeping the others.
    @inline(__always) static func blend(_ a: V, _ p: UnsafeMutablePointer<Float>, _ fresh: SIMDMask<SIMD8<Int32>>, _ accumulate: Bool) {
        let cur = load(p)
        store(cur.replacing(with: accumulate ? cur + a : a, where: fresh), p)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// Copies `channels` planes of `h x w` into `dst` with `pad` zeros on every side. With `bordersZeroed` (`dst` already
    /// holds a padded image of this shape: the zeros are in place) only the interior rows are copied; the callers pad one
    /// image after another into the same buffer, so the whole buffer is zero-filled once per call rather than per image
    /// (the fills were ~7% of the instructions of a training step of model c).
    static func pad(_ src: UnsafePointer<Float>, channels: Int, h: Int, w: Int, pad: Int, into dst: UnsafeMutablePointer<Float>,
                    bordersZeroed: Bool) {
        let hp = h + 2 * pad, wp = w + 2 * pad
        if !bordersZeroed { dst.update(repeating: 0, count: channels * hp * wp) }
        for c in 0..<channels {
            for y in 0..<h { (dst + (c * hp + y + pad) * wp + pad).update(from: src + (c * h + y) * w, count: w) }
        }
    }

    /// `out[o, y, x] (+)= bias[o] + sum_{c, ky, kx} packed(o, c, ky, kx) * padded[c, y + ky, x + kx]` with `packed` laid out
    /// `[O/4][C][k][k][4]`; `outW >= 8`. 3x3 kernels get register tiles of up to 12
    /// accumulators with `k` constant (unrolled kernel rows), other sizes the 8-accumulator blocks of ``convolveAny``.
    static func convolve(padded: UnsafePointer<Float>, channels: Int, hp: Int, wp: Int, packed: UnsafePointer<Float>, k: Int,
                         bias: UnsafePointer<Float>?, outChannels: Int, out: UnsafeMutablePointer<Float>, outH: Int, outW: Int,
                         accumulate: Bool) {
        if k == 3 {
            convolve3(padded: padded, channels: channels, hp: hp, wp: wp, packed: packed, bias: bias, outChannels: outChannels,
                      out: out, outH: outH, outW: outW, accumulate: accumulate)
        } else {
            convolveAny(k: k, padded: padded, channels: channels, hp: hp, wp: wp, packed: packed, bias: bias,
                        outChannels: outChannels, out: out, outH: outH, outW: outW, accumulate: accumulate)
        }
    }

    /// ``convolve(padded:channels:hp:wp:packed:k:bias:outChannels:out:outH:outW:accumulate:)`` for 3x3 kernels (a function
    /// of its own: sharing one with the general loop changed the register allocation of both).
    @inline(never)
    static func convolve3(padded: UnsafePointer<Float>, channels: Int, hp: Int, wp: Int, packed: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, outChannels: Int, out: UnsafeMutablePointer<Float>, outH: Int, outW: Int,
                          accumulate: Bool) {
        convolve(k: 3, padded: padded, channels: channels, hp: hp, wp: wp, packed: packed, bias: bias, outChannels: outChannels,
                 out: out, outH: outH, outW: outW, accumulate: accumulate)
    }

    /// Vectors of 8 columns per register tile of a row of `width` columns starting at column `x`: tiles of 3 vectors
    /// (12 accumulators: two FMA pipes of latency 4 need at least 8 independent ones) while more than 2 are left and the
    /// rest is not exactly 2 (32 columns: 16 + 16), else 2, else 1.
    @inline(__always) static func tileVectors(remaining r: Int) -> Int {
        r >= 3 * lanes && r != 4 * lanes ? 3 : (r >= 2 * lanes ? 2 : 1)
    }

    @inline(__always)
    static func convolve(k: Int, padded: UnsafePointer<Float>, channels: Int, hp: Int, wp: Int, packed: UnsafePointer<Float>,
                         bias: UnsafePointer<Float>?, outChannels: Int, out: UnsafeMutablePointer<Float>, outH: Int, outW: Int,
                         accumulate: Bool) {
        let plane = outH * outW, kk = k * k
        for ob in 0..<(outChannels / 4) {
            let wb = packed + ob * channels * kk * 4
            let o = out + (ob * 4) * plane
            let b = Quad(bias.map { V(repeating: $0[ob * 4]) } ?? V(), bias.map { V(repeating: $0[ob * 4 + 1]) } ?? V(),
                         bias.map { V(repeating: $0[ob * 4 + 2]) } ?? V(), bias.map { V(repeating: $0[ob * 4 + 3]) } ?? V())
            for y in 0..<outH {
                var x = 0
                while x < outW {
                    // The last, partial block (outW not a multiple of 8) recomputes the final 8 columns and keeps the
                    // lanes already written (`done` of them).
                    let m = tileVectors(remaining: outW - x)
                    let done = x + lanes <= outW ? 0 : x - (outW - lanes)
                    if done > 0 { x = outW - lanes }
                    let start = padded + y * wp + x, at = y * outW + x
                    switch m {
                    case 3:
                        let t = tile(3, k: k, start, channels: channels, planeStride: hp * wp, wp: wp, weights: wb, bias: b)
                        t.0.store(o + at, plane: plane, accumulate: accumulate)
                        t.1.store(o + at + lanes, plane: plane, accumulate: accumulate)
                        t.2.store(o + at + 2 * lanes, plane: plane, accumulate: accumulate)
                    case 2:
                        let t = tile(2, k: k, start, channels: channels, planeStride: hp * wp, wp: wp, weights: wb, bias: b)
                        t.0.store(o + at, plane: plane, accumulate: accumulate)
                        t.1.store(o + at + lanes, plane: plane, accumulate: accumulate)
                    default:
                        let t = tile(1, k: k, start, channels: channels, planeStride: hp * wp, wp: wp, weights: wb, bias: b)
                        if done > 0 {
                            t.0.blend(o + at, plane: plane, fresh: laneIndex .>= SIMD8<Int32>(repeating: Int32(done)),
                                      accumulate: accumulate)
                            x = outW
                            continue
                        }
                        t.0.store(o + at, plane: plane, accumulate: accumulate)
                    }
                    x += m * lanes
                }
            }
        }
    }

    /// Four accumulator vectors: one output vector (8 columns) of 4 consecutive output channels.
    struct Quad {
        var a0: V, a1: V, a2: V, a3: V
        init(_ a0: V, _ a1: V, _ a2: V, _ a3: V) { self.a0 = a0; self.a1 = a1; self.a2 = a2; self.a3 = a3 }

        /// Adds `v` times the 4 weights at `w` (one per channel).
        @inline(__always) mutating func add(_ v: V, _ w: UnsafePointer<Float>) {
            a0 = a0.addingProduct(v, V(repeating: w[0])); a1 = a1.addingProduct(v, V(repeating: w[1]))
            a2 = a2.addingProduct(v, V(repeating: w[2])); a3 = a3.addingProduct(v, V(repeating: w[3]))
        }

        /// Stores (or adds) the 4 vectors at `p`, `p + plane`, `p + 2 plane`, `p + 3 plane`.
        @inline(__always) func store(_ p: UnsafeMutablePointer<Float>, plane: Int, accumulate: Bool) {
            var a0 = a0, a1 = a1, a2 = a2, a3 = a3
            if accumulate { a0 += load(p); a1 += load(p + plane); a2 += load(p + 2 * plane); a3 += load(p + 3 * plane) }
            DirectConv2D.store(a0, p); DirectConv2D.store(a1, p + plane); DirectConv2D.store(a2, p + 2 * plane)
            DirectConv2D.store(a3, p + 3 * plane)
        }

        /// Stores into the `fresh` lanes only (see ``DirectConv2D/blend(_:_:_:_:)``).
        @inline(__always) func blend(_ p: UnsafeMutablePointer<Float>, plane: Int, fresh: SIMDMask<SIMD8<Int32>>, accumulate: Bool) {
            DirectConv2D.blend(a0, p, fresh, accumulate); DirectConv2D.blend(a1, p + plane, fresh, accumulate)
            DirectConv2D.blend(a2, p + 2 * plane, fresh, accumulate); DirectConv2D.blend(a3, p + 3 * plane, fresh, accumulate)
        }
    }

    /// One register tile: 4 output channels x `m` vectors (m = 1...3, a constant after inlining) of one output row, from
    /// the padded input at `start` (channel 0, kernel row 0, first column). Running pointers, no index multiplies.
    @inline(__always)
    static func tile(_ m: Int, k: Int, _ start: UnsafePointer<Float>, channels: Int, planeStride: Int, wp: Int,
                     weights: UnsafePointer<Float>, bias: Quad) -> (Quad, Quad, Quad) {
        var t0 = bias, t1 = bias, t2 = bias
        var wr = weights, channelRow = start
        for _ in 0..<channels {
            var row = channelRow
            for _ in 0..<k {
                for kx in 0..<k {
                    let w = wr + kx * 4
                    t0.add(load(row + kx), w)
                    if m > 1 { t1.add(load(row + kx + lanes), w) }
                    if m > 2 { t2.add(load(row + kx + 2 * lanes), w) }
                }
                row += wp
                wr += k &* 4
            }
            channelRow += planeStride
        }
        return (t0, t1, t2)
    }

    /// The general-`k` copy of ``convolve3(padded:channels:hp:wp:packed:bias:outChannels:out:outH:outW:accumulate:)``: blocks
    /// of 4 output channels x 16 columns, then 8 (measured on 5x5: 8% faster than the tiles of `convolve3` with a variable
    /// `k`).
    static func convolveAny(k: Int, padded: UnsafePointer<Float>, channels: Int, hp: Int, wp: Int, packed: UnsafePointer<Float>,
                            bias: UnsafePointer<Float>?, outChannels: Int, out: UnsafeMutablePointer<Float>, outH: Int, outW: Int,
                         accumulate: Bool) {
        let plane = outH * outW, kk = k * k
        for ob in 0..<(outChannels / 4) {
            let wb = packed + ob * channels * kk * 4
            let o0 = out + (ob * 4) * plane, o1 = o0 + plane, o2 = o1 + plane, o3 = o2 + plane
            let b0 = V(repeating: bias?[ob * 4] ?? 0), b1 = V(repeating: bias?[ob * 4 + 1] ?? 0)
            let b2 = V(repeating: bias?[ob * 4 + 2] ?? 0), b3 = V(repeating: bias?[ob * 4 + 3] ?? 0)
            for y in 0..<outH {
                var x = 0
                while x + 2 * lanes <= outW {
                    var a0 = b0, a1 = b1, a2 = b2, a3 = b3, c0 = b0, c1 = b1, c2 = b2, c3 = b3
                    // Running pointers (no index multiplies in the hot loops): one padded row and its k * 4 weights per
                    // (channel, kernel row).
                    var wr = wb, channelRow = padded + y * wp + x
                    for _ in 0..<channels {
                        var row = channelRow
                        for _ in 0..<k {
                            var kx = 0
                            while kx < k {
                                let v = load(row + kx), u = load(row + kx + lanes), w = wr + kx * 4
                                let w0 = V(repeating: w[0]), w1 = V(repeating: w[1]), w2 = V(repeating: w[2]), w3 = V(repeating: w[3])
                                a0 = a0.addingProduct(v, w0); a1 = a1.addingProduct(v, w1)
                                a2 = a2.addingProduct(v, w2); a3 = a3.addingProduct(v, w3)
                                c0 = c0.addingProduct(u, w0); c1 = c1.addingProduct(u, w1)
                                c2 = c2.addingProduct(u, w2); c3 = c3.addingProduct(u, w3)
                                kx &+= 1
                            }
                            row += wp
                            wr += k &* 4
                        }
                        channelRow += hp &* wp
                    }
                    let at = y * outW + x
                    if accumulate {
                        a0 += load(o0 + at); a1 += load(o1 + at); a2 += load(o2 + at); a3 += load(o3 + at)
                        c0 += load(o0 + at + lanes); c1 += load(o1 + at + lanes); c2 += load(o2 + at + lanes); c3 += load(o3 + at + lanes)
                    }
                    store(a0, o0 + at); store(a1, o1 + at); store(a2, o2 + at); store(a3, o3 + at)
                    store(c0, o0 + at + lanes); store(c1, o1 + at + lanes); store(c2, o2 + at + lanes); store(c3, o3 + at + lanes)
                    x += 2 * lanes
                }
                while x < outW {
                    // The last, partial block (outW not a multiple of 8) recomputes the final 8 columns and keeps the
                    // lanes already written (`done` of them).
                    let done = x + lanes <= outW ? 0 : x - (outW - lanes)
                    if done > 0 { x = outW - lanes }
                    var a0 = b0, a1 = b1, a2 = b2, a3 = b3
                    for c in 0..<channels {
                        for ky in 0..<k {
                            let row = padded + (c * hp + y + ky) * wp + x
                            let wr = wb + (c * k + ky) * k * 4
                            for kx in 0..<k {
                                let v = load(row + kx), w = wr + kx * 4
                                a0 = a0.addingProduct(v, V(repeating: w[0])); a1 = a1.addingProduct(v, V(repeating: w[1]))
                                a2 = a2.addingProduct(v, V(repeating: w[2])); a3 = a3.addingProduct(v, V(repeating: w[3]))
                            }
                        }
                    }
                    let at = y * outW + x
                    if done > 0 {
                        let fresh = laneIndex .>= SIMD8<Int32>(repeating: Int32(done))
                        blend(a0, o0 + at, fresh, accumulate); blend(a1, o1 + at, fresh, accumulate)
                        blend(a2, o2 + at, fresh, accumulate); blend(a3, o3 + at, fresh, accumulate)
                        x = outW
                        continue
                    }
                    if accumulate { a0 += load(o0 + at); a1 += load(o1 + at); a2 += load(o2 + at); a3 += load(o3 + at) }
                    store(a0, o0 + at); store(a1, o1 + at); store(a2, o2 + at); store(a3, o3 + at)
                    x += lanes
                }
            }
        }
    }

    /// Forward for the whole batch (see ``Conv2D/forward(shape:input:weight:bias:output:workspace:)``).
    static func forward(shape s: Conv2DShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>) {
        let k = s.kernelHeight, p = s.padHeight, c = s.inChannels, o = s.outChannels, kk = k * k
        let packed = workspace, padded = workspace + s.weightCount
        // packed[ob][c][ky][kx][j] = weight[ob*4 + j][c][ky][kx]
        for ob in 0..<(o / 4) { for ci in 0..<c { for t in 0..<kk { for j in 0..<4 {
            packed[((ob * c + ci) * kk + t) * 4 + j] = weight[((ob * 4 + j) * c + ci) * kk + t]
        } } } }
        let hw = s.inHeight * s.inWidth, ohw = s.outHeight * s.outWidth
        let paddedCount = c * (s.inHeight + 2 * p) * (s.inWidth + 2 * p)
        let parts = workers(batch: s.batch, scratch: Conv2D.workspaceSize(s) - s.weightCount, perWorker: paddedCount)
        parallel(parts) { t in
            let mine = padded + t * paddedCount
            let mineImages = images(t, of: parts, batch: s.batch)
            for n in mineImages {
                pad(input + n * c * hw, channels: c, h: s.inHeight, w: s.inWidth, pad: p, into: mine, bordersZeroed: n != mineImages.lowerBound)
                convolve(padded: mine, channels: c, hp: s.inHeight + 2 * p, wp: s.inWidth + 2 * p, packed: packed, k: k, bias: bias,
                         outChannels: o, out: output + n * o * ohw, outH: s.outHeight, outW: s.outWidth, accumulate: false)
            }
        }
    }

    /// Input gradient: the output gradient, padded by `k - 1 - p`, convolved with the flipped, transposed weights.
    static func backwardInput(shape s: Conv2DShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let k = s.kernelHeight, pb = k - 1 - s.padHeight, c = s.inChannels, o = s.outChannels, kk = k * k
        let packed = workspace, padded = workspace + s.weightCount
        // packed[cb][o][ky][kx][j] = weight[o][cb*4 + j][k-1-ky][k-1-kx]
        for cb in 0..<(c / 4) { for oi in 0..<o { for t in 0..<kk { for j in 0..<4 {
            packed[((cb * o + oi) * kk + t) * 4 + j] = weight[(oi * c + cb * 4 + j) * kk + (kk - 1 - t)]
        } } } }
        let hw = s.inHeight * s.inWidth, ohw = s.outHeight * s.outWidth
        let paddedCount = o * (s.outHeight + 2 * pb) * (s.outWidth + 2 * pb)
        let parts = workers(batch: s.batch, scratch: Conv2D.workspaceSize(s) - s.weightCount, perWorker: paddedCount)
        parallel(parts) { t in
            let mine = padded + t * paddedCount
            let mineImages = images(t, of: parts, batch: s.batch)
            for n in mineImages {
                pad(gradOutput + n * o * ohw, channels: o, h: s.outHeight, w: s.outWidth, pad: pb, into: mine,
                    bordersZeroed: n != mineImages.lowerBound)
                convolve(padded: mine, channels: o, hp: s.outHeight + 2 * pb, wp: s.outWidth + 2 * pb, packed: packed, k: k, bias: nil,
                         outChannels: c, out: gradInput + n * c * hw, outH: s.inHeight, outW: s.inWidth, accumulate: accumulate)
            }
        }
    }

    /// Weight gradient summed over the batch: `gw[o, c, ky, kx] = sum gradOutput[o, y, x] * padded[c, y + ky, x + kx]`.
    static func backwardWeight(shape s: Conv2DShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let p = s.padHeight, hp = s.inHeight + 2 * p, wp = s.inWidth + 2 * p
        if !accumulate { gradWeight.update(repeating: 0, count: s.weightCount) }
        // One worker writes straight into gradWeight; several sum private partial gradients at the end.
        let paddedCount = s.inChannels * hp * wp, wc = s.weightCount
        let parts = workers(batch: s.batch, scratch: Conv2D.workspaceSize(s), perWorker: paddedCount + wc)
        parallel(parts) { t in
            let padded = workspace + t * (paddedCount + wc)
            let gw = parts == 1 ? gradWeight : padded + paddedCount
            if parts > 1 { gw.update(repeating: 0, count: wc) }
            if s.kernelHeight == 3 {
                weightGradient3(images: images(t, of: parts, batch: s.batch), shape: s, input: input, gradOutput: gradOutput,
                                padded: padded, gradWeight: gw)
            } else {
                weightGradientTiled(images: images(t, of: parts, batch: s.batch), shape: s, input: input, gradOutput: gradOutput,
                                    padded: padded, gradWeight: gw)
            }
        }
        if parts > 1 {
            for t in 0..<parts {
                let partial = workspace + t * (paddedCount + wc) + paddedCount
                for i in 0..<wc { gradWeight[i] += partial[i] }
            }
        }
    }

    /// Runs `body(row, grads, at)` for every image of `images` (padded into `padded` first), block of 4 output channels,
    /// input channel and kernel row: `row` is the padded input row of that channel and kernel row at output row 0, `grads`
    /// the 4 output-gradient planes and `at` the index of the weight `[ob * 4][ci][ky][0]`.
    @inline(__always)
    static func forEachWeightRow(images: Range<Int>, shape s: Conv2DShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                 padded: UnsafeMutablePointer<Float>,
                                 _ body: (UnsafePointer<Float>, (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>), Int) -> Void) {
        let k = s.kernelHeight, p = s.padHeight, c = s.inChannels, o = s.outChannels, kk = k * k
        let hp = s.inHeight + 2 * p, wp = s.inWidth + 2 * p, ohw = s.outHeight * s.outWidth
        let hw = s.inHeight * s.inWidth
        for n in images {
            pad(input + n * c * hw, channels: c, h: s.inHeight, w: s.inWidth, pad: p, into: padded, bordersZeroed: n != images.lowerBound)
            let gout = gradOutput + n * o * ohw
            for ob in 0..<(o / 4) {
                let g0 = gout + ob * 4 * ohw, g1 = g0 + ohw, g2 = g1 + ohw, g3 = g2 + ohw
                for ci in 0..<c {
                    for ky in 0..<k { body(padded + (ci * hp + ky) * wp, (g0, g1, g2, g3), ((ob * 4) * c + ci) * kk + ky * k) }
                }
            }
        }
    }

    /// Adds the weight gradient of `images` to `gradWeight` for a 3x3 kernel: per kernel row, 4 output channels x 3 kernel
    /// columns (12 accumulators).
    static func weightGradient3(images: Range<Int>, shape s: Conv2DShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                padded: UnsafeMutablePointer<Float>, gradWeight: UnsafeMutablePointer<Float>) {
        let wp = s.inWidth + 2 * s.padHeight, oh = s.outHeight, ow = s.outWidth, os = s.inChannels * 9
        forEachWeightRow(images: images, shape: s, input: input, gradOutput: gradOutput, padded: padded) { rows, g, base in
            let (g0, g1, g2, g3) = g
            var a00 = V(), a01 = V(), a02 = V(), a10 = V(), a11 = V(), a12 = V()
            var a20 = V(), a21 = V(), a22 = V(), a30 = V(), a31 = V(), a32 = V()
            for y in 0..<oh {
                let row = rows + y * wp, gy = y * ow
                var x = 0
                while x < ow {
                    let v0 = load(row + x), v1 = load(row + x + 1), v2 = load(row + x + 2)
                    let q0 = load(g0 + gy + x), q1 = load(g1 + gy + x), q2 = load(g2 + gy + x), q3 = load(g3 + gy + x)
                    a00 = a00.addingProduct(q0, v0); a01 = a01.addingProduct(q0, v1); a02 = a02.addingProduct(q0, v2)
                    a10 = a10.addingProduct(q1, v0); a11 = a11.addingProduct(q1, v1); a12 = a12.addingProduct(q1, v2)
                    a20 = a20.addingProduct(q2, v0); a21 = a21.addingProduct(q2, v1); a22 = a22.addingProduct(q2, v2)
                    a30 = a30.addingProduct(q3, v0); a31 = a31.addingProduct(q3, v1); a32 = a32.addingProduct(q3, v2)
                    x += lanes
                }
            }
            gradWeight[base] += a00.sum(); gradWeight[base + 1] += a01.sum(); gradWeight[base + 2] += a02.sum()
            gradWeight[base + os] += a10.sum(); gradWeight[base + os + 1] += a11.sum(); gradWeight[base + os + 2] += a12.sum()
            gradWeight[base + 2 * os] += a20.sum(); gradWeight[base + 2 * os + 1] += a21.sum()
            gradWeight[base + 2 * os + 2] += a22.sum()
            gradWeight[base + 3 * os] += a30.sum(); gradWeight[base + 3 * os + 1] += a31.sum()
            gradWeight[base + 3 * os + 2] += a32.sum()
        }
    }

    /// The weight gradient for kernels other than 3x3: per kernel row, tiles of 4 output channels x 2 kernel columns
    /// (8 accumulators; a 4 x 1 loop ran 5x5 at about half the forward's rate, and 4 x 3 spilled registers). A function
    /// of its own: sharing one with the 3x3 loop changed that loop's register allocation (measured 2x slower).
    static func weightGradientTiled(images: Range<Int>, shape s: Conv2DShape, input: UnsafePointer<Float>,
                                    gradOutput: UnsafePointer<Float>, padded: UnsafeMutablePointer<Float>,
                                    gradWeight: UnsafeMutablePointer<Float>) {
        let k = s.kernelHeight, wp = s.inWidth + 2 * s.padHeight, os = s.inChannels * k * k
        forEachWeightRow(images: images, shape: s, input: input, gradOutput: gradOutput, padded: padded) { row, g, at in
            weightRow(row, k: k, wp: wp, grads: g, oh: s.outHeight, ow: s.outWidth, into: gradWeight + at, os: os)
        }
    }

    /// One kernel row of ``weightGradientTiled(images:shape:input:gradOutput:padded:gradWeight:)``.
    @inline(__always)
    static func weightRow(_ row: UnsafePointer<Float>, k: Int, wp: Int,
                          grads: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                          oh: Int, ow: Int, into gw: UnsafeMutablePointer<Float>, os: Int) {
        var kx = 0
        while kx < k {
            if k - kx >= 2 {
                weightTile(2, row: row + kx, wp: wp, grads: grads, oh: oh, ow: ow, into: gw + kx, os: os)
            } else {
                weightTile(1, row: row + kx, wp: wp, grads: grads, oh: oh, ow: ow, into: gw + kx, os: os)
            }
            kx += 2
        }
    }

    /// Adds to `gw[j * os + i]` (output channel j of 4, kernel column i of `n`, n = 1 or 2 a constant after inlining) the sum
    /// over the output positions of `grads.j[y, x] * row[y * wp + x + i]`: 4 x n accumulator vectors.
    @inline(__always)
    static func weightTile(_ n: Int, row: UnsafePointer<Float>, wp: Int,
                           grads: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                           oh: Int, ow: Int, into gw: UnsafeMutablePointer<Float>, os: Int) {
        var a = (V(), V(), V(), V()), b = (V(), V(), V(), V())
        let (g0, g1, g2, g3) = grads
        for y in 0..<oh {
            let r = row + y * wp, gy = y * ow
            var x = 0
            while x < ow {
                let q0 = load(g0 + gy + x), q1 = load(g1 + gy + x), q2 = load(g2 + gy + x), q3 = load(g3 + gy + x)
                let v0 = load(r + x)
                a.0 = a.0.addingProduct(q0, v0); a.1 = a.1.addingProduct(q1, v0); a.2 = a.2.addingProduct(q2, v0); a.3 = a.3.addingProduct(q3, v0)
                if n > 1 {
                    let v1 = load(r + x + 1)
                    b.0 = b.0.addingProduct(q0, v1); b.1 = b.1.addingProduct(q1, v1); b.2 = b.2.addingProduct(q2, v1); b.3 = b.3.addingProduct(q3, v1)
                }
                x += lanes
            }
        }
        gw[0] += a.0.sum(); gw[os] += a.1.sum(); gw[2 * os] += a.2.sum(); gw[3 * os] += a.3.sum()
        if n > 1 { gw[1] += b.0.sum(); gw[os + 1] += b.1.sum(); gw[2 * os + 1] += b.2.sum(); gw[3 * os + 1] += b.3.sum() }
    }
}
