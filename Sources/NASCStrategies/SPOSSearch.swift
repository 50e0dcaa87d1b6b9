// SPOSSearch: random one-shot / single path one-shot — uniform path sampling, then evolution over the trained supernet.
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// SPOS hyperparameters (NNI RandomOneShot for supernet training; evolution as in the SPOS paper, scaled down).
public struct SPOSConfig: Sendable {
    public var epochs = 10
    public var batchSize = 64
    /// Shared weights: SGD, lr 0.05, momentum 0.9, weight decay 4e-5 (the SPOS paper's momentum and decay; its lr
    /// 0.5 is for batch 1024).
    public var lr = 0.05, momentum = 0.9, weightDecay = 4e-5
    public var maxBatchesPerEpoch = 0
    /// Learning-rate schedule over the epochs: `.cosine(tMax: epochs, etaMin: minLR)` when true, else constant.
    /// The SPOS paper decays the rate linearly to 0, NNI's ENAS example anneals it with a cosine to 0.001; here the
    /// cosine.
    public var cosineSchedule = true
    /// The cosine schedule's final rate (NNI's one-shot examples: 0.001).
    public var minLR = 0.001
    /// Clips the global gradient norm of each weight step (nil = no clipping; NNI's RandomOneShot does not clip).
    public var gradClipNorm: Double? = nil
    /// Strict fairness (FairNAS, Chu et al. 2021): each training batch trains `max candidates` paths in turn, built
    /// from one random permutation of every choice's candidates, so that every candidate gets one weight step per
    /// batch, as many as a fixed subnet (uniform sampling gives each of `n` candidates `1/n` of the steps). FairNAS
    /// accumulates the paths' gradients into one update; here each path makes its own step (the plan's update steps
    /// are guarded by the selection). Costs `max candidates` steps per batch. Off = one uniform path per batch (NNI's
    /// RandomOneShot). On by default: on examples/nb201_digits.nas, 10 epochs of uniform single-path training left
    /// the evolution's best subnet at 0.45 validation accuracy and fair training at 0.97, the accuracy of a subnet
    /// trained alone for 10 epochs (docs/oneshot.md, "Training recipe").
    public var strictFairness = true
    /// Evolution: population, generations, mutation probability per decision, parents kept per generation.
    public var population = 16, generations = 4, mutationProbability = 0.1, parents = 8
    /// Batches of training data whose exact average statistics replace a subnet's batchnorm running statistics
    /// before it is evaluated (``BatchNormCalibration``; SPOS recalibrates on 20,000 ImageNet images, here 10 batches).
    public var calibrationBatches = 10
    /// Uniformly sampled paths scored (recalibrated, on the validation set) after each epoch; the epoch log reports
    /// their mean (`valid_accuracy`) and best (`valid_best`) accuracy.
    public var evalPaths = 4
    public var seed: UInt64 = 0
    /// Creates the default configuration.
    public init() {}
}

/// Trains a sampled (single-path) supernet with uniformly sampled paths, then searches it with evolution: each
/// candidate subnet inherits the supernet weights, gets its batchnorm statistics recalibrated on training batches,
/// and is scored by validation accuracy. The best architecture found is exported.
public final class SPOSSearch: OneShotResumable {
    /// Receives per-batch progress of the supernet training, when set.
    public var progress: OneShotProgress?
    public var epochEnded: ((Int) throws -> Void)?
    /// Epochs already run (a restored search continues after them).
    private var startEpoch = 0
    public let space: ModelSpace
    public let searchSpace: SearchSpace
    public let config: SPOSConfig
    public let executor: Executor
    private var rng: SplitMix64
    /// Validation accuracy of every evaluated selection.
    public private(set) var evaluated: [[Int]: Double] = [:]

    /// Compiles the sampled supernet of `space`.
    public init(space: ModelSpace, config: SPOSConfig = SPOSConfig()) throws {
        self.space = space
        self.config = config
        searchSpace = try SearchSpace(space)
        let options = PlanOptions.sgd(lr: config.lr, momentum: config.momentum, weightDecay: config.weightDecay)
        executor = try Executor(plan: try SupernetCompiler.compile(space, mode: .sampled, options: options, memoryPlan: MemoryPlan()), seed: config.seed)
        rng = SplitMix64(seed: config.seed)
    }

    private var counts: [Int] { executor.plan.selectors.map(\.candidates.count) }

    /// A uniformly sampled selection vector.
    func sample() -> [Int] { counts.map { Int.random(in: 0..<$0, using: &rng) } }

    /// The paths of one strictly fair batch: path `k` takes candidate `perm_i[k % n_i]` of choice `i`.
    func fairPaths() -> [[Int]] {
        let c = counts
        let k = c.max() ?? 1
        let perms = c.map { n in Array(0..<n).shuffled(using: &rng) }
        return (0..<k).map { j in perms.map { $0[j % $0.count] } }
    }

    /// Trains the supernet (one uniformly sampled path per step); `log` gets one entry per epoch: training loss and
    /// accuracy of the sampled paths, and the mean and best validation accuracy of ``SPOSConfig/evalPaths`` fresh
    /// uniformly sampled paths, each recalibrated (`valid_accuracy`, `valid_loss`, extra `valid_best`).
    public func train(_ train: Dataset, valid: Dataset, log: (OneShotEpochLog) -> Void = { _ in }) throws {
        var tb = try OneShotBatches(train, batchSize: config.batchSize, seed: config.seed)
        let steps = config.maxBatchesPerEpoch > 0 ? min(config.maxBatchesPerEpoch, tb.batchesPerEpoch) : tb.batchesPerEpoch
        executor.gradientClipNorm = config.gradClipNorm
        // A restored search: the batch stream continues where the saved epochs left it.
        for _ in 0..<(startEpoch * steps) { _ = tb.next() }
        for epoch in startEpoch..<config.epochs {
            executor.learningRate = try OneShotSchedule.learningRate(epoch: epoch, epochs: config.epochs, base: config.lr,
                                                                     cosine: config.cosineSchedule, minimum: config.minLR)
            var tl = 0.0, th = 0, tn = 0
            progress?.epochStarted()
            for step in 0..<steps {
                let t = tb.next()
                for path in config.strictFairness ? fairPaths() : [sample()] {
                    executor.selection = path
                    let l = try executor.trainStep(data: t.x, labels: t.y, batch: t.n)
                    tl += Double(l) * Double(t.n); th += OneShotMetrics.correct(executor, t.y); tn += t.n
                }
                progress?.batch(epoch: epoch, epochs: config.epochs, batch: step + 1, batches: steps, samples: tn, lossSum: tl, hits: th,
                                learningRate: executor.learningRate)
            }
            let saved = BatchNormCalibration.saveState(executor)
            var accuracies: [Double] = [], losses: [Double] = []
            for _ in 0..<max(config.evalPaths, 1) {
                executor.selection = sample()
                try BatchNormCalibration.recalibrate(executor, data: train, batches: config.calibrationBatches,
                                                     batchSize: config.batchSize, seed: config.seed &+ 7)
                let (va, vl) = try OneShotMetrics.evaluate(executor, valid, batchSize: config.batchSize)
                accuracies.append(va); losses.append(vl)
            }
            try BatchNormCalibration.restore(saved, into: executor)
            let k = Double(accuracies.count)
            log(OneShotEpochLog(epoch: epoch, trainLoss: tl / Double(max(tn, 1)), trainAccuracy: Double(th) / Double(max(tn, 1)),
                                validLoss: losses.reduce(0, +) / k, validAccuracy: accuracies.reduce(0, +) / k, probabilities: [:],
                                extra: ["valid_best": accuracies.max() ?? 0, "lr": executor.learningRate]))
            startEpoch = epoch + 1
            try epochEnded?(epoch + 1)
        }
    }

    public func saveState() throws -> OneShotSearchState {
        var s = try OneShotSearchState(strategy: "spos", epochsDone: startEpoch, executor: executor)
        s.counters["rng"] = rng.state
        return s
    }

    public func restore(_ s: OneShotSearchState) throws {
        try s.check(strategy: "spos", epochs: config.epochs)
        try s.restoreExecutor(executor)
        rng.state = try s.counter("rng")
        startEpoch = s.epochsDone
    }


    /// Validation accuracy of a selection with inherited weights, after recalibrating its batchnorm statistics
    /// (``BatchNormCalibration``, ``SPOSConfig/calibrationBatches`` training batches).
    public func score(_ selection: [Int], calibration: Dataset, valid: Dataset) throws -> Double {
        if let s = evaluated[selection] { return s }
        executor.selection = selection
        try BatchNormCalibration.recalibrate(executor, data: calibration, batches: config.calibrationBatches,
                                             batchSize: config.batchSize, seed: config.seed &+ 7)
        let acc = try OneShotMetrics.evaluate(executor, valid, batchSize: config.batchSize).accuracy
        evaluated[selection] = acc
        return acc
    }

    /// Evolutionary search over the trained supernet; returns the best architecture and its validation accuracy.
    /// `log` gets one entry per generation (0 = the initial population).
    public func search(calibration: Dataset, valid: Dataset,
                       log: (SPOSGenerationLog) -> Void = { _ in }) throws -> (Architecture, Double) {
        func report(_ generation: Int, _ population: [[Int]]) {
            let scores = population.map { evaluated[$0] ?? 0 }
            log(SPOSGenerationLog(generation: generation, bestAccuracy: evaluated.values.max() ?? 0,
                                  populationBest: scores.max() ?? 0,
                                  populationMean: scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count),
                                  evaluated: evaluated.count))
        }
        var population: [[Int]] = []
        var guardCount = 0
        while population.count < config.population && guardCount < 20 * config.population {
            let s = sample()
            if !population.contains(s) { population.append(s) }
            guardCount += 1
        }
        for p in population { _ = try score(p, calibration: calibration, valid: valid) }
        report(0, population)
        for generation in stride(from: 1, through: config.generations, by: 1) {
            let ranked = population.sorted { (evaluated[$0] ?? 0) > (evaluated[$1] ?? 0) }
            let parents = Array(ranked.prefix(max(1, config.parents)))
            var children: [[Int]] = []
            var tries = 0
            while children.count < config.population - parents.count && tries < 50 * config.population {
                tries += 1
                let a = parents[Int.random(in: 0..<parents.count, using: &rng)]
                var child = a
                if tries % 2 == 0 {
                    let b = parents[Int.random(in: 0..<parents.count, using: &rng)]
                    for i in child.indices where Bool.random(using: &rng) { child[i] = b[i] }
                } else {
                    let c = counts
                    for i in child.indices where Double.random(in: 0..<1, using: &rng) < config.mutationProbability {
                        child[i] = Int.random(in: 0..<c[i], using: &rng)
                    }
                }
                if evaluated[child] == nil && !children.contains(child) { children.append(child) }
            }
            for c in children { _ = try score(c, calibration: calibration, valid: valid) }
            population = (parents + children).sorted { (evaluated[$0] ?? 0) > (evaluated[$1] ?? 0) }
            report(generation, population)
        }
        let best = evaluated.max { $0.value < $1.value || ($0.value == $1.value && $1.key.lexicographicallyPrecedes($0.key)) }
        guard let best else { return (try architecture(sample()), 0) }
        return (try architecture(best.key), best.value)
    }

    /// The architecture of a selection vector (layer choices by candidate name, input choices by index, value
    /// choices and repeat depths by value).
    public func architecture(_ selection: [Int]) throws -> Architecture {
        var values: [String: DecisionValue] = [:]
        for (i, s) in executor.plan.selectors.enumerated() where i < selection.count {
            guard let d = searchSpace.decision(s.label) else { continue }
            switch d.kind {
            case .layerChoice(let names): values[s.label] = .candidate(names[selection[i]])
            case .inputChoice: values[s.label] = .inputs([selection[i]])
            case .valueChoice(let vs) where selection[i] < vs.count: values[s.label] = .value(vs[selection[i]])
            case .repeatDepth(let ds) where selection[i] < ds.count: values[s.label] = .value(.int(ds[selection[i]]))
            default: break
            }
        }
        for d in searchSpace.decisions where values[d.label] == nil {
            switch d.kind {
            case .layerChoice(let names): values[d.label] = .candidate(names[0])
            case .inputChoice(_, let k): values[d.label] = .inputs(Array(0..<(k ?? 1)))
            case .valueChoice(let vs): values[d.label] = .value(vs[0])
            case .repeatDepth(let ds): values[d.label] = .value(.int(ds[0]))
            }
        }
        let arch = Architecture(values)
        try searchSpace.validate(arch)
        return arch
    }
}

/// One generation of SPOS's evolution, as logged.
public struct SPOSGenerationLog: Sendable, Hashable {
    /// 0 for the initial (uniformly sampled) population.
    public var generation: Int
    /// The best validation accuracy of any subnet evaluated so far.
    public var bestAccuracy: Double
    /// The best and mean validation accuracy of this generation's population.
    public var populationBest: Double, populationMean: Double
    /// Subnets evaluated so far.
    public var evaluated: Int

    /// One line: `generation 2: best 0.9514, population best 0.9514 mean 0.8871, 32 evaluated`.
    public var summary: String {
        String(format: "generation %d: best %.4f, population best %.4f mean %.4f, %d evaluated",
               generation, bestAccuracy, populationBest, populationMean, evaluated)
    }

    /// The entry as one JSON object on one line.
    public var jsonLine: String {
        "{\"best_accuracy\":\(bestAccuracy),\"evaluated\":\(evaluated),\"generation\":\(generation),"
            + "\"population_best\":\(populationBest),\"population_mean\":\(populationMean),\"stage\":\"evolution\"}"
    }
}
