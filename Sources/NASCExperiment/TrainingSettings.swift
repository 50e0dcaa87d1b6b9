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

    /// Creates training settings.
    public init(data: String, epochs: Int = 5, batchSize: Int = 64, optimizer: String = "sgd", learningRate: Double = 0.05,
                seed: UInt64 = 0, threads: Int = 1) {
        self.data = data; self.epochs = epochs; self.batchSize = batchSize; self.optimizer = optimizer
        self.learningRate = learningRate; self.seed = seed; self.threads = threads
    }

    /// The flags that reproduce these settings.
    public var arguments: [String] {
        ["--data", data, "--train-epochs", String(epochs), "--batch-size", String(batchSize), "--optimizer", optimizer,
         "--lr", String(learningRate), "--train-seed", String(seed), "--threads", String(threads)]
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
    }
}
