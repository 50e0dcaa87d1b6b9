// BatchLoader: an epoch iterator that gathers (and optionally augments) batches into caller-provided buffers.
import NASCIR

/// Walks a data set batch by batch: per-epoch seeded order from a ``Batcher``, samples gathered into the
/// caller's buffers, and an optional ``Augmentation`` applied on the way. After `init` nothing is allocated per
/// batch. Every epoch's order and augmentations depend only on the seed and the epoch number, so a run resumed
/// at an epoch boundary replays exactly.
public struct BatchLoader: Sendable {
    /// The data being iterated.
    public let dataset: Dataset
    /// The batch plan.
    public let batcher: Batcher
    /// The current epoch (set by ``startEpoch(_:)``).
    public private(set) var epoch: Int = 0
    /// Index of the next batch within the epoch.
    public private(set) var nextBatch: Int = 0
    private var order: [Int]
    private var augmenter: Augmenter?
    private var scratch: [Float]
    private let seed: UInt64

    /// Creates a loader and starts epoch 0.
    ///
    /// - Throws: ``DiagnosticError`` for an invalid batch size, or an augmentation the sample shape cannot take.
    public init(dataset: Dataset, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64 = 0,
                augmentation: Augmentation = Augmentation()) throws {
        self.dataset = dataset
        self.batcher = try Batcher(count: dataset.count, batchSize: batchSize, dropLast: dropLast, shuffle: shuffle, seed: seed)
        self.seed = seed
        if augmentation.isIdentity {
            augmenter = nil
            scratch = []
        } else {
            augmenter = try Augmenter(augmentation, sampleShape: dataset.sampleShape, seed: seed)
            scratch = [Float](repeating: 0, count: batchSize * dataset.sampleSize)
        }
        order = batcher.order(epoch: 0)
        startEpoch(0)
    }

    /// Batches per epoch.
    public var batchesPerEpoch: Int { batcher.batchesPerEpoch }

    /// Floats the feature buffer must hold: `batchSize * sampleSize`.
    public var featureCapacity: Int { batcher.batchSize * dataset.sampleSize }

    /// Rewinds to the first batch of `epoch` with that epoch's order and augmentation stream.
    public mutating func startEpoch(_ epoch: Int) {
        self.epoch = epoch
        nextBatch = 0
        order = batcher.order(epoch: epoch)
        augmenter?.reset(seed: seed, epoch: epoch)
    }

    /// Writes the next batch of the epoch: features (``featureCapacity`` floats), labels (classification,
    /// `batchSize` values) and targets (regression, `batchSize * targetWidth` floats). Returns the number of
    /// samples written, or nil when the epoch is over.
    public mutating func next(features: UnsafeMutableBufferPointer<Float>,
                              labels: UnsafeMutableBufferPointer<Int32>? = nil,
                              targets: UnsafeMutableBufferPointer<Float>? = nil) -> Int? {
        guard nextBatch < batcher.batchesPerEpoch else { return nil }
        let range = batcher.range(ofBatch: nextBatch)
        nextBatch += 1
        let indices = order[range]
        if augmenter == nil {
            dataset.gather(indices, features: features, labels: labels, targets: targets)
        } else {
            scratch.withUnsafeMutableBufferPointer { s in
                dataset.gather(indices, features: s, labels: labels, targets: targets)
                augmenter!.apply(source: UnsafePointer(s.baseAddress!), destination: features.baseAddress!, samples: indices.count)
            }
        }
        return indices.count
    }
}
