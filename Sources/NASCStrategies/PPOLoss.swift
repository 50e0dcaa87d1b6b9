// PPOLoss: PPO's clipped surrogate, value loss, entropy bonus and GAE for the RL controller, with the exact gradient targets.
import Foundation

/// Settings of the `rl` strategy's PPO update (defaults: tianshou's `PPOPolicy` as NNI's `PolicyBasedRL` builds it).
public struct PPOSettings: Codable, Equatable, Sendable {
    /// Ratio clip `ε` of the surrogate (tianshou `eps_clip`: 0.2).
    public var epsClip: Double
    /// Passes over each batch of sampled architectures (NNI `policy.update(repeat=5)`).
    public var epochs: Int
    /// Decisions (transitions) per minibatch, rounded to whole architectures (NNI `policy.update(batch_size=64)`).
    public var minibatchSize: Int
    /// GAE `λ` (tianshou `gae_lambda`: 0.95).
    public var gaeLambda: Double
    /// Discount `γ` over the decisions of one architecture (NNI `discount_factor=1.`).
    public var discount: Double
    /// Weight of the value loss (tianshou `vf_coef`: 0.5).
    public var vfCoef: Double
    /// Weight of the entropy bonus (tianshou `ent_coef`: 0.01).
    public var entCoef: Double
    /// Normalize advantages per minibatch (tianshou `advantage_normalization`: true).
    public var normalizeAdvantage: Bool

    /// tianshou's / NNI's defaults, or the given values.
    public init(epsClip: Double = 0.2, epochs: Int = 5, minibatchSize: Int = 64, gaeLambda: Double = 0.95, discount: Double = 1,
                vfCoef: Double = 0.5, entCoef: Double = 0.01, normalizeAdvantage: Bool = true) {
        self.epsClip = epsClip; self.epochs = epochs; self.minibatchSize = minibatchSize; self.gaeLambda = gaeLambda
        self.discount = discount; self.vfCoef = vfCoef; self.entCoef = entCoef; self.normalizeAdvantage = normalizeAdvantage
    }
}

/// The PPO objective over episodes of `D` decisions whose only reward (the trial's metric) comes after the last one,
/// as NNI's `TuningEnvironment` gives it.
///
/// Per transition `(n, t)` with ratio `r = p_t(a_t) / p_old,t(a_t)`, advantage `A` and return `G`:
/// `loss = mean_{n,t} [ -min(r A, clip(r, 1-ε, 1+ε) A) + vf_coef (v_t - G)^2 - ent_coef H(p_t) ]` (tianshou's PPO
/// loss with the mean over transitions). ``terms(actions:heads:values:batch:settings:)`` also returns, for each row,
/// the constants that make the controller graph's surrogate `-mean_n u_n` have exactly this gradient:
/// `d/dθ min(r A, clip(r) A) = r A d log p_t(a_t)` where the unclipped term is the minimum (zero where the clipped
/// constant is), `dH = sum_k (-p_k log p_k) d log p_k`, `d (v - G)^2 = 2 (v - G) dv`; each is divided by `D` since
/// the graph averages over rows, not transitions.
public enum PPOLoss {
    /// The sampled data of one update: actions, `log p_old(a_t)`, advantages and returns per decision.
    public struct Batch: Equatable, Sendable {
        public var actions: [[Int]]
        public var oldLogProbabilities: [[Double]]
        public var advantages: [[Double]]
        public var returns: [[Double]]

        /// The batch, one row per architecture.
        public init(actions: [[Int]], oldLogProbabilities: [[Double]], advantages: [[Double]], returns: [[Double]]) {
            self.actions = actions; self.oldLogProbabilities = oldLogProbabilities
            self.advantages = advantages; self.returns = returns
        }

        /// The rows at `indices`.
        public func rows(_ indices: [Int]) -> Batch {
            Batch(actions: indices.map { actions[$0] }, oldLogProbabilities: indices.map { oldLogProbabilities[$0] },
                  advantages: indices.map { advantages[$0] }, returns: indices.map { returns[$0] })
        }
    }

    /// The loss, its parts, and the graph constants that reproduce its gradient.
    public struct Terms: Sendable {
        /// `clip + vf_coef * value - ent_coef * entropy`.
        public var loss: Double
        /// `-mean min(r A, clip(r) A)`.
        public var clip: Double
        /// `mean (v - G)^2`.
        public var value: Double
        /// `mean H(p_t)`.
        public var entropy: Double
        /// Fraction of transitions whose ratio lies outside `[1-ε, 1+ε]`.
        public var clipFraction: Double
        /// Per row, per decision, per choice: the factor of `log p_t(k)` in the graph's `u`.
        public var targets: [[[Double]]]
        /// Per row, per decision: the factor of `v_t` in the graph's `u`.
        public var valueCoefficients: [[Double]]
    }

    /// Generalized advantage estimation over one episode whose reward `reward` comes after its last decision:
    /// `δ_t = γ v_{t+1} - v_t` (`δ_{D-1} = reward - v_{D-1}`), `A_t = δ_t + γ λ A_{t+1}`, `G_t = A_t + v_t`.
    public static func gae(values: [Double], reward: Double, discount: Double, lambda: Double) -> (advantages: [Double], returns: [Double]) {
        var adv = [Double](repeating: 0, count: values.count)
        var next = 0.0
        for t in values.indices.reversed() {
            let delta = t == values.count - 1 ? reward - values[t] : discount * values[t + 1] - values[t]
            next = delta + discount * lambda * next
            adv[t] = next
        }
        return (adv, zip(adv, values).map { $0 + $1 })
    }

    /// `(a - mean) / (std + 1e-8)` with the sample (n-1) standard deviation, as tianshou; fewer than two values
    /// are only centred.
    public static func normalize(_ a: [Double]) -> [Double] {
        guard !a.isEmpty else { return a }
        let mean = a.reduce(0, +) / Double(a.count)
        guard a.count > 1 else { return a.map { $0 - mean } }
        let std = (a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(a.count - 1)).squareRoot()
        return a.map { ($0 - mean) / (std + 1e-8) }
    }

    /// The PPO loss of `batch` under the current policy (`heads[n][t]`, `values[n][t]` from one forward pass), with
    /// the advantages normalized over the batch when `settings.normalizeAdvantage`.
    public static func terms(heads: [[[Double]]], values: [[Double]], batch: Batch, settings: PPOSettings) -> Terms {
        let rows = batch.actions.count
        let d = batch.actions.first?.count ?? 1
        let flat = batch.advantages.flatMap { $0 }
        let normalized = settings.normalizeAdvantage ? normalize(flat) : flat
        let transitions = Double(max(1, rows * d))
        var clip = 0.0, value = 0.0, entropy = 0.0, clipped = 0
        var targets: [[[Double]]] = [], coefficients: [[Double]] = []
        for n in 0..<rows {
            var rowTargets: [[Double]] = [], rowCoefficients: [Double] = []
            for t in 0..<d {
                let p = heads[n][t], a = batch.actions[n][t]
                let adv = normalized[n * d + t]
                let ratio = exp(log(max(p[a], 1e-30)) - batch.oldLogProbabilities[n][t])
                let bounded = min(max(ratio, 1 - settings.epsClip), 1 + settings.epsClip)
                let surr1 = ratio * adv, surr2 = bounded * adv
                clip -= min(surr1, surr2)
                if bounded != ratio { clipped += 1 }
                // The unclipped term carries the gradient unless the (constant) clipped term is strictly smaller.
                let weight = surr2 < surr1 ? 0 : ratio * adv
                var h = 0.0
                var target = [Double](repeating: 0, count: p.count)
                for (k, q) in p.enumerated() where q > 0 {
                    let term = -q * log(q)
                    h += term
                    target[k] = settings.entCoef * term
                }
                target[a] += weight
                entropy += h
                let v = values.isEmpty ? 0 : values[n][t], g = batch.returns[n][t]
                value += (v - g) * (v - g)
                rowTargets.append(target.map { $0 / Double(d) })
                rowCoefficients.append(-2 * settings.vfCoef * (v - g) / Double(d))
            }
            targets.append(rowTargets)
            coefficients.append(rowCoefficients)
        }
        clip /= transitions; value /= transitions; entropy /= transitions
        return Terms(loss: clip + settings.vfCoef * value - settings.entCoef * entropy, clip: clip, value: value,
                     entropy: entropy, clipFraction: Double(clipped) / transitions, targets: targets,
                     valueCoefficients: coefficients)
    }
}
