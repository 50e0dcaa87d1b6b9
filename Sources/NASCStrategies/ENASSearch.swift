// ENASSearch: ENAS one-shot search — supernet training on controller-sampled paths alternating with REINFORCE on the controller.
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// ENAS hyperparameters (defaults from NNI's `EnasTrainer` / `ReinforceController` and the ENAS paper).
public struct ENASConfig: Sendable {
    public var epochs = 10
    public var batchSize = 64
    /// Shared weights: SGD with momentum (as SPOS here; NNI takes the user's optimizer, its ENAS example SGD lr 0.05,
    /// momentum 0.9, weight decay 1e-4).
    public var lr = 0.05, momentum = 0.9, weightDecay = 4e-5
    /// Cosine learning-rate schedule over the epochs down to `minLR` (NNI's ENAS example: `CosineAnnealingLR(T_max =
    /// epochs, eta_min = 0.001)`); false = constant.
    public var cosineSchedule = true
    public var minLR = 0.001
    /// Global gradient-norm clipping of the weight steps (NNI `EnasTrainer` `grad_clip`: 5; nil = none).
    public var gradClipNorm: Double? = 5
    /// Controller rewards from batch statistics: each scored path runs its validation batch with train-mode
    /// batchnorm (no weight update; the running statistics are restored afterwards), as the ENAS authors' code
    /// scores paths (`is_training=True` in its `build_valid_rl`). False = eval mode with the supernet's running
    /// statistics, which mix every sampled path (NNI's `EnasTrainer` calls `model.eval()`).
    public var rewardBatchStatistics = true
    /// Training batches whose average batchnorm statistics a path gets before it is scored at export
    /// (``BatchNormCalibration``).
    public var calibrationBatches = 10
    /// Limits the weight batches per epoch (0 = a whole epoch of the training set).
    public var maxBatchesPerEpoch = 0
    /// Controller-sampled paths trained per training batch, one weight step each (0 = the largest candidate count of
    /// the space). ENAS and NNI train one path per batch, so each of `n` candidates gets about `1/n` of the steps a
    /// fixed subnet gets per epoch, and a 10-epoch search leaves the shared weights far from trained (on
    /// examples/nb201_digits.nas the exported path scored 0.43 validation accuracy against 0.97 for a trained
    /// subnet); `n` paths per batch give each candidate about one step per batch, as SPOS's strict fairness does.
    public var pathsPerBatch = 0
    /// The controller: LSTM hidden 64, tanh constant 1.5, Adam lr 3.5e-4, gradient clip 5 (NNI defaults).
    public var controller = ControllerConfig()
    /// Weight of the sample entropy added to the reward (NNI `entropy_weight`: 1e-4).
    public var entropyWeight = 1e-4
    /// Baseline decay (NNI `baseline_decay`: 0.999).
    public var baselineDecay = 0.999
    /// Controller steps per update: their losses are averaged into one Adam step (NNI `ctrl_steps_aggregate`: 20; 10
    /// here, see ``ctrlSteps``).
    public var ctrlStepsAggregate = 10
    /// Controller steps per epoch, one sampled architecture scored on one validation batch each (NNI walks the
    /// validation loader; here a fixed count so small data sets still update the controller): 400, i.e. 40 Adam
    /// updates of 10 samples per epoch. The ENAS authors' code makes 50 updates of 20 samples per epoch
    /// (`controller_train_steps=50`, `controller_num_aggregate=20`); the earlier default here, 40 steps of 20 (2
    /// updates per epoch, about NNI's rate on a small validation set), left the controller near uniform after 10
    /// epochs, and the export was the best of 11 near-random paths: mean regret 0.087 on the digits table against
    /// 0.010 with 40 updates per epoch (docs/strategies.md).
    public var ctrlSteps = 400
    /// Sampled architectures scored on the whole validation set at export, next to the controller's argmax.
    public var exportSamples = 10
    public var seed: UInt64 = 0
    /// Creates the default configuration.
    public init() {}
}

/// One epoch of an ENAS search, as logged.
public struct ENASEpochLog: Sendable, Hashable {
    /// Weight training on sampled paths (train loss and accuracy), the controller steps' mean validation loss and
    /// accuracy (the reward without entropy), and each decision's distribution along the controller's greedy path.
    public var oneShot: OneShotEpochLog
    /// Mean reward of the epoch's controller steps (accuracy plus entropy bonus).
    public var meanReward: Double
    /// The moving-average baseline after the epoch.
    public var baseline: Double
    /// Controller updates so far.
    public var controllerUpdates: Int

    /// One line: the one-shot summary plus reward, baseline and updates.
    public var summary: String {
        oneShot.summary + String(format: ", reward %.4f baseline %.4f, controller updates %d", meanReward, baseline, controllerUpdates)
    }
}

/// ENAS (Pham et al. 2018) on a sampled (single-path) supernet, as NNI's `EnasTrainer`: each epoch trains the shared
/// weights with one controller-sampled path per training batch, then trains the ``LSTMController`` with REINFORCE,
/// the reward of a sampled path being its accuracy on a validation batch plus `entropyWeight` times the sample's
/// entropy, with a moving-average baseline and `ctrlStepsAggregate` steps averaged per Adam update. The export
/// scores the controller's argmax path and `exportSamples` sampled paths on the whole validation set and returns the
/// best (NNI returns one sample).
public final class ENASSearch: OneShotResumable {
    /// Receives per-batch progress of the supernet training, when set.
    public var progress: OneShotProgress?
    public var epochEnded: ((Int) throws -> Void)?
    /// Epochs already run (a restored search continues after them).
    private var startEpoch = 0
    public let space: ModelSpace
    public let searchSpace: SearchSpace
    public let config: ENASConfig
    /// The supernet (shared weights).
    public let executor: Executor
    /// The policy over the supernet's selectors (in plan order).
    public let controller: LSTMController
    private var rng: SplitMix64
    /// The moving-average baseline (`nil` before the first reward).
    public private(set) var baseline: Double?
    public private(set) var controllerUpdates = 0
    private var pending: [(actions: [Int], advantage: Double)] = []
    /// The training set of the last ``run(train:valid:log:)`` (batchnorm recalibration at export).
    private var calibration: Dataset?

    /// Compiles the sampled supernet of `space` and a controller over its selectors.
    public init(space: ModelSpace, config: ENASConfig = ENASConfig()) throws {
        guard config.ctrlStepsAggregate >= 1, config.ctrlSteps >= 0, config.exportSamples >= 0, config.epochs >= 0,
              config.batchSize >= 1, (0...1).contains(config.baselineDecay) else {
            throw DiagnosticError(.error("invalid ENAS configuration (aggregate >= 1, steps >= 0, batch >= 1, decay in [0, 1])"))
        }
        self.space = space
        self.config = config
        searchSpace = try SearchSpace(space)
        let options = PlanOptions.sgd(lr: config.lr, momentum: config.momentum, weightDecay: config.weightDecay)
        executor = try Executor(plan: try SupernetCompiler.compile(space, mode: .sampled, options: options, memoryPlan: MemoryPlan()), seed: config.seed)
        let counts = executor.plan.selectors.map(\.candidates.count)
        controller = try LSTMController(counts: counts.isEmpty ? [1] : counts, config: config.controller, seed: config.seed &+ 1)
        rng = SplitMix64(seed: config.seed &+ 2)
    }

    /// Controller-sampled paths trained per batch: ``ENASConfig/pathsPerBatch``, or the largest candidate count.
    public var pathsPerBatch: Int {
        config.pathsPerBatch > 0 ? config.pathsPerBatch : max(executor.plan.selectors.map(\.candidates.count).max() ?? 1, 1)
    }

    /// Selector labels, in plan (controller decision) order.
    public var labels: [String] { executor.plan.selectors.map(\.label) }

    private func select(_ actions: [Int]) {
        executor.selection = executor.plan.selectors.isEmpty ? [] : actions
    }

    /// Runs the search; `log` receives one entry per epoch. Returns the exported architecture and its validation accuracy.
    @discardableResult
    public func run(train: Dataset, valid: Dataset, log: (ENASEpochLog) -> Void = { _ in }) throws -> (Architecture, Double) {
        var tb = try OneShotBatches(train, batchSize: config.batchSize, seed: config.seed)
        var vb = try OneShotBatches(valid, batchSize: config.batchSize, seed: config.seed &+ 1)
        let steps = config.maxBatchesPerEpoch > 0 ? min(config.maxBatchesPerEpoch, tb.batchesPerEpoch) : tb.batchesPerEpoch
        executor.gradientClipNorm = config.gradClipNorm
        calibration = train
        // A restored search: the batch streams continue where the saved epochs left them.
        for _ in 0..<(startEpoch * steps) { _ = tb.next() }
        for _ in 0..<(startEpoch * config.ctrlSteps) { _ = vb.next() }
        for epoch in startEpoch..<config.epochs {
            executor.learningRate = try OneShotSchedule.learningRate(epoch: epoch, epochs: config.epochs, base: config.lr,
                                                                     cosine: config.cosineSchedule, minimum: config.minLR)
            // Shared weights on controller-sampled paths.
            var tl = 0.0, th = 0, tn = 0
            progress?.epochStarted()
            for step in 0..<steps {
                let t = tb.next()
                for _ in 0..<pathsPerBatch {
                    select(try controller.sample(count: 1, using: &rng)[0].actions)
                    let l = try executor.trainStep(data: t.x, labels: t.y, batch: t.n)
                    tl += Double(l) * Double(t.n); th += OneShotMetrics.correct(executor, t.y); tn += t.n
                }
                progress?.batch(epoch: epoch, epochs: config.epochs, batch: step + 1, batches: steps, samples: tn, lossSum: tl, hits: th,
                                learningRate: executor.learningRate)
            }
            // The controller, by REINFORCE on validation accuracy.
            var vl = 0.0, vh = 0, vn = 0, rewards = 0.0
            let saved = BatchNormCalibration.saveState(executor)
            for _ in 0..<config.ctrlSteps {
                let s = try controller.sample(count: 1, using: &rng)[0]
                select(s.actions)
                let v = vb.next()
                let l = try executor.forward(data: v.x, labels: v.y, batch: v.n,
                                             mode: config.rewardBatchStatistics ? .train : .eval) ?? 0
                let hits = OneShotMetrics.correct(executor, v.y)
                vl += Double(l) * Double(v.n); vh += hits; vn += v.n
                let reward = Double(hits) / Double(max(v.n, 1)) + config.entropyWeight * s.entropy
                rewards += reward
                try reinforce(s.actions, reward: reward)
            }
            try BatchNormCalibration.restore(saved, into: executor)
            let n = Double(max(tn, 1)), m = Double(max(vn, 1))
            log(ENASEpochLog(oneShot: OneShotEpochLog(epoch: epoch, trainLoss: tl / n, trainAccuracy: Double(th) / n,
                                                      validLoss: vl / m, validAccuracy: Double(vh) / m,
                                                      probabilities: try probabilities()),
                             meanReward: config.ctrlSteps > 0 ? rewards / Double(config.ctrlSteps) : 0,
                             baseline: baseline ?? 0, controllerUpdates: controllerUpdates))
            startEpoch = epoch + 1
            try epochEnded?(epoch + 1)
        }
        return try export(valid: valid)
    }

    /// REINFORCE steps collected but not yet applied, in saved form.
    private struct PendingSteps: Codable { var actions: [[Int]]; var advantages: [UInt64] }

    public func saveState() throws -> OneShotSearchState {
        var s = try OneShotSearchState(strategy: "enas", epochsDone: startEpoch, executor: executor)
        s.counters["rng"] = rng.state
        s.counters["controller_updates"] = UInt64(controllerUpdates)
        if let b = baseline { s.set("baseline", b) }
        s.blobs["controller"] = try JSONEncoder().encode(controller.saved())
        s.blobs["pending"] = try JSONEncoder().encode(PendingSteps(actions: pending.map(\.actions), advantages: pending.map(\.advantage.bitPattern)))
        return s
    }

    public func restore(_ s: OneShotSearchState) throws {
        try s.check(strategy: "enas", epochs: config.epochs)
        try s.restoreExecutor(executor)
        guard let c = s.blobs["controller"], let p = s.blobs["pending"],
              let saved = try? JSONDecoder().decode(LSTMController.Saved.self, from: c),
              let steps = try? JSONDecoder().decode(PendingSteps.self, from: p), steps.actions.count == steps.advantages.count else {
            throw OneShotSearchState.error("has no readable ENAS controller state")
        }
        try controller.restore(saved, strategy: "enas")
        pending = zip(steps.actions, steps.advantages).map { ($0, Double(bitPattern: $1)) }
        rng.state = try s.counter("rng")
        controllerUpdates = try s.count("controller_updates")
        baseline = s.counters["baseline"].map(Double.init(bitPattern:))
        startEpoch = s.epochsDone
    }


    /// Records one controller step's reward (NNI's order: update the baseline, then `advantage = reward - baseline`)
    /// and makes an Adam step once `ctrlStepsAggregate` steps are collected (their losses averaged).
    func reinforce(_ actions: [Int], reward: Double) throws {
        let b = config.baselineDecay * (baseline ?? 0) + (1 - config.baselineDecay) * reward
        baseline = b
        pending.append((actions, reward - b))
        if pending.count >= config.ctrlStepsAggregate {
            try controller.reinforce(actions: pending.map(\.actions), advantages: pending.map(\.advantage))
            pending.removeAll()
            controllerUpdates += 1
        }
    }

    /// Each decision's distribution along the controller's greedy path, by label.
    public func probabilities() throws -> [String: [Double]] {
        guard !executor.plan.selectors.isEmpty else { return [:] }
        let d = try controller.distributions(along: try controller.argmax())
        return Dictionary(uniqueKeysWithValues: zip(labels, d).map { ($0, $1) })
    }

    /// Scores the controller's argmax path and `exportSamples` distinct sampled paths on the whole validation set
    /// (inherited weights, eval mode) and returns the best architecture with its accuracy (the argmax on ties).
    public func export(valid: Dataset) throws -> (Architecture, Double) {
        var candidates = [try controller.argmax()]
        var tries = 0
        while candidates.count < 1 + config.exportSamples && tries < 20 * max(config.exportSamples, 1) {
            let a = try controller.sample(count: 1, using: &rng)[0].actions
            if !candidates.contains(a) { candidates.append(a) }
            tries += 1
        }
        var best = candidates[0], bestAccuracy = -1.0
        let saved = BatchNormCalibration.saveState(executor)
        defer { try? BatchNormCalibration.restore(saved, into: executor) }
        for c in candidates {
            select(c)
            if let calibration {
                try BatchNormCalibration.recalibrate(executor, data: calibration, batches: config.calibrationBatches,
                                                     batchSize: config.batchSize, seed: config.seed &+ 7)
            }
            let acc = try OneShotMetrics.evaluate(executor, valid, batchSize: config.batchSize).accuracy
            if acc > bestAccuracy { best = c; bestAccuracy = acc }
        }
        return (try architecture(best), bestAccuracy)
    }

    /// The architecture of a selection (layer choices by candidate name, input choices by index); decisions without
    /// a selector take their first value.
    public func architecture(_ actions: [Int]) throws -> Architecture {
        var values: [String: DecisionValue] = [:]
        for (i, s) in executor.plan.selectors.enumerated() where i < actions.count {
            guard let d = searchSpace.decision(s.label) else { continue }
            switch d.kind {
            case .layerChoice(let names) where actions[i] < names.count: values[s.label] = .candidate(names[actions[i]])
            case .inputChoice: values[s.label] = .inputs([actions[i]])
            default: break
            }
        }
        for d in searchSpace.decisions where values[d.label] == nil {
            guard let v = d.kind.value(atRank: 0) else { continue }
            values[d.label] = v
        }
        let arch = Architecture(values)
        try searchSpace.validate(arch)
        return arch
    }
}
