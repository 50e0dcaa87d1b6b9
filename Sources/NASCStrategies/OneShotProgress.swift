// OneShotProgress: per-batch progress of a one-shot search's supernet training (images/s, epoch k/K, ETA), in the
// Trainer's TrainingProgress form so the same progress bar draws it.
import Foundation
import NASCRuntime

/// Receives a one-shot search's training batches and reports ``TrainingProgress`` after each.
public final class OneShotProgress {
    let report: (TrainingProgress) -> Void
    var epochStart = Date()

    /// Creates a meter that calls `report` after every training batch.
    public init(_ report: @escaping (TrainingProgress) -> Void) { self.report = report }

    /// Marks the start of an epoch's training batches.
    func epochStarted() { epochStart = Date() }

    /// After training batch `batch` (1-based) of `batches` in `epoch` (0-based) of `epochs`; `lossSum` and `hits` are
    /// the epoch's running sums over `samples` samples. The ETA covers the rest of this epoch's training batches.
    func batch(epoch: Int, epochs: Int, batch: Int, batches: Int, samples: Int, lossSum: Double, hits: Int, learningRate: Double) {
        let elapsed = Date().timeIntervalSince(epochStart)
        let perBatch = elapsed / Double(max(batch, 1))
        report(TrainingProgress(epoch: epoch, epochs: epochs, batch: batch, batchesPerEpoch: batches, samples: samples,
                                loss: lossSum / Double(max(samples, 1)), accuracy: Double(hits) / Double(max(samples, 1)),
                                learningRate: learningRate, elapsed: elapsed,
                                samplesPerSecond: elapsed > 0 ? Double(samples) / elapsed : 0,
                                eta: perBatch * Double(max(batches - batch, 0))))
    }
}
