// TPE: the Tree-structured Parzen Estimator (Bergstra et al. 2011) over the categorical decisions of a space.
import BigInt
import Foundation
import NASCIR

/// Tree-structured Parzen Estimator, as NNI's `TPE` strategy (which wraps `nni.algorithms.hpo.tpe_tuner`),
/// maximizing the metric (internally the loss is `-metric`).
///
/// Every decision is a categorical variable over its values (ranks), modelled independently as in NNI and
/// hyperopt. For each proposal:
/// 1. **History.** The told successes (failures and NaN metrics are left out, as NNI's tuner never receives
///    them), plus, with a constant liar, one fake result per running trial whose loss is the best (default),
///    worst or mean loss told so far (0 before any; NNI's `constant_liar_type`).
/// 2. **Startup.** With fewer than `n_startup_jobs` (20) records, every decision is sampled uniformly.
/// 3. **Split.** Records are sorted by loss (stable); the best `min(ceil(gamma * sqrt(N)), linear_forgetting)`
///    are "good" (NNI's formula, gamma 0.25), the rest "bad".
/// 4. **Parzen estimators.** Per decision, `l(x)` and `g(x)` are categorical distributions proportional to
///    the (weighted) count of `x` among the good, resp. bad, records plus `prior_weight` (1.0) for every
///    value (the prior is the uniform distribution over the decision's values). Record weights use linear
///    forgetting: with `n >= linear_forgetting` (25) records in a group, the oldest `n - 25` get weights
///    ramping from `1/n` to 1 and the newest 25 weight 1. (NNI applies this ramp in loss order; it is applied
///    in trial order here, as hyperopt does and as the argument's documentation describes.)
/// 5. **Expected improvement.** `n_ei_candidates` (24) values are drawn from `l`, and the one maximizing
///    `log l(x) - log g(x)` is chosen (the first on ties).
///
/// `dedup` (default true): never propose an architecture twice. When the combination of per-decision
/// maxima was already proposed, the next best combination of the drawn candidates (by the sum of their
/// `log l - log g`, found by best-first search) is taken instead; if all of them were proposed, fresh
/// candidates are drawn (10 rounds), then a uniformly random unseen architecture. During startup the
/// random architecture is drawn among the unseen ones. NNI's HPO tuner has no dedup; NNI's NAS strategies
/// deduplicate by default, and training the same architecture twice wastes a trial, hence the default.
public struct TPE: Strategy, Sendable {
    /// What running trials count as when proposing (NNI's `constant_liar_type`).
    public enum Liar: String, Codable, CaseIterable, Sendable {
        /// The best loss told so far (NNI default).
        case best
        /// The worst loss told so far.
        case worst
        /// The mean loss told so far.
        case mean
        /// Running trials are ignored.
        case none
    }

    /// Options of TPE (defaults from NNI's `TpeArguments`).
    public struct Config: Codable, Equatable, Sendable {
        /// Random proposals before the model is used (NNI default: 20).
        public var nStartupJobs: Int
        /// Candidates drawn from `l(x)` per decision (NNI default: 24).
        public var nEICandidates: Int
        /// Fraction controlling the good set, `ceil(gamma * sqrt(N))` (NNI default: 0.25).
        public var gamma: Double
        /// Weight of the uniform prior in every value's count (NNI default: 1.0).
        public var priorWeight: Double
        /// Records after which older records are down-weighted, and the cap of the good set (NNI default: 25).
        public var linearForgetting: Int
        /// The constant liar for running trials (NNI default: best).
        public var constantLiar: Liar
        /// Never propose the same architecture twice (default: true; see ``TPE``).
        public var dedup: Bool

        /// The NNI defaults, or the given values. Throws for negative startup jobs, fewer than one candidate,
        /// `gamma` outside `(0, 1]`, a negative or non-finite prior weight, or `linear_forgetting < 1`.
        public init(nStartupJobs: Int = 20, nEICandidates: Int = 24, gamma: Double = 0.25, priorWeight: Double = 1.0,
                    linearForgetting: Int = 25, constantLiar: Liar = .best, dedup: Bool = true) throws {
            guard nStartupJobs >= 0 else { throw Self.bad("n_startup_jobs must be 0 or more, got \(nStartupJobs)") }
            guard nEICandidates >= 1 else { throw Self.bad("n_ei_candidates must be at least 1, got \(nEICandidates)") }
            guard gamma > 0, gamma <= 1 else { throw Self.bad("gamma must be in (0, 1], got \(gamma)") }
            guard priorWeight >= 0, priorWeight.isFinite else {
                throw Self.bad("prior_weight must be a finite number >= 0, got \(priorWeight)")
            }
            guard linearForgetting >= 1 else { throw Self.bad("linear_forgetting must be at least 1, got \(linearForgetting)") }
            self.nStartupJobs = nStartupJobs
            self.nEICandidates = nEICandidates
            self.gamma = gamma
            self.priorWeight = priorWeight
            self.linearForgetting = linearForgetting
            self.constantLiar = constantLiar
            self.dedup = dedup
        }

        /// Reads `n_startup_jobs`, `n_ei_candidates`, `gamma`, `prior_weight`, `linear_forgetting`,
        /// `constant_liar` (best, worst, mean, none) and `dedup`.
        public init(options: [String: String]) throws {
            var o = StrategyOptions(strategy: "tpe", options)
            let startup = try o.int("n_startup_jobs", default: 20, in: 0...Int.max)
            let candidates = try o.int("n_ei_candidates", default: 24, in: 1...Int.max)
            let gamma = try o.double("gamma", default: 0.25, in: 0...1)
            let prior = try o.double("prior_weight", default: 1.0, in: 0...Double.greatestFiniteMagnitude)
            let forgetting = try o.int("linear_forgetting", default: 25, in: 1...Int.max)
            let liar = try o.choice("constant_liar", default: "best", among: Liar.allCases.map(\.rawValue))
            let dedup = try o.bool("dedup", default: true)
            try o.finish()
            try self.init(nStartupJobs: startup, nEICandidates: candidates, gamma: gamma, priorWeight: prior,
                          linearForgetting: forgetting, constantLiar: Liar(rawValue: liar) ?? .best, dedup: dedup)
        }

        private static func bad(_ message: String) -> DiagnosticError { DiagnosticError(.error("tpe: " + message)) }
    }

    /// `tpe`, the name used by `Strategies.make`.
    public let name = "tpe"
    /// The space searched.
    public let space: SearchSpace
    /// The seed given at creation.
    public let seed: UInt64
    /// The configuration.
    public let config: Config

    private let size: BigInt
    private let counts: [BigInt]
    private let countsAsDouble: [Double]
    private var rng: SplitMix64
    /// Warm start (`warmup=PROXY`): architecture indices ranked by a zero-cost proxy, best first; the start-up
    /// proposals take the best unseen of them instead of random architectures (set by `Strategies.make`).
    public var warmStart: [BigInt] = []
    private var memory = ProposalMemory()
    private var ledger = TrialLedger()

    /// A TPE search over `space`.
    public init(space: SearchSpace, seed: UInt64, config: Config) throws {
        self.space = space
        self.seed = seed
        self.config = config
        self.size = space.size
        self.counts = space.decisions.map(\.kind.choiceCount)
        self.countsAsDouble = counts.map { min(Double($0), 1e300) }
        self.rng = SplitMix64(seed: seed)
    }

    /// TPE with NNI's defaults.
    public init(space: SearchSpace, seed: UInt64) throws {
        try self.init(space: space, seed: seed, config: try Config())
    }

    /// True once every architecture has been proposed (only with `dedup`), or when the space is empty.
    public var isExhausted: Bool { size == 0 || (config.dedup && BigInt(memory.count) >= size) }

    /// Up to `count` proposals; each one sees the earlier ones of the same call as running trials.
    public mutating func ask(count: Int) throws -> [Architecture] {
        var out: [Architecture] = []
        for _ in 0..<max(count, 0) {
            if isExhausted { break }
            guard let index = proposal() else { break }
            memory.insert(index)
            out.append(try ledger.propose(index, in: space))
        }
        return out
    }

    /// Records the outcome; successes join the history the estimators are built from.
    public mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        try ledger.tell(architecture, in: space, outcome: outcome, strategy: name)
    }

    // MARK: - The algorithm

    /// One observation: the decision ranks and the loss (`-metric`, or a lie).
    struct Observation {
        var ranks: [BigInt]
        var loss: Double
    }

    /// The records the estimators see: told successes in telling order, then the lies for running trials.
    func observations() -> [Observation] {
        var obs: [Observation] = []
        var losses: [Double] = []
        for r in ledger.history {
            guard let m = r.outcome.metric else { continue }
            obs.append(Observation(ranks: MixedRadix.ranks(counts: counts, of: r.index), loss: -m))
            losses.append(-m)
        }
        let lie: Double?
        switch config.constantLiar {
        case .none: lie = nil
        case .best: lie = losses.min() ?? 0
        case .worst: lie = losses.max() ?? 0
        case .mean: lie = losses.isEmpty ? 0 : losses.reduce(0, +) / Double(losses.count)
        }
        if let lie {
            for p in ledger.pending { obs.append(Observation(ranks: MixedRadix.ranks(counts: counts, of: p), loss: lie)) }
        }
        return obs
    }

    private mutating func proposal() -> BigInt? {
        let obs = observations()
        if obs.count < config.nStartupJobs {
            // Startup: every decision uniform, i.e. a uniformly random architecture (or the best warm-start candidate).
            if let warm = memory.firstUnseen(warmStart) { return warm }
            return config.dedup ? memory.randomUnseen(size: size, using: &rng) : rng.uniformBig(below: size)
        }
        let split = Self.split(obs.map(\.loss), gamma: config.gamma, cap: config.linearForgetting)
        let lf = config.linearForgetting
        let goodWeights = Self.forgettingWeights(split.good.count, lf)
        let badWeights = Self.forgettingWeights(split.bad.count, lf)
        let estimators = counts.indices.map { d in
            (good: Parzen(ranks: split.good.map { obs[$0].ranks[d] }, weights: goodWeights,
                          prior: config.priorWeight, valueCount: countsAsDouble[d]),
             bad: Parzen(ranks: split.bad.map { obs[$0].ranks[d] }, weights: badWeights,
                         prior: config.priorWeight, valueCount: countsAsDouble[d]))
        }
        for _ in 0..<Self.candidateRounds {
            let lists = counts.indices.map { d in
                candidates(good: estimators[d].good, bad: estimators[d].bad, count: counts[d])
            }
            if !config.dedup { return MixedRadix.index(counts: counts, of: lists.map { $0[0].rank }) }
            if let index = bestUnseen(lists) { return index }
        }
        return memory.randomUnseen(size: size, retries: 0, using: &rng)
    }

    /// Rounds of fresh EI candidates when every combination of the drawn ones was already proposed.
    static let candidateRounds = 10

    /// Draws `n_ei_candidates` values from `l` and returns the distinct ones with their `log l - log g`,
    /// best first (ties: the earlier draw first), so the first entry is NNI's choice.
    private mutating func candidates(good: Parzen, bad: Parzen, count: BigInt) -> [(rank: BigInt, score: Double)] {
        var out: [(rank: BigInt, score: Double)] = []
        var seen: Set<BigInt> = []
        for _ in 0..<config.nEICandidates {
            let x = good.sample(count: count, using: &rng)
            if seen.insert(x).inserted { out.append((x, good.logProbability(x) - bad.logProbability(x))) }
        }
        // Stable sort by decreasing score (NaN last).
        return out.enumerated().sorted { a, b in
            let sa = a.element.score.isNaN ? -Double.infinity : a.element.score
            let sb = b.element.score.isNaN ? -Double.infinity : b.element.score
            return sa > sb || (sa == sb && a.offset < b.offset)
        }.map(\.element)
    }

    /// The not yet proposed combination of the candidates with the highest total `log l - log g` (the
    /// per-decision best first), by best-first search over the candidate lists; `nil` if all were proposed.
    private func bestUnseen(_ lists: [[(rank: BigInt, score: Double)]]) -> BigInt? {
        func total(_ v: [Int]) -> Double {
            let t = zip(lists, v).reduce(0.0) { $0 + $1.0[$1.1].score }
            return t.isNaN ? -Double.infinity : t
        }
        let start = [Int](repeating: 0, count: lists.count)
        var frontier: [(vector: [Int], score: Double)] = [(start, total(start))]
        var visited: Set<[Int]> = [start]
        while !frontier.isEmpty {
            var bi = 0
            for i in frontier.indices.dropFirst() {
                let (a, b) = (frontier[i], frontier[bi])
                if a.score > b.score || (a.score == b.score && a.vector.lexicographicallyPrecedes(b.vector)) { bi = i }
            }
            let v = frontier.remove(at: bi).vector
            let index = MixedRadix.index(counts: counts, of: zip(lists, v).map { $0.0[$0.1].rank })
            if !memory.contains(index) { return index }
            for d in v.indices where v[d] + 1 < lists[d].count {
                var w = v
                w[d] += 1
                if visited.insert(w).inserted { frontier.append((w, total(w))) }
            }
        }
        return nil
    }

    /// Positions (in record order) of the good and the bad records.
    static func split(_ losses: [Double], gamma: Double, cap: Int) -> (good: [Int], bad: [Int]) {
        let nGood = min(Int((gamma * Double(losses.count).squareRoot()).rounded(.up)), cap)
        let order = losses.indices.sorted { losses[$0] < losses[$1] || (losses[$0] == losses[$1] && $0 < $1) }
        let good = Set(order.prefix(nGood))
        return (losses.indices.filter { good.contains($0) }, losses.indices.filter { !good.contains($0) })
    }

    /// Linear forgetting weights for `n` records in trial order (oldest first).
    static func forgettingWeights(_ n: Int, _ lf: Int) -> [Double] {
        guard n >= lf else { return [Double](repeating: 1, count: n) }
        let m = n - lf
        let lo = 1.0 / Double(n)
        let ramp = (0..<m).map { i in m == 1 ? lo : lo + (1.0 - lo) * Double(i) / Double(m - 1) }
        return ramp + [Double](repeating: 1, count: lf)
    }

    /// A categorical Parzen estimator: weighted counts per rank plus `prior` per value.
    struct Parzen {
        var weights: [BigInt: Double] = [:]
        var order: [BigInt] = []
        var total = 0.0
        let prior: Double
        let valueCount: Double

        init(ranks: [BigInt], weights w: [Double], prior: Double, valueCount: Double) {
            self.prior = prior
            self.valueCount = valueCount
            for (r, x) in zip(ranks, w) {
                if weights[r] == nil { order.append(r) }
                weights[r, default: 0] += x
                total += x
            }
        }

        var normalizer: Double { total + prior * valueCount }

        /// `log p(rank)`; 0 for an empty estimator without prior (it carries no information).
        func logProbability(_ rank: BigInt) -> Double {
            let z = normalizer
            guard z > 0 else { return 0 }
            return Foundation.log((weights[rank, default: 0] + prior) / z)
        }

        /// A draw: from the counts with probability `total / normalizer`, else uniform over the values.
        func sample(count: BigInt, using rng: inout SplitMix64) -> BigInt {
            let u = rng.uniformDouble() * normalizer
            if u < total {
                var acc = 0.0
                for r in order {
                    acc += weights[r, default: 0]
                    if u < acc { return r }
                }
                return order[order.count - 1]
            }
            return rng.uniformBig(below: count)
        }
    }

    // MARK: - State

    /// JSON: the RNG state, every proposed architecture index and the ledger (running trials and the full history).
    public func saveState() throws -> [UInt8] {
        try StrategyState.encode(strategy: name, seed: seed, space: space, config: config,
                                 payload: StreamState(rng: rng, memory: memory, ledger: ledger))
    }

    /// Restores a state saved by TPE with the same space, seed and configuration.
    public mutating func restore(state: [UInt8]) throws {
        let saved = try StrategyState.decode(state, strategy: name, seed: seed, space: space, config: config, as: StreamState.self)
        (rng, memory, ledger) = try saved.restored(size: size, strategy: name)
    }

    /// Every told outcome, in telling order.
    public var history: [(architecture: Architecture, outcome: TrialOutcome)] {
        ledger.outcomes(in: space)
    }
}
