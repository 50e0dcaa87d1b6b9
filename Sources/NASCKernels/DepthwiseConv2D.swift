// DepthwiseConv2D: direct (no GEMM) convolution for one input channel per group, forward and backward.

/// Depthwise convolution as a direct loop: output channel `oc` reads input channel
/// `oc / (outChannels / inChannels)`. The inner loops run over contiguous output rows
/// with precomputed valid ranges (no branches), so they autovectorize for stride 1.
/// Used by `Conv2D` when `shape.isDepthwise`; callable directly with such a shape.
public enum DepthwiseConv2D {
    /// `output = conv(input, weight) + bias` for a depthwise shape.
    public static func forward(shape s: Conv2DShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        let kh0 = s.kernelHeight, kw0 = s.kernelWidth, sw = s.strideWidth
        let mult = s.outChannels / s.inChannels
        withColumnRanges(s) { ranges in
          Parallel.forEach(s.batch, minChunk: minImages(s)) { images in
            for n in images {
                for oc in 0..<s.outChannels {
                    let inPlane = input + (n * s.inChannels + oc / mult) * h * w
                    let outPlane = output + (n * s.outChannels + oc) * oh0 * ow0
                    let wk = weight + oc * kh0 * kw0
                    outPlane.update(repeating: bias?[oc] ?? 0, count: oh0 * ow0)
                    for oh in 0..<oh0 {
                        let dst = outPlane + oh * ow0
                        for kh in 0..<kh0 {
                            let ih = oh * s.strideHeight + kh * s.dilationHeight - s.padHeight
                            if ih < 0 || ih >= h { continue }
                            let src = inPlane + ih * w
                            for kw in 0..<kw0 {
                                let offW = kw * s.dilationWidth - s.padWidth
                                let lo = ranges[2 * kw], hi = ranges[2 * kw + 1]
                                let wv = wk[kh * kw0 + kw]
                                if sw == 1 {
                                    let shifted = src + offW
                                    for ow in lo..<hi { dst[ow] += wv * shifted[ow] }
                                } else {
                                    let shifted = src + offW
                                    for ow in lo..<hi { dst[ow] += wv * shifted[ow &* sw] }
                                }
                            }
                        }
                    }
                }
            }
        }
        }
    }

    /// Runs `body` with the valid output-column range `[ranges[2 kw], ranges[2 kw + 1])` of every kernel
    /// column, computed once per call (stack-allocated; keeps integer divisions out of the inner loops).
    @inline(__always)
    static func withColumnRanges(_ s: Conv2DShape, _ body: (UnsafeMutablePointer<Int>) -> Void) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * s.kernelWidth) { buffer in
            guard let ranges = buffer.baseAddress else { return }
            for kw in 0..<s.kernelWidth {
                let r = Im2Col.validRange(offset: kw * s.dilationWidth - s.padWidth, stride: s.strideWidth,
                                          inSize: s.inWidth, outSize: s.outWidth)
                ranges[2 * kw] = r.lo
                ranges[2 * kw + 1] = r.hi
            }
            body(ranges)
        }
    }

    /// Gradient w.r.t. the input. Overwrites `gradInput` unless `accumulate` is true.
    public static func backwardInput(shape s: Conv2DShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        let kh0 = s.kernelHeight, kw0 = s.kernelWidth, sw = s.strideWidth
        let mult = s.outChannels / s.inChannels
        withColumnRanges(s) { ranges in
          Parallel.forEach(s.batch, minChunk: minImages(s)) { images in
            let imageSize = s.inChannels * h * w
            if !accumulate, !images.isEmpty { (gradInput + images.lowerBound * imageSize).update(repeating: 0, count: images.count * imageSize) }
            for n in images {
                for oc in 0..<s.outChannels {
                    let gin = gradInput + (n * s.inChannels + oc / mult) * h * w
                    let gout = gradOutput + (n * s.outChannels + oc) * oh0 * ow0
                    let wk = weight + oc * kh0 * kw0
                    for oh in 0..<oh0 {
                        let src = gout + oh * ow0
                        for kh in 0..<kh0 {
                            let ih = oh * s.strideHeight + kh * s.dilationHeight - s.padHeight
                            if ih < 0 || ih >= h { continue }
                            let dst = gin + ih * w
                            for kw in 0..<kw0 {
                                let offW = kw * s.dilationWidth - s.padWidth
                                let lo = ranges[2 * kw], hi = ranges[2 * kw + 1]
                                let wv = wk[kh * kw0 + kw]
                                if sw == 1 {
                                    let shifted = dst + offW
                                    for ow in lo..<hi { shifted[ow] += wv * src[ow] }
                                } else {
                                    let shifted = dst + offW
                                    for ow in lo..<hi { shifted[ow &* sw] += wv * src[ow] }
                                }
                            }
                        }
                    }
                }
            }
        }
        }
    }

    /// Gradient w.r.t. the weight (summed over the batch). Overwrites `gradWeight` unless `accumulate` is true.
    public static func backwardWeight(shape s: Conv2DShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        let kh0 = s.kernelHeight, kw0 = s.kernelWidth, sw = s.strideWidth
        let mult = s.outChannels / s.inChannels
        if !accumulate { gradWeight.update(repeating: 0, count: s.weightCount) }
        // Output channels are independent; each still sums its images in batch order (the serial order).
        Parallel.forEach(s.outChannels, minChunk: max(1, 16_384 / max(1, s.batch * oh0 * ow0))) { channels in
        for n in 0..<s.batch {
            for oc in channels {
                let inPlane = input + (n * s.inChannels + oc / mult) * h * w
                let gout = gradOutput + (n * s.outChannels + oc) * oh0 * ow0
                let gw = gradWeight + oc * kh0 * kw0
                for kh in 0..<kh0 {
                    let offH = kh * s.dilationHeight - s.padHeight
                    let rh = Im2Col.validRange(offset: offH, stride: s.strideHeight, inSize: h, outSize: oh0)
                    for kw in 0..<kw0 {
                        let offW = kw * s.dilationWidth - s.padWidth
                        let r = Im2Col.validRange(offset: offW, stride: sw, inSize: w, outSize: ow0)
                        var acc: Float = 0
                        for oh in rh.lo..<rh.hi {
                            let src = inPlane + (oh * s.strideHeight + offH) * w
                            let g = gout + oh * ow0
                            if sw == 1 {
                                acc += ChannelReduce.rowDot(g + r.lo, src + (r.lo + offW), count: r.hi - r.lo)
                            } else {
                                var rowSum: Float = 0
                                let shifted = src + offW
                                for ow in r.lo..<r.hi { rowSum += g[ow] * shifted[ow &* sw] }
                                acc += rowSum
                            }
                        }
                        gw[kh * kw0 + kw] += acc
                    }
                }
            }
        }
        }
    }

    /// Fewest images per worker: enough output values (~16k) to pay for waking a worker.
    @inline(__always) static func minImages(_ s: Conv2DShape) -> Int { max(1, 16_384 / max(1, s.outChannels * s.outHeight * s.outWidth)) }
}
