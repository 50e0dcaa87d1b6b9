// GridSearch: exhaustive search that visits every architecture exactly once, in a seeded shuffled order.
import BigInt
import NASCIR

/// Grid search (NNI's `nni.nas.strategy.GridSearch`): proposes every architecture of the space exactly once,
/// then is exhausted.
///
/// With `shuffle` (the default, as in NNI) the order is a seeded pseudo-random permutation of the whole
/// index space (see ``SearchSpace/architecture(atIndex:)``), computed one index at a time, so even huge
/// spaces are never materialized. NNI only shuffles within buffers of 100 consecutive grid points; a full
/// permutation is strictly more random and costs nothing here. Without `shuffle` the order is
/// ``SearchSpace/allArchitectures()`` (NNI's unshuffled order). Because the order is a bijection, no
/// architecture is ever proposed twice (NNI's `dedup`). Outcomes are recorded but do not influence proposals.
public struct GridSearch: Strategy, Sendable {
    /// Options of grid search.
    public struct Config: Codable, Equatable, Sendable {
        /// Visit the grid in a seeded random order (NNI default: true).
        public var shuffle: Bool

        /// The NNI defaults.
        public init(shuffle: Bool = true) { self.shuffle = shuffle }

        /// Reads `shuffle` from command-line options.
        public init(options: [String: String]) throws {
            var o = StrategyOptions(strategy: "grid", options)
            self.init(shuffle: try o.bool("shuffle", default: true))
            try o.finish()
        }
    }

    /// `grid`, the name used by `Strategies.make`.
    public let name = "grid"
    /// The space searched.
    public let space: SearchSpace
    /// The seed given at creation (it chooses the permutation).
    public let seed: UInt64
    /// The configuration.
    public let config: Config

    private let size: BigInt
    private let permutation: SeededPermutation
    /// How many grid points have been proposed.
    private var position = BigInt(0)
    private var ledger = TrialLedger()

    /// A grid search over `space`.
    public init(space: SearchSpace, seed: UInt64, config: Config = Config()) throws {
        self.space = space
        self.seed = seed
        self.config = config
        self.size = space.size
        self.permutation = SeededPermutation(size: size, seed: seed)
    }

    /// True once every architecture has been proposed.
    public var isExhausted: Bool { position >= size }

    /// The next `count` grid points (fewer at the end of the grid).
    public mutating func ask(count: Int) throws -> [Architecture] {
        var out: [Architecture] = []
        for _ in 0..<max(count, 0) where position < size {
            let index = config.shuffle ? permutation.apply(position) : position
            position += 1
            out.append(try ledger.propose(index, in: space))
        }
        return out
    }

    /// Records the outcome (grid search does not use it).
    public mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        try ledger.tell(architecture, in: space, outcome: outcome, strategy: name)
    }

    private struct Payload: Codable {
        var position: String
        var ledger: SavedLedger
    }

    /// JSON: the position in the grid and the ledger (the permutation follows from the seed).
    public func saveState() throws -> [UInt8] {
        try StrategyState.encode(strategy: name, seed: seed, space: space, config: config,
                                 payload: Payload(position: String(position), ledger: SavedLedger(ledger)))
    }

    /// Restores a state saved by a grid search with the same space, seed and configuration.
    public mutating func restore(state: [UInt8]) throws {
        let p = try StrategyState.decode(state, strategy: name, seed: seed, space: space, config: config, as: Payload.self)
        guard let pos = BigInt(p.position, radix: 10), pos >= 0, pos <= size else {
            throw StrategyState.failure(name, "'\(p.position)' is not a grid position of this space")
        }
        let ledger = try p.ledger.ledger(size: size, strategy: name)
        position = pos
        self.ledger = ledger
    }

    /// Every told outcome, in telling order.
    public var history: [(architecture: Architecture, outcome: TrialOutcome)] {
        ledger.outcomes(in: space)
    }
}
