// ProxylessSearch: ProxylessNAS — binary-gated paths, the Proxyless alpha gradient, optional FLOPs and latency penalties.
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// Proxyless hyperparameters.
public struct ProxylessConfig: Sendable {
    public var epochs = 10
    public var batchSize = 64
    /// Weight optimizer: SGD with momentum (as DARTS).
    public var weightLR = 0.025, momentum = 0.9, weightDecay = 3e-4
    /// Architecture optimizer: Adam(lr 1e-3, betas (0.5, 0.999), weight decay 1e-3) — NNI's Proxyless default
    /// learning rate on DARTS' architecture optimizer.
    public var archLR = 1e-3, archBeta1 = 0.5, archBeta2 = 0.999, archWeightDecay = 1e-3
    /// Alpha init `alphaInitStd * randn` (NNI: 1e-3).
    public var alphaInitStd = 1e-3
    /// Paths per architecture step: 2 (the ProxylessNAS paper: two candidates sampled from `softmax(alpha)`
    /// without replacement, the gate on one of them drawn from their renormalized probabilities, the gradient
    /// only for those two, then their alphas shifted so the other candidates' probabilities are unchanged), or
    /// 0 for all (NNI's ProxylessMixedLayer: one sampled path, binary gradients of every candidate).
    public var paths = 2
    /// Sampled paths trained per training batch, one weight step each (0 = the largest candidate count of the
    /// space). ProxylessNAS trains one binary-gated path per batch; on a short search that leaves each of `n`
    /// candidates about `1/n` of a fixed subnet's steps (on examples/nb201_digits.nas the supernet's training
    /// accuracy was 0.14 after 10 epochs at one path per batch), the problem ENAS's `pathsPerBatch` and SPOS's strict
    /// fairness address. `1` is the paper's (and NNI's) one path per batch.
    public var pathsPerBatch = 0
    /// FLOPs penalty weight `lambda` (0 = off): the architecture loss adds `lambda * E[FLOPs] / FLOPs(base)`,
    /// `E[FLOPs] = FLOPs(base) + sum over choices of sum_k p_k * delta_k`, where `delta_k` is the FLOPs change of
    /// taking candidate `k` instead of the first one (IR cost model, Passes/OpCost.swift) and `base` picks the first
    /// candidate everywhere.
    public var flopsPenalty = 0.0
    /// Latency penalty weight `lambda` (0 = off), the additive form of the ProxylessNAS paper and of NNI's
    /// `add#linear`: the architecture loss adds `lambda * E[LAT] / LAT_ref`, `E[LAT] = sum over choices of
    /// sum_k p_k t_k` from a ``ProxylessLatencyTable`` (measured on this executor at the start of ``ProxylessSearch/run(train:valid:log:)``
    /// unless one is set with ``ProxylessSearch/setLatencyTable(_:)``).
    public var latencyPenalty = 0.0
    /// `LAT_ref` in ms (nil = the table's expected latency under uniform probabilities, i.e. at the start).
    public var latencyReference: Double? = nil
    /// Timed forward passes per measurement (the median is kept), after one warm-up pass.
    public var latencyRuns = 5
    public var maxBatchesPerEpoch = 0
    public var seed: UInt64 = 0
    /// Creates the default configuration.
    public init() {}
}

/// ProxylessNAS on a `proxyless` supernet: every choice is a `weighted_sum` of its candidates with binary gates
/// (`gate:<label>`, one-hot on the sampled path), so the forward pass computes the sampled subnet and autodiff's
/// gradients of the gates are the binary gradients `dL/dg_k = <out_k, dL/dy>`. The architecture step (validation
/// batch) turns them into alpha's gradient `dL/dalpha_i = sum_j dL/dg_j p_j (delta_ij - p_i)`; the weight step
/// (training batch) trains only the sampled path's weights. Each step activates only the candidates it needs
/// (``Executor/activate(_:)``): the sampled path in the weight step, the sampled pair (paths = 2) or every
/// candidate (paths = all) in the architecture step; inactive candidates are neither computed nor updated, as
/// PyTorch skips parameters without a gradient.
public final class ProxylessSearch: OneShotResumable {
    /// Receives per-batch progress of the supernet training, when set.
    public var progress: OneShotProgress?
    public var epochEnded: ((Int) throws -> Void)?
    /// Epochs already run (a restored search continues after them).
    private var startEpoch = 0
    public let space: ModelSpace
    public let searchSpace: SearchSpace
    public let config: ProxylessConfig
    public let executor: Executor
    /// Architecture weights by label (kept here, not in the plan).
    public private(set) var alpha: [String: [Float]] = [:]
    /// Per label, the FLOPs change of each candidate against the first (empty when the penalty is off).
    public private(set) var flopsDelta: [String: [Double]] = [:]
    /// FLOPs of the subnet with every first candidate (the penalty's reference).
    public private(set) var baseFlops = 0.0
    /// Per-candidate latencies of the latency penalty (nil until measured or set).
    public private(set) var latencyTable: ProxylessLatencyTable?
    private let archOptimizer: Adam
    private var archState: [String: [Float]] = [:]
    private var archSteps = 0
    private var rng: SeededGenerator
    /// The gate label of each `gate:` parameter, in plan order.
    let labels: [String]
    /// Labels with a plan selector (their candidates' steps are guarded).
    let gatedLabels: Set<String>

    /// Compiles the proxyless supernet of `space`. Throws a ``DiagnosticError`` for unsupported spaces (input
    /// choices must choose one input).
    public init(space: ModelSpace, config: ProxylessConfig = ProxylessConfig()) throws {
        self.space = space
        self.config = config
        searchSpace = try SearchSpace(space)
        for d in searchSpace.decisions {
            if case .inputChoice(_, let k) = d.kind, k != 1 {
                throw DiagnosticError(.error("proxyless supports input choices of one input; '\(d.label)' chooses \(k.map(String.init) ?? "any")",
                                             at: SourceLocation(file: "--strategy")))
            }
        }
        executor = try Executor(plan: try SupernetCompiler.compile(space, mode: .proxyless, options: config.weightOptimizerOptions,
                                                                   memoryPlan: MemoryPlan()),
                                seed: config.seed)
        archOptimizer = try config.architectureOptimizer()
        rng = SeededGenerator(seed: SeededGenerator.derive(config.seed, 0x9A7E))
        labels = executor.controlSlots(.gate).map { $0.control!.label }
        gatedLabels = Set(executor.plan.selectors.filter(\.gated).map(\.label))
        for l in labels {
            let n = executor.controlParameterName(.gate, label: l).flatMap(executor.parameter)?.count ?? 0
            alpha[l] = config.alphaInitStd == 0 ? [Float](repeating: 0, count: n)
                : OneShotExport.normal(count: n, std: config.alphaInitStd, seed: config.seed, name: SupernetParameterNames.alpha(l))
            archState[l] = [Float](repeating: 0, count: 2 * n)
        }
        if config.flopsPenalty != 0 { try computeFlopsTable() }
    }

    /// The candidate names of each gated label (the keys of a latency table).
    public var candidateNames: [String: [String]] {
        ProxylessPenalty.candidateNames(space: space, searchSpace: searchSpace, labels: alpha.mapValues(\.count))
    }

    /// Uses `table` for the latency penalty. Throws if it misses a gated label or has the wrong number of values.
    public func setLatencyTable(_ table: ProxylessLatencyTable) throws {
        for l in labels where table.milliseconds[l]?.count != alpha[l]?.count {
            throw DiagnosticError(.error("the latency table needs \(alpha[l]?.count ?? 0) values for '\(l)'", at: SourceLocation(file: "--strategy-option")))
        }
        latencyTable = table
    }

    /// Measures the latency table on this search's supernet (``ProxylessLatencyTable/measure(_:data:batch:runs:)``)
    /// with `batch` samples of `data`, and uses it.
    @discardableResult
    public func measureLatency(data: [Float], batch: Int) throws -> ProxylessLatencyTable {
        let t = try ProxylessLatencyTable.measure(executor, data: data, batch: batch, runs: config.latencyRuns)
        try setLatencyTable(t)
        return t
    }

    /// `LAT_ref` of the latency penalty (ms).
    public var latencyReference: Double { config.latencyReference ?? latencyTable?.uniformExpected ?? 0 }

    /// Fills ``flopsDelta`` and ``baseFlops`` from the IR cost model of specialized subnets.
    func computeFlopsTable() throws {
        let base = try OneShotExport.architecture(searchSpace, probabilities: [:])
        func flops(_ a: Architecture) throws -> Double {
            let fixed = try SpecializePass.specialize(space, with: a)
            guard let c = OpCost.graphCost(graph: fixed.root, in: fixed) else {
                throw DiagnosticError(.error("the FLOPs penalty needs fixed shapes: the cost of a subnet is unknown", at: SourceLocation(file: "--strategy-option")))
            }
            return Double(c.flops)
        }
        baseFlops = try flops(base)
        for l in labels {
            guard let d = searchSpace.decision(l), let n = alpha[l]?.count else { continue }
            var deltas: [Double] = []
            for k in 0..<n {
                var values = base.decisions
                switch d.kind {
                case .layerChoice(let names): values[l] = .candidate(names[k])
                case .inputChoice: values[l] = .inputs([k])
                default: break
                }
                deltas.append(try flops(Architecture(values)) - baseFlops)
            }
            flopsDelta[l] = deltas
        }
    }

    /// Expected FLOPs per sample under the current probabilities (the linearized model of ``ProxylessConfig``).
    public var expectedFlops: Double {
        var e = baseFlops
        for (l, d) in flopsDelta { let p = OneShotExport.softmax(alpha[l] ?? []); e += zip(p, d).reduce(0) { $0 + $1.0 * $1.1 } }
        return e
    }

    /// A draw from a categorical distribution.
    func draw(_ p: [Double]) -> Int {
        let u = rng.nextUnit()
        var acc = 0.0
        for (i, v) in p.enumerated() { acc += v; if u < acc { return i } }
        return p.count - 1
    }

    /// Sets every gate to the one-hot vector of the chosen candidate and makes `active[label]` (default: the
    /// chosen candidate alone) the label's active candidates, so only their steps run (forward, backward, update).
    /// The name of the gate tensor of decision `label` (found by its typed control role).
    func gateName(_ label: String) -> String {
        executor.controlParameterName(.gate, label: label) ?? SupernetParameterNames.gate(label)
    }

    func setGates(_ chosen: [String: Int], active: [String: [Int]] = [:]) throws {
        var sets: [String: [Int]] = [:]
        for l in labels {
            let n = alpha[l]?.count ?? 0
            try executor.setParameter(gateName(l), (0..<n).map { $0 == chosen[l] ? 1 : 0 })
            if gatedLabels.contains(l), let k = chosen[l] { sets[l] = active[l] ?? [k] }
        }
        try executor.activate(sets)
    }

    /// One path per label sampled from `softmax(alpha)`.
    func samplePaths() -> [String: Int] {
        var out: [String: Int] = [:]
        for l in labels { out[l] = draw(OneShotExport.softmax(alpha[l] ?? [])) }
        return out
    }

    /// Alpha's gradient from binary gradients `bg` over the candidate subset `subset` with probabilities `p`
    /// (renormalized over the subset): `g_i = sum_j bg_j p_j (delta_ij - p_i)`, zero outside the subset.
    public static func alphaGradient(binary bg: [Float], subset: [Int], probabilities p: [Double], count: Int) -> [Float] {
        var g = [Float](repeating: 0, count: count)
        for (a, i) in subset.enumerated() {
            var s = 0.0
            for (b, j) in subset.enumerated() { s += Double(bg[j]) * p[b] * ((a == b ? 1 : 0) - p[a]) }
            g[i] = Float(s)
        }
        return g
    }

    /// One architecture step on a validation batch. Returns the loss and correct predictions.
    func archStep(_ v: (x: [Float], y: [Int64], n: Int)) throws -> (Float, Int) {
        var subsets: [String: [Int]] = [:], subProbs: [String: [Double]] = [:], chosen: [String: Int] = [:]
        for l in labels {
            let a = alpha[l] ?? [], p = OneShotExport.softmax(a)
            if config.paths == 2 && a.count > 2 {
                let i = draw(p)
                var rest = p; rest[i] = 0
                let s = rest.reduce(0, +)
                let j = s > 0 ? draw(rest.map { $0 / s }) : (i + 1) % a.count
                let pair = [min(i, j), max(i, j)]
                let p2 = OneShotExport.softmax(pair.map { a[$0] })
                subsets[l] = pair; subProbs[l] = p2
                chosen[l] = pair[draw(p2)]
            } else {
                subsets[l] = Array(a.indices); subProbs[l] = p
                chosen[l] = draw(p)
            }
        }
        // Only the sampled pair runs (paths = 2); every candidate for paths = all (NNI's estimator).
        try setGates(chosen, active: subsets)
        let loss = try executor.computeGradients(data: v.x, labels: v.y, batch: v.n)
        let hits = OneShotMetrics.correct(executor, v.y)
        archSteps += 1
        for l in labels {
            guard var a = alpha[l], let bg = executor.gradient(of: gateName(l)), var st = archState[l],
                  let subset = subsets[l], let sp = subProbs[l] else { continue }
            var g = Self.alphaGradient(binary: bg, subset: subset, probabilities: sp, count: a.count)
            g = zip(g, penaltyGradient(l, alpha: a)).map { $0 + $1 }
            let old = a
            archOptimizer.step(parameter: &a, gradient: g, state: &st, step: archSteps)
            if subset.count < a.count {
                // Keep the unsampled candidates' probabilities: shift the two alphas by the change of their log-mass.
                let before = Foundation.log(subset.reduce(0.0) { $0 + Foundation.exp(Double(old[$1])) })
                let after = Foundation.log(subset.reduce(0.0) { $0 + Foundation.exp(Double(a[$1])) })
                for i in subset { a[i] -= Float(after - before) }
            }
            alpha[l] = a
            archState[l] = st
        }
        return (loss, hits)
    }

    /// The gradient of the FLOPs and latency penalties with respect to a label's alpha (zeros when both are off).
    func penaltyGradient(_ l: String, alpha a: [Float]) -> [Float] {
        var g = [Float](repeating: 0, count: a.count)
        let p = OneShotExport.softmax(a)
        if config.flopsPenalty != 0, let d = flopsDelta[l], baseFlops > 0 {
            g = zip(g, ProxylessPenalty.gradient(probabilities: p, costs: d, scale: config.flopsPenalty / baseFlops)).map { $0 + $1 }
        }
        if config.latencyPenalty != 0, let t = latencyTable?.milliseconds[l], latencyReference > 0 {
            g = zip(g, ProxylessPenalty.gradient(probabilities: p, costs: t, scale: config.latencyPenalty / latencyReference)).map { $0 + $1 }
        }
        return g
    }

    /// One weight step on a training batch: only the sampled path is active, so only it runs and only its
    /// weights (and the shared ones) are updated; the other candidates' update steps are skipped by their guards.
    /// Sampled paths trained per batch: ``ProxylessConfig/pathsPerBatch``, or the largest candidate count.
    public var pathsPerBatch: Int {
        config.pathsPerBatch > 0 ? config.pathsPerBatch : max(alpha.values.map(\.count).max() ?? 1, 1)
    }

    /// Weight steps on a training batch, one per sampled path (``pathsPerBatch``); returns the mean loss and the
    /// mean number of correct predictions over the paths.
    func weightStep(_ t: (x: [Float], y: [Int64], n: Int)) throws -> (Float, Int) {
        let k = pathsPerBatch
        var loss: Float = 0, hits = 0
        for _ in 0..<k {
            try setGates(samplePaths())
            loss += try executor.computeGradients(data: t.x, labels: t.y, batch: t.n)
            hits += OneShotMetrics.correct(executor, t.y)
            try executor.applyUpdates { !executor.isControlParameter($0) }
        }
        return (loss / Float(k), (hits + k / 2) / k)
    }

    /// Runs the search; `log` receives one entry per epoch. Returns the exported architecture.
    @discardableResult
    public func run(train: Dataset, valid: Dataset, log: (OneShotEpochLog) -> Void = { _ in }) throws -> Architecture {
        var tb = try OneShotBatches(train, batchSize: config.batchSize, seed: config.seed)
        var vb = try OneShotBatches(valid, batchSize: config.batchSize, seed: config.seed &+ 1)
        let steps = config.maxBatchesPerEpoch > 0 ? min(config.maxBatchesPerEpoch, tb.batchesPerEpoch) : tb.batchesPerEpoch
        if config.latencyPenalty != 0 && latencyTable == nil {
            var first = try OneShotBatches(valid, batchSize: config.batchSize, seed: config.seed &+ 1)
            let b = first.next()
            try measureLatency(data: b.x, batch: b.n)
        }
        if config.latencyPenalty != 0 && !(latencyReference > 0) {
            throw DiagnosticError(.error("the latency penalty needs a positive reference latency (the table's expected latency is \(latencyReference) ms); set latency_ref",
                                         at: SourceLocation(file: "--strategy-option")))
        }
        // A restored search: the batch streams continue where the saved epochs left them.
        for _ in 0..<(startEpoch * steps) { _ = vb.next(); _ = tb.next() }
        for epoch in startEpoch..<config.epochs {
            var tl = 0.0, th = 0, tn = 0, vl = 0.0, vh = 0, vn = 0
            progress?.epochStarted()
            for step in 0..<steps {
                let v = vb.next()
                let (la, ha) = try archStep(v)
                vl += Double(la) * Double(v.n); vh += ha; vn += v.n
                let t = tb.next()
                let (lw, hw) = try weightStep(t)
                tl += Double(lw) * Double(t.n); th += hw; tn += t.n
                progress?.batch(epoch: epoch, epochs: config.epochs, batch: step + 1, batches: steps, samples: tn, lossSum: tl, hits: th,
                                learningRate: executor.learningRate)
            }
            var extra: [String: Double] = [:]
            if config.flopsPenalty != 0 { extra["expected_mflops"] = expectedFlops / 1e6 }
            if config.latencyPenalty != 0, let t = latencyTable { extra["expected_latency_ms"] = t.expected(probabilities()) }
            log(OneShotEpochLog(epoch: epoch, trainLoss: tl / Double(max(tn, 1)), trainAccuracy: Double(th) / Double(max(tn, 1)),
                                validLoss: vl / Double(max(vn, 1)), validAccuracy: Double(vh) / Double(max(vn, 1)),
                                probabilities: probabilities(), extra: extra))
            startEpoch = epoch + 1
            try epochEnded?(epoch + 1)
        }
        return try export()
    }

    public func saveState() throws -> OneShotSearchState {
        var s = try OneShotSearchState(strategy: "proxyless", epochsDone: startEpoch, executor: executor)
        for (l, a) in alpha { s.set("alpha:" + l, a) }
        for (l, st) in archState { s.set("adam:" + l, st) }
        s.counters["arch_steps"] = UInt64(archSteps)
        s.counters["rng"] = rng.state
        // A measured latency table: measured once, so a resumed run penalizes the same latencies.
        if let t = latencyTable { s.blobs["latency_table"] = try JSONEncoder().encode(t.milliseconds.mapValues { $0.map(\.bitPattern) }) }
        return s
    }

    public func restore(_ s: OneShotSearchState) throws {
        try s.check(strategy: "proxyless", epochs: config.epochs)
        try s.restoreExecutor(executor)
        for l in alpha.keys.sorted() {
            let a = try s.floats("alpha:" + l), st = try s.floats("adam:" + l)
            guard a.count == alpha[l]?.count, st.count == archState[l]?.count else {
                throw OneShotSearchState.error("architecture weights of '\(l)' have the wrong size")
            }
            alpha[l] = a
            archState[l] = st
        }
        archSteps = try s.count("arch_steps")
        rng.state = try s.counter("rng")
        if let t = s.blobs["latency_table"] {
            guard let ms = try? JSONDecoder().decode([String: [UInt64]].self, from: t) else { throw OneShotSearchState.error("has an unreadable latency table") }
            try setLatencyTable(ProxylessLatencyTable(ms.mapValues { $0.map(Double.init(bitPattern:)) }))
        }
        startEpoch = s.epochsDone
    }

    /// Each choice's candidate probabilities (softmax of its alpha), by label.
    public func probabilities() -> [String: [Double]] { alpha.mapValues(OneShotExport.softmax) }

    /// The argmax architecture.
    public func export() throws -> Architecture {
        let probs = probabilities()
        return try OneShotExport.architecture(space, searchSpace, probabilities: probs)
    }
}
