// ArchitectureTraining: apply a fixed architecture to a space, compile the subnet to a plan, and train it on data.
import Foundation
import NASCData
import NASCExperiment
import NASCIR
import NASCKernels
import NASCPasses
import NASCRuntime

/// Hyper-parameters of one training run (`nasc train`, and trials of `nasc run`): the same type as the trials'
/// ``TrainingSettings``, so the two cannot drift apart.
public typealias TrainOptions = TrainingSettings

extension TrainingSettings {
    /// The defaults of `nasc train` (digits, 10 epochs).
    public init() { self.init(data: "digits", epochs: 10) }

    /// The typed options of the plan pipeline (the `autodiff` loss and the `lower` optimizer). Throws for an unknown
    /// optimizer name (`--optimizer`).
    public func planOptions() throws -> PlanOptions {
        var o: PlanOptions
        switch optimizer {
        case "sgd": o = .sgd(lr: learningRate, momentum: momentum, weightDecay: weightDecay, nesterov: nesterov)
        case "adam", "adamw": o = .adam(lr: learningRate, weightDecay: weightDecay, decoupled: optimizer == "adamw")
        default:
            throw DiagnosticError(.error("unknown optimizer '\(optimizer)' (expected sgd, adam or adamw)", at: SourceLocation(file: "--optimizer")))
        }
        o.autodiff.labelSmoothing = labelSmoothing
        if isRegression { o.autodiff.loss = .mse }
        return o
    }
}

/// What a training run produced.
public struct TrainResult: Sendable {
    /// Per-epoch summaries.
    public var epochs: [EpochSummary]
    /// Accuracy and loss on the test split, when the data set has one.
    public var testAccuracy: Double?
    public var testLoss: Double?
    /// Trainable parameters of the subnet.
    public var parameters: Int
    /// The final weights (and optimizer state), resumable.
    public var checkpoint: Checkpoint
    /// Wall-clock seconds for specialize + compile (before training).
    public var compileSeconds: Double
    /// Mean squared error on the test split (regression), when the data set has one.
    public var testMSE: Double? { task == "regression" ? testLoss : nil }
    /// The task trained (`classification` or `regression`).
    public var task = "classification"
}

/// The fixed-architecture path: space + architecture -> subnet -> plan -> trained weights.
public enum ArchitectureTraining {
    /// The flat, typed subnet of `space` chosen by `arch` (the `subnet-typed` pipeline).
    /// `timer` records each pass's wall time (`--time-passes`).
    public static func subnet(_ space: ModelSpace, _ arch: Architecture, timer: PassTimer? = nil) throws -> ModelSpace {
        try PlanCompiler.subnet(space, arch, timer: timer)
    }

    /// The memory-planned executable plan of the subnet chosen by `arch` (training or inference).
    /// `timer` records each stage's wall time (`--time-passes`).
    public static func plan(_ space: ModelSpace, _ arch: Architecture, options: TrainOptions, training: Bool,
                            timer: PassTimer? = nil) throws -> Plan {
        try plan(subnet: try subnet(space, arch, timer: timer), options: options, training: training, timer: timer)
    }

    /// The memory-planned executable plan of a typed subnet (``subnet(_:_:timer:)``; a trial's `TrialSubject/subnet`).
    public static func plan(subnet: ModelSpace, options: TrainOptions, training: Bool, timer: PassTimer? = nil) throws -> Plan {
        try PlanCompiler.compile(subnet, training: training, options: try options.planOptions(), memoryPlan: MemoryPlan(), timer: timer)
    }

    /// Loads the data set named by `options.data`, relative to the repository root found from the current directory.
    public static func loadData(_ options: TrainOptions) throws -> (train: Dataset, validation: Dataset?, test: Dataset?) {
        let d = try loadNormalizedData(options)
        return (d.train, d.validation, d.test)
    }

    /// ``loadData(_:)`` plus the normalization fitted on the training split (`nil` when `options.normalize` is off).
    public static func loadNormalizedData(_ options: TrainOptions) throws
        -> (train: Dataset, validation: Dataset?, test: Dataset?, normalization: ChannelNormalization?) {
        guard ["classification", "regression"].contains(options.task) else {
            throw DiagnosticError(.error("unknown task '\(options.task)' (classification or regression)", at: SourceLocation(file: "--task")))
        }
        var spec = try DataSpec.parse(options.data, at: SourceLocation(file: "--data"))
        // A CSV's target column is read as a number for regression (a non-numeric cell is a located error).
        if options.isRegression, case .csv(let path, var csv) = spec {
            csv.task = .regression
            spec = .csv(path: path, options: csv)
        }
        let root = DataSpec.findRepositoryRoot(from: FileManager.default.currentDirectoryPath) ?? "."
        let splits = try spec.load(repositoryRoot: root)
        // Every split must hold samples of one shape: a test set of another image size is a located error, never a result.
        if let test = splits.test, test.sampleShape != splits.train.sampleShape {
            throw DiagnosticError(.error("data set '\(options.data)': the test split (\(test.source)) has samples of shape "
                                         + "\(Dataset.format(test.sampleShape)), the training split (\(splits.train.source)) "
                                         + "\(Dataset.format(splits.train.sampleShape))", at: SourceLocation(file: "--data")))
        }
        if options.isRegression && splits.train.isClassification {
            throw DiagnosticError(.error("--task regression needs float targets, but data set '\(options.data)' has class labels "
                                         + "(use csv:PATH?target=COLUMN or synthetic:regression)", at: SourceLocation(file: "--task")))
        }
        if !options.isRegression && !splits.train.isClassification {
            throw DiagnosticError(.error("data set '\(options.data)' has regression targets; give --task regression",
                                         at: SourceLocation(file: "--task")))
        }
        var train = splits.train
        var validation: Dataset?
        if options.validationFraction > 0 {
            let s = try train.split(validation: .fraction(options.validationFraction), seed: options.seed)
            train = s.train
            validation = s.validation
        }
        var test = splits.test
        var normalization: ChannelNormalization?
        // Token ids are indices, never rescaled.
        if options.normalize && train.tokens == nil {
            let norm = ChannelNormalization.fit(train)
            try norm.apply(to: &train)
            if var v = validation { try norm.apply(to: &v); validation = v }
            if var t = test { try norm.apply(to: &t); test = t }
            normalization = norm
        }
        return (train, validation, test, normalization)
    }

    /// The learning-rate schedule of `options` over `trainingSamples` samples. Per epoch, cosine anneals over the
    /// epochs and step decays by 0.1 every third of them; per iteration (`--schedule-step iteration`) the same
    /// curves are laid over every batch: horizon `epochs * ceil(samples / batch size)` (PyTorch's
    /// `CosineAnnealingLR(T_max=epochs * len(loader))` stepped after each batch).
    public static func schedule(_ options: TrainOptions, trainingSamples: Int) throws -> LRSchedule {
        let perEpoch = options.scheduleStep == "iteration" ? max(1, (trainingSamples + options.batchSize - 1) / max(1, options.batchSize)) : 1
        switch options.schedule {
        case "cosine":
            return try LRSchedule(baseLearningRate: options.learningRate, decay: .cosine(tMax: options.epochs * perEpoch, etaMin: 0))
        case "step":
            return try LRSchedule(baseLearningRate: options.learningRate, decay: .step(stepSize: max(1, options.epochs / 3) * perEpoch, gamma: 0.1))
        case "constant":
            return try LRSchedule(baseLearningRate: options.learningRate)
        default:
            throw DiagnosticError(.error("unknown schedule '\(options.schedule)' (use cosine, step or constant)",
                                         at: SourceLocation(file: "--schedule")))
        }
    }

    /// The trainer settings for `options`.
    static func trainerConfig(_ options: TrainOptions, schedule: LRSchedule) -> TrainerConfig {
        var c = TrainerConfig(epochs: options.epochs, batchSize: options.batchSize, seed: options.seed, schedule: schedule,
                              scheduleUnit: options.scheduleStep == "iteration" ? .batch : .epoch)
        c.augmentation = Augmentation(cropPadding: options.cropPadding)
        return c
    }

    /// Trains the subnet of `space` chosen by `arch`; `onEvent` receives per-batch progress and epoch summaries.
    /// `start` picks fresh initialization, saved weights (`--init-from`) or a checkpointed run to continue
    /// (`--resume`); `maxBatches` stops after that many batches (an interrupted run); `onCheckpoint` receives a
    /// resumable checkpoint after every epoch.
    public static func train(_ space: ModelSpace, _ arch: Architecture, options: TrainOptions,
                             start: TrainingStart = .fresh, maxBatches: Int? = nil,
                             onCheckpoint: ((Checkpoint) throws -> Void)? = nil,
                             onEvent: (TrainingEvent) -> Void = { _ in }) throws -> TrainResult {
        let compileStart = Date()
        let fixed = try subnet(space, arch)
        return try train(subnet: fixed, options: options, since: compileStart, start: start, maxBatches: maxBatches,
                         onCheckpoint: onCheckpoint, onEvent: onEvent)
    }

    /// Trains a typed subnet (``subnet(_:_:timer:)``, or the one a trial already built); `compileStart` is when its
    /// compile began (for ``TrainResult/compileSeconds``); `start`, `maxBatches` and `onCheckpoint` as above.
    public static func train(subnet: ModelSpace, options: TrainOptions, since compileStart: Date = Date(),
                             start: TrainingStart = .fresh, maxBatches: Int? = nil,
                             onCheckpoint: ((Checkpoint) throws -> Void)? = nil, timer: PassTimer? = nil,
                             onEvent: (TrainingEvent) -> Void = { _ in }) throws -> TrainResult {
        Kernels.setThreads(options.threads)
        let plan = try Self.plan(subnet: subnet, options: options, training: true, timer: timer)
        let compileSeconds = Date().timeIntervalSince(compileStart)
        let data = try loadNormalizedData(options)
        let normalization = data.normalization.map { Checkpoint.Normalization(mean: $0.mean, std: $0.std) }
        try data.train.checkFits(subnet)
        try data.test?.checkFits(subnet)
        let schedule = try Self.schedule(options, trainingSamples: data.train.count)
        let executor = try Executor(plan: plan, seed: options.seed)
        executor.gradientClipNorm = options.gradientClipNorm
        let trainer = try Trainer(executor: executor, training: data.train, validation: data.validation,
                                  config: trainerConfig(options, schedule: schedule))
        try start.apply(to: trainer, normalization: normalization)
        var failure: Error?
        let epochs = try trainer.run(maxBatches: maxBatches) { event in
            onEvent(event)
            // After an epoch's summary the trainer moves to the next epoch's first batch.
            if failure == nil, let onCheckpoint, case .epoch(let s) = event {
                var c = executor.checkpoint(epoch: s.epoch + 1, batchInEpoch: 0)
                c.inputNormalization = normalization
                do { try onCheckpoint(c) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        var checkpoint = trainer.checkpoint()
        checkpoint.inputNormalization = normalization
        var result = TrainResult(epochs: epochs, parameters: plan.slots.filter { $0.role == .parameter }.reduce(0) { $0 + $1.size.fixed }, checkpoint: checkpoint,
                                 compileSeconds: compileSeconds)
        result.task = options.task
        if let test = data.test {
            let t = try trainer.evaluate(test)
            result.testAccuracy = t.accuracy
            result.testLoss = t.loss
        }
        return result
    }
}
