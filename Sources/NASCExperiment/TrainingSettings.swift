// TrainingSettings: the one training-settings type of `nasc train` and of the trials of `nasc run` (NASCTool's `TrainOptions`).
import NASCIR

/// Hyper-parameters of one training run. `nasc train` uses them directly (as NASCTool's `TrainOptions`, the same
/// type); `nasc run` forwards them to every `nasc trial` process as flags (``arguments``), so a search trains with
/// exactly the recipe its retrain uses. A new setting is added here once and reaches both.
public struct TrainingSettings: Sendable, Hashable {
    /// Data set spec (`digits`, `idx:DIR`, `cifar10:DIR`, `csv:PATH?...`, `synthetic?...`; see NASCData.DataSpec).
    public var data: String
    public var epochs: Int
    public var batchSize: Int
    /// `sgd`, `adam` or `adamw`.
    public var optimizer: String
    public var learningRate: Double
    /// Seed of every trial (initialization, shuffling, dropout), so an exported architecture retrains identically.
    public var seed: UInt64
    /// OpenBLAS threads.
    public var threads: Int
    /// SGD momentum.
    public var momentum = 0.9
    /// Nesterov momentum (SGD).
    public var nesterov = false
    /// Weight decay (L2 for sgd/adam, decoupled for adamw).
    public var weightDecay = 0.0
    /// Label smoothing of the cross-entropy loss.
    public var labelSmoothing = 0.0
    /// Learning-rate schedule: `cosine`, `step` or `constant`.
    public var schedule = "cosine"
    /// When the schedule advances: `epoch` (its horizon is the epochs) or `iteration` (every batch, its horizon
    /// is epochs times batches per epoch: PyTorch's common per-iteration `CosineAnnealingLR`).
    public var scheduleStep = "epoch"
    /// Fraction of the training split held out for validation (0 = none; the metric is then the training accuracy).
    public var validationFraction = 0.1
    /// Clip the global gradient norm to this value each step (`nil` = no clipping).
    public var gradientClipNorm: Double?
    /// Random-crop augmentation: zero padding in pixels (0 = none).
    public var cropPadding = 0
    /// `classification` (metric: validation accuracy) or `regression` (metric: minus the validation MSE, so that
    /// higher is better as the strategies assume).
    public var task = "classification"
    /// Normalize inputs per channel with statistics of the training split (no flag; always on from the CLI).
    public var normalize = true

    /// Creates training settings.
    public init(data: String, epochs: Int = 5, batchSize: Int = 64, optimizer: String = "sgd", learningRate: Double = 0.05,
                seed: UInt64 = 0, threads: Int = 1) {
        self.data = data; self.epochs = epochs; self.batchSize = batchSize; self.optimizer = optimizer
        self.learningRate = learningRate; self.seed = seed; self.threads = threads
    }

    /// True for `--task regression`.
    public var isRegression: Bool { task == "regression" }

    /// The `nasc trial` flags that reproduce these settings (the optional ones only when not at their defaults).
    public var arguments: [String] {
        var out = ["--data", data, "--train-epochs", String(epochs), "--batch-size", String(batchSize), "--optimizer", optimizer,
                   "--lr", String(learningRate), "--train-seed", String(seed), "--threads", String(threads)]
        if momentum != 0.9 { out += ["--momentum", String(momentum)] }
        if nesterov { out += ["--nesterov"] }
        if weightDecay != 0 { out += ["--weight-decay", String(weightDecay)] }
        if labelSmoothing != 0 { out += ["--label-smoothing", String(labelSmoothing)] }
        if schedule != "cosine" { out += ["--schedule", schedule] }
        if scheduleStep != "epoch" { out += ["--schedule-step", scheduleStep] }
        if validationFraction != 0.1 { out += ["--validation", String(validationFraction)] }
        if let c = gradientClipNorm { out += ["--clip-grad-norm", String(c)] }
        if cropPadding != 0 { out += ["--crop-padding", String(cropPadding)] }
        if task != "classification" { out += ["--task", task] }
        return out
    }

    /// Flags of ``arguments`` that take no value.
    public static let booleanFlags: Set<String> = ["--nesterov"]
    /// ``arguments`` flags whose `nasc train` name differs.
    public static let trainFlagNames = ["--train-epochs": "--epochs", "--train-seed": "--seed"]

    /// The `nasc train` flags for trial flags (``arguments``, possibly among other evaluator flags, which are
    /// dropped), or `nil` when they contain no `--data` (the trials did not train).
    public static func trainArguments(_ trialArguments: [String]) -> [String]? {
        let known = Set(TrainingSettings(data: "", epochs: 1).everyFlag)
        var out: [String] = []
        var i = 0
        var trains = false
        while i < trialArguments.count {
            let flag = trialArguments[i]
            if booleanFlags.contains(flag) {
                out.append(flag); i += 1; continue
            }
            guard i + 1 < trialArguments.count else { break }
            if flag == "--data" { trains = true }
            if known.contains(flag) { out += [trainFlagNames[flag] ?? flag, trialArguments[i + 1]] }
            i += 2
        }
        return trains ? out : nil
    }

    /// Every flag ``arguments`` can produce (with every optional setting away from its default).
    var everyFlag: [String] {
        var s = self
        s.momentum = 0.5; s.nesterov = true; s.weightDecay = 1; s.labelSmoothing = 0.1; s.schedule = "step"; s.scheduleStep = "iteration"
        s.validationFraction = 0.2; s.gradientClipNorm = 1; s.cropPadding = 1; s.task = "regression"
        return s.arguments.filter { $0.hasPrefix("--") }
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
        try check(momentum >= 0 && momentum.isFinite, "--momentum", "--momentum must not be negative, got \(momentum)")
        try check(weightDecay >= 0 && weightDecay.isFinite, "--weight-decay", "--weight-decay must not be negative, got \(weightDecay)")
        try check(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing", "--label-smoothing must be in [0, 1), got \(labelSmoothing)")
        try check(["cosine", "step", "constant"].contains(schedule), "--schedule", "unknown schedule '\(schedule)' (cosine, step or constant)")
        try check(["epoch", "iteration"].contains(scheduleStep), "--schedule-step",
                  "unknown schedule step '\(scheduleStep)' (epoch or iteration)")
        try check(validationFraction >= 0 && validationFraction < 1, "--validation", "--validation must be in [0, 1), got \(validationFraction)")
        try check(gradientClipNorm.map { $0 > 0 && $0.isFinite } ?? true, "--clip-grad-norm",
                  "--clip-grad-norm must be positive, got \(gradientClipNorm ?? 0)")
        try check(["classification", "regression"].contains(task), "--task", "unknown task '\(task)' (classification or regression)")
        try check(cropPadding >= 0 && cropPadding <= 16, "--crop-padding", "--crop-padding must be between 0 and 16, got \(cropPadding)")
    }
}
