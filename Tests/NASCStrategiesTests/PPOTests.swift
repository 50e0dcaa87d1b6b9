// PPOTests: the `rl` strategy's PPO — GAE and the clipped loss by hand, autodiff gradients of the loss, options, learning.
import Foundation
import NASCIR
@testable import NASCStrategies
import Testing

@Suite struct PPOTests {
    @Test func gaeMatchesAHandComputedEpisode() {
        // values 0.2, 0.5, 0.4; reward 1 after the last decision.
        // γ = 1, λ = 0.95: δ = 0.3, -0.1, 0.6; A_2 = 0.6, A_1 = -0.1 + 0.95 * 0.6 = 0.47, A_0 = 0.3 + 0.95 * 0.47 = 0.7465.
        let (a, g) = PPOLoss.gae(values: [0.2, 0.5, 0.4], reward: 1, discount: 1, lambda: 0.95)
        for (x, y) in zip(a, [0.7465, 0.47, 0.6]) { #expect(abs(x - y) < 1e-12) }
        for (x, y) in zip(g, [0.9465, 0.97, 1.0]) { #expect(abs(x - y) < 1e-12) }
        // γ = 0.9, λ = 0.5: δ = 0.25, -0.14, 0.6; A = 0.25 + 0.45 * 0.13, -0.14 + 0.45 * 0.6, 0.6.
        let (b, _) = PPOLoss.gae(values: [0.2, 0.5, 0.4], reward: 1, discount: 0.9, lambda: 0.5)
        for (x, y) in zip(b, [0.3085, 0.13, 0.6]) { #expect(abs(x - y) < 1e-12) }
        // λ = 0: one-step TD errors; λ = 1, γ = 1: reward minus value (Monte Carlo).
        #expect(PPOLoss.gae(values: [0.2, 0.5, 0.4], reward: 1, discount: 1, lambda: 0).advantages.map { ($0 * 1e9).rounded() / 1e9 } == [0.3, -0.1, 0.6])
        #expect(PPOLoss.gae(values: [0.2, 0.5, 0.4], reward: 1, discount: 1, lambda: 1).advantages.map { ($0 * 1e9).rounded() / 1e9 } == [0.8, 0.5, 0.6])
    }

    @Test func clippedLossMatchesAHandComputedExample() {
        // One decision of two choices, three transitions, ε = 0.2, no advantage normalization:
        //  row 0: p = (0.5, 0.5), a = 0, p_old = 0.25 -> r = 2,   A = 1:  min(2, 1.2) = 1.2     (clipped, no gradient)
        //  row 1: p = (0.9, 0.1), a = 0, p_old = 1    -> r = 0.9, A = -2: min(-1.8, -1.8) = -1.8 (inside the clip range)
        //  row 2: p = (0.5, 0.5), a = 0, p_old = 0.25 -> r = 2,   A = -1: min(-2, -1.2) = -2     (outside, but the minimum)
        // clip loss = -(1.2 - 1.8 - 2) / 3 = 0.866667; value loss = mean((0.3-1)^2, (0.1-0)^2, (0-0.5)^2) = 0.25;
        // entropy = (ln 2 + 0.325083 + ln 2) / 3 = 0.570459; loss = 0.866667 + 0.5 * 0.25 - 0.01 * 0.570459.
        let heads: [[[Double]]] = [[[0.5, 0.5]], [[0.9, 0.1]], [[0.5, 0.5]]]
        let batch = PPOLoss.Batch(actions: [[0], [0], [0]], oldLogProbabilities: [[log(0.25)], [0], [log(0.25)]],
                                  advantages: [[1], [-2], [-1]], returns: [[1], [0], [0.5]])
        let t = PPOLoss.terms(heads: heads, values: [[0.3], [0.1], [0]], batch: batch,
                              settings: PPOSettings(normalizeAdvantage: false))
        let h09 = -(0.9 * log(0.9) + 0.1 * log(0.1))
        #expect(abs(h09 - 0.325083) < 1e-6)
        #expect(abs(t.clip - 2.6 / 3) < 1e-12)
        #expect(abs(t.value - 0.25) < 1e-12)
        #expect(abs(t.entropy - (2 * log(2.0) + h09) / 3) < 1e-12)
        #expect(abs(t.loss - (2.6 / 3 + 0.125 - 0.01 * (2 * log(2.0) + h09) / 3)) < 1e-12)
        #expect(abs(t.loss - 0.985962) < 1e-6)
        #expect(abs(t.clipFraction - 2.0 / 3) < 1e-12)
        // Gradient constants: the chosen action's weight is r A where the unclipped term is the minimum, 0 where
        // the constant clipped term is; every choice gets ent_coef * (-p log p); value coefficients -2 vf (v - G).
        let e = 0.01 * 0.5 * log(2.0)
        #expect(abs(t.targets[0][0][0] - e) < 1e-12 && abs(t.targets[0][0][1] - e) < 1e-12)
        #expect(abs(t.targets[1][0][0] - (0.9 * -2 - 0.01 * 0.9 * log(0.9))) < 1e-12)
        #expect(abs(t.targets[2][0][0] - (-2 + e)) < 1e-12)
        for (c, y) in zip(t.valueCoefficients.map { $0[0] }, [0.7, -0.1, 0.5]) { #expect(abs(c - y) < 1e-12) }
    }

    @Test func advantagesAreNormalizedWithTheSampleStandardDeviation() {
        // mean 2.5, sample sd sqrt(5/3).
        let n = PPOLoss.normalize([1, 2, 3, 4])
        #expect(abs(n[0] - -1.5 / (5.0 / 3).squareRoot()) < 1e-7)
        #expect(PPOLoss.normalize([3]) == [0])
    }

    /// The executor's gradient of the graph surrogate with the constants of ``PPOLoss/terms`` is the gradient of the
    /// PPO loss itself (central differences of the loss computed from forward passes), value head included.
    @Test func autodiffGradientIsTheGradientOfThePPOLoss() throws {
        let c = try LSTMController(counts: [3, 2, 4], config: ControllerConfig(hidden: 6, initRange: 0.5), valueHead: true, seed: 9)
        let actions = [[1, 0, 3], [2, 1, 0], [0, 1, 2], [1, 1, 1]]
        let settings = PPOSettings(epsClip: 0.1, vfCoef: 0.7, entCoef: 0.05)
        // Old log-probabilities from a perturbed policy so that some ratios fall outside the clip range.
        var rng = SplitMix64(seed: 4)
        let (heads0, values0) = try c.evaluate(actions)
        let old = actions.indices.map { n in actions[n].indices.map { t in log(heads0[n][t][actions[n][t]]) + (rng.uniformDouble() - 0.5) * 0.6 } }
        let batch = PPOLoss.Batch(actions: actions, oldLogProbabilities: old,
                                  advantages: actions.indices.map { n in (0..<3).map { t in Double(n) - 1.5 + Double(t) * 0.3 } },
                                  returns: values0.map { $0.map { $0 + 0.4 } })
        func loss() throws -> Double {
            let (h, v) = try c.evaluate(actions)
            return PPOLoss.terms(heads: h, values: v, batch: batch, settings: settings).loss
        }
        let (h, v) = try c.evaluate(actions)
        let terms = PPOLoss.terms(heads: h, values: v, batch: batch, settings: settings)
        #expect(terms.clipFraction > 0 && terms.clipFraction < 1)
        var data: [Float] = []
        for n in actions.indices { data += c.graph.row(actions: actions[n], targets: terms.targets[n], valueCoefficients: terms.valueCoefficients[n]) }
        try c.executor.computeGradients(data: data, labels: [Int64](repeating: 0, count: actions.count), batch: actions.count)
        var checked = 0
        for name in ["embedding.0", "embedding.2", "lstm.w_x_i", "lstm.w_h_f", "lstm.w_h_g", "soft.1", "soft.2", "value.w", "value.b"] {
            let grad = try #require(c.executor.gradient(of: name))
            let base = try #require(c.executor.parameter(name))
            for k in stride(from: 0, to: base.count, by: max(1, base.count / 4)) {
                let eps: Float = 1e-3
                var p = base
                p[k] = base[k] + eps
                try c.executor.setParameter(name, p)
                let up = try loss()
                p[k] = base[k] - eps
                try c.executor.setParameter(name, p)
                let down = try loss()
                try c.executor.setParameter(name, base)
                let numeric = (up - down) / (2 * Double(eps))
                #expect(abs(numeric - Double(grad[k])) < 2e-3 + 0.03 * abs(numeric), "\(name)[\(k)]: \(numeric) vs \(grad[k])")
                checked += 1
            }
        }
        #expect(checked >= 30)
    }

    @Test func optionsAndTheirErrors() throws {
        let space = SyntheticLandscape.benchmarkSpace
        let s = try #require(try Strategies.make(name: "rl", space: space, seed: 1, options: ["algorithm": "ppo"]) as? PolicyBasedRL)
        #expect(s.config == PolicyBasedRL.Config.ppoDefaults)
        #expect(s.config.ppo == PPOSettings(epsClip: 0.2, epochs: 5, minibatchSize: 64, gaeLambda: 0.95, discount: 1,
                                            vfCoef: 0.5, entCoef: 0.01, normalizeAdvantage: true))
        #expect(s.config.algorithm == "ppo" && s.controller.config.gradClip == nil)
        let given = try #require(try Strategies.make(name: "rl", space: space, seed: 1, options: [
            "algorithm": "PPO", "eps_clip": "0.1", "epochs": "3", "minibatch_size": "10", "gae_lambda": "0.9", "discount": "0.99",
            "vf_coef": "1", "ent_coef": "0", "norm_adv": "false", "lr": "0.002", "batch_size": "20", "grad_clip": "0.5",
        ]) as? PolicyBasedRL)
        #expect(given.config.ppo == PPOSettings(epsClip: 0.1, epochs: 3, minibatchSize: 10, gaeLambda: 0.9, discount: 0.99,
                                                vfCoef: 1, entCoef: 0, normalizeAdvantage: false))
        #expect(given.config.learningRate == 0.002 && given.config.batchSize == 20 && given.config.gradClip == 0.5)
        // Every option round-trips through the effective settings.
        #expect(try PolicyBasedRL.Config(options: given.config.options) == given.config)
        #expect(try PolicyBasedRL.Config(options: PolicyBasedRL.Config().options) == PolicyBasedRL.Config())
        func error(_ o: [String: String]) -> String { diagnosticText { _ = try Strategies.make(name: "rl", space: space, seed: 1, options: o) } }
        #expect(error(["algorithm": "ppo", "eps_clip": "0"]) == "error: option 'eps_clip' of strategy 'rl' must be a number in [1e-06, 10.0], got '0'")
        #expect(error(["algorithm": "ppo", "epochs": "0"]).contains("option 'epochs' of strategy 'rl' must be an integer in [1, 1000], got '0'"))
        #expect(error(["algorithm": "ppo", "gae_lambda": "1.5"]).contains("option 'gae_lambda' of strategy 'rl' must be a number in [0.0, 1.0]"))
        #expect(error(["algorithm": "ppo", "discount": "-1"]).contains("option 'discount'"))
        #expect(error(["algorithm": "ppo", "minibatch_size": "x"]).contains("option 'minibatch_size' of strategy 'rl' must be an integer"))
        #expect(error(["algorithm": "ppo", "vf_coef": "nan"]).contains("option 'vf_coef' of strategy 'rl' must be a number"))
        #expect(error(["algorithm": "ppo", "ent_coef": "-0.1"]).contains("option 'ent_coef'"))
        #expect(error(["algorithm": "ppo", "norm_adv": "maybe"]).contains("option 'norm_adv' of strategy 'rl' must be true or false"))
        #expect(error(["algorithm": "a2c"]).contains("option 'algorithm' of strategy 'rl' must be one of reinforce, ppo, got 'a2c'"))
        #expect(error(["algorithm": "ppo", "baseline_decay": "0.9"]) == "error: option 'baseline_decay' of strategy 'rl' applies to algorithm=reinforce only")
        #expect(error(["eps_clip": "0.3"]) == "error: option 'eps_clip' of strategy 'rl' applies to algorithm=ppo only")
    }

    @Test func updatesRunEpochsOfMinibatchStepsAndSaveTheirState() throws {
        let space = uniformSpace(decisions: 3, values: 4)
        // 6 architectures of 3 decisions, minibatches of 6 / 3 = 2 architectures: 3 steps per epoch, 2 epochs.
        let s = try PolicyBasedRL(space: space, seed: 2, config: try PolicyBasedRL.Config(options: [
            "algorithm": "ppo", "batch_size": "6", "epochs": "2", "minibatch_size": "6",
        ]))
        let before = try s.controller.logProbability(of: [0, 0, 0])
        let archs = try s.ask(count: 7)
        try s.tell(archs[0], outcome: .failed(reason: "crash"))
        for (i, a) in archs[1...].enumerated() { try s.tell(a, outcome: .succeeded(metric: 0.1 * Double(i))) }
        #expect(s.updates == 1)
        #expect(s.lastUpdate?.steps == 6)
        #expect(s.controller.executor.checkpoint().updatesTaken == 6)
        #expect(try s.controller.logProbability(of: [0, 0, 0]) != before)
        try space.validate(try s.bestGuess())
    }

    /// PPO with its defaults (but a learning rate for a short test) learns a task whose best choice is known:
    /// reward = fraction of decisions equal to the target. Over 3 seeds the mean reward of fresh samples rises.
    @Test func ppoImprovesItsRewardOnAKnownTask() throws {
        let counts = [4, 3, 5, 2], target = [3, 0, 2, 1]
        func reward(_ a: [Int]) -> Double { Double(zip(a, target).filter { $0 == $1 }.count) / Double(counts.count) }
        var gains: [Double] = []
        for seed in UInt64(1)...3 {
            let c = try LSTMController(counts: counts, config: ControllerConfig(learningRate: 0.01, gradClip: nil), valueHead: true, seed: seed)
            var rng = SplitMix64(seed: seed)
            let start = try c.sample(count: 200, using: &rng).map { reward($0.actions) }.reduce(0, +) / 200
            for _ in 0..<10 {
                let batch = try c.sample(count: 8, using: &rng).map(\.actions)
                _ = try PPOUpdate.run(controller: c, actions: batch, rewards: batch.map(reward), settings: PPOSettings(), using: &rng)
            }
            let end = try c.sample(count: 200, using: &rng).map { reward($0.actions) }.reduce(0, +) / 200
            gains.append(end - start)
        }
        print("ppo: reward gains \(gains.map { ($0 * 1000).rounded() / 1000 })")
        #expect(gains.allSatisfy { $0 > 0.1 })
    }
}
