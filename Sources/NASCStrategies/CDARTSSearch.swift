// CDARTSSearch: cyclic DARTS — a DARTS search network and the discretized evaluation network trained in turn, the
// evaluation network's outputs distilled back into the architecture update.
import BigInt
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// CDARTS hyperparameters (NNI's `CdartsTrainer` defaults next to nasc's in `docs/oneshot.md`).
public struct CDARTSConfig: Sendable, OneShotArchitectureSettings {
    public var epochs = 10
    public var batchSize = 64
    /// Search network weights: SGD (NNI `w_lr` 0.2 for its distributed CIFAR/ImageNet batch; DARTS's 0.025 here).
    public var weightLR = 0.025, momentum = 0.9, weightDecay = 3e-4
    /// Evaluation network weights: SGD with the same momentum and weight decay (NNI `nasnet_lr` 0.2).
    public var evalLR = 0.025
    /// Architecture optimizer: Adam, betas (0.5, 0.999) (NNI `alpha_lr` 0.2, `alpha_weight_decay` 1e-4; DARTS's 3e-4, 1e-3 here).
    public var archLR = 3e-4, archBeta1 = 0.5, archBeta2 = 0.999, archWeightDecay = 1e-3
    public var alphaInitStd = 1e-3
    /// Epochs that train only the search network before the cycles start (NNI `warmup_epochs`: 2).
    public var warmupEpochs = 2
    /// `loss_alpha` (NNI: 2): classification losses are divided by it, the distillation term multiplied by it.
    public var lossAlpha = 2.0
    /// Distillation temperature `loss_T` (NNI: 2); the KL term is scaled by `T^2`.
    public var temperature = 2.0
    /// Gradient-norm clip of both networks' weights (NNI `grad_clip`: 5; 0 = none).
    public var gradClip = 5.0
    /// L1 penalty on skip-connection alphas, decayed to 0 over `regularRatio` of the cycle epochs (NNI `regular_coeff` 5,
    /// `regular_ratio` 0.2).
    public var regularCoeff = 5.0, regularRatio = 0.2
    public var maxBatchesPerEpoch = 0
    public var seed: UInt64 = 0
    /// The defaults.
    public init() {}

    public var weightLearningRate: Double { get { weightLR } set { weightLR = newValue } }

    /// The settings line's strategy part.
    public var strategySettings: [(String, String)] {
        [("arch_lr", "\(archLR)"), ("alpha_init_std", "\(alphaInitStd)"), ("eval_lr", "\(evalLR)"), ("warmup_epochs", "\(warmupEpochs)"),
         ("loss_alpha", "\(lossAlpha)"), ("temperature", "\(temperature)"), ("grad_clip", "\(gradClip)"),
         ("regular_coeff", "\(regularCoeff)"), ("regular_ratio", "\(regularRatio)")]
    }

    /// The search network's DARTS configuration (first order, as NNI's CDARTS).
    var darts: DartsConfig {
        var c = DartsConfig()
        c.epochs = epochs; c.batchSize = batchSize; c.weightLR = weightLR; c.momentum = momentum; c.weightDecay = weightDecay
        c.archLR = archLR; c.archBeta1 = archBeta1; c.archBeta2 = archBeta2; c.archWeightDecay = archWeightDecay
        c.alphaInitStd = alphaInitStd; c.maxBatchesPerEpoch = maxBatchesPerEpoch; c.seed = seed
        return c
    }

    /// The skip-alpha penalty weight of an epoch: `max(coeff * (1 - (epoch - warmup) / ((epochs - warmup) * ratio)), 0)`.
    public func regularDecay(epoch: Int) -> Double {
        let span = Double(max(epochs - warmupEpochs, 1)) * regularRatio
        guard span > 0 else { return 0 }
        return max(regularCoeff * (1 - Double(epoch - warmupEpochs) / span), 0)
    }
}

/// CDARTS (Yu et al., "Cyclic Differentiable Architecture Search"; NNI's `CdartsTrainer`). Per epoch after the
/// warm-up: the evaluation network is rebuilt as the subnet of the current argmax architecture (``PlanCompiler/subnet``
/// then the training plan pipeline), trained one epoch on the training half, then a joint epoch: on each validation
/// batch the loss `(CE(search) + CE(eval)) / loss_alpha + loss_alpha * T^2 * KL(softmax(eval / T) || softmax(search / T))
/// + decay * sum |alpha_skip|` updates the alphas (Adam) and the evaluation network's weights (SGD), then a training
/// batch updates the search network's weights (SGD). Gradients of the distillation term reach both networks through
/// ``Executor/backward(outputGradient:)``.
public final class CDARTSSearch: OneShotResumable {
    public var progress: OneShotProgress?
    public var epochEnded: ((Int) throws -> Void)?
    public let space: ModelSpace
    public let config: CDARTSConfig
    /// The search network (a DARTS supernet with its alphas and their Adam state).
    public let search: DartsSearch
    /// The evaluation network, once built, and the architecture it was built for.
    public private(set) var evaluation: Executor?
    public private(set) var evaluationArchitecture: Architecture?
    private var startEpoch = 0
    public private(set) var epochsRun = 0

    /// Compiles the search network. Throws a ``DiagnosticError`` when the space has nothing DARTS can relax (no choice
    /// gets an alpha), since the evaluation network is what those alphas pick.
    public init(space: ModelSpace, config: CDARTSConfig = CDARTSConfig()) throws {
        self.space = space
        self.config = config
        let needs = DiagnosticError(.error("cdarts needs a space with at least one choice of two or more candidates (the alphas "
            + "whose argmax architecture becomes the evaluation network); this space has none", at: SourceLocation(file: "--strategy")))
        guard try !SearchSpace(space).decisions.isEmpty else { throw needs }
        search = try DartsSearch(space: space, config: config.darts, mode: .darts)
        guard !search.executor.architectureParameterNames.isEmpty else { throw needs }
        guard config.warmupEpochs >= 0, config.lossAlpha > 0, config.temperature > 0, config.evalLR >= 0, config.regularRatio >= 0 else {
            throw DiagnosticError(.error("cdarts needs loss_alpha > 0 and temperature > 0 (and warmup_epochs, eval_lr, regular_ratio >= 0)",
                                         at: SourceLocation(file: "--strategy-option")))
        }
    }

    /// Each choice's candidate probabilities (the search network's softmax of alpha).
    public func probabilities() -> [String: [Double]] { search.probabilities() }

    /// The current argmax architecture without `none` (zero) candidates (``ZeroCandidateExclusion``), as the paper's
    /// genotype parse: it is both the evaluation network of the next cycle and the export.
    public func export() throws -> Architecture {
        let probs = ZeroCandidateExclusion.apply(space: space, to: probabilities())
        return try OneShotExport.architecture(space, search.searchSpace, probabilities: probs)
    }

    /// Builds the evaluation network for `arch`; parameters of the previous one with the same name and size keep
    /// their values (NNI's evaluation network keeps one set of weights per candidate).
    func rebuildEvaluation(_ arch: Architecture) throws {
        if arch == evaluationArchitecture, evaluation != nil { return }
        let subnet = try PlanCompiler.subnet(space, arch)
        let plan = try PlanCompiler.compile(subnet, training: true, options: .sgd(lr: config.evalLR, momentum: config.momentum,
                                                                                     weightDecay: config.weightDecay),
                                            memoryPlan: MemoryPlan())
        let e = try Executor(plan: plan, seed: SeededGenerator.derive(config.seed, 0xCDA5))
        if let old = evaluation {
            for name in e.parameterNames {
                if let v = old.parameter(name), v.count == e.parameter(name)?.count { try e.setParameter(name, v) }
            }
        }
        evaluation = e
        evaluationArchitecture = arch
    }

    /// One SGD step on a training batch: cross-entropy, gradient clip, weights only (the alphas stay).
    func weightStep(_ exec: Executor, _ t: (x: [Float], y: [Int64], n: Int)) throws -> (Float, Int) {
        let loss = try exec.computeGradients(data: t.x, labels: t.y, batch: t.n)
        let hits = OneShotMetrics.correct(exec, t.y)
        if config.gradClip > 0 { _ = exec.clipGradients(maxNorm: config.gradClip) }
        try exec.applyUpdates { !exec.isControlParameter($0) }
        return (loss, hits)
    }

    /// The joint step's loss terms and output gradients for search logits `zs` and evaluation logits `ze` (`n` rows
    /// of `c` classes): `(CE_s + CE_e) / lossAlpha`, and `lossAlpha * T^2 * KL`, with KL as NNI's `nn.KLDivLoss()`
    /// (mean over the `n * c` elements) of `log_softmax(zs / T)` against `softmax(ze / T)`.
    public static func jointTerms(zs: [Float], ze: [Float], labels: [Int64], classes c: Int, lossAlpha: Double, temperature t: Double)
        -> (classification: Double, distillation: Double, gradSearch: [Float], gradEval: [Float]) {
        let n = labels.count
        var ce = 0.0, kl = 0.0
        var gs = [Float](repeating: 0, count: n * c), ge = [Float](repeating: 0, count: n * c)
        let klScale = lossAlpha * t * t / Double(n * c)
        func softmax(_ z: ArraySlice<Float>, _ scale: Double) -> [Double] {
            let m = z.map { Double($0) / scale }
            let mx = m.max() ?? 0
            let e = m.map { exp($0 - mx) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
        for r in 0..<n {
            let zsr = zs[(r * c)..<((r + 1) * c)], zer = ze[(r * c)..<((r + 1) * c)]
            let ps = softmax(zsr, 1), pe = softmax(zer, 1), qs = softmax(zsr, t), qe = softmax(zer, t)
            let y = Int(labels[r])
            ce -= log(max(ps[y], 1e-30)) + log(max(pe[y], 1e-30))
            // KL(qe || qs) = sum qe (log qe - log qs); d/dzs = (qs - qe) / T; d/dze_j = qe_j (f_j - sum qe f) / T.
            let f = (0..<c).map { log(max(qe[$0], 1e-30)) - log(max(qs[$0], 1e-30)) }
            let mean = (0..<c).reduce(0.0) { $0 + qe[$1] * f[$1] }
            kl += mean
            for j in 0..<c {
                let oneHot = j == y ? 1.0 : 0.0
                gs[r * c + j] = Float((ps[j] - oneHot) / (Double(n) * lossAlpha) + klScale * (qs[j] - qe[j]) / t)
                ge[r * c + j] = Float((pe[j] - oneHot) / (Double(n) * lossAlpha) + klScale * qe[j] * (f[j] - mean) / t)
            }
        }
        return (ce / (Double(n) * lossAlpha), kl * klScale, gs, ge)
    }

    /// Runs the search; `log` receives one entry per epoch. Returns the exported (argmax) architecture.
    @discardableResult
    public func run(train: Dataset, valid: Dataset, log: (OneShotEpochLog) -> Void = { _ in }) throws -> Architecture {
        var tb = try OneShotBatches(train, batchSize: config.batchSize, seed: config.seed)
        var vb = try OneShotBatches(valid, batchSize: config.batchSize, seed: config.seed &+ 1)
        let steps = config.maxBatchesPerEpoch > 0 ? min(config.maxBatchesPerEpoch, tb.batchesPerEpoch) : tb.batchesPerEpoch
        let s = search.executor
        epochsRun = startEpoch
        // A restored search: the batch streams continue where the saved epochs left them.
        for e in 0..<startEpoch {
            for _ in 0..<steps { _ = tb.next() }
            if e >= config.warmupEpochs { for _ in 0..<steps { _ = vb.next(); _ = tb.next() } }
        }
        for epoch in startEpoch..<config.epochs {
            var extra: [String: Double] = [:]
            var tl = 0.0, th = 0, tn = 0, vl = 0.0, vh = 0, vn = 0
            progress?.epochStarted()
            if epoch < config.warmupEpochs {
                for step in 0..<steps {
                    let t = tb.next()
                    let (l, h) = try weightStep(s, t)
                    tl += Double(l) * Double(t.n); th += h; tn += t.n
                    progress?.batch(epoch: epoch, epochs: config.epochs, batch: step + 1, batches: steps, samples: tn, lossSum: tl,
                                    hits: th, learningRate: config.weightLR)
                }
                // No joint batches in a warm-up epoch: the search network is evaluated on the validation half.
                let (acc, loss) = try OneShotMetrics.evaluate(s, valid, batchSize: config.batchSize)
                vl = loss * Double(valid.count); vh = Int((acc * Double(valid.count)).rounded()); vn = valid.count
            } else {
                try rebuildEvaluation(try export())
                guard let e = evaluation else { break }
                // The evaluation network's own epoch on the training half.
                var el = 0.0, eh = 0, en = 0
                for _ in 0..<steps {
                    let t = tb.next()
                    let (l, h) = try weightStep(e, t)
                    el += Double(l) * Double(t.n); eh += h; en += t.n
                }
                extra["eval_train_loss"] = el / Double(max(en, 1))
                extra["eval_train_accuracy"] = Double(eh) / Double(max(en, 1))
                let decay = config.regularDecay(epoch: epoch)
                var dist = 0.0, evh = 0
                for step in 0..<steps {
                    let v = vb.next()
                    let searchLoss = try s.trainingForward(data: v.x, labels: v.y, batch: v.n)
                    let zs = s.output
                    vh += OneShotMetrics.correct(s, v.y)
                    _ = try e.trainingForward(data: v.x, labels: v.y, batch: v.n)
                    let ze = e.output
                    evh += OneShotMetrics.correct(e, v.y)
                    let j = Self.jointTerms(zs: zs, ze: ze, labels: v.y, classes: zs.count / max(v.n, 1), lossAlpha: config.lossAlpha,
                                            temperature: config.temperature)
                    try s.backward(outputGradient: j.gradSearch)
                    try e.backward(outputGradient: j.gradEval)
                    var grad: [String: [Float]] = [:]
                    for name in s.architectureParameterNames {
                        guard var g = s.gradient(of: name), let a = s.parameter(name) else { continue }
                        if decay > 0, let skips = skipCandidates[name] {
                            for k in skips where k < g.count { g[k] += Float(decay) * (a[k] > 0 ? 1 : a[k] < 0 ? -1 : 0) }
                        }
                        grad[name] = g
                    }
                    try search.applyArchitectureGradient(grad)
                    if config.gradClip > 0 { _ = e.clipGradients(maxNorm: config.gradClip) }
                    try e.applyUpdates { _ in true }
                    dist += j.distillation * Double(v.n); vn += v.n
                    vl += Double(searchLoss) * Double(v.n)
                    let t = tb.next()
                    let (l, h) = try weightStep(s, t)
                    tl += Double(l) * Double(t.n); th += h; tn += t.n
                    progress?.batch(epoch: epoch, epochs: config.epochs, batch: step + 1, batches: steps, samples: tn, lossSum: tl,
                                    hits: th, learningRate: config.weightLR)
                }
                extra["distillation_loss"] = dist / Double(max(vn, 1))
                extra["eval_valid_accuracy"] = Double(evh) / Double(max(vn, 1))
                extra["regular_decay"] = decay
            }
            epochsRun = epoch + 1
            let probs = probabilities()
            extra["skip_argmax"] = Double(OneShotExport.skipArgmaxCount(space, search.searchSpace, probabilities: probs))
            log(OneShotEpochLog(epoch: epoch, trainLoss: tl / Double(max(tn, 1)), trainAccuracy: Double(th) / Double(max(tn, 1)),
                                validLoss: vl / Double(max(vn, 1)), validAccuracy: Double(vh) / Double(max(vn, 1)),
                                probabilities: probs, extra: extra))
            try epochEnded?(epoch + 1)
        }
        return try export()
    }

    /// The indices of skip-connection candidates (recognised by structure) in each layer choice's alpha (the
    /// penalized ones), by alpha name.
    lazy var skipCandidates: [String: [Int]] = {
        var out: [String: [Int]] = [:]
        let skipNames = CandidateRoles.skipNames(space)
        for d in search.searchSpace.decisions {
            guard case .layerChoice(let names) = d.kind, let s = skipNames[d.label] else { continue }
            let skips = names.indices.filter { s.contains(names[$0]) }
            if !skips.isEmpty { out[SupernetParameterNames.alpha(d.label)] = skips }
        }
        return out
    }()

    public func saveState() throws -> OneShotSearchState {
        var s = try search.saveState()
        s.strategy = "cdarts"
        s.epochsDone = epochsRun
        if let e = evaluation, let arch = evaluationArchitecture, let index = search.searchSpace.index(of: arch) {
            s.blobs["evaluation"] = Data(try ProtoIO.encode(e.checkpoint()))
            s.blobs["evaluation_architecture"] = Data(String(index).utf8)
        }
        return s
    }

    public func restore(_ state: OneShotSearchState) throws {
        try state.check(strategy: "cdarts", epochs: config.epochs)
        var inner = state
        inner.strategy = "darts"
        try search.restore(inner)
        if let blob = state.blobs["evaluation"], let text = state.blobs["evaluation_architecture"] {
            guard let index = BigInt(String(decoding: text, as: UTF8.self), radix: 10), index >= 0, index < search.searchSpace.size else {
                throw OneShotSearchState.error("has no valid evaluation architecture")
            }
            try rebuildEvaluation(try search.searchSpace.architecture(atIndex: index))
            guard case .checkpoint(let c) = try ProtoIO.decodeFile([UInt8](blob), file: "checkpoint"), let e = evaluation else {
                throw OneShotSearchState.error("holds no evaluation network checkpoint")
            }
            do { try e.restore(c) } catch { throw OneShotSearchState.error("does not fit the evaluation network: \(error)") }
        }
        startEpoch = state.epochsDone
        epochsRun = state.epochsDone
    }
}
