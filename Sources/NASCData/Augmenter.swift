// Augmenter: seeded random crop (with zero padding) and horizontal flip, applied batch-wise into a caller buffer.
import NASCIR

/// Which augmentations to apply to image samples of shape `[C, H, W]`.
public struct Augmentation: Sendable, Hashable {
    /// Random crop: pad by this many zero pixels on each side, then crop back to `H x W` at a random offset;
    /// 0 disables it.
    public var cropPadding: Int
    /// Mirror each sample left-right with probability 1/2.
    public var horizontalFlip: Bool

    /// Creates an augmentation setting (none by default).
    public init(cropPadding: Int = 0, horizontalFlip: Bool = false) {
        self.cropPadding = cropPadding
        self.horizontalFlip = horizontalFlip
    }

    /// True when nothing is applied.
    public var isIdentity: Bool { cropPadding == 0 && !horizontalFlip }
}

/// Applies an ``Augmentation`` to batches with its own seeded generator. ``apply(source:destination:samples:)``
/// does no allocation, so it can run inside the training loop.
public struct Augmenter: Sendable {
    /// The augmentations applied.
    public let augmentation: Augmentation
    /// Channels, height and width of a sample.
    public let channels: Int, height: Int, width: Int
    /// The generator; its state can be saved and restored with a checkpoint.
    public var generator: SeededGenerator

    /// Creates an augmenter for samples of `sampleShape`.
    ///
    /// - Throws: ``DiagnosticError`` when crop or flip is requested for samples that are not `[C, H, W]`, or the
    ///   padding is negative.
    public init(_ augmentation: Augmentation, sampleShape: [Int], seed: UInt64) throws {
        guard augmentation.cropPadding >= 0 else {
            throw DiagnosticError(.error("crop padding must not be negative, got \(augmentation.cropPadding)"))
        }
        guard let size = Dataset.checkedElementCount(sampleShape), size > 0 else {
            throw DiagnosticError(.error("invalid sample shape \(Dataset.format(sampleShape))"))
        }
        if !augmentation.isIdentity && sampleShape.count != 3 {
            throw DiagnosticError(.error(
                "random crop and flip need image samples [C,H,W], got \(Dataset.format(sampleShape))"))
        }
        self.augmentation = augmentation
        if sampleShape.count == 3 {
            (channels, height, width) = (sampleShape[0], sampleShape[1], sampleShape[2])
        } else {
            (channels, height, width) = (1, 1, size)
        }
        guard augmentation.cropPadding <= max(height, width) else {
            throw DiagnosticError(.error(
                "crop padding \(augmentation.cropPadding) is larger than the \(height)x\(width) image"))
        }
        self.generator = SeededGenerator(seed: seed, stream: 0xA06)
    }

    /// Restarts the random stream for `epoch` so augmentations depend only on the seed and the epoch.
    public mutating func reset(seed: UInt64, epoch: Int) {
        generator = SeededGenerator(seed: seed ^ 0xA06_A06, stream: UInt64(truncatingIfNeeded: epoch))
    }

    /// Writes augmented copies of `samples` consecutive samples from `source` to `destination`
    /// (both `samples * C * H * W` floats, not overlapping).
    public mutating func apply(source: UnsafePointer<Float>, destination: UnsafeMutablePointer<Float>, samples: Int) {
        let size = channels * height * width
        if augmentation.isIdentity {
            destination.update(from: source, count: samples * size)
            return
        }
        let p = augmentation.cropPadding
        for s in 0..<samples {
            // Offsets in the padded image: the crop starts at (dy, dx) in 0...2p.
            let dy = p > 0 ? generator.nextInt(below: 2 * p + 1) - p : 0
            let dx = p > 0 ? generator.nextInt(below: 2 * p + 1) - p : 0
            let flip = augmentation.horizontalFlip && (generator.next() >> 63) == 1
            let src = source + s * size
            let dst = destination + s * size
            for c in 0..<channels {
                let plane = c * height * width
                for y in 0..<height {
                    let sy = y + dy
                    let row = dst + plane + y * width
                    if sy < 0 || sy >= height {
                        row.update(repeating: 0, count: width)
                        continue
                    }
                    let srow = src + plane + sy * width
                    for x in 0..<width {
                        let sx = (flip ? width - 1 - x : x) + dx
                        row[x] = (sx >= 0 && sx < width) ? srow[sx] : 0
                    }
                }
            }
        }
    }
}
