// OneShotTrainingSettings: the supernet-weight training settings every one-shot strategy's configuration shares.

/// What DARTS, GumbelDARTS, Proxyless, SPOS and ENAS configurations have in common: how long and how the supernet's
/// weights train. Front ends set only what the user gave (see `OneShotTool`); the rest keep each strategy's defaults.
public protocol OneShotTrainingSettings {
    /// Supernet training epochs.
    var epochs: Int { get set }
    /// Batch size of the weight (and architecture) steps.
    var batchSize: Int { get set }
    /// Learning rate of the weights' SGD.
    var weightLearningRate: Double { get set }
    /// SGD momentum of the weights.
    var momentum: Double { get set }
    /// Weight decay of the weights.
    var weightDecay: Double { get set }
    /// Limits the batches per epoch (0 = a whole epoch).
    var maxBatchesPerEpoch: Int { get set }
    /// Seed of sampling, initialization and data order.
    var seed: UInt64 { get set }
    /// The strategy's own settings (name, value) for the run's settings line and `settings.json`.
    var strategySettings: [(String, String)] { get }
}

extension OneShotTrainingSettings {
    /// The shared settings then ``strategySettings``, as (name, value) in print order.
    public var effectiveSettings: [(String, String)] {
        [("epochs", "\(epochs)"), ("batch_size", "\(batchSize)"), ("lr", "\(weightLearningRate)"), ("momentum", "\(momentum)"),
         ("weight_decay", "\(weightDecay)"), ("max_batches", "\(maxBatchesPerEpoch)"), ("seed", "\(seed)")] + strategySettings
    }
}

extension DartsConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { weightLR } set { weightLR = newValue } }
    public var strategySettings: [(String, String)] {
        [("schedule", "constant"), ("arch_lr", "\(archLR)"), ("alpha_init_std", "\(alphaInitStd)"), ("unrolled", "\(unrolled)"),
         ("xi", xi.map { "\($0)" } ?? "\(weightLR)"), ("early_stop_skips", "\(earlyStopSkips)"), ("aux_skip_beta", "\(auxSkipBeta)"),
         ("temperature_init", "\(temperatureInit)"), ("temperature_min", "\(temperatureMin)"), ("hard", "\(hard)")]
    }
}

extension ProxylessConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { weightLR } set { weightLR = newValue } }
    public var strategySettings: [(String, String)] {
        [("schedule", "constant"), ("arch_lr", "\(archLR)"), ("alpha_init_std", "\(alphaInitStd)"),
         ("paths", paths == 0 ? "all" : "\(paths)"), ("paths_per_batch", pathsPerBatch == 0 ? "max_candidates" : "\(pathsPerBatch)"), ("flops_penalty", "\(flopsPenalty)"), ("latency_penalty", "\(latencyPenalty)")]
    }
}

extension SPOSConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { lr } set { lr = newValue } }
    public var strategySettings: [(String, String)] {
        [("fair", "\(strictFairness)"), ("schedule", cosineSchedule ? "cosine" : "constant"), ("min_lr", "\(minLR)"),
         ("grad_clip", gradClipNorm.map { "\($0)" } ?? "0"), ("calibration_batches", "\(calibrationBatches)"),
         ("eval_paths", "\(evalPaths)"), ("population", "\(population)"), ("generations", "\(generations)")]
    }
}

extension ENASConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { lr } set { lr = newValue } }
    public var strategySettings: [(String, String)] {
        [("paths_per_batch", pathsPerBatch == 0 ? "max_candidates" : "\(pathsPerBatch)"),
         ("schedule", cosineSchedule ? "cosine" : "constant"), ("min_lr", "\(minLR)"),
         ("grad_clip", gradClipNorm.map { "\($0)" } ?? "0"), ("reward_bn", rewardBatchStatistics ? "batch" : "running"),
         ("calibration_batches", "\(calibrationBatches)"), ("entropy_weight", "\(entropyWeight)"),
         ("baseline_decay", "\(baselineDecay)"), ("ctrl_steps", "\(ctrlSteps)"), ("ctrl_steps_aggregate", "\(ctrlStepsAggregate)"),
         ("export_samples", "\(exportSamples)")]
    }
}
