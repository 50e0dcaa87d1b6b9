// CDARTSTests: cyclic DARTS — the joint loss and its output gradients, the skip penalty's decay, the evaluation
// network rebuilt from alpha, distillation reaching the alphas, a bad space, and save/restore.
import Foundation
import NASCIR
import NASCPasses
@testable import NASCStrategies
import Testing

@Suite struct CDARTSTests {
    /// A hand-computed row: n = 1, c = 2, zs = (0, 0), ze = (2, 0), label 0, loss_alpha 2, T = 2.
    /// p_s = (1/2, 1/2), p_e = (e^2, 1) / (e^2 + 1); q_s = (1/2, 1/2), q_e = softmax(1, 0) = (e, 1) / (e + 1).
    /// CE = (ln 2 - ln p_e0) / 2; KL(q_e || q_s) = sum q_e ln(2 q_e), scaled by 2 * 4 / (1 * 2) = 4 (NNI's mean over n * c).
    @Test func jointLossMatchesAHandComputedRow() {
        let j = CDARTSSearch.jointTerms(zs: [0, 0], ze: [2, 0], labels: [0], classes: 2, lossAlpha: 2, temperature: 2)
        let e = exp(1.0), pe0 = exp(2.0) / (exp(2.0) + 1), qe = [e / (e + 1), 1 / (e + 1)]
        #expect(abs(j.classification - (log(2.0) - log(pe0)) / 2) < 1e-12)
        let kl = qe.reduce(0.0) { $0 + $1 * log(2 * $1) }
        #expect(abs(j.distillation - 4 * kl) < 1e-12)
        // d/dzs_0 = (p_s0 - 1) / 2 + 4 * (q_s0 - q_e0) / 2.
        #expect(abs(Double(j.gradSearch[0]) - ((0.5 - 1) / 2 + 2 * (0.5 - qe[0]))) < 1e-6)
    }

    /// Both output gradients are the derivatives of `classification + distillation` (central differences).
    @Test func outputGradientsAreTheDerivativesOfTheJointLoss() {
        var g = SplitMix64(seed: 3)
        let n = 3, c = 4
        let zs = (0..<(n * c)).map { _ in Float(g.uniformDouble() * 4 - 2) }, ze = (0..<(n * c)).map { _ in Float(g.uniformDouble() * 4 - 2) }
        let labels: [Int64] = [0, 3, 1]
        func loss(_ a: [Float], _ b: [Float]) -> Double {
            let j = CDARTSSearch.jointTerms(zs: a, ze: b, labels: labels, classes: c, lossAlpha: 2, temperature: 2)
            return j.classification + j.distillation
        }
        let j = CDARTSSearch.jointTerms(zs: zs, ze: ze, labels: labels, classes: c, lossAlpha: 2, temperature: 2)
        for k in 0..<(n * c) {
            let h: Float = 1e-2
            var up = zs, down = zs
            up[k] += h; down[k] -= h
            let ds = (loss(up, ze) - loss(down, ze)) / Double(2 * h)
            #expect(abs(ds - Double(j.gradSearch[k])) < 1e-4, "search \(k)")
            up = ze; down = ze
            up[k] += h; down[k] -= h
            let de = (loss(zs, up) - loss(zs, down)) / Double(2 * h)
            #expect(abs(de - Double(j.gradEval[k])) < 1e-4, "eval \(k)")
        }
    }

    @Test func skipPenaltyDecaysAsNNI() {
        var c = CDARTSConfig()
        c.epochs = 10; c.warmupEpochs = 2; c.regularCoeff = 5; c.regularRatio = 0.2
        // (epochs - warmup) * ratio = 1.6 epochs: 5 at the first cycle epoch, 5 * (1 - 1 / 1.6) next, then 0.
        #expect(c.regularDecay(epoch: 2) == 5)
        #expect(abs(c.regularDecay(epoch: 3) - 1.875) < 1e-12)
        #expect(c.regularDecay(epoch: 4) == 0)
    }

    @Test func aSpaceWithoutChoicesIsRejected() throws {
        let fixed = try TextIR.parse("""
        space "fixed" version 1 root @main

        graph @main(%x: f32[N,1,6,6]) {
          %f = flatten(%x)
          %o = linear(%f) {out = 2}
          return %o
        }
        """, file: "fixed.nir")
        #expect(diagnosticText { _ = try CDARTSSearch(space: fixed) }
            .contains("cdarts needs a space with at least one choice of two or more candidates"))
    }

    /// The export, which is also the next evaluation network, never picks `none` (a zero candidate), even when its
    /// alpha leads: the best other candidate is taken, as the paper's genotype parse does.
    @Test func theExportNeverPicksAZeroCandidate() throws {
        let space = try TextIR.parse("""
        space "zero" version 1 root @main

        graph @main(%x: f32[N,1,6,6]) {
          %s = conv2d(%x) {out = 2, kernel = 1}
          %a = layer_choice(%s) {label = "a", candidates = [none = @none, conv = @conv, skip = @skip]}
          %f = flatten(%a)
          %o = linear(%f) {out = 2}
          return %o
        }

        graph @none(%x: f32[N,2,6,6]) {
          %z = zero(%x)
          return %z
        }

        graph @conv(%x: f32[N,2,6,6]) {
          %y = conv2d(%x) {out = 2, kernel = 1}
          return %y
        }

        graph @skip(%x: f32[N,2,6,6]) {
          return %x
        }
        """, file: "zero.nir")
        let c = try CDARTSSearch(space: space, config: Self.config())
        let slot = try #require(c.search.executor.controlSlots(.architecture).first { $0.control?.label == "a" })
        try c.search.executor.setParameter(slot.name, [3, 0, 1])
        let p = try #require(c.probabilities()["a"])
        #expect(p[0] > p[1] && p[0] > p[2])
        #expect(try c.export()["a"] == .candidate("skip"))
        try c.search.executor.setParameter(slot.name, [3, 1, 0])
        #expect(try c.export()["a"] == .candidate("conv"))
        // The search network's plain argmax (DARTS's, as in NNI) still picks none.
        #expect(try c.search.export()["a"] == .candidate("none"))
    }

    static func config() -> CDARTSConfig {
        var c = CDARTSConfig()
        c.epochs = 3; c.warmupEpochs = 1; c.batchSize = 16; c.maxBatchesPerEpoch = 2; c.archLR = 0.05; c.seed = 5
        return c
    }

    /// The evaluation network is the argmax subnet, the distillation reaches the alphas, and a search restored from
    /// the state after epoch 2 ends exactly as the uninterrupted one.
    @Test func cyclesBuildTheEvaluationNetworkAndRestoreExactly() throws {
        let space = try OneShotFixtures.tinySpace()
        let data = try OneShotFixtures.data(seed: 1)
        let halves = try data.split(validation: .fraction(0.5), seed: 1)
        let a = try CDARTSSearch(space: space, config: Self.config())
        var logs: [OneShotEpochLog] = [], saved: OneShotSearchState?
        let before = a.probabilities()
        a.epochEnded = { [unowned a] e in if e == 2 { saved = try a.saveState() } }
        let arch = try a.run(train: halves.train, valid: halves.validation) { logs.append($0) }
        #expect(logs.count == 3)
        #expect(logs[0].extra["distillation_loss"] == nil && logs[1].extra["distillation_loss"] != nil)
        #expect(logs[2].extra["eval_valid_accuracy"] != nil)
        #expect(a.probabilities() != before)
        let e = try #require(a.evaluation)
        // The evaluation network is the subnet of the architecture it was built for: no control parameters.
        #expect(e.plan.slots.allSatisfy { $0.control == nil } && !e.parameterNames.isEmpty)
        #expect(a.evaluationArchitecture != nil)
        try a.search.searchSpace.validate(arch)

        let b = try CDARTSSearch(space: space, config: Self.config())
        try b.restore(try #require(saved))
        var rest: [OneShotEpochLog] = []
        let arch2 = try b.run(train: halves.train, valid: halves.validation) { rest.append($0) }
        #expect(rest.map(\.epoch) == [2])
        #expect(rest[0] == logs[2])
        #expect(arch2 == arch)
    }
}
