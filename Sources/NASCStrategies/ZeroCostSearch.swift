// ZeroCostSearch: train the architectures a zero-cost proxy ranks highest, best first (`--strategy zero-cost`).
import BigInt
import NASCIR

/// Zero-cost search: a large sample of the space is ranked by a zero-cost proxy at initialization (no training; the
/// tool computes it, see `ZeroCostScorer` and `ProxyTable` in NASCTool) and the trials train the top of the ranking,
/// best first: with `--max-trials k`, the top k. Outcomes are recorded but do not change the order. Exhausted when the
/// ranking is.
///
/// Options: `proxy` (synflow, naswot, grad_norm, snip, jacob_cov, params or flops; default synflow), `samples`
/// (architectures scored; default 1000, all of a smaller space), `batch_size` (the mini-batch; default 64).
public struct ZeroCostSearch: Strategy, Sendable {
    /// Options of zero-cost search (read here so that unknown keys are errors; the tool computes the ranking).
    public struct Config: Codable, Equatable, Sendable {
        /// The proxy that ranks (validated by the tool, which knows the proxies).
        public var proxy: String
        /// How many architectures are scored.
        public var samples: Int
        /// The mini-batch size of the proxies.
        public var batchSize: Int

        /// The defaults.
        public init(proxy: String = "synflow", samples: Int = 1000, batchSize: Int = 64) {
            self.proxy = proxy; self.samples = samples; self.batchSize = batchSize
        }

        /// Reads `proxy`, `samples` and `batch_size`.
        public init(options: [String: String]) throws {
            var o = StrategyOptions(strategy: "zero-cost", options)
            let proxy = try o.choice("proxy", default: "synflow", among: Self.proxies)
            let samples = try o.int("samples", default: 1000, in: 1...1_000_000)
            let batch = try o.int("batch_size", default: 64, in: 2...4096)
            try o.finish()
            self.init(proxy: proxy, samples: samples, batchSize: batch)
        }

        /// The proxy names (NASCTool's `ZeroCostProxy` raw values).
        public static let proxies = ["synflow", "naswot", "grad_norm", "snip", "jacob_cov", "params", "flops"]
    }

    /// `zero-cost`, the name used by `Strategies.make`.
    public let name = "zero-cost"
    /// The space searched.
    public let space: SearchSpace
    /// The seed given at creation (the tool's sample and initialization use it).
    public let seed: UInt64
    /// The configuration.
    public let config: Config
    /// The architecture indices, best proxy score first.
    public let ranking: [BigInt]

    private var rng: SplitMix64
    private var memory = ProposalMemory()
    private var ledger = TrialLedger()

    /// A zero-cost search over `space` that proposes `ranking` (best first) in order.
    public init(space: SearchSpace, seed: UInt64, config: Config, ranking: [Architecture]) throws {
        self.space = space
        self.seed = seed
        self.config = config
        self.ranking = try ranking.map { try space.strategyIndex(of: $0) }
        self.rng = SplitMix64(seed: seed)
    }

    /// True once every ranked architecture has been proposed.
    public var isExhausted: Bool { memory.firstUnseen(ranking) == nil }

    /// The next `count` architectures of the ranking.
    public mutating func ask(count: Int) throws -> [Architecture] {
        var out: [Architecture] = []
        for _ in 0..<max(count, 0) {
            guard let index = memory.firstUnseen(ranking) else { break }
            memory.insert(index)
            out.append(try ledger.propose(index, in: space))
        }
        return out
    }

    /// Records the outcome (the ranking does not change).
    public mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        try ledger.tell(architecture, in: space, outcome: outcome, strategy: name)
    }

    /// JSON: every proposed index and the ledger (the ranking is recomputed from the same seed on resume).
    public func saveState() throws -> [UInt8] {
        try StrategyState.encode(strategy: name, seed: seed, space: space, config: config,
                                 payload: StreamState(rng: rng, memory: memory, ledger: ledger))
    }

    /// Restores a state saved by a zero-cost search with the same space, seed and configuration.
    public mutating func restore(state: [UInt8]) throws {
        let saved = try StrategyState.decode(state, strategy: name, seed: seed, space: space, config: config, as: StreamState.self)
        (rng, memory, ledger) = try saved.restored(size: space.size, strategy: name)
    }

    /// Every told outcome, in telling order.
    public var history: [(architecture: Architecture, outcome: TrialOutcome)] {
        ledger.outcomes(in: space)
    }
}
