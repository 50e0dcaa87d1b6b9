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
        for p in 0..<(s.batch * s.channels) {
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
        }
    }

    /// Backward: spreads each output gradient evenly (by the same divisor) over its window.
    /// Overwrites `gradInput` unless `accumulate`.
    public static func backward(shape s: Pool2DShape, countIncludePad: Bool, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let oh0 = s.outHeight, ow0 = s.outWidth, h = s.inHeight, w = s.inWidth
        if !accumulate { gradInput.update(repeating: 0, count: s.inputCount) }
        for p in 0..<(s.batch * s.channels) {
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
