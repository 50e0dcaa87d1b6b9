// SequencePool: global max or average pooling over time of [N,T,D] sequences, skipping padding positions.

/// Which reduction a ``SequencePool`` computes.
public enum SequencePoolKind: Sendable, Hashable {
    case max, mean
}

/// Geometry of a sequence pool: `batch` sequences of `length` steps of `features` values (`[N,T,D]`, batch first).
public struct SequencePoolShape: Sendable, Hashable {
    public var batch: Int
    public var length: Int
    public var features: Int

    /// Creates a geometry.
    public init(batch: Int, length: Int, features: Int) {
        self.batch = batch
        self.length = length
        self.features = features
    }
}

/// Global pooling over the time axis: `[N,T,D]` to `[N,D]`. With `ids` (`[N,T]` token ids), steps whose id is
/// `paddingID` are left out: the mean divides by the number of real tokens, the max looks only at them. A sequence
/// with no real token pools to 0 (and passes no gradient).
public enum SequencePool {
    /// Forward. `indices` (`[N,D]`, max only) receives the time step each maximum came from (-1 for an empty sequence).
    public static func forward(_ kind: SequencePoolKind, shape s: SequencePoolShape, input: UnsafePointer<Float>,
                               ids: UnsafePointer<Int64>?, paddingID: Int64 = 0, output: UnsafeMutablePointer<Float>,
                               indices: UnsafeMutablePointer<Int32>?) {
        let t0 = s.length, d0 = s.features
        Parallel.forEach(s.batch, minChunk: max(1, 16_384 / max(1, t0 * d0))) { samples in
            for n in samples {
                let x = input + n * t0 * d0, y = output + n * d0
                func valid(_ t: Int) -> Bool { ids.map { $0[n * t0 + t] != paddingID } ?? true }
                switch kind {
                case .mean:
                    y.update(repeating: 0, count: d0)
                    var count = 0
                    for t in 0..<t0 where valid(t) {
                        count += 1
                        for j in 0..<d0 { y[j] += x[t * d0 + j] }
                    }
                    if count > 0 {
                        let inv = 1 / Float(count)
                        for j in 0..<d0 { y[j] *= inv }
                    }
                case .max:
                    let idx = indices! + n * d0
                    idx.update(repeating: -1, count: d0)
                    y.update(repeating: 0, count: d0)
                    for t in 0..<t0 where valid(t) {
                        for j in 0..<d0 where idx[j] < 0 || x[t * d0 + j] > y[j] {
                            y[j] = x[t * d0 + j]
                            idx[j] = Int32(t)
                        }
                    }
                }
            }
        }
    }

    /// Backward: the mean spreads `gradOutput[n, j] / count` over the real steps; the max sends it to the step in
    /// `indices`. Overwrites `gradInput` unless `accumulate`.
    public static func backward(_ kind: SequencePoolKind, shape s: SequencePoolShape, gradOutput: UnsafePointer<Float>,
                                ids: UnsafePointer<Int64>?, paddingID: Int64 = 0, indices: UnsafePointer<Int32>?,
                                gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let t0 = s.length, d0 = s.features
        Parallel.forEach(s.batch, minChunk: max(1, 16_384 / max(1, t0 * d0))) { samples in
            for n in samples {
                let gx = gradInput + n * t0 * d0, gy = gradOutput + n * d0
                if !accumulate { gx.update(repeating: 0, count: t0 * d0) }
                switch kind {
                case .mean:
                    var count = 0
                    for t in 0..<t0 where ids.map({ $0[n * t0 + t] != paddingID }) ?? true { count += 1 }
                    guard count > 0 else { continue }
                    let inv = 1 / Float(count)
                    for t in 0..<t0 where ids.map({ $0[n * t0 + t] != paddingID }) ?? true {
                        for j in 0..<d0 { gx[t * d0 + j] += gy[j] * inv }
                    }
                case .max:
                    let idx = indices! + n * d0
                    for j in 0..<d0 where idx[j] >= 0 { gx[Int(idx[j]) * d0 + j] += gy[j] }
                }
            }
        }
    }
}
