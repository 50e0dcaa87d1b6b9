// Trainer: runs epochs of training steps over a NASCData dataset, with validation, LR schedules, progress and checkpoints.
import NASCIR
import NASCData

/// Settings of a training run.
public struct TrainerConfig: Sendable, Hashable {
    /// When the learning-rate schedule advances.
    public enum ScheduleUnit: Sendable, Hashable { case epoch, batch }

    public var epochs: Int
    public var batchSize: Int
    /// Reshuffle the training set every epoch (seeded by `seed` and the epoch).
    public var shuffle: Bool
    /// Seed of the data order (the executor has its own seed for init and dropout).
    public var seed: UInt64
    /// Learning-rate schedule (nil = the optimizer's constant rate).
    public var schedule: LRSchedule?
    public var scheduleUnit: ScheduleUnit
    /// Drop the last partial batch of each epoch.
    public var dropLast: Bool
    /// Augmentation of training batches (random crop with padding, flip); none by default.
    public var augmentation: Augmentation = Augmentation()

    /// Creates a configuration.
    public init(epochs: Int, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0, schedule: LRSchedule? = nil,
                scheduleUnit: ScheduleUnit = .epoch, dropLast: Bool = false) {
        self.epochs = epochs; self.batchSize = batchSize; self.shuffle = shuffle; self.seed = seed
        self.schedule = schedule; self.scheduleUnit = scheduleUnit; self.dropLast = dropLast
    }
}

/// Trains an executor's plan on a classification dataset (or, for a plan with an mse loss, a regression dataset:
/// the loss is the mean squared error and accuracies are 0): epochs of shuffled batches, validation in eval mode,
/// per-batch progress events, and checkpoints that resume exactly (same data order, same dropout masks).
public final class Trainer {
    public let executor: Executor
    public let config: TrainerConfig
    public let training: Dataset
    public let validation: Dataset?
    /// The epoch being (or next to be) trained.
    public private(set) var epoch = 0
    /// Batches of `epoch` already trained.
    public private(set) var batchInEpoch = 0

    private var loader: BatchLoader
    private var features: [Float]
    private var labels32: [Int32]
    private var labels64: [Int64]
    private var targets: [Float]
    /// The plan regresses f32 targets (an mse loss) instead of classifying.
    public let isRegression: Bool

    /// Creates a trainer. Throws a ``DiagnosticError`` if the data does not fit the plan (sample size, no
    /// labels, a plan without a loss) or the configuration is invalid.
    public init(executor: Executor, training: Dataset, validation: Dataset? = nil, config: TrainerConfig) throws {
        let plan = executor.plan
        guard plan.isTraining, plan.loss != nil, plan.labelsInput != nil else {
            throw ExecutorError.error("plan '\(plan.name)' cannot be trained (run autodiff before lower)")
        }
        guard config.epochs >= 0 else { throw ExecutorError.error("epochs must not be negative, got \(config.epochs)") }
        let perSample = plan.slots[plan.dataInput].size.perSample
        let regression = executor.isRegression
        let targetWidth = regression ? plan.labelsInput.map { plan.slots[$0].size.perSample } ?? 0 : 0
        for (name, d) in [("training", training)] + (validation.map { [("validation", $0)] } ?? []) {
            if regression {
                guard !d.isClassification else {
                    throw ExecutorError.error("\(name) data set '\(d.source)' has class labels, but the model is trained for regression (mse)")
                }
                guard d.targetWidth == targetWidth else {
                    throw ExecutorError.error("\(name) data set '\(d.source)' has \(d.targetWidth) targets per sample, the model outputs \(targetWidth)")
                }
            } else {
                guard d.isClassification else { throw ExecutorError.error("\(name) data set '\(d.source)' has no class labels") }
            }
            guard d.sampleSize == perSample else {
                throw ExecutorError.error("\(name) samples have \(d.sampleSize) values (\(Dataset.format(d.sampleShape))), the model input needs \(perSample)")
            }
            guard d.count > 0 else { throw ExecutorError.error("\(name) data set '\(d.source)' is empty") }
        }
        self.executor = executor
        var config = config
        // A batch larger than the data is the whole data: size every buffer by min(batch, data size).
        config.batchSize = max(1, min(config.batchSize, max(training.count, validation?.count ?? 0)))
        self.config = config
        self.training = training
        self.validation = validation
        loader = try BatchLoader(dataset: training, batchSize: config.batchSize, shuffle: config.shuffle, dropLast: config.dropLast,
                                 seed: config.seed, augmentation: config.augmentation)
        features = [Float](repeating: 0, count: config.batchSize * perSample)
        labels32 = [Int32](repeating: 0, count: config.batchSize)
        labels64 = [Int64](repeating: 0, count: config.batchSize)
        targets = [Float](repeating: 0, count: config.batchSize * targetWidth)
        isRegression = regression
    }

    /// Trains until `config.epochs` are done (or `maxBatches` more batches have run), validating after each epoch.
    /// Calls `onEvent` after every batch and epoch. Returns the summaries of the epochs completed in this call.
    @discardableResult
    public func run(maxBatches: Int? = nil, onEvent: (TrainingEvent) -> Void = { _ in }) throws -> [EpochSummary] {
        var summaries: [EpochSummary] = []
        var budget = maxBatches ?? Int.max
        while epoch < config.epochs && budget > 0 {
            let clock = ContinuousClock(), start = clock.now
            loader.startEpoch(epoch)
            // Skip the batches a resumed run already trained (same order: seeded by epoch).
            for _ in 0..<batchInEpoch { _ = features.withUnsafeMutableBufferPointer { loader.next(features: $0) } }
            var lossSum = 0.0, correct = 0, samples = 0
            while budget > 0 {
                guard let count = nextBatch() else { break }
                if let s = config.schedule {
                    executor.learningRate = s.learningRate(at: config.scheduleUnit == .epoch ? epoch : executor.updatesTaken)
                }
                let loss = try features.withUnsafeBufferPointer { f in
                    let data = UnsafeBufferPointer(rebasing: f[0..<(count * training.sampleSize)])
                    if isRegression {
                        return try targets.withUnsafeBufferPointer { t in
                            try executor.trainStep(data: data, targets: UnsafeBufferPointer(rebasing: t[0..<(count * training.targetWidth)]),
                                                   batch: count)
                        }
                    }
                    return try labels64.withUnsafeBufferPointer { l in
                        try executor.trainStep(data: data, labels: UnsafeBufferPointer(rebasing: l[0..<count]), batch: count)
                    }
                }
                lossSum += Double(loss) * Double(count)
                correct += countCorrect(count)
                samples += count
                batchInEpoch += 1
                budget -= 1
                let elapsed = seconds(clock.now - start)
                let rate = elapsed > 0 ? Double(samples) / elapsed : 0
                let remaining = Double(loader.batchesPerEpoch - batchInEpoch) * (elapsed / Double(max(batchInEpoch, 1)))
                onEvent(.batch(TrainingProgress(epoch: epoch, epochs: config.epochs, batch: batchInEpoch,
                                                batchesPerEpoch: loader.batchesPerEpoch, samples: samples,
                                                loss: lossSum / Double(samples), accuracy: Double(correct) / Double(samples),
                                                learningRate: executor.learningRate, elapsed: elapsed, samplesPerSecond: rate,
                                                eta: remaining)))
            }
            if batchInEpoch < loader.batchesPerEpoch { break }  // stopped by the batch budget
            let trainSeconds = seconds(clock.now - start)
            let val = try validation.map { try evaluate($0) }
            let summary = EpochSummary(epoch: epoch, trainLoss: samples > 0 ? lossSum / Double(samples) : 0,
                                       trainAccuracy: samples > 0 ? Double(correct) / Double(samples) : 0,
                                       validationLoss: val?.loss, validationAccuracy: val?.accuracy,
                                       seconds: seconds(clock.now - start),
                                       samplesPerSecond: trainSeconds > 0 ? Double(samples) / trainSeconds : 0)
            summaries.append(summary)
            onEvent(.epoch(summary))
            epoch += 1
            batchInEpoch = 0
        }
        return summaries
    }

    /// Mean loss and accuracy of the model on `data` in eval mode (running statistics, no dropout), in order.
    /// For regression the loss is the mean squared error and the accuracy 0.
    public func evaluate(_ data: Dataset) throws -> (loss: Double, accuracy: Double) {
        var eval = try BatchLoader(dataset: data, batchSize: config.batchSize, shuffle: false, seed: 0)
        var lossSum = 0.0, correct = 0, samples = 0
        if isRegression {
            guard !data.isClassification, data.targetWidth * config.batchSize == targets.count else {
                throw ExecutorError.error("data set '\(data.source)' does not have the model's regression targets")
            }
            while true {
                let count = features.withUnsafeMutableBufferPointer { f in
                    targets.withUnsafeMutableBufferPointer { t in eval.next(features: f, targets: t) }
                }
                guard let count else { break }
                let loss = try features.withUnsafeBufferPointer { f in
                    try targets.withUnsafeBufferPointer { t in
                        try executor.forward(data: UnsafeBufferPointer(rebasing: f[0..<(count * data.sampleSize)]),
                                             targets: UnsafeBufferPointer(rebasing: t[0..<(count * data.targetWidth)]), batch: count)
                    }
                }
                lossSum += Double(loss ?? 0) * Double(count)
                samples += count
            }
            return (samples > 0 ? lossSum / Double(samples) : 0, 0)
        }
        while true {
            let count = features.withUnsafeMutableBufferPointer { f in
                labels32.withUnsafeMutableBufferPointer { l in eval.next(features: f, labels: l) }
            }
            guard let count else { break }
            for k in 0..<count { labels64[k] = Int64(labels32[k]) }
            let loss = try features.withUnsafeBufferPointer { f in
                try labels64.withUnsafeBufferPointer { l in
                    try executor.forward(data: UnsafeBufferPointer(rebasing: f[0..<(count * data.sampleSize)]),
                                         labels: UnsafeBufferPointer(rebasing: l[0..<count]), batch: count, mode: .eval)
                }
            }
            lossSum += Double(loss ?? 0) * Double(count)
            correct += countCorrect(count)
            samples += count
        }
        return (samples > 0 ? lossSum / Double(samples) : 0, samples > 0 ? Double(correct) / Double(samples) : 0)
    }

    /// A checkpoint of the executor plus this trainer's position.
    public func checkpoint() -> Checkpoint { executor.checkpoint(epoch: epoch, batchInEpoch: batchInEpoch) }

    /// Restores a checkpoint (executor state and position); the next `run` continues where it stopped.
    public func resume(from c: Checkpoint) throws {
        guard c.epoch <= config.epochs, c.batchInEpoch <= loader.batchesPerEpoch else {
            throw ExecutorError.error("checkpoint position (epoch \(c.epoch), batch \(c.batchInEpoch)) is outside this run")
        }
        try executor.restore(c)
        epoch = c.epoch
        batchInEpoch = c.batchInEpoch
    }

    /// Loads the next training batch into the buffers; returns its size.
    private func nextBatch() -> Int? {
        if isRegression {
            return features.withUnsafeMutableBufferPointer { f in
                targets.withUnsafeMutableBufferPointer { t in loader.next(features: f, targets: t) }
            }
        }
        let count = features.withUnsafeMutableBufferPointer { f in
            labels32.withUnsafeMutableBufferPointer { l in loader.next(features: f, labels: l) }
        }
        guard let count else { return nil }
        for k in 0..<count { labels64[k] = Int64(labels32[k]) }
        return count
    }

    /// How many of the first `count` samples the last forward pass classified correctly (argmax of the output).
    private func countCorrect(_ count: Int) -> Int {
        if isRegression { return 0 }
        return executor.withOutput { out in
            guard count > 0, out.count % count == 0 else { return 0 }
            let classes = out.count / count
            var correct = 0
            for n in 0..<count {
                var best = 0
                for c in 1..<max(classes, 1) where out[n * classes + c] > out[n * classes + best] { best = c }
                if Int64(best) == labels64[n] { correct += 1 }
            }
            return correct
        }
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
