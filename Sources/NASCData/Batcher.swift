// Batcher: per-epoch sample orders (seeded shuffle, deterministic across runs) and batch boundaries.
import NASCIR

/// Splits `count` samples into batches each epoch.
///
/// The order for epoch `e` depends only on the seed and `e` (not on earlier epochs), so a run resumed from a
/// checkpoint sees the same batches. With `dropLast` a final partial batch is skipped; otherwise it is kept.
public struct Batcher: Sendable, Hashable {
    /// Number of samples.
    public let count: Int
    /// Samples per full batch.
    public let batchSize: Int
    /// Whether a final partial batch is dropped.
    public let dropLast: Bool
    /// Whether each epoch visits samples in a seeded random order (otherwise in index order).
    public let shuffle: Bool
    /// The base seed.
    public let seed: UInt64

    /// Creates a batcher.
    ///
    /// - Throws: ``DiagnosticError`` for a non-positive batch size, or when `dropLast` leaves no batch.
    public init(count: Int, batchSize: Int, dropLast: Bool = false, shuffle: Bool = true, seed: UInt64 = 0) throws {
        guard batchSize > 0 else {
            throw DiagnosticError(.error("batch size must be positive, got \(batchSize)"))
        }
        guard count > 0, !(dropLast && count < batchSize) else {
            throw DiagnosticError(.error("a data set of \(count) samples gives no batch of size \(batchSize)"))
        }
        self.count = count
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.shuffle = shuffle
        self.seed = seed
    }

    /// Number of batches per epoch.
    public var batchesPerEpoch: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The sample order for one epoch (a permutation of `0..<count`).
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<count) }
        var rng = SeededGenerator(seed: seed, stream: UInt64(truncatingIfNeeded: epoch))
        return rng.permutation(count)
    }

    /// The positions in ``order(epoch:)`` that make up batch `index` (its size is `batchSize`, or less for a
    /// final partial batch).
    public func range(ofBatch index: Int) -> Range<Int> {
        let start = index * batchSize
        return start..<min(count, start + batchSize)
    }

    /// All batches of one epoch, as slices of the epoch's order.
    public func batches(epoch: Int) -> [ArraySlice<Int>] {
        let o = order(epoch: epoch)
        return (0..<batchesPerEpoch).map { o[range(ofBatch: $0)] }
    }
}
