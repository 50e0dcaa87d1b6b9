// PolicyBasedRL: multi-trial search by an LSTM policy trained with REINFORCE (moving-average baseline) or PPO.
import BigInt
import Foundation
import NASCIR

/// Policy-based reinforcement learning (NNI's `nni.nas.strategy.PolicyBasedRL`, Zoph & Le 2017): an
/// ``LSTMController`` proposes architectures decision by decision; every told metric is a reward.
///
/// - **Policy.** ENAS's LSTM controller (hidden 64, an embedding per decision, a softmax head per decision,
///   logits `1.5 * tanh(logits)`), built as a nasc IR graph and trained on the executor (autodiff + Adam).
///   Each decision is one categorical action over its values (InputChoice combinations included).
/// - **Update.** REINFORCE with a moving-average baseline, as ENAS: `reward = metric + entropy_weight * entropy`,
///   `baseline = decay * baseline + (1 - decay) * reward` (the first reward starts it), `advantage = reward -
///   baseline`. Every `batch_size` told successes make one Adam step on `-mean advantage * log p(architecture)`.
///   Failed trials give no reward.
/// - **PPO** (`algorithm=ppo`, NNI's default algorithm): the controller gets a value head on its LSTM (NNI's critic
///   shares the actor's preprocessor); each architecture is an episode of `D` decisions rewarded by its metric after
///   the last one. Every `batch_size` successes: one forward pass gives `log p_old` and values, GAE gives advantages and
///   returns, then `epochs` passes over shuffled minibatches take one Adam step each on ``PPOLoss`` (clipped
///   surrogate, value loss, entropy bonus).
/// - **Dedup** (default, as the other strategies): a sampled architecture that was proposed before is re-sampled
///   (up to 100 times), then a uniformly random unseen one is used.
/// - **State.** The RNG, proposals, ledger, baseline, the update buffer and the controller (weights, Adam moments,
///   counters) are saved; a restored strategy continues exactly.
public final class PolicyBasedRL: Strategy, ReportsEffectiveOptions {
    /// Options (see `docs/strategies.md` for where each default comes from).
    public struct Config: Codable, Equatable, Sendable {
        /// LSTM hidden size (NNI: 64).
        public var hidden: Int
        /// `tanh_constant` (ENAS: 1.5; 0 disables it).
        public var tanhConstant: Double
        /// Controller Adam learning rate (NNI's PPO policy uses 1e-4 over thousands of steps; 0.05 suits tens to hundreds of trials).
        public var learningRate: Double
        /// Successful trials per policy update (NNI `trial_per_collect`: 20; 4 for small budgets).
        public var batchSize: Int
        /// Baseline decay (ENAS: 0.999 over many thousand samples; 0.7 for tens to hundreds of trials).
        public var baselineDecay: Double
        /// Weight of the sample entropy added to the reward (ENAS / NNI: 1e-4).
        public var entropyWeight: Double
        /// Global gradient-norm clip of an update, 0 for none (NNI EnasTrainer: 5).
        public var gradClip: Double
        /// Never propose the same architecture twice (default true, like the other strategies).
        public var dedup: Bool
        /// PPO's settings with `algorithm=ppo`; `nil` for REINFORCE.
        public var ppo: PPOSettings?

        /// The defaults, or the given values.
        public init(hidden: Int = 64, tanhConstant: Double = 1.5, learningRate: Double = 0.05, batchSize: Int = 4,
                    baselineDecay: Double = 0.7, entropyWeight: Double = 1e-4, gradClip: Double = 5, dedup: Bool = true,
                    ppo: PPOSettings? = nil) {
            self.hidden = hidden; self.tanhConstant = tanhConstant; self.learningRate = learningRate
            self.batchSize = batchSize; self.baselineDecay = baselineDecay; self.entropyWeight = entropyWeight
            self.gradClip = gradClip; self.dedup = dedup; self.ppo = ppo
        }

        /// PPO's defaults where they differ from REINFORCE's (see `docs/strategies.md`).
        public static let ppoDefaults = Config(learningRate: PPODefaults.learningRate, batchSize: PPODefaults.batchSize,
                                               gradClip: 0, ppo: PPOSettings())

        /// Options that only one of the algorithms reads.
        static let reinforceOnly = ["baseline_decay", "entropy_weight"]
        static let ppoOnly = ["eps_clip", "epochs", "minibatch_size", "gae_lambda", "discount", "vf_coef", "ent_coef", "norm_adv"]

        /// Reads `algorithm` (`reinforce` or `ppo`), `hidden`, `tanh_constant`, `lr`, `batch_size`, `grad_clip`, `dedup`;
        /// for REINFORCE `baseline_decay`, `entropy_weight`; for PPO `eps_clip`, `epochs`, `minibatch_size`,
        /// `gae_lambda`, `discount`, `vf_coef`, `ent_coef`, `norm_adv`.
        public init(options: [String: String]) throws {
            var o = StrategyOptions(strategy: "rl", options)
            let algorithm = try o.choice("algorithm", default: "reinforce", among: ["reinforce", "ppo"])
            let isPPO = algorithm == "ppo"
            if let other = (isPPO ? Self.reinforceOnly : Self.ppoOnly).first(where: { options[$0] != nil }) {
                throw DiagnosticError(.error("option '\(other)' of strategy 'rl' applies to algorithm=\(isPPO ? "reinforce" : "ppo") only"))
            }
            let d = isPPO ? Config.ppoDefaults : Config()
            let hidden = try o.int("hidden", default: d.hidden, in: 1...1024)
            let tanhConstant = try o.double("tanh_constant", default: d.tanhConstant, in: 0...100)
            let learningRate = try o.double("lr", default: d.learningRate, in: 1e-12...10)
            let batchSize = try o.int("batch_size", default: d.batchSize, in: 1...100_000)
            let gradClip = try o.double("grad_clip", default: d.gradClip, in: 0...1e9)
            let dedup = try o.bool("dedup", default: d.dedup)
            if isPPO {
                let p = PPOSettings()
                let ppo = PPOSettings(epsClip: try o.double("eps_clip", default: p.epsClip, in: 1e-6...10),
                                      epochs: try o.int("epochs", default: p.epochs, in: 1...1000),
                                      minibatchSize: try o.int("minibatch_size", default: p.minibatchSize, in: 1...1_000_000),
                                      gaeLambda: try o.double("gae_lambda", default: p.gaeLambda, in: 0...1),
                                      discount: try o.double("discount", default: p.discount, in: 0...1),
                                      vfCoef: try o.double("vf_coef", default: p.vfCoef, in: 0...1000),
                                      entCoef: try o.double("ent_coef", default: p.entCoef, in: 0...1000),
                                      normalizeAdvantage: try o.bool("norm_adv", default: p.normalizeAdvantage))
                self.init(hidden: hidden, tanhConstant: tanhConstant, learningRate: learningRate, batchSize: batchSize,
                          gradClip: gradClip, dedup: dedup, ppo: ppo)
            } else {
                self.init(hidden: hidden, tanhConstant: tanhConstant, learningRate: learningRate, batchSize: batchSize,
                          baselineDecay: try o.double("baseline_decay", default: d.baselineDecay, in: 0...1),
                          entropyWeight: try o.double("entropy_weight", default: d.entropyWeight, in: 0...1000),
                          gradClip: gradClip, dedup: dedup)
            }
            try o.finish()
        }

        /// `reinforce` or `ppo`.
        public var algorithm: String { ppo == nil ? "reinforce" : "ppo" }

        /// Every option of this configuration with its effective value (defaults filled in), as `settings.json`
        /// stores them; ``init(options:)`` reads them back to the same configuration.
        public var options: [String: String] {
            var o = ["algorithm": algorithm, "hidden": String(hidden), "tanh_constant": "\(tanhConstant)", "lr": "\(learningRate)",
                     "batch_size": String(batchSize), "grad_clip": "\(gradClip)", "dedup": String(dedup)]
            if let p = ppo {
                o["eps_clip"] = "\(p.epsClip)"; o["epochs"] = String(p.epochs); o["minibatch_size"] = String(p.minibatchSize)
                o["gae_lambda"] = "\(p.gaeLambda)"; o["discount"] = "\(p.discount)"; o["vf_coef"] = "\(p.vfCoef)"
                o["ent_coef"] = "\(p.entCoef)"; o["norm_adv"] = String(p.normalizeAdvantage)
            } else {
                o["baseline_decay"] = "\(baselineDecay)"; o["entropy_weight"] = "\(entropyWeight)"
            }
            return o
        }

        var controller: ControllerConfig {
            ControllerConfig(hidden: hidden, tanhConstant: tanhConstant > 0 ? tanhConstant : nil, learningRate: learningRate,
                             gradClip: gradClip > 0 ? gradClip : nil)
        }
    }

    /// `rl`, the name used by `Strategies.make` (alias `policy`).
    public let name = "rl"
    /// The space searched.
    public let space: SearchSpace
    /// The seed given at creation.
    public let seed: UInt64
    /// The configuration.
    public let config: Config
    /// The policy (its executor holds the weights).
    public let controller: LSTMController

    /// Every option with its effective value (``Config/options``).
    public var effectiveOptions: [String: String] { config.options }

    /// Re-samples of a duplicate before falling back to a random unseen architecture.
    static let retries = 100

    private let size: BigInt
    private let counts: [BigInt]
    private var rng: SplitMix64
    private var memory = ProposalMemory()
    private var ledger = TrialLedger()
    /// Entropies of pending proposals by index, in proposal order.
    private var pendingEntropy: [BigInt: [Double]] = [:]
    /// The moving-average baseline (`nil` before the first reward).
    public private(set) var baseline: Double?
    /// Successes told since the last update: actions and advantages (REINFORCE) or rewards (PPO).
    private var buffer: [(actions: [Int], advantage: Double)] = []
    /// Policy updates made so far.
    public private(set) var updates = 0
    /// The statistics of the last PPO update (not saved; for logs and tests).
    public private(set) var lastUpdate: PPOUpdate.Statistics?

    /// A policy-gradient search over `space`. Throws if a decision has more than 4096 values (one softmax head).
    public init(space: SearchSpace, seed: UInt64, config: Config = Config()) throws {
        self.space = space
        self.seed = seed
        self.config = config
        self.size = space.size
        self.counts = space.decisions.map(\.kind.choiceCount)
        for d in space.decisions where d.kind.choiceCount > BigInt(LSTMController.maxChoices) {
            throw DiagnosticError(.error("strategy 'rl': decision '\(d.label)' has \(d.kind.choiceCount) values, more than the "
                + "\(LSTMController.maxChoices) one policy head can choose among"))
        }
        self.rng = SplitMix64(seed: seed)
        controller = try LSTMController(counts: counts.isEmpty ? [1] : counts.map { Int($0) }, config: config.controller,
                                        valueHead: config.ppo != nil, seed: seed)
    }

    /// True once every architecture has been proposed (only with `dedup`), or when the space is empty.
    public var isExhausted: Bool { size == 0 || (config.dedup && BigInt(memory.count) >= size) }

    /// Up to `count` architectures sampled from the policy (duplicates re-sampled under `dedup`).
    public func ask(count: Int) throws -> [Architecture] {
        var out: [Architecture] = []
        guard count > 0 else { return out }
        var drawn = try controller.sample(count: count, using: &rng)
        for i in 0..<count {
            if isExhausted { break }
            var sample = drawn[i]
            var index = self.index(of: sample.actions)
            var tries = 0
            while config.dedup, memory.contains(index), tries < Self.retries {
                sample = try controller.sample(count: 1, using: &rng)[0]
                index = self.index(of: sample.actions)
                tries += 1
            }
            if config.dedup, memory.contains(index) {
                guard let unseen = memory.randomUnseen(size: size, retries: 0, using: &rng) else { break }
                index = unseen
                sample.entropy = 0
            }
            drawn[i] = sample
            memory.insert(index)
            ledger.propose(index)
            pendingEntropy[index, default: []].append(sample.entropy)
            out.append(try space.architecture(atIndex: index))
        }
        return out
    }

    /// Records the outcome; a success is a reward for the policy (an update every `batch_size` successes).
    public func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        let index = try space.strategyIndex(of: architecture)
        try ledger.tell(index, outcome: outcome, strategy: name)
        var entropies = pendingEntropy[index] ?? []
        let entropy = entropies.isEmpty ? 0 : entropies.removeFirst()
        pendingEntropy[index] = entropies.isEmpty ? nil : entropies
        guard let metric = outcome.metric, metric.isFinite else { return }
        if let ppo = config.ppo {
            buffer.append((actions(of: index), metric))
            if buffer.count >= config.batchSize {
                lastUpdate = try PPOUpdate.run(controller: controller, actions: buffer.map(\.actions),
                                               rewards: buffer.map(\.advantage), settings: ppo, using: &rng)
                buffer.removeAll()
                updates += 1
            }
            return
        }
        let reward = metric + config.entropyWeight * entropy
        let b = baseline.map { config.baselineDecay * $0 + (1 - config.baselineDecay) * reward } ?? reward
        baseline = b
        buffer.append((actions(of: index), reward - b))
        if buffer.count >= config.batchSize {
            try controller.reinforce(actions: buffer.map(\.actions), advantages: buffer.map(\.advantage))
            buffer.removeAll()
            updates += 1
        }
    }

    /// The policy's greedy (argmax) architecture.
    public func bestGuess() throws -> Architecture {
        try space.architecture(atIndex: index(of: try controller.argmax()))
    }

    private func index(of actions: [Int]) -> BigInt {
        guard !counts.isEmpty else { return 0 }
        return MixedRadix.index(counts: counts, of: actions.map { BigInt($0) })
    }

    private func actions(of index: BigInt) -> [Int] {
        counts.isEmpty ? [0] : MixedRadix.ranks(counts: counts, of: index).map { Int($0) }
    }

    // MARK: - State

    private struct SavedSample: Codable {
        var actions: [Int]
        var advantage: Double
    }

    private struct Payload: Codable {
        var rng: String
        var proposed: [String]
        var ledger: SavedLedger
        var pendingEntropy: [String: [Double]]
        var baseline: Double?
        var buffer: [SavedSample]
        var updates: Int
        var controller: LSTMController.Saved
    }

    /// JSON: RNG, proposals, ledger, baseline, update buffer and the controller's tensors (weights, Adam state).
    public func saveState() throws -> [UInt8] {
        let payload = Payload(rng: String(rng.state), proposed: memory.order.map { String($0) }, ledger: SavedLedger(ledger),
                              pendingEntropy: Dictionary(uniqueKeysWithValues: pendingEntropy.map { (String($0.key), $0.value) }),
                              baseline: baseline, buffer: buffer.map { SavedSample(actions: $0.actions, advantage: $0.advantage) },
                              updates: updates, controller: controller.saved())
        return try StrategyState.encode(strategy: name, seed: seed, space: space, config: config, payload: payload)
    }

    /// Restores a state saved by this strategy with the same space, seed and configuration.
    public func restore(state: [UInt8]) throws {
        let p = try StrategyState.decode(state, strategy: name, seed: seed, space: space, config: config, as: Payload.self)
        let rngState = try StrategyState.uint64(p.rng, strategy: name)
        let proposed = try p.proposed.map { try StrategyState.index($0, size: size, strategy: name) }
        let ledger = try p.ledger.ledger(size: size, strategy: name)
        var entropy: [BigInt: [Double]] = [:]
        for (k, v) in p.pendingEntropy { entropy[try StrategyState.index(k, size: size, strategy: name)] = v }
        let width = max(counts.count, 1)
        for s in p.buffer where s.actions.count != width || !s.advantage.isFinite {
            throw StrategyState.failure(name, "its update buffer has a sample that does not fit this space")
        }
        guard p.updates >= 0 else { throw StrategyState.failure(name, "its update count is negative") }
        try controller.restore(p.controller, strategy: name)
        rng = SplitMix64(seed: 0)
        rng.state = rngState
        memory = ProposalMemory(order: proposed)
        self.ledger = ledger
        pendingEntropy = entropy
        baseline = p.baseline
        buffer = p.buffer.map { ($0.actions, $0.advantage) }
        updates = p.updates
    }
}
