// RegularizedEvolution: aging evolution (Real et al. 2019) with tournament selection, mutation and crossover.
import BigInt
import NASCIR

/// Regularized (aging) evolution, as NNI's `nni.nas.strategy.RegularizedEvolution` (Real et al., "Regularized
/// Evolution for Image Classifier Architecture Search", Algorithm 1).
///
/// - **Initial population.** While the population plus the running trials are fewer than `population_size`,
///   proposals are uniformly random architectures.
/// - **Selection.** Afterwards each proposal starts from a tournament: `sample_size` distinct members of the
///   population drawn uniformly (all of them if fewer), the one with the highest metric wins (the first drawn
///   on ties). With `crossover`, two tournaments are held and each decision is taken from the second winner
///   with probability 1/2.
/// - **Mutation.** Each decision of the parent is re-sampled uniformly with probability `mutation_prob`
///   (the new value may equal the old one, as in NNI).
/// - **Dedup.** With `dedup` (default) a child that was already proposed is rejected and the whole step
///   (tournament and mutation) retried, up to 500 times as NNI's `RetrySamplingHelper`; so every child differs
///   from its parent in at least one decision. Where NNI then stops, this strategy falls back to a uniformly
///   random unseen architecture, so the search only ends when the space does.
/// - **Aging.** A successful trial joins the population; when it grows beyond `population_size` the oldest
///   member (earliest told) is removed, whatever its metric.
/// - **Failures.** A failed trial (or a NaN metric) never joins the population, as in NNI 3 (`on_failure` was
///   removed there); during the initial phase another random architecture takes its place.
///
/// When the population is empty and enough trials are running, `ask` returns nothing until a result arrives.
public struct RegularizedEvolution: Strategy, Sendable {
    /// Options of regularized evolution (defaults from NNI 3.0).
    public struct Config: Codable, Equatable, Sendable {
        /// Individuals kept in the population (NNI default: 100).
        public var populationSize: Int
        /// Individuals per tournament, in `1...populationSize` (NNI default: 25).
        public var sampleSize: Int
        /// Probability to re-sample each decision when mutating (NNI default: 0.05).
        public var mutationProb: Double
        /// Cross the winners of two tournaments before mutating (NNI default: false).
        public var crossover: Bool
        /// Never propose the same architecture twice (NNI default: true).
        public var dedup: Bool

        /// The NNI defaults, or the given values. Throws if `sampleSize` is outside `1...populationSize` or
        /// `mutationProb` outside `[0, 1]`.
        public init(populationSize: Int = 100, sampleSize: Int = 25, mutationProb: Double = 0.05,
                    crossover: Bool = false, dedup: Bool = true) throws {
            guard populationSize >= 1 else {
                throw DiagnosticError(.error("evolution: population_size must be at least 1, got \(populationSize)"))
            }
            guard (1...populationSize).contains(sampleSize) else {
                throw DiagnosticError(.error(
                    "evolution: sample_size must be between 1 and population_size (\(populationSize)), got \(sampleSize)"))
            }
            guard mutationProb >= 0, mutationProb <= 1 else {
                throw DiagnosticError(.error("evolution: mutation_prob must be in [0, 1], got \(mutationProb)"))
            }
            self.populationSize = populationSize
            self.sampleSize = sampleSize
            self.mutationProb = mutationProb
            self.crossover = crossover
            self.dedup = dedup
        }

        /// Reads `population_size`, `sample_size`, `mutation_prob`, `crossover`, `dedup`. Without `sample_size`,
        /// the tournament size is 25 capped at the population size (NNI would reject 25 > population).
        public init(options: [String: String]) throws {
            var o = StrategyOptions(strategy: "evolution", options)
            let population = try o.int("population_size", default: 100, in: 1...Int.max)
            let sample = try o.int("sample_size", default: min(25, population), in: 1...Int.max)
            let mutation = try o.double("mutation_prob", default: 0.05, in: 0...1)
            let crossover = try o.bool("crossover", default: false)
            let dedup = try o.bool("dedup", default: true)
            try o.finish()
            try self.init(populationSize: population, sampleSize: sample, mutationProb: mutation,
                          crossover: crossover, dedup: dedup)
        }
    }

    /// A member of the population: an architecture and its metric.
    public struct Individual: Hashable, Sendable {
        /// The architecture.
        public let architecture: Architecture
        /// Its metric (higher is better).
        public let metric: Double
        let index: BigInt
    }

    /// `evolution`, the name used by `Strategies.make`.
    public let name = "evolution"
    /// The space searched.
    public let space: SearchSpace
    /// The seed given at creation.
    public let seed: UInt64
    /// The configuration.
    public let config: Config

    /// Retries of a duplicate child before falling back to a random unseen architecture (NNI: 500).
    static let retries = 500

    private let size: BigInt
    private let counts: [BigInt]
    private var rng: SplitMix64
    /// Warm start (`warmup=PROXY`): architecture indices ranked by a zero-cost proxy, best first; the initial
    /// population takes the best unseen of them instead of random architectures (set by `Strategies.make`).
    public var warmStart: [BigInt] = []
    private var memory = ProposalMemory()
    private var ledger = TrialLedger()
    /// The population, oldest first.
    public private(set) var population: [Individual] = []

    /// Regularized evolution over `space`.
    public init(space: SearchSpace, seed: UInt64, config: Config) throws {
        self.space = space
        self.seed = seed
        self.config = config
        self.size = space.size
        self.counts = space.decisions.map(\.kind.choiceCount)
        self.rng = SplitMix64(seed: seed)
    }

    /// Regularized evolution with NNI's defaults.
    public init(space: SearchSpace, seed: UInt64) throws {
        try self.init(space: space, seed: seed, config: try Config())
    }

    /// True once every architecture has been proposed (only with `dedup`), or when the space is empty.
    public var isExhausted: Bool { size == 0 || (config.dedup && BigInt(memory.count) >= size) }

    /// Up to `count` proposals: random ones while the initial population is incomplete, then mutated
    /// tournament winners. Returns fewer when the space is exhausted or results are needed first.
    public mutating func ask(count: Int) throws -> [Architecture] {
        var out: [Architecture] = []
        for _ in 0..<max(count, 0) {
            if isExhausted { break }
            let index: BigInt
            if population.count + ledger.pending.count < config.populationSize {
                guard let i = randomIndex() else { break }
                index = i
            } else {
                guard !population.isEmpty, let i = childIndex() else { break }
                index = i
            }
            memory.insert(index)
            out.append(try ledger.propose(index, in: space))
        }
        return out
    }

    /// Adds a successful architecture to the population (removing the oldest beyond `population_size`).
    public mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        let index = try space.strategyIndex(of: architecture)
        try ledger.tell(index, outcome: outcome, strategy: name)
        guard let metric = outcome.metric else { return }
        population.append(Individual(architecture: try space.architecture(atIndex: index), metric: metric, index: index))
        if population.count > config.populationSize { population.removeFirst() }
    }

    // MARK: - Proposals

    private mutating func randomIndex() -> BigInt? {
        if let warm = memory.firstUnseen(warmStart) { return warm }
        return config.dedup ? memory.randomUnseen(size: size, using: &rng) : rng.uniformBig(below: size)
    }

    /// A mutated (and possibly crossed) tournament winner, retried while it is a duplicate.
    private mutating func childIndex() -> BigInt? {
        for _ in 0..<Self.retries {
            var ranks = MixedRadix.ranks(counts: counts, of: tournament())
            if config.crossover {
                let other = MixedRadix.ranks(counts: counts, of: tournament())
                for d in ranks.indices where rng.uniformDouble() < 0.5 { ranks[d] = other[d] }
            }
            for d in ranks.indices where rng.uniformDouble() < config.mutationProb {
                ranks[d] = rng.uniformBig(below: counts[d])
            }
            let child = MixedRadix.index(counts: counts, of: ranks)
            if !config.dedup || !memory.contains(child) { return child }
        }
        return memory.randomUnseen(size: size, retries: 0, using: &rng)
    }

    /// The winner of a tournament among `sample_size` distinct random members.
    private mutating func tournament() -> BigInt {
        let drawn = rng.distinctIndices(config.sampleSize, of: population.count)
        var best = population[drawn[0]]
        for i in drawn.dropFirst() where population[i].metric > best.metric { best = population[i] }
        return best.index
    }

    // MARK: - State

    private struct SavedIndividual: Codable {
        var index: String
        var metric: Double
    }

    private struct Payload: Codable {
        var rng: String
        var proposed: [String]
        var population: [SavedIndividual]
        var ledger: SavedLedger
    }

    /// JSON: the RNG state, every proposed index, the population (oldest first) and the ledger.
    public func saveState() throws -> [UInt8] {
        let payload = Payload(rng: String(rng.state), proposed: memory.order.map { String($0) },
                              population: population.map { SavedIndividual(index: String($0.index), metric: $0.metric) },
                              ledger: SavedLedger(ledger))
        return try StrategyState.encode(strategy: name, seed: seed, space: space, config: config, payload: payload)
    }

    /// Restores a state saved by regularized evolution with the same space, seed and configuration.
    public mutating func restore(state: [UInt8]) throws {
        let p = try StrategyState.decode(state, strategy: name, seed: seed, space: space, config: config, as: Payload.self)
        let rngState = try StrategyState.uint64(p.rng, strategy: name)
        let proposed = try p.proposed.map { try StrategyState.index($0, size: size, strategy: name) }
        let ledger = try p.ledger.ledger(size: size, strategy: name)
        let population = try p.population.map { s -> Individual in
            let i = try StrategyState.index(s.index, size: size, strategy: name)
            return Individual(architecture: try space.architecture(atIndex: i), metric: s.metric, index: i)
        }
        guard population.count <= config.populationSize else {
            throw StrategyState.failure(name, "its population has \(population.count) members, more than \(config.populationSize)")
        }
        rng = SplitMix64(seed: 0)
        rng.state = rngState
        memory = ProposalMemory(order: proposed)
        self.ledger = ledger
        self.population = population
    }

    /// Every told outcome, in telling order.
    public var history: [(architecture: Architecture, outcome: TrialOutcome)] {
        ledger.outcomes(in: space)
    }
}
