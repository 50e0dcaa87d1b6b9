// Pool1D: max or average pooling over windows of time of channels-last sequences [N,T,C], skipping padding tokens.

/// Geometry of a pool over time: input `[batch, length, channels]`, windows of `kernel` steps every `stride` steps over
/// the sequence padded by `padding` steps on each side, output `[batch, outLength, channels]`.
public struct Pool1DShape: Sendable, Hashable {
    public var batch: Int, length: Int, channels: Int, kernel: Int, stride: Int, padding: Int

    /// Creates a geometry.
    public init(batch: Int, length: Int, channels: Int, kernel: Int, stride: Int, padding: Int = 0) {
        self.batch = batch; self.length = length; self.channels = channels
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }

    /// `(T + 2p - k) / s + 1`.
    public var outLength: Int { (length + 2 * padding - kernel) / stride + 1 }
}

/// Pooling over windows of time. A window looks only at the steps inside the sequence whose token id (when `ids`,
/// `[N,T]`, is given) is not `paddingID`: the max takes the largest of them, the mean divides by their number (padded
/// steps never count, unlike PyTorch's default `count_include_pad`). A window with no such step gives 0 (and passes no
/// gradient), as the global pools do for an empty sequence.
public enum Pool1D {
    /// Forward. `indices` (`[N,T',C]`, max only) receives the step each maximum came from (-1 for an empty window).
    public static func forward(_ kind: SequencePoolKind, shape s: Pool1DShape, input: UnsafePointer<Float>,
                               ids: UnsafePointer<Int64>?, paddingID: Int64 = 0, output: UnsafeMutablePointer<Float>,
                               indices: UnsafeMutablePointer<Int32>?) {
        let t0 = s.length, c = s.channels, to = s.outLength
        Parallel.forEach(s.batch, minChunk: max(1, 16_384 / max(1, to * c * s.kernel))) { samples in
            for n in samples {
                let x = input + n * t0 * c
                for t in 0..<to {
                    let y = output + (n * to + t) * c
                    y.update(repeating: 0, count: c)
                    let lo = max(0, t * s.stride - s.padding), hi = min(t0, t * s.stride - s.padding + s.kernel)
                    switch kind {
                    case .mean:
                        var count = 0
                        for ti in lo..<max(lo, hi) where ids.map({ $0[n * t0 + ti] != paddingID }) ?? true {
                            count += 1
                            for j in 0..<c { y[j] += x[ti * c + j] }
                        }
                        if count > 1 {
                            let inv = 1 / Float(count)
                            for j in 0..<c { y[j] *= inv }
                        }
                    case .max:
                        let idx = indices! + (n * to + t) * c
                        idx.update(repeating: -1, count: c)
                        for ti in lo..<max(lo, hi) where ids.map({ $0[n * t0 + ti] != paddingID }) ?? true {
                            for j in 0..<c where idx[j] < 0 || x[ti * c + j] > y[j] {
                                y[j] = x[ti * c + j]
                                idx[j] = Int32(ti)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Backward: the mean spreads each output gradient over its window's counted steps, the max sends it to the step
    /// in `indices`. Overwrites `gradInput` unless `accumulate`.
    public static func backward(_ kind: SequencePoolKind, shape s: Pool1DShape, gradOutput: UnsafePointer<Float>,
                                ids: UnsafePointer<Int64>?, paddingID: Int64 = 0, indices: UnsafePointer<Int32>?,
                                gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let t0 = s.length, c = s.channels, to = s.outLength
        Parallel.forEach(s.batch, minChunk: max(1, 16_384 / max(1, to * c * s.kernel))) { samples in
            for n in samples {
                let gx = gradInput + n * t0 * c
                if !accumulate { gx.update(repeating: 0, count: t0 * c) }
                for t in 0..<to {
                    let gy = gradOutput + (n * to + t) * c
                    switch kind {
                    case .mean:
                        let lo = max(0, t * s.stride - s.padding), hi = min(t0, t * s.stride - s.padding + s.kernel)
                        func counted(_ ti: Int) -> Bool { ids.map { $0[n * t0 + ti] != paddingID } ?? true }
                        var count = 0
                        for ti in lo..<max(lo, hi) where counted(ti) { count += 1 }
                        guard count > 0 else { continue }
                        let inv = 1 / Float(count)
                        for ti in lo..<max(lo, hi) where counted(ti) {
                            for j in 0..<c { gx[ti * c + j] += gy[j] * inv }
                        }
                    case .max:
                        let idx = indices! + (n * to + t) * c
                        for j in 0..<c where idx[j] >= 0 { gx[Int(idx[j]) * c + j] += gy[j] }
                    }
                }
            }
        }
    }
}
