// PolicyControllerTests: the LSTM controller on the executor — distributions, causality, autodiff gradients, learning.
import Foundation
import NASCIR
@testable import NASCStrategies
import Testing

@Suite struct PolicyControllerTests {
    @Test func headsAreDistributionsAndDependOnlyOnEarlierActions() throws {
        let c = try LSTMController(counts: [3, 1, 4, 2], config: ControllerConfig(hidden: 8), seed: 3)
        let d = try c.distributions(along: [2, 0, 1, 1])
        #expect(d.map(\.count) == [3, 1, 4, 2])
        for p in d {
            #expect(abs(p.reduce(0, +) - 1) < 1e-5)
            #expect(p.allSatisfy { $0 > 0 })
        }
        // Head 2 given the prefix [2, 0] is the same whatever comes later, and differs for another prefix.
        let alone = try c.distribution(after: [2, 0])
        let withFuture = try c.heads(fullRows: [[2, 0, 3, 1]])
        #expect(zip(alone, withFuture[0][2]).allSatisfy { abs($0 - $1) < 1e-6 })
        let other = try c.distribution(after: [1, 0])
        #expect(zip(alone, other).contains { abs($0 - $1) > 1e-6 })
        // tanh_constant 1.5 bounds every logit to [-1.5, 1.5], so no probability ratio exceeds e^3.
        for p in d where p.count > 1 { #expect(p.max()! / p.min()! <= exp(3.0) + 1e-3) }
    }

    @Test func surrogateLossIsMinusAdvantageTimesLogProbability() throws {
        let c = try LSTMController(counts: [3, 4, 2], config: ControllerConfig(hidden: 16), seed: 5)
        let a = [1, 3, 0], b = [2, 0, 1]
        let la = try c.logProbability(of: a), lb = try c.logProbability(of: b)
        let loss = try c.surrogateLoss(actions: [a, b], advantages: [0.5, -2])
        #expect(abs(loss - -(0.5 * la - 2 * lb) / 2) < 1e-5)
    }

    @Test func autodiffGradientsMatchFiniteDifferences() throws {
        let c = try LSTMController(counts: [3, 2, 4], config: ControllerConfig(hidden: 6, initRange: 0.5), seed: 9)
        let actions = [[1, 0, 3], [2, 1, 0], [0, 1, 2]], adv = [1.0, -0.5, 0.25]
        let (data, labels) = try c.batch(actions, adv)
        try c.executor.computeGradients(data: data, labels: labels, batch: 3)
        var checked = 0
        for name in ["embedding.0", "embedding.2", "lstm.w_x_i", "lstm.w_h_f", "lstm.w_h_g", "lstm.w_x_o", "soft.1", "soft.2"] {
            let grad = try #require(c.executor.gradient(of: name))
            let base = try #require(c.executor.parameter(name))
            for k in stride(from: 0, to: base.count, by: max(1, base.count / 5)) {
                let eps: Float = 1e-2
                var p = base
                p[k] = base[k] + eps
                try c.executor.setParameter(name, p)
                let up = try c.surrogateLoss(actions: actions, advantages: adv)
                p[k] = base[k] - eps
                try c.executor.setParameter(name, p)
                let down = try c.surrogateLoss(actions: actions, advantages: adv)
                try c.executor.setParameter(name, base)
                let numeric = (up - down) / (2 * Double(eps))
                #expect(abs(numeric - Double(grad[k])) < 2e-3 + 0.02 * abs(numeric), "\(name)[\(k)]: \(numeric) vs \(grad[k])")
                checked += 1
            }
        }
        #expect(checked >= 30)
    }

    @Test func reinforceRaisesTheProbabilityOfRewardedActions() throws {
        let c = try LSTMController(counts: [3, 3], config: ControllerConfig(hidden: 8, learningRate: 0.05), seed: 1)
        let before = try c.logProbability(of: [2, 1])
        for _ in 0..<5 { try c.reinforce(actions: [[2, 1], [0, 0]], advantages: [1, -1]) }
        let rewarded = try c.logProbability(of: [2, 1]), punished = try c.logProbability(of: [0, 0])
        #expect(rewarded > before + 0.1)
        #expect(punished < rewarded)
    }

    /// ENAS's controller with its defaults (entropy weight 1e-4, baseline decay 0.999, Adam lr 3.5e-4 -> here 3.5e-3
    /// so the test is short) learns a task whose best choice is known: reward = fraction of decisions equal to
    /// the target. Over 5 seeds the mean reward of fresh samples rises and greedy decoding finds the target.
    @Test func controllerImprovesItsRewardOnAKnownTask() throws {
        let counts = [4, 3, 5, 2], target = [3, 0, 2, 1]
        func reward(_ a: [Int]) -> Double { Double(zip(a, target).filter { $0 == $1 }.count) / Double(counts.count) }
        var gains: [Double] = [], found = 0
        for seed in UInt64(1)...5 {
            let c = try LSTMController(counts: counts, config: ControllerConfig(learningRate: 3.5e-3), seed: seed)
            var rng = SplitMix64(seed: seed)
            let start = try c.sample(count: 200, using: &rng).map { reward($0.actions) }.reduce(0, +) / 200
            var baseline = 0.0
            for _ in 0..<40 {
                let batch = try c.sample(count: 10, using: &rng)
                var adv: [Double] = []
                for s in batch {
                    let r = reward(s.actions) + 1e-4 * s.entropy
                    baseline = 0.999 * baseline + 0.001 * r
                    adv.append(r - baseline)
                }
                try c.reinforce(actions: batch.map(\.actions), advantages: adv)
            }
            let end = try c.sample(count: 200, using: &rng).map { reward($0.actions) }.reduce(0, +) / 200
            gains.append(end - start)
            if try c.argmax() == target { found += 1 }
        }
        print("controller: reward gains \(gains.map { ($0 * 1000).rounded() / 1000 }), argmax = target in \(found)/5")
        #expect(gains.allSatisfy { $0 > 0.1 })
        #expect(found >= 4)
    }

    @Test func badInputsAreDiagnosed() throws {
        #expect(diagnosticText { _ = try LSTMController(counts: [], seed: 1) }.contains("at least one decision"))
        #expect(diagnosticText { _ = try LSTMController(counts: [2, 0], seed: 1) }.contains("1 to 4096 choices, got 0"))
        let c = try LSTMController(counts: [2, 3], config: ControllerConfig(hidden: 4), seed: 1)
        #expect(diagnosticText { _ = try c.logProbability(of: [0, 3]) }.contains("action 3 of decision 1 is out of range"))
        #expect(diagnosticText { _ = try c.reinforce(actions: [[0, 1]], advantages: []) }.contains("one advantage per sample"))
        #expect(diagnosticText { _ = try c.reinforce(actions: [[0, 1]], advantages: [.nan]) }.contains("must be finite"))
        #expect(diagnosticText { _ = try c.distribution(after: [0, 1]) }.contains("leaves none"))
    }
}
