// Conv1D: 1-D convolution over time of channels-last sequences [N,T,C] (stride, padding, dilation, groups) as im2col +
// sgemm over chunks of samples, forward and backward; weight in PyTorch's layout [out, C/groups, kernel].
import COpenBLAS

/// Geometry of a 1-D convolution: input `[batch, length, inChannels]`, weight `[outChannels, inChannels/groups, kernel]`,
/// output `[batch, outLength, outChannels]` (batch first, channels last).
public struct Conv1DShape: Sendable, Hashable {
    public var batch: Int, length: Int, inChannels: Int, outChannels: Int
    public var kernel: Int, stride: Int, padding: Int, dilation: Int, groups: Int

    /// Creates a geometry (symmetric zero padding).
    public init(batch: Int, length: Int, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1) {
        self.batch = batch; self.length = length; self.inChannels = inChannels; self.outChannels = outChannels
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }

    /// `(T + 2p - d(k-1) - 1) / s + 1`.
    public var outLength: Int { (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 }
    /// Weight elements.
    public var weightCount: Int { outChannels * (inChannels / groups) * kernel }
    /// Whether the input is its own im2col matrix (kernel 1, stride 1, no padding).
    var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }
    /// Width of an im2col row: every input channel times every kernel tap, `c * kernel + j`.
    var columns: Int { inChannels * kernel }
}

/// 1-D convolution kernels. Rows of the im2col matrix are output steps of consecutive samples, so one `sgemm` per
/// group covers a chunk of samples; the weight's `[C/groups, kernel]` block of group `g` multiplies columns
/// `g * C/groups * kernel ..< (g + 1) * C/groups * kernel`.
public enum Conv1D {
    /// Samples per im2col chunk: about 1M floats of columns, at least one sample.
    static func chunk(_ s: Conv1DShape) -> Int { max(1, (1 << 20) / max(1, s.outLength * s.columns)) }

    /// Unfolds samples `n0 ..< n0 + count` into `col` (`[count * outLength, columns]`).
    static func im2col(_ s: Conv1DShape, _ x: UnsafePointer<Float>, _ n0: Int, _ count: Int, _ col: UnsafeMutablePointer<Float>) {
        let to = s.outLength, c = s.inChannels, k = s.kernel, w = s.columns
        for n in 0..<count {
            let xs = x + (n0 + n) * s.length * c
            for t in 0..<to {
                let row = col + (n * to + t) * w
                for j in 0..<k {
                    let ti = t * s.stride - s.padding + j * s.dilation
                    if ti < 0 || ti >= s.length {
                        for ch in 0..<c { row[ch * k + j] = 0 }
                    } else {
                        let src = xs + ti * c
                        for ch in 0..<c { row[ch * k + j] = src[ch] }
                    }
                }
            }
        }
    }

    /// Adds the columns `gcol` of samples `n0 ..< n0 + count` back onto their input steps in `gx`.
    static func col2im(_ s: Conv1DShape, _ gcol: UnsafePointer<Float>, _ n0: Int, _ count: Int, _ gx: UnsafeMutablePointer<Float>) {
        let to = s.outLength, c = s.inChannels, k = s.kernel, w = s.columns
        for n in 0..<count {
            let xs = gx + (n0 + n) * s.length * c
            for t in 0..<to {
                let row = gcol + (n * to + t) * w
                for j in 0..<k {
                    let ti = t * s.stride - s.padding + j * s.dilation
                    guard ti >= 0, ti < s.length else { continue }
                    let dst = xs + ti * c
                    for ch in 0..<c { dst[ch] += row[ch * k + j] }
                }
            }
        }
    }

    /// `output = conv1d(input, weight) + bias`.
    public static func forward(shape s: Conv1DShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let to = s.outLength, cg = s.inChannels / s.groups, og = s.outChannels / s.groups, kd = cg * s.kernel
        let per = chunk(s)
        Parallel.forEach(s.batch, minChunk: 1) { samples in
            let col = s.isPointwise ? nil : ThreadScratch.floats(min(per, samples.count) * to * s.columns)
            var n0 = samples.lowerBound
            while n0 < samples.upperBound {
                let count = min(per, samples.upperBound - n0), rows = count * to
                let y = output + n0 * to * s.outChannels
                if let bias { for r in 0..<rows { (y + r * s.outChannels).update(from: bias, count: s.outChannels) } }
                let a: UnsafePointer<Float>
                if let col { im2col(s, input, n0, count, col); a = UnsafePointer(col) } else { a = input + n0 * s.length * s.inChannels }
                for g in 0..<s.groups {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(og), Int32(kd), 1,
                                a + g * kd, Int32(s.columns), weight + g * og * kd, Int32(kd), bias == nil ? 0 : 1,
                                y + g * og, Int32(s.outChannels))
                }
                n0 += count
            }
        }
    }

    /// `gradInput (+)= conv1d_transpose(gradOutput, weight)`. Overwrites unless `accumulate`.
    public static func backwardInput(shape s: Conv1DShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let to = s.outLength, cg = s.inChannels / s.groups, og = s.outChannels / s.groups, kd = cg * s.kernel
        let per = chunk(s)
        Parallel.forEach(s.batch, minChunk: 1) { samples in
            if !accumulate && !s.isPointwise {
                (gradInput + samples.lowerBound * s.length * s.inChannels).update(repeating: 0, count: samples.count * s.length * s.inChannels)
            }
            let gcol = s.isPointwise ? nil : ThreadScratch.floats(min(per, samples.count) * to * s.columns)
            var n0 = samples.lowerBound
            while n0 < samples.upperBound {
                let count = min(per, samples.upperBound - n0), rows = count * to
                let gy = gradOutput + n0 * to * s.outChannels
                let target = gcol ?? gradInput + n0 * s.length * s.inChannels
                let beta: Float = gcol == nil && accumulate ? 1 : 0
                for g in 0..<s.groups {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(kd), Int32(og), 1,
                                gy + g * og, Int32(s.outChannels), weight + g * og * kd, Int32(kd), beta,
                                target + g * kd, Int32(s.columns))
                }
                if let gcol { col2im(s, gcol, n0, count, gradInput) }
                n0 += count
            }
        }
    }

    /// `gradWeight (+)= sum over the batch of gradOutput^T * im2col(input)`. Overwrites unless `accumulate`.
    public static func backwardWeight(shape s: Conv1DShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let to = s.outLength, cg = s.inChannels / s.groups, og = s.outChannels / s.groups, kd = cg * s.kernel
        let per = chunk(s), wc = s.weightCount
        // Worker 0 sums into gradWeight, worker t > 0 into its own partial, added at the end.
        let parts = Parallel.parts(s.batch, minChunk: max(1, per / 2))
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: max(1, (parts - 1) * wc))
        defer { partials.deallocate() }
        Parallel.run(parts) { t in
            let samples = Parallel.chunk(t, of: parts, count: s.batch)
            let target = t == 0 ? gradWeight : partials + (t - 1) * wc
            var first = !(t == 0 && accumulate)
            if samples.isEmpty { if first { target.update(repeating: 0, count: wc) }; return }
            let col = s.isPointwise ? nil : ThreadScratch.floats(min(per, samples.count) * to * s.columns)
            var n0 = samples.lowerBound
            while n0 < samples.upperBound {
                let count = min(per, samples.upperBound - n0), rows = count * to
                let gy = gradOutput + n0 * to * s.outChannels
                let b: UnsafePointer<Float>
                if let col { im2col(s, input, n0, count, col); b = UnsafePointer(col) } else { b = input + n0 * s.length * s.inChannels }
                for g in 0..<s.groups {
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(og), Int32(kd), Int32(rows), 1,
                                gy + g * og, Int32(s.outChannels), b + g * kd, Int32(s.columns), first ? 0 : 1,
                                target + g * og * kd, Int32(kd))
                }
                first = false
                n0 += count
            }
        }
        for t in 1..<max(parts, 1) { for i in 0..<wc { gradWeight[i] += partials[(t - 1) * wc + i] } }
    }
}
