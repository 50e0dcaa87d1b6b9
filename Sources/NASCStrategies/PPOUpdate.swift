// PPOUpdate: one PPO update of the RL controller on a batch of rewarded architectures (GAE, epochs of minibatch steps).
import Foundation
import NASCIR

/// nasc's PPO defaults where they differ from tianshou's / NNI's (see `docs/strategies.md`).
public enum PPODefaults {
    /// Adam learning rate (NNI: 1e-4 over 100 collects of 20 trials; tuned here for tens to hundreds of trials).
    public static let learningRate = 0.01
    /// Successful trials per update (NNI `trial_per_collect`: 20).
    public static let batchSize = 4
}

/// PPO's update as tianshou's `PPOPolicy.learn` with NNI's `policy.update(batch_size=64, repeat=5)`, on the
/// controller's executor.
public enum PPOUpdate {
    /// What an update did.
    public struct Statistics: Sendable, Equatable {
        /// PPO loss of the whole batch before the first step.
        public var lossBefore: Double
        /// Clip fraction and mean entropy of the last minibatch step.
        public var clipFraction: Double
        public var entropy: Double
        /// Adam steps taken.
        public var steps: Int
    }

    /// The advantages and returns of `rewards` under the controller's current value head, with `log p_old`.
    static func batch(controller: LSTMController, actions: [[Int]], rewards: [Double], settings: PPOSettings) throws
        -> (batch: PPOLoss.Batch, heads: [[[Double]]], values: [[Double]]) {
        let (heads, values) = try controller.evaluate(actions)
        var adv: [[Double]] = [], ret: [[Double]] = [], old: [[Double]] = []
        for n in actions.indices {
            let (a, g) = PPOLoss.gae(values: values[n], reward: rewards[n], discount: settings.discount, lambda: settings.gaeLambda)
            adv.append(a); ret.append(g)
            old.append(actions[n].enumerated().map { t, k in log(max(heads[n][t][k], 1e-30)) })
        }
        return (PPOLoss.Batch(actions: actions, oldLogProbabilities: old, advantages: adv, returns: ret), heads, values)
    }

    /// One update: GAE once from the values before the update (tianshou's default, no recomputation), then
    /// `epochs` passes over the batch in shuffled minibatches of `minibatchSize / D` architectures (at least one),
    /// one Adam step each.
    public static func run(controller: LSTMController, actions: [[Int]], rewards: [Double], settings: PPOSettings,
                           using rng: inout SplitMix64) throws -> Statistics {
        let (batch, heads, values) = try batch(controller: controller, actions: actions, rewards: rewards, settings: settings)
        let before = PPOLoss.terms(heads: heads, values: values, batch: batch, settings: settings).loss
        let d = max(1, controller.counts.count)
        let per = max(1, settings.minibatchSize / d)
        var stats = Statistics(lossBefore: before, clipFraction: 0, entropy: 0, steps: 0)
        for _ in 0..<settings.epochs {
            let order = rng.distinctIndices(actions.count, of: actions.count)
            for start in stride(from: 0, to: order.count, by: per) {
                let mini = batch.rows(Array(order[start..<min(start + per, order.count)]))
                let (h, v) = try controller.evaluate(mini.actions)
                let terms = PPOLoss.terms(heads: h, values: v, batch: mini, settings: settings)
                try controller.step(actions: mini.actions, targets: terms.targets, valueCoefficients: terms.valueCoefficients)
                stats.clipFraction = terms.clipFraction
                stats.entropy = terms.entropy
                stats.steps += 1
            }
        }
        return stats
    }
}
