// StreamState: the saved state of a strategy made of an RNG, its proposals and its ledger (Random, TPE).
import BigInt
import NASCIR

/// JSON payload: the RNG state, every proposed architecture index and the ledger (running trials and history).
struct StreamState: Codable {
    var rng: String
    var proposed: [String]
    var ledger: SavedLedger

    /// Captures a strategy's state.
    init(rng: SplitMix64, memory: ProposalMemory, ledger: TrialLedger) {
        self.rng = String(rng.state)
        self.proposed = memory.order.map { String($0) }
        self.ledger = SavedLedger(ledger)
    }

    /// Decodes and checks the parts for a space of `size` architectures; throws naming `strategy` on bad values.
    func restored(size: BigInt, strategy: String) throws -> (rng: SplitMix64, memory: ProposalMemory, ledger: TrialLedger) {
        let rngState = try StrategyState.uint64(rng, strategy: strategy)
        let proposed = try proposed.map { try StrategyState.index($0, size: size, strategy: strategy) }
        let ledger = try ledger.ledger(size: size, strategy: strategy)
        var generator = SplitMix64(seed: 0)
        generator.state = rngState
        return (generator, ProposalMemory(order: proposed), ledger)
    }
}
