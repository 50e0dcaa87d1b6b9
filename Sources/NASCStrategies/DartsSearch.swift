// DartsSearch: DARTS (first order, or second order by the unrolled approximation) and its GumbelDARTS variant —
// alternating architecture (validation) and weight (training) steps on a darts or gumbel supernet.
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// DARTS hyperparameters (defaults as in NNI's DartsLightningModule / the DARTS paper).
public struct DartsConfig: Sendable {
    public var epochs = 10
    public var batchSize = 64
    /// Weight optimizer: SGD with momentum.
    public var weightLR = 0.025, momentum = 0.9, weightDecay = 3e-4
    /// Architecture optimizer: Adam(lr 3e-4, betas (0.5, 0.999), weight decay 1e-3).
    public var archLR = 3e-4, archBeta1 = 0.5, archBeta2 = 0.999, archWeightDecay = 1e-3
    /// Alpha init: `alphaInitStd * randn` (NNI: 1e-3), seeded by ``seed``.
    public var alphaInitStd = 1e-3
    /// Second-order DARTS (the unrolled approximation of the DARTS paper, eq. 7-8): the architecture gradient is
    /// taken at the virtual weights `w' = w - xi * grad_w L_train(w, alpha)`, minus `xi` times the finite-difference
    /// Hessian-vector product `(grad_alpha L_train(w+) - grad_alpha L_train(w-)) / (2 eps)`,
    /// `w± = w ± eps * grad_w' L_val(w', alpha)`, `eps = 0.01 / ||grad_w' L_val||`.
    public var unrolled = false
    /// The virtual step size of second-order DARTS (nil = the weight learning rate, as in the DARTS code).
    public var xi: Double? = nil
    /// Early stopping against skip-connection collapse (DARTS+ criterion): stop after the epoch in which at least
    /// this many layer choices have a skip connection as their most probable candidate (0 = never).
    public var earlyStopSkips = 0
    /// DARTS- auxiliary skip: every layer choice with a skip candidate outputs `mixed + beta * input`, `beta`
    /// decaying linearly per epoch from `auxSkipBeta` to 0 (`beta(e) = auxSkipBeta * (1 - e / epochs)`; 0 = off).
    public var auxSkipBeta = 0.0
    /// GumbelDARTS temperature, annealed linearly per epoch from `temperatureInit` to `temperatureMin` as NNI's
    /// LinearTemperatureScheduler: `tau(e) = (1 - e / epochs) * (init - min) + min` (NNI GumbelDARTS: 1.0 -> 0.33).
    public var temperatureInit = 1.0, temperatureMin = 0.33
    /// Hard (straight-through) GumbelDARTS: the forward pass uses the one-hot argmax of the Gumbel-softmax sample,
    /// the backward pass the soft sample's gradient (`torch.nn.functional.gumbel_softmax(hard=True)`). NNI's
    /// `GumbelSoftmax` defaults to `hard = False`, and so does this.
    public var hard = false
    /// Limits the batches per epoch (0 = a whole epoch of the training set).
    public var maxBatchesPerEpoch = 0
    /// Epochs at the start that train the weights only: the architecture gradient is computed (for the validation
    /// figures) but not applied (P-DARTS' warm-up; 0 = none, as DARTS).
    public var archWarmupEpochs = 0
    public var seed: UInt64 = 0
    /// Creates the default configuration.
    public init() {}
}

/// DARTS: each step takes one architecture step (Adam on the `arch:` parameters, on a validation batch; first
/// order, or second order when ``DartsConfig/unrolled``) and one weight step (SGD on every other parameter, on a
/// training batch). With mode `gumbel` (GumbelDARTS) the candidates are weighted by `softmax((alpha + g) / tau)`
/// with fresh Gumbel noise `g` before every step and the temperature annealed per epoch. ``export()`` picks the argmax
/// candidate of each layer choice and the top `n_chosen` inputs of each input choice.
public final class DartsSearch: OneShotResumable {
    /// Receives per-batch progress of the supernet training, when set.
    public var progress: OneShotProgress?
    public var epochEnded: ((Int) throws -> Void)?
    /// Epochs already run (restored) and whether the search already stopped early.
    private var startEpoch = 0, stopped = false
    public let space: ModelSpace
    public let searchSpace: SearchSpace
    public let config: DartsConfig
    /// `darts` or `gumbel`.
    public let mode: SupernetMode
    public let executor: Executor
    private let archOptimizer: Adam
    private var archState: [String: [Float]] = [:]
    private var archSteps = 0
    private var noiseDraws = 0
    /// The current Gumbel temperature (gumbel mode).
    public private(set) var temperature: Double
    /// The epochs the last ``run(train:valid:log:)`` took (fewer than configured after an early stop).
    public private(set) var epochsRun = 0

    /// Compiles the supernet of `space` (`mode` darts or gumbel). Throws a ``DiagnosticError`` for spaces the
    /// supernet pass rejects or another mode.
    public init(space: ModelSpace, config: DartsConfig = DartsConfig(), mode: SupernetMode = .darts) throws {
        guard mode == .darts || mode == .gumbel else {
            throw DiagnosticError(.error("DARTS searches darts or gumbel supernets, not \(mode.rawValue)", at: SourceLocation(file: "--strategy")))
        }
        self.space = space
        self.config = config
        self.mode = mode
        temperature = config.temperatureInit
        searchSpace = try SearchSpace(space)
        executor = try Executor(plan: try SupernetCompiler.compile(space, mode: mode, options: config.weightOptimizerOptions,
                                                                   memoryPlan: MemoryPlan(), auxSkip: config.auxSkipBeta > 0,
                                                                   gumbelHard: mode == .gumbel && config.hard),
                                seed: config.seed)
        archOptimizer = try config.architectureOptimizer()
        for name in executor.architectureParameterNames {
            archState[name] = [Float](repeating: 0, count: 2 * (executor.parameter(name)?.count ?? 0))
        }
        try OneShotExport.initializeAlphas(executor, std: config.alphaInitStd, seed: config.seed)
    }

    /// The weight (non-control) parameters.
    var weightNames: [String] { executor.weightParameterNames }

    /// Fresh Gumbel noise before a forward pass (gumbel mode only).
    func perturb() throws {
        guard mode == .gumbel else { return }
        try executor.drawGumbelNoise(temperature: temperature, draw: noiseDraws)
        noiseDraws += 1
    }

    /// The GumbelDARTS temperature of an epoch (NNI's linear schedule).
    public static func temperature(epoch: Int, of epochs: Int, initial: Double, minimum: Double) -> Double {
        let e = min(epoch, epochs)
        return (1 - Double(e) / Double(max(epochs, 1))) * (initial - minimum) + minimum
    }

    /// The first-order architecture gradient on a validation batch (gradients left in the executor).
    func firstOrderGradient(_ v: (x: [Float], y: [Int64], n: Int)) throws -> (loss: Float, hits: Int, grad: [String: [Float]]) {
        try perturb()
        let loss = try executor.computeGradients(data: v.x, labels: v.y, batch: v.n)
        let hits = OneShotMetrics.correct(executor, v.y)
        var g: [String: [Float]] = [:]
        for name in executor.architectureParameterNames { g[name] = executor.gradient(of: name) }
        return (loss, hits, g)
    }

    /// The second-order (unrolled) architecture gradient for a training and a validation batch. The weights and
    /// the batchnorm statistics are restored afterwards. `xi = 0` gives the first-order gradient.
    public func unrolledGradient(train t: (x: [Float], y: [Int64], n: Int), valid v: (x: [Float], y: [Int64], n: Int),
                                 xi: Double) throws -> (loss: Float, hits: Int, grad: [String: [Float]]) {
        let names = weightNames
        let persistent = executor.plan.slots.filter { $0.role == .state && $0.control == nil }.map(\.name)
        var saved: [String: [Float]] = [:]
        for n in names + persistent { saved[n] = executor.parameter(n) }
        func restore() throws { for (n, w) in saved { try executor.setParameter(n, w) } }
        func alphaGrads() -> [String: [Float]] {
            var g: [String: [Float]] = [:]
            for name in executor.architectureParameterNames { g[name] = executor.gradient(of: name) ?? [] }
            return g
        }
        let x = Float(xi)
        // Virtual step w' = w - xi * grad_w L_train(w, alpha).
        try perturb()
        try executor.computeGradients(data: t.x, labels: t.y, batch: t.n)
        for n in names {
            guard let w = saved[n], let g = executor.gradient(of: n) else { continue }
            try executor.setParameter(n, zip(w, g).map { $0 - x * $1 })
        }
        // grad_alpha and grad_w' of L_val(w', alpha).
        try perturb()
        let loss = try executor.computeGradients(data: v.x, labels: v.y, batch: v.n)
        let hits = OneShotMetrics.correct(executor, v.y)
        var grad = alphaGrads()
        var dw: [String: [Float]] = [:]
        var norm2 = 0.0
        for n in names { let g = executor.gradient(of: n) ?? []; dw[n] = g; norm2 += g.reduce(0.0) { $0 + Double($1) * Double($1) } }
        if xi != 0 && norm2 > 0 {
            let eps = Float(0.01 / norm2.squareRoot())
            var plus: [String: [Float]] = [:], minus: [String: [Float]] = [:]
            for sign: Float in [1, -1] {
                for n in names {
                    guard let w = saved[n], let d = dw[n] else { continue }
                    try executor.setParameter(n, zip(w, d).map { $0 + sign * eps * $1 })
                }
                try executor.computeGradients(data: t.x, labels: t.y, batch: t.n)
                if sign > 0 { plus = alphaGrads() } else { minus = alphaGrads() }
            }
            for (name, g) in grad {
                let p = plus[name] ?? [], m = minus[name] ?? []
                guard p.count == g.count, m.count == g.count else { continue }
                grad[name] = g.indices.map { g[$0] - x * (p[$0] - m[$0]) / (2 * eps) }
            }
        }
        try restore()
        return (loss, hits, grad)
    }

    /// Adam step on the architecture parameters with the given gradients.
    func applyArchitectureGradient(_ grad: [String: [Float]]) throws {
        archSteps += 1
        for name in executor.architectureParameterNames {
            guard var p = executor.parameter(name), let g = grad[name], g.count == p.count, var st = archState[name] else { continue }
            archOptimizer.step(parameter: &p, gradient: g, state: &st, step: archSteps)
            archState[name] = st
            try executor.setParameter(name, p)
        }
    }

    /// One weight step on a training batch (the architecture parameters are not updated).
    func weightStep(_ t: (x: [Float], y: [Int64], n: Int)) throws -> (Float, Int) {
        try perturb()
        let loss = try executor.computeGradients(data: t.x, labels: t.y, batch: t.n)
        let hits = OneShotMetrics.correct(executor, t.y)
        try executor.applyUpdates { !executor.isControlParameter($0) }
        return (loss, hits)
    }

    /// Runs the search; `log` receives one entry per epoch. Returns the exported architecture.
    @discardableResult
    public func run(train: Dataset, valid: Dataset, log: (OneShotEpochLog) -> Void = { _ in }) throws -> Architecture {
        var tb = try OneShotBatches(train, batchSize: config.batchSize, seed: config.seed)
        var vb = try OneShotBatches(valid, batchSize: config.batchSize, seed: config.seed &+ 1)
        let steps = config.maxBatchesPerEpoch > 0 ? min(config.maxBatchesPerEpoch, tb.batchesPerEpoch) : tb.batchesPerEpoch
        let xi = config.xi ?? config.weightLR
        epochsRun = startEpoch
        // A restored search: the batch streams continue where the saved epochs left them.
        for _ in 0..<(startEpoch * steps) { _ = vb.next(); _ = tb.next() }
        for epoch in startEpoch..<config.epochs where !stopped {
            if mode == .gumbel {
                temperature = Self.temperature(epoch: epoch, of: config.epochs, initial: config.temperatureInit, minimum: config.temperatureMin)
            }
            var extra: [String: Double] = [:]
            if config.auxSkipBeta > 0, let aux = executor.controlParameterName(.auxiliarySkip) {
                let beta = config.auxSkipBeta * (1 - Double(epoch) / Double(max(config.epochs, 1)))
                try executor.setParameter(aux, [1, Float(beta)])
                extra["aux_skip_beta"] = beta
            }
            var tl = 0.0, th = 0, tn = 0, vl = 0.0, vh = 0, vn = 0
            progress?.epochStarted()
            for step in 0..<steps {
                let v = vb.next()
                let t = tb.next()
                let a = config.unrolled ? try unrolledGradient(train: t, valid: v, xi: xi) : try firstOrderGradient(v)
                if epoch >= config.archWarmupEpochs { try applyArchitectureGradient(a.grad) }
                vl += Double(a.loss) * Double(v.n); vh += a.hits; vn += v.n
                let (lw, hw) = try weightStep(t)
                tl += Double(lw) * Double(t.n); th += hw; tn += t.n
                progress?.batch(epoch: epoch, epochs: config.epochs, batch: step + 1, batches: steps, samples: tn, lossSum: tl, hits: th,
                                learningRate: config.weightLR)
            }
            epochsRun = epoch + 1
            let probs = probabilities()
            if mode == .gumbel { extra["temperature"] = temperature }
            let skips = OneShotExport.skipArgmaxCount(space, searchSpace, probabilities: probs)
            extra["skip_argmax"] = Double(skips)
            log(OneShotEpochLog(epoch: epoch, trainLoss: tl / Double(max(tn, 1)), trainAccuracy: Double(th) / Double(max(tn, 1)),
                                validLoss: vl / Double(max(vn, 1)), validAccuracy: Double(vh) / Double(max(vn, 1)),
                                probabilities: probs, extra: extra))
            stopped = config.earlyStopSkips > 0 && skips >= config.earlyStopSkips
            try epochEnded?(epoch + 1)
        }
        return try export()
    }

    public func saveState() throws -> OneShotSearchState {
        var s = try OneShotSearchState(strategy: mode.rawValue, epochsDone: epochsRun, executor: executor)
        s.stopped = stopped
        for (name, st) in archState { s.set(name, st) }
        s.counters["arch_steps"] = UInt64(archSteps)
        s.counters["noise_draws"] = UInt64(noiseDraws)
        return s
    }

    public func restore(_ s: OneShotSearchState) throws {
        try s.check(strategy: mode.rawValue, epochs: config.epochs)
        try s.restoreExecutor(executor)
        for name in archState.keys.sorted() {
            let st = try s.floats(name)
            guard st.count == archState[name]?.count else { throw OneShotSearchState.error("tensor '\(name)' has the wrong size") }
            archState[name] = st
        }
        archSteps = try s.count("arch_steps")
        noiseDraws = try s.count("noise_draws")
        startEpoch = s.epochsDone
        epochsRun = s.epochsDone
        stopped = s.stopped
    }

    /// Each choice's candidate probabilities: softmax of its alpha, by label.
    public func probabilities() -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for s in executor.controlSlots(.architecture) {
            guard let a = executor.parameter(s.name), let c = s.control else { continue }
            out[c.label] = OneShotExport.softmax(a)
        }
        return out
    }

    /// The architecture the alphas pick: argmax for layer choices, value choices (over the values) and repeats (over
    /// the depths), the top `n_chosen` (ascending indices) for input choices. A decision without an alpha (a single
    /// candidate) takes its first candidate.
    public func export() throws -> Architecture {
        let probs = probabilities()
        return try OneShotExport.architecture(space, searchSpace, probabilities: probs)
    }
}
