// SPOSSearch: random one-shot / single path one-shot — uniform path sampling, then evolution over the trained supernet.
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// SPOS hyperparameters (NNI RandomOneShot for supernet training; evolution as in the SPOS paper, scaled down).
public struct SPOSConfig: Sendable {
    public var epochs = 10
    public var batchSize = 64
    public var lr = 0.05, momentum = 0.9, weightDecay = 4e-5
    public var maxBatchesPerEpoch = 0
    /// Evolution: population, generations, mutation probability per decision, parents kept per generation.
    public var population = 16, generations = 4, mutationProbability = 0.1, parents = 8
    /// Batches of training data used to recalibrate batchnorm statistics before evaluating a subnet.
    public var calibrationBatches = 4
    public var seed: UInt64 = 0
    /// Creates the default configuration.
    public init() {}
}

/// Trains a sampled (single-path) supernet with uniformly sampled paths, then searches it with evolution: each
/// candidate subnet inherits the supernet weights, gets its batchnorm statistics recalibrated on training batches,
/// and is scored by validation accuracy. The best architecture found is exported.
public final class SPOSSearch {
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
        let options = ["optimizer": "sgd", "lr": "\(config.lr)", "momentum": "\(config.momentum)", "weight_decay": "\(config.weightDecay)"]
        executor = try Executor(plan: try SupernetCompiler.compile(space, mode: .sampled, options: options), seed: config.seed)
        rng = SplitMix64(seed: config.seed)
    }

    private var counts: [Int] { executor.plan.selectors.map(\.candidates.count) }

    /// A uniformly sampled selection vector.
    func sample() -> [Int] { counts.map { Int.random(in: 0..<$0, using: &rng) } }

    /// Trains the supernet (one uniformly sampled path per step); `log` gets one entry per epoch.
    public func train(_ train: Dataset, valid: Dataset, log: (OneShotEpochLog) -> Void = { _ in }) throws {
        var tb = try OneShotBatches(train, batchSize: config.batchSize, seed: config.seed)
        let steps = config.maxBatchesPerEpoch > 0 ? min(config.maxBatchesPerEpoch, tb.batchesPerEpoch) : tb.batchesPerEpoch
        for epoch in 0..<config.epochs {
            var tl = 0.0, th = 0, tn = 0
            for _ in 0..<steps {
                executor.selection = sample()
                let t = tb.next()
                let l = try executor.trainStep(data: t.x, labels: t.y, batch: t.n)
                tl += Double(l) * Double(t.n); th += OneShotMetrics.correct(executor, t.y); tn += t.n
            }
            executor.selection = sample()
            let (va, vl) = try OneShotMetrics.evaluate(executor, valid, batchSize: config.batchSize)
            log(OneShotEpochLog(epoch: epoch, trainLoss: tl / Double(max(tn, 1)), trainAccuracy: Double(th) / Double(max(tn, 1)),
                                validLoss: vl, validAccuracy: va, probabilities: [:]))
        }
    }

    /// Validation accuracy of a selection with inherited weights, after recalibrating batchnorm statistics.
    public func score(_ selection: [Int], calibration: Dataset, valid: Dataset) throws -> Double {
        if let s = evaluated[selection] { return s }
        executor.selection = selection
        for s in executor.plan.slots where s.role == .state {
            let n = executor.parameter(s.name)?.count ?? 0
            if s.name.hasSuffix("running_mean") { try executor.setParameter(s.name, [Float](repeating: 0, count: n)) }
            if s.name.hasSuffix("running_var") { try executor.setParameter(s.name, [Float](repeating: 1, count: n)) }
        }
        var cb = try OneShotBatches(calibration, batchSize: config.batchSize, seed: config.seed &+ 7)
        for _ in 0..<config.calibrationBatches {
            let b = cb.next()
            try executor.forward(data: b.x, batch: b.n, mode: .train)
        }
        let acc = try OneShotMetrics.evaluate(executor, valid, batchSize: config.batchSize).accuracy
        evaluated[selection] = acc
        return acc
    }

    /// Evolutionary search over the trained supernet; returns the best architecture and its validation accuracy.
    public func search(calibration: Dataset, valid: Dataset) throws -> (Architecture, Double) {
        var population: [[Int]] = []
        var guardCount = 0
        while population.count < config.population && guardCount < 20 * config.population {
            let s = sample()
            if !population.contains(s) { population.append(s) }
            guardCount += 1
        }
        for p in population { _ = try score(p, calibration: calibration, valid: valid) }
        for _ in 0..<config.generations {
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
