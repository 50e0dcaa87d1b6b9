// Im2Col: unfolds one image group into a column matrix for conv-as-GEMM, and folds columns back (col2im).

/// im2col / col2im for one image and one channel group.
/// Inner loops index shifted base pointers (no checked `+` in the index) so they autovectorize.
/// The column matrix has `groupInChannels * kernelHeight * kernelWidth` rows and `outHeight * outWidth`
/// columns; row `(c * KH + kh) * KW + kw`, column `oh * OW + ow` holds input
/// `[c, oh * sh - ph + kh * dh, ow * sw - pw + kw * dw]` (zero outside the image).
enum Im2Col {
    /// The output positions `lo..<hi` whose input index `o * stride + offset` lies in `0..<inSize`.
    @inline(__always)
    static func validRange(offset: Int, stride: Int, inSize: Int, outSize: Int) -> (lo: Int, hi: Int) {
        let lo = offset < 0 ? min(outSize, (-offset + stride - 1) / stride) : 0
        let top = inSize - 1 - offset
        let hi = top < 0 ? 0 : min(outSize, top / stride + 1)
        return (lo, max(lo, hi))
    }

    /// The GEMM operand of one image (group): its im2col columns written into `scratch`, or the image itself for a
    /// pointwise convolution (`scratch == nil`), whose input already is the `[C, H*W]` column matrix.
    static func columns(shape s: Conv2DShape, image: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        guard let scratch else { return image }
        im2col(shape: s, image: image, columns: scratch)
        return UnsafePointer(scratch)
    }

    /// Unfolds `image` (`groupInChannels` planes of `inHeight * inWidth`) into `columns`.
    static func im2col(shape s: Conv2DShape, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let oh0 = s.outHeight, ow0 = s.outWidth, ohw = oh0 * ow0
        let h = s.inHeight, w = s.inWidth, sw = s.strideWidth
        for c in 0..<s.groupInChannels {
            let plane = image + c * h * w
            for kh in 0..<s.kernelHeight {
                let offH = kh * s.dilationHeight - s.padHeight
                let rh = validRange(offset: offH, stride: s.strideHeight, inSize: h, outSize: oh0)
                for kw in 0..<s.kernelWidth {
                    let row = columns + ((c * s.kernelHeight + kh) * s.kernelWidth + kw) * ohw
                    let offW = kw * s.dilationWidth - s.padWidth
                    let rw = validRange(offset: offW, stride: sw, inSize: w, outSize: ow0)
                    if rh.lo > 0 { row.update(repeating: 0, count: rh.lo * ow0) }
                    for oh in rh.lo..<rh.hi {
                        let dst = row + oh * ow0
                        let src = plane + (oh * s.strideHeight + offH) * w
                        for ow in 0..<rw.lo { dst[ow] = 0 }
                        if sw == 1 {
                            let shifted = src + offW
                            for ow in rw.lo..<rw.hi { dst[ow] = shifted[ow] }
                        } else {
                            let shifted = src + offW
                            for ow in rw.lo..<rw.hi { dst[ow] = shifted[ow &* sw] }
                        }
                        for ow in rw.hi..<ow0 { dst[ow] = 0 }
                    }
                    if rh.hi < oh0 { (row + rh.hi * ow0).update(repeating: 0, count: (oh0 - rh.hi) * ow0) }
                }
            }
        }
    }

    /// Folds `columns` back onto `image`, adding every column entry to the input element it came from.
    static func col2im(shape s: Conv2DShape, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
        let oh0 = s.outHeight, ow0 = s.outWidth, ohw = oh0 * ow0
        let h = s.inHeight, w = s.inWidth, sw = s.strideWidth
        for c in 0..<s.groupInChannels {
            let plane = image + c * h * w
            for kh in 0..<s.kernelHeight {
                let offH = kh * s.dilationHeight - s.padHeight
                let rh = validRange(offset: offH, stride: s.strideHeight, inSize: h, outSize: oh0)
                for kw in 0..<s.kernelWidth {
                    let row = columns + ((c * s.kernelHeight + kh) * s.kernelWidth + kw) * ohw
                    let offW = kw * s.dilationWidth - s.padWidth
                    let rw = validRange(offset: offW, stride: sw, inSize: w, outSize: ow0)
                    for oh in rh.lo..<rh.hi {
                        let src = row + oh * ow0
                        let dst = plane + (oh * s.strideHeight + offH) * w
                        if sw == 1 {
                            let shifted = dst + offW
                            for ow in rw.lo..<rw.hi { shifted[ow] += src[ow] }
                        } else {
                            let shifted = dst + offW
                            for ow in rw.lo..<rw.hi { shifted[ow &* sw] += src[ow] }
                        }
                    }
                }
            }
        }
    }
}
