// TPETests: the TPE split and weights follow NNI, and after startup TPE concentrates on the good region.
import Foundation
import NASCIR
@testable import NASCStrategies
import Testing

@Suite struct TPETests {
    @Test func defaultsAreNNIs() throws {
        let c = try TPE.Config()
        #expect(c.nStartupJobs == 20 && c.nEICandidates == 24 && c.gamma == 0.25)
        #expect(c.priorWeight == 1.0 && c.linearForgetting == 25 && c.constantLiar == .best && c.dedup)
    }

    @Test func goodSetSizeIsCeilGammaSqrtNCappedByLinearForgetting() {
        func goodCount(_ n: Int) -> Int { TPE.split((0..<n).map { Double($0) }, gamma: 0.25, cap: 25).good.count }
        #expect(goodCount(1) == 1)
        #expect(goodCount(16) == 1)    // ceil(0.25 * 4) = 1
        #expect(goodCount(17) == 2)    // ceil(0.25 * 4.12) = 2
        #expect(goodCount(100) == 3)   // ceil(2.5) = 3
        #expect(goodCount(10_000) == 25)
        #expect(goodCount(20_000) == 25)  // capped
        // The good records are the lowest losses, kept in trial order; ties go to the earlier trial.
        let s = TPE.split([5, 1, 3, 1, 9, 0, 7, 2, 8, 6, 4, 3, 2, 1, 0, 5, 6, 7, 8, 9], gamma: 0.5, cap: 25)
        #expect(s.good == [1, 5, 14])  // ceil(0.5 * sqrt(20)) = 3: losses 0 (5), 0 (14), 1 (1)
        #expect(s.bad.count == 17)
    }

    @Test func linearForgettingWeights() {
        #expect(TPE.forgettingWeights(3, 25) == [1, 1, 1])
        let w = TPE.forgettingWeights(30, 25)
        #expect(w.count == 30)
        #expect(abs(w[0] - 1.0 / 30) < 1e-12)
        #expect(w[4] == 1 && w[29] == 1)
        #expect(zip(w, w.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func parzenEstimatorHasPriorSmoothing() {
        let p = TPE.Parzen(ranks: [2, 2, 0], weights: [1, 1, 1], prior: 1, valueCount: 4)
        // (count + prior) / (3 + 4): rank 2 -> 3/7, rank 0 -> 2/7, ranks 1 and 3 -> 1/7.
        #expect(abs(p.logProbability(2) - log(3.0 / 7)) < 1e-12)
        #expect(abs(p.logProbability(1) - log(1.0 / 7)) < 1e-12)
        var rng = SplitMix64(seed: 1)
        var counts = [Int](repeating: 0, count: 4)
        for _ in 0..<7000 { counts[Int(p.sample(count: 4, using: &rng))] += 1 }
        #expect((2700...3300).contains(counts[2]) && (1700...2300).contains(counts[0]))
        #expect((800...1200).contains(counts[1]) && (800...1200).contains(counts[3]))
    }

    @Test func startupProposalsAreRandom() throws {
        // Before 20 results the metric is ignored: TPE's first proposals equal those of a TPE told nothing useful.
        let space = uniformSpace(decisions: 3, values: 10)
        var a = try TPE(space: space, seed: 6)
        var b = try TPE(space: space, seed: 6)
        for i in 0..<20 {
            let pa = try a.ask(count: 1), pb = try b.ask(count: 1)
            #expect(pa == pb)
            try a.tell(pa[0], outcome: .succeeded(metric: Double(i)))
            try b.tell(pb[0], outcome: .succeeded(metric: Double(-i)))
        }
    }

    @Test func afterStartupProposesTheGoodRegionMoreOftenThanChance() throws {
        // 4 decisions of 8 values; only decision d1 matters: the metric is 1 when d1 is v5 (chance: 1/8).
        let space = uniformSpace(decisions: 4, values: 8)
        for seed in UInt64(1)...3 {
            var s = try TPE(space: space, seed: seed)
            var hits = 0
            for trial in 0..<80 {
                let a = try #require(try s.ask(count: 1).first)
                let good = a["d1"] == .candidate("v5")
                if trial >= 20, good { hits += 1 }
                try s.tell(a, outcome: .succeeded(metric: good ? 1 : 0))
            }
            // 60 model-based proposals; chance gives 7.5 (standard deviation 2.6). Not much more: good metrics
            // beyond the ceil(gamma * sqrt(N)) best records count as "bad", which raises g(v5) too.
            #expect(hits >= 16, "seed \(seed): \(hits) of 60 proposals in the good region")
        }
    }

    @Test func constantLiarSpreadsABatch() throws {
        // With the liar, a batch after startup sees its own earlier members as results and still never repeats.
        let space = uniformSpace(decisions: 3, values: 5)
        var s = try TPE(space: space, seed: 2)
        for a in try s.ask(count: 20) { try s.tell(a, outcome: .succeeded(metric: a["d0"] == .candidate("v1") ? 1 : 0)) }
        let batch = try s.ask(count: 30)
        #expect(batch.count == 30 && Set(batch).count == 30)
    }

    @Test func failedTrialsAreLeftOutOfTheModel() throws {
        // Telling failures only: TPE keeps proposing random (new) architectures.
        var s = try TPE(space: uniformSpace(decisions: 2, values: 6), seed: 4)
        var all: [Architecture] = []
        while !s.isExhausted {
            let a = try #require(try s.ask(count: 1).first)
            try s.tell(a, outcome: .failed(reason: "diverged"))
            all.append(a)
        }
        #expect(all.count == 36 && Set(all).count == 36)
    }

    @Test func rejectsBadConfigurations() {
        #expect(diagnosticText { _ = try TPE.Config(gamma: 0) }.contains("gamma must be in (0, 1]"))
        #expect(diagnosticText { _ = try TPE.Config(nEICandidates: 0) }.contains("n_ei_candidates"))
        #expect(diagnosticText { _ = try TPE.Config(priorWeight: -1) }.contains("prior_weight"))
        #expect(diagnosticText { _ = try TPE.Config(linearForgetting: 0) }.contains("linear_forgetting"))
    }
}
