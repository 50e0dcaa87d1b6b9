// TrainingSettings: the training flags `nasc run` forwards to `nasc trial` when trials train for real.
import NASCIR

/// Hyper-parameters of a training trial, as flags. The evaluator that uses them is NASCTool's `TrainingEvaluator`.
public struct TrainingSettings: Sendable, Equatable {
    /// Data set spec (`digits`, `idx:DIR`, `csv:...`, `synthetic?...`).
    public var data: String
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: String
    public var learningRate: Double
    /// Seed of every trial (initialization, shuffling, dropout), so an exported architecture retrains identically.
    public var seed: UInt64
    public var threads: Int
    /// Weight decay (L2 for sgd/adam, decoupled for adamw).
    public var weightDecay: Double = 0
    /// Learning-rate schedule: `cosine`, `step` or `constant`.
    public var schedule: String = "cosine"
    /// Random-crop augmentation: zero padding in pixels (0 = none).
    public var cropPadding: Int = 0
    /// `classification` (metric: validation accuracy) or `regression` (metric: minus the validation MSE, so that
    /// higher is better as the strategies assume).
    public var task: String = "classification"
    /// Where each trial writes its trained weights as `trial_<id>.pb` (`nasc run --keep-weights`); `nil` = nowhere.
    public var weightsDirectory: String?

    /// Creates training settings.
    public init(data: String, epochs: Int = 5, batchSize: Int = 64, optimizer: String = "sgd", learningRate: Double = 0.05,
                seed: UInt64 = 0, threads: Int = 1) {
        self.data = data; self.epochs = epochs; self.batchSize = batchSize; self.optimizer = optimizer
        self.learningRate = learningRate; self.seed = seed; self.threads = threads
    }

    /// The flags that reproduce these settings (the newer ones only when not at their defaults).
    public var arguments: [String] {
        var out = ["--data", data, "--train-epochs", String(epochs), "--batch-size", String(batchSize), "--optimizer", optimizer,
                   "--lr", String(learningRate), "--train-seed", String(seed), "--threads", String(threads)]
        if weightDecay != 0 { out += ["--weight-decay", String(weightDecay)] }
        if schedule != "cosine" { out += ["--schedule", schedule] }
        if cropPadding != 0 { out += ["--crop-padding", String(cropPadding)] }
        if task != "classification" { out += ["--task", task] }
        if let weightsDirectory { out += ["--weights-dir", weightsDirectory] }
        return out
    }

    /// Range checks, each located at its flag.
    public func validate() throws {
        func check(_ ok: Bool, _ flag: String, _ message: String) throws {
            if !ok { throw DiagnosticError(.error(message, at: SourceLocation(file: flag))) }
        }
        try check(epochs >= 1, "--train-epochs", "--train-epochs must be at least 1, got \(epochs)")
        try check(batchSize >= 1, "--batch-size", "--batch-size must be at least 1, got \(batchSize)")
        try check(["sgd", "adam", "adamw"].contains(optimizer), "--optimizer", "unknown optimizer '\(optimizer)' (sgd, adam or adamw)")
        try check(learningRate > 0 && learningRate.isFinite, "--lr", "--lr must be positive, got \(learningRate)")
        try check(threads >= 1, "--threads", "--threads must be at least 1, got \(threads)")
        try check(weightDecay >= 0 && weightDecay.isFinite, "--weight-decay", "--weight-decay must not be negative, got \(weightDecay)")
        try check(["cosine", "step", "constant"].contains(schedule), "--schedule", "unknown schedule '\(schedule)' (cosine, step or constant)")
        try check(["classification", "regression"].contains(task), "--task", "unknown task '\(task)' (classification or regression)")
        try check(cropPadding >= 0 && cropPadding <= 16, "--crop-padding", "--crop-padding must be between 0 and 16, got \(cropPadding)")
    }
}
