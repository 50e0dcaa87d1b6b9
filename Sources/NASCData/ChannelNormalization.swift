// ChannelNormalization: per-channel mean/std statistics fitted on a training split and applied to any split.
import NASCIR

/// Per-channel normalization `x' = (x - mean[c]) / std[c]`.
///
/// Channels are the first sample dimension for images (`[C, H, W]`, any rank >= 2) and the individual
/// features for tabular samples (`[F]`). Statistics are population mean and standard deviation computed in
/// double precision; a constant channel (std 0) is left unscaled (std treated as 1).
public struct ChannelNormalization: Sendable, Hashable {
    /// Mean per channel.
    public var mean: [Float]
    /// Standard deviation per channel (never 0).
    public var std: [Float]

    /// Creates a normalization from given statistics (e.g. published ImageNet/CIFAR values).
    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std.map { $0 == 0 ? 1 : $0 }
    }

    /// Number of channels a sample shape has under this convention.
    public static func channels(of sampleShape: [Int]) -> Int { sampleShape.first ?? 1 }

    /// Computes the statistics of `dataset` (normally the training split).
    public static func fit(_ dataset: Dataset) -> ChannelNormalization {
        let shape = dataset.sampleShape
        let c = channels(of: shape)
        let inner = shape.count >= 2 ? shape.dropFirst().reduce(1, *) : 1
        let size = dataset.sampleSize
        var sum = [Double](repeating: 0, count: c)
        var sumSq = [Double](repeating: 0, count: c)
        dataset.features.withUnsafeBufferPointer { f in
            for s in 0..<dataset.count {
                for ch in 0..<c {
                    let base = s * size + ch * inner
                    var a = 0.0, b = 0.0
                    for k in 0..<inner { let v = Double(f[base + k]); a += v; b += v * v }
                    sum[ch] += a
                    sumSq[ch] += b
                }
            }
        }
        let n = Double(max(1, dataset.count * inner))
        var mean = [Float](repeating: 0, count: c)
        var std = [Float](repeating: 1, count: c)
        for ch in 0..<c {
            let m = sum[ch] / n
            let v = max(0, sumSq[ch] / n - m * m)
            mean[ch] = Float(m)
            std[ch] = Float(v.squareRoot())
        }
        return ChannelNormalization(mean: mean, std: std)
    }

    /// Normalizes `dataset` in place.
    ///
    /// - Throws: ``DiagnosticError`` at the data set's source when its channel count differs from these statistics.
    public func apply(to dataset: inout Dataset) throws {
        let shape = dataset.sampleShape
        let c = ChannelNormalization.channels(of: shape)
        guard c == mean.count, c == std.count else {
            throw DiagnosticError(.error(
                "normalization has \(mean.count) channels but samples of shape \(Dataset.format(shape)) have \(c)",
                at: SourceLocation(file: dataset.source)))
        }
        let inner = shape.count >= 2 ? shape.dropFirst().reduce(1, *) : 1
        let size = dataset.sampleSize
        let count = dataset.count
        let mean = self.mean
        let inv = std.map { 1 / $0 }
        try dataset.withMutableFeatures { features in
            features.withUnsafeMutableBufferPointer { f in
                for s in 0..<count {
                    for ch in 0..<c {
                        let base = s * size + ch * inner
                        let m = mean[ch], k = inv[ch]
                        for i in 0..<inner { f[base + i] = (f[base + i] - m) * k }
                    }
                }
            }
        }
    }
}
