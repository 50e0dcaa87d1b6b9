// TrainingEvent: what a Trainer reports while it runs (per-batch progress, per-epoch summaries).

/// Progress within an epoch, reported after every training batch. Enough to draw a progress bar with
/// throughput and ETA, or to print a plain log line.
public struct TrainingProgress: Sendable, Hashable {
    /// 0-based epoch and its total.
    public var epoch: Int
    public var epochs: Int
    /// Batches done in this epoch (1-based after the first batch) and per epoch.
    public var batch: Int
    public var batchesPerEpoch: Int
    /// Samples trained in this epoch.
    public var samples: Int
    /// Mean training loss over this epoch's batches so far (weighted by batch size).
    public var loss: Double
    /// Training accuracy over this epoch so far (train-mode outputs).
    public var accuracy: Double
    /// The learning rate used for the last batch.
    public var learningRate: Double
    /// Seconds since the epoch started.
    public var elapsed: Double
    /// Samples per second in this epoch.
    public var samplesPerSecond: Double
    /// Estimated seconds until the epoch ends.
    public var eta: Double

    /// Creates a progress record (the Trainer and one-shot searches report the same form).
    public init(epoch: Int, epochs: Int, batch: Int, batchesPerEpoch: Int, samples: Int, loss: Double, accuracy: Double,
                learningRate: Double, elapsed: Double, samplesPerSecond: Double, eta: Double) {
        self.epoch = epoch; self.epochs = epochs; self.batch = batch; self.batchesPerEpoch = batchesPerEpoch
        self.samples = samples; self.loss = loss; self.accuracy = accuracy; self.learningRate = learningRate
        self.elapsed = elapsed; self.samplesPerSecond = samplesPerSecond; self.eta = eta
    }

    /// Fraction of the epoch done, in [0, 1].
    public var fraction: Double { batchesPerEpoch > 0 ? Double(batch) / Double(batchesPerEpoch) : 1 }
}

/// Results of one epoch.
public struct EpochSummary: Sendable, Hashable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    /// Loss and accuracy on the validation set in eval mode (nil without one).
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    /// Wall-clock seconds for training plus validation.
    public var seconds: Double
    /// Training samples per second.
    public var samplesPerSecond: Double

    /// Creates an epoch summary.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double?, validationAccuracy: Double?,
                seconds: Double, samplesPerSecond: Double) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss; self.validationAccuracy = validationAccuracy
        self.seconds = seconds; self.samplesPerSecond = samplesPerSecond
    }
}

/// An event of a training run.
public enum TrainingEvent: Sendable, Hashable {
    /// After each training batch.
    case batch(TrainingProgress)
    /// After each epoch (including validation).
    case epoch(EpochSummary)
}
