// RandomSearch: uniform random sampling of the search space, never proposing an architecture twice.
import BigInt
import NASCIR

/// Random search (NNI's `nni.nas.strategy.Random`): every proposal is a uniformly random architecture.
///
/// With `dedup` (the default, as in NNI) an architecture is never proposed twice: each proposal is uniform
/// over the architectures not proposed yet, and the strategy is exhausted once it has proposed the whole
/// space. NNI gives up after 500 duplicate draws; here, after 500 duplicate draws the strategy draws exactly
/// from the unseen architectures instead, so small spaces are covered completely.
/// Outcomes are recorded but do not influence proposals.
public struct RandomSearch: Strategy, Sendable {
    /// Options of random search.
    public struct Config: Codable, Equatable, Sendable {
        /// Never propose the same architecture twice (NNI default: true).
        public var dedup: Bool

        /// The NNI defaults.
        public init(dedup: Bool = true) { self.dedup = dedup }

        /// Reads `dedup` from command-line options.
        public init(options: [String: String]) throws {
            var o = StrategyOptions(strategy: "random", options)
            self.init(dedup: try o.bool("dedup", default: true))
            try o.finish()
        }
    }

    /// `random`, the name used by `Strategies.make`.
    public let name = "random"
    /// The space searched.
    public let space: SearchSpace
    /// The seed given at creation.
    public let seed: UInt64
    /// The configuration.
    public let config: Config

    private let size: BigInt
    private var rng: SplitMix64
    private var memory = ProposalMemory()
    private var ledger = TrialLedger()

    /// A random search over `space`.
    public init(space: SearchSpace, seed: UInt64, config: Config = Config()) throws {
        self.space = space
        self.seed = seed
        self.config = config
        self.size = space.size
        self.rng = SplitMix64(seed: seed)
    }

    /// True once every architecture has been proposed (only with `dedup`), or when the space is empty.
    public var isExhausted: Bool { size == 0 || (config.dedup && BigInt(memory.count) >= size) }

    /// Up to `count` new uniformly random architectures (fewer when the space runs out).
    public mutating func ask(count: Int) throws -> [Architecture] {
        var out: [Architecture] = []
        for _ in 0..<max(count, 0) {
            if isExhausted { break }
            let index: BigInt
            if config.dedup {
                guard let i = memory.randomUnseen(size: size, using: &rng) else { break }
                index = i
            } else {
                index = rng.uniformBig(below: size)
            }
            memory.insert(index)
            out.append(try ledger.propose(index, in: space))
        }
        return out
    }

    /// Records the outcome (random search does not use it).
    public mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        try ledger.tell(architecture, in: space, outcome: outcome, strategy: name)
    }

    /// JSON: the RNG state, every proposed architecture index and the ledger (running trials and the full history).
    public func saveState() throws -> [UInt8] {
        try StrategyState.encode(strategy: name, seed: seed, space: space, config: config,
                                 payload: StreamState(rng: rng, memory: memory, ledger: ledger))
    }

    /// Restores a state saved by a random search with the same space, seed and configuration.
    public mutating func restore(state: [UInt8]) throws {
        let saved = try StrategyState.decode(state, strategy: name, seed: seed, space: space, config: config, as: StreamState.self)
        (rng, memory, ledger) = try saved.restored(size: size, strategy: name)
    }

    /// Every told outcome, in telling order.
    public var history: [(architecture: Architecture, outcome: TrialOutcome)] {
        ledger.outcomes(in: space)
    }
}
