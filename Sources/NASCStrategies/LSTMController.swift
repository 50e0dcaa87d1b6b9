// LSTMController: the RL policy on the executor — autoregressive sampling, REINFORCE updates and saved state.
import Foundation
import NASCIR
import NASCPasses
import NASCRuntime

/// Hyperparameters of the LSTM controller (defaults: ENAS / NNI's `ReinforceController` and `EnasTrainer`).
public struct ControllerConfig: Codable, Equatable, Sendable {
    /// LSTM hidden size (NNI `lstm_size`: 64).
    public var hidden: Int
    /// Logits become `tanhConstant * tanh(logits)`; `nil` disables it (NNI `tanh_constant`: 1.5).
    public var tanhConstant: Double?
    /// Adam learning rate of the controller (NNI `ctrl_lr`: 3.5e-4).
    public var learningRate: Double
    /// Global gradient-norm clip of a controller update, `nil` for none (NNI `EnasTrainer.grad_clip`: 5).
    public var gradClip: Double?
    /// Parameters start uniform in `[-initRange, initRange]` (ENAS's controller initializer: 0.1).
    public var initRange: Double

    /// The ENAS / NNI defaults, or the given values.
    public init(hidden: Int = 64, tanhConstant: Double? = 1.5, learningRate: Double = 3.5e-4, gradClip: Double? = 5,
                initRange: Double = 0.1) {
        self.hidden = hidden; self.tanhConstant = tanhConstant; self.learningRate = learningRate
        self.gradClip = gradClip; self.initRange = initRange
    }
}

/// One sampled architecture of the controller: an action per decision, with NNI's per-sample statistics.
public struct ControllerSample: Hashable, Sendable {
    /// The chosen index of each decision.
    public var actions: [Int]
    /// `sum_t log p(a_t)`.
    public var logProbability: Double
    /// NNI's sample entropy `sum_t -p(a_t) log p(a_t)` (the sampled actions' terms; added to the reward).
    public var entropy: Double
}

/// An LSTM policy over a sequence of categorical decisions (ENAS's controller), compiled from
/// ``ControllerGraph`` by ``PlanCompiler`` (autodiff, Adam) and run by an ``Executor``: sampling reads the
/// softmax heads, training is one executor train step on REINFORCE's surrogate loss.
public final class LSTMController {
    /// Choices per decision.
    public let counts: [Int]
    /// The configuration.
    public let config: ControllerConfig
    /// The executor running the controller plan (its parameters are the policy weights).
    public let executor: Executor
    let graph: ControllerGraph
    private let probsSlot: SlotID
    private let valuesSlot: SlotID?

    /// Largest number of choices one decision may have (a softmax head of that many classes).
    public static let maxChoices = 4096

    /// Compiles the controller for decisions with `counts` choices and initializes it from `seed`.
    /// With `valueHead`, the controller also has PPO's value head (see ``ControllerGraph``).
    /// Throws a ``DiagnosticError`` for no decisions, a decision without choices or with too many, or a bad config.
    public init(counts: [Int], config: ControllerConfig = ControllerConfig(), valueHead: Bool = false, seed: UInt64) throws {
        guard !counts.isEmpty else { throw DiagnosticError(.error("the RL controller needs at least one decision")) }
        if let bad = counts.first(where: { $0 < 1 || $0 > Self.maxChoices }) {
            throw DiagnosticError(.error("the RL controller supports decisions with 1 to \(Self.maxChoices) choices, got \(bad)"))
        }
        guard config.hidden >= 1, config.hidden <= 4096 else {
            throw DiagnosticError(.error("controller hidden size must be in [1, 4096], got \(config.hidden)"))
        }
        guard config.learningRate > 0, config.learningRate.isFinite else {
            throw DiagnosticError(.error("controller learning rate must be positive, got \(config.learningRate)"))
        }
        guard config.initRange >= 0, config.initRange.isFinite else {
            throw DiagnosticError(.error("controller init range must be non-negative, got \(config.initRange)"))
        }
        self.counts = counts
        self.config = config
        graph = ControllerGraph(counts: counts, hidden: config.hidden, tanhConstant: config.tanhConstant, valueHead: valueHead)
        var space = graph.space()
        var context = PassContext()
        try PassManager(compiling: [ShapeInference()]).runOrThrow(on: &space, context: &context)
        let plan = try PlanCompiler.compile(space, training: true, options: PlanOptions.adam(lr: config.learningRate).with(loss: .nll))
        executor = try Executor(plan: plan, seed: seed)
        executor.gradientClipNorm = config.gradClip
        guard let p = plan.slots.firstIndex(where: { $0.name == "%\(ControllerGraph.probabilities)" }) else {
            throw DiagnosticError(.error("the controller plan has no probabilities output"))
        }
        probsSlot = p
        if valueHead {
            let name = "%\(graph.valuesNode)"
            guard let v = plan.slots.firstIndex(where: { $0.name == name }) else {
                throw DiagnosticError(.error("the controller plan has no values output"))
            }
            valuesSlot = v
        } else {
            valuesSlot = nil
        }
        // ENAS initializes every controller weight uniformly in [-0.1, 0.1].
        var rng = SplitMix64(seed: seed ^ 0x5EED_C0DE)
        for name in executor.parameterNames {
            guard let n = executor.parameter(name)?.count else { continue }
            let values = (0..<n).map { _ in Float((rng.uniformDouble() * 2 - 1) * config.initRange) }
            try executor.setParameter(name, values)
        }
        for (name, values) in graph.constants() { try executor.setParameter(name, values) }
    }

    /// The softmax distributions of the heads after running `prefixes` (one row each); `heads[b]` is the
    /// distribution of decision `prefixes[b].count` (which must be the same for every row).
    private func heads(_ prefixes: [[Int]]) throws -> [[Double]] {
        let b = prefixes.count
        guard b > 0 else { return [] }
        let t = prefixes[0].count
        var data: [Float] = []
        data.reserveCapacity(b * graph.width)
        for p in prefixes { data += graph.row(actions: p) }
        try executor.forward(data: data, batch: b, mode: .eval)
        let all = executor.values(of: probsSlot), s = graph.totalChoices, off = graph.offsets[t], k = counts[t]
        return (0..<b).map { r in
            let raw = (0..<k).map { Double(all[r * s + off + $0]) }
            let sum = raw.reduce(0, +)
            return sum > 0 ? raw.map { $0 / sum } : [Double](repeating: 1 / Double(k), count: k)
        }
    }

    /// Every head's distribution after one forward pass over complete rows (later actions filled in too); used to
    /// check that a head ignores the actions after it.
    func heads(fullRows rows: [[Int]]) throws -> [[[Double]]] {
        var data: [Float] = []
        for r in rows { try check(r); data += graph.row(actions: r) }
        try executor.forward(data: data, batch: rows.count, mode: .eval)
        let all = executor.values(of: probsSlot), s = graph.totalChoices
        return rows.indices.map { b in counts.indices.map { t in (0..<counts[t]).map { Double(all[b * s + graph.offsets[t] + $0]) } } }
    }

    /// One forward pass over complete architectures: every head's distribution along each (`heads[n][t]`) and, with
    /// the value head, the value of each state before a decision (`values[n][t]`; empty without it).
    public func evaluate(_ actions: [[Int]]) throws -> (heads: [[[Double]]], values: [[Double]]) {
        guard !actions.isEmpty else { return ([], []) }
        for a in actions where a.count != counts.count {
            throw DiagnosticError(.error("the controller has \(counts.count) decisions, got \(a.count) actions"))
        }
        let heads = try heads(fullRows: actions)
        guard let valuesSlot else { return (heads, []) }
        let all = executor.values(of: valuesSlot), d = counts.count
        return (heads, actions.indices.map { n in (0..<d).map { Double(all[n * d + $0]) } })
    }

    /// One Adam step whose gradient is that of `-mean_n [sum_t sum_k targets[n][t][k] log p_t(k) + sum_t
    /// valueCoefficients[n][t] v_t]` (the targets and coefficients are constants): PPO's update, see ``PPOLoss``.
    public func step(actions: [[Int]], targets: [[[Double]]], valueCoefficients: [[Double]]) throws {
        guard !actions.isEmpty, actions.count == targets.count, actions.count == valueCoefficients.count else {
            throw DiagnosticError(.error("a controller step needs targets and value coefficients per sample"))
        }
        var data: [Float] = []
        data.reserveCapacity(actions.count * graph.width)
        for n in actions.indices {
            guard actions[n].count == counts.count else {
                throw DiagnosticError(.error("the controller has \(counts.count) decisions, got \(actions[n].count) actions"))
            }
            try check(actions[n])
            guard targets[n].allSatisfy({ $0.allSatisfy(\.isFinite) }), valueCoefficients[n].allSatisfy(\.isFinite) else {
                throw DiagnosticError(.error("controller targets must be finite"))
            }
            data += graph.row(actions: actions[n], targets: targets[n], valueCoefficients: valueCoefficients[n])
        }
        _ = try executor.trainStep(data: data, labels: [Int64](repeating: 0, count: actions.count), batch: actions.count)
    }

    /// The distribution of decision `prefix.count` given the earlier actions `prefix`.
    public func distribution(after prefix: [Int]) throws -> [Double] {
        guard prefix.count < counts.count else {
            throw DiagnosticError(.error("the controller has \(counts.count) decisions; a prefix of \(prefix.count) leaves none"))
        }
        try check(prefix)
        return try heads([prefix])[0]
    }

    /// Samples `count` architectures autoregressively (each decision drawn from its head given the earlier ones).
    public func sample(count: Int, using rng: inout SplitMix64) throws -> [ControllerSample] {
        guard count > 0 else { return [] }
        var samples = [ControllerSample](repeating: ControllerSample(actions: [], logProbability: 0, entropy: 0), count: count)
        for _ in counts.indices {
            let dists = try heads(samples.map(\.actions))
            for (b, p) in dists.enumerated() {
                let a = Self.draw(p, &rng)
                let lp = log(max(p[a], 1e-30))
                samples[b].actions.append(a)
                samples[b].logProbability += lp
                samples[b].entropy += -lp * p[a]
            }
        }
        return samples
    }

    /// The most likely action of each decision, decoded greedily (argmax of each head given the earlier argmaxes).
    public func argmax() throws -> [Int] {
        var actions: [Int] = []
        for _ in counts.indices {
            let p = try heads([actions])[0]
            actions.append(p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0)
        }
        return actions
    }

    /// Every head's distribution along `actions` (decision `t`'s given `actions[..<t]`).
    public func distributions(along actions: [Int]) throws -> [[Double]] {
        try check(actions)
        return try counts.indices.map { t in try heads([Array(actions.prefix(t))])[0] }
    }

    /// `log p(actions)` under the current policy.
    public func logProbability(of actions: [Int]) throws -> Double {
        guard actions.count == counts.count else {
            throw DiagnosticError(.error("the controller has \(counts.count) decisions, got \(actions.count) actions"))
        }
        let d = try distributions(along: actions)
        return zip(d, actions).reduce(0) { $0 + log(max($1.0[$1.1], 1e-30)) }
    }

    /// The REINFORCE surrogate `-mean_b advantage_b * log p(actions_b)` for a batch, without training.
    public func surrogateLoss(actions: [[Int]], advantages: [Double]) throws -> Double {
        let (data, labels) = try batch(actions, advantages)
        return Double(try executor.forward(data: data, labels: labels, batch: actions.count, mode: .eval) ?? 0)
    }

    /// One Adam step (after gradient clipping) on `-mean_b advantage_b * log p(actions_b)`: the executor runs
    /// the forward pass, autodiff's backward pass and the update. Returns the surrogate loss before the step.
    @discardableResult
    public func reinforce(actions: [[Int]], advantages: [Double]) throws -> Double {
        let (data, labels) = try batch(actions, advantages)
        return Double(try executor.trainStep(data: data, labels: labels, batch: actions.count))
    }

    func batch(_ actions: [[Int]], _ advantages: [Double]) throws -> ([Float], [Int64]) {
        guard !actions.isEmpty, actions.count == advantages.count else {
            throw DiagnosticError(.error("a controller update needs one advantage per sample (got \(actions.count) samples, \(advantages.count) advantages)"))
        }
        var data: [Float] = []
        data.reserveCapacity(actions.count * graph.width)
        for (a, adv) in zip(actions, advantages) {
            guard a.count == counts.count else {
                throw DiagnosticError(.error("the controller has \(counts.count) decisions, got \(a.count) actions"))
            }
            try check(a)
            guard adv.isFinite else { throw DiagnosticError(.error("controller advantage must be finite, got \(adv)")) }
            data += graph.row(actions: a, advantage: adv)
        }
        return (data, [Int64](repeating: 0, count: actions.count))
    }

    private func check(_ actions: [Int]) throws {
        for (t, a) in actions.enumerated() where t >= counts.count || a < 0 || a >= counts[t] {
            throw DiagnosticError(.error("action \(a) of decision \(t) is out of range (\(t < counts.count ? counts[t] : 0) choices)"))
        }
    }

    /// Draws an index from a distribution with one uniform draw (inverse CDF).
    static func draw(_ p: [Double], _ rng: inout SplitMix64) -> Int {
        let u = rng.uniformDouble()
        var acc = 0.0
        for (i, q) in p.enumerated() {
            acc += q
            if u < acc { return i }
        }
        return p.indices.last { p[$0] > 0 } ?? 0
    }

    // MARK: - State

    /// The controller's weights, Adam moments and counters in saved form (float bit patterns, base64).
    struct Saved: Codable, Equatable {
        var names: [String]
        var tensors: [String]
        var stepsTaken: Int
        var updatesTaken: Int
    }

    /// Captures every persistent tensor (weights, fixed matrices, Adam state) and the step counters.
    func saved() -> Saved {
        let c = executor.checkpoint()
        return Saved(names: c.tensors.map(\.name), tensors: c.tensors.map { t in
            var bits = t.values.map { $0.bitPattern.littleEndian }
            return bits.withUnsafeMutableBytes { Data($0).base64EncodedString() }
        }, stepsTaken: c.stepsTaken, updatesTaken: c.updatesTaken)
    }

    /// Restores a ``saved()`` snapshot of a controller with the same decisions and configuration.
    func restore(_ s: Saved, strategy: String) throws {
        guard s.names.count == s.tensors.count else { throw StrategyState.failure(strategy, "its controller tensors are malformed") }
        let current = executor.checkpoint()
        var byName: [String: [Float]] = [:]
        for (name, text) in zip(s.names, s.tensors) {
            guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
                throw StrategyState.failure(strategy, "controller tensor '\(name)' is not base64 float data")
            }
            byName[name] = stride(from: 0, to: data.count, by: 4).map { i in
                var b: UInt32 = 0
                for j in 0..<4 { b |= UInt32(data[data.startIndex + i + j]) << (8 * UInt32(j)) }
                return Float(bitPattern: b)
            }
        }
        let tensors = try current.tensors.map { t -> Checkpoint.Tensor in
            guard let v = byName[t.name], v.count == t.values.count else {
                throw StrategyState.failure(strategy, "its controller has no tensor '\(t.name)' of \(t.values.count) values")
            }
            return Checkpoint.Tensor(name: t.name, role: t.role, values: v)
        }
        guard s.stepsTaken >= 0, s.updatesTaken >= 0 else { throw StrategyState.failure(strategy, "its controller counters are negative") }
        try executor.restore(Checkpoint(planName: current.planName, seed: current.seed, stepsTaken: s.stepsTaken,
                                        updatesTaken: s.updatesTaken, learningRate: current.learningRate, tensors: tensors))
    }
}
