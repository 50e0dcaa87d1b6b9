// StrategyComparisonTests: random search's closed-form expected regret, by hand and against simulation; picks and intervals.
import Foundation
import NASCIR
import NASCStrategies
import Testing
@testable import NASCExperiment

/// A table given as arrays over a one- or two-decision space.
struct ArrayTable: BenchmarkTable {
    let space: SearchSpace
    let metrics: [Double]
    let tests: [Double]
    var curves: [[Double]]? = nil
    func entry(_ a: Architecture) throws -> BenchmarkEntry {
        let i = Int(space.index(of: a)!)
        return BenchmarkEntry(metric: metrics[i], curve: curves?[i], test: tests[i])
    }
    func score(_ a: Architecture) throws -> Double { try entry(a).metric }
}

@Suite struct StrategyComparisonTests {
    static func space(_ counts: [Int]) -> SearchSpace {
        SearchSpace(decisions: counts.enumerated().map { d, n in
            Decision(label: "d\(d)", kind: .layerChoice(candidates: (0..<n).map { "v\($0)" }))
        })
    }

    @Test func closedFormMatchesAHandWorkedExample() throws {
        // Metrics 0.9, 0.8, 0.8, 0.5 (a tie), tests 0.7, 0.9, 0.6, 0.5; budget 2 of 4. The pick is architecture 0
        // whenever it is sampled (probability 1/2, test 0.7); otherwise one of the tied pair is in the sample (1/2),
        // each equally likely to be the pick (mean test 0.75). Expected test 0.725, regret 0.9 - 0.725 = 0.175,
        // which is also the mean over the 6 equally likely samples (0.7 x 3, 0.75, 0.9, 0.6).
        let space = Self.space([4])
        let c = try StrategyComparison(space: space, table: ArrayTable(space: space, metrics: [0.9, 0.8, 0.8, 0.5], tests: [0.7, 0.9, 0.6, 0.5]))
        #expect(abs(c.randomRegret(budget: 2) - 0.175) < 1e-12)
        #expect(abs(c.randomRegret(budget: 1) - (0.9 - (0.7 + 0.9 + 0.6 + 0.5) / 4)) < 1e-12)
        // With every architecture tried the pick is the best metric's: regret 0.9 - 0.7.
        #expect(abs(c.randomRegret(budget: 4) - 0.2) < 1e-12)
        #expect(abs(c.randomRegret(budget: 99) - 0.2) < 1e-12)
    }

    @Test func closedFormMatchesSimulatedRandomSearch() throws {
        // 36 architectures, metrics with ties (rounded to 0.05), tests unrelated to the ties' order.
        let space = Self.space([6, 6])
        var rng = SplitMix64(seed: 11)
        let raw = (0..<36).map { _ in Double.random(in: 0..<1, using: &rng) }
        let metrics = raw.map { ($0 * 20).rounded() / 20 }
        let tests = raw.map { 0.5 * $0 + 0.5 * Double.random(in: 0..<1, using: &rng) }
        let c = try StrategyComparison(space: space, table: ArrayTable(space: space, metrics: metrics, tests: tests))
        #expect(Set(metrics).count < metrics.count)  // there are ties
        for budget in [1, 5, 12] {
            let regrets = try (1...3000).map { try c.run("random", budget: budget, seed: UInt64($0)).regret }
            let e = StrategyComparison.estimate(regrets)
            let exact = c.randomRegret(budget: budget)
            let se = (e.high - e.mean) / 1.96
            #expect(abs(e.mean - exact) < 4 * se + 1e-12, "budget \(budget): simulated \(e.mean) +- \(se), exact \(exact)")
        }
    }

    @Test func runsPickTheBestMetricEarliestOnTies() throws {
        let space = Self.space([4])
        let c = try StrategyComparison(space: space, table: ArrayTable(space: space, metrics: [0.5, 0.8, 0.8, 0.1], tests: [0.5, 0.6, 0.9, 0.1]))
        let grid = try c.run("grid", options: ["shuffle": "false"], budget: 4, seed: 1)
        #expect(grid.trials == [0, 1, 2, 3] && grid.pick == 1)
        #expect(abs(grid.regret - 0.3) < 1e-12)
        #expect(try c.run("grid", budget: 10, seed: 1).trials.count == 4)   // exhausted after the space
    }

    @Test func simulatedEarlyStoppingSavesEpochsAndCanCostRegret() throws {
        // Grid in order over 4 architectures with 3-epoch curves; ASHA, reduction factor 2, rungs at epochs 1 and 2.
        // Trial 1 completes (0.7). Trial 2: 0.4 < median 0.5 of [0.5] at rung 1, stopped (1 epoch). Trial 3: 0.6 >=
        // 0.45 at rung 1, 0.7 >= 0.6 at rung 2, completes (0.8). Trial 4: 0.3 < 0.5 (median of 0.5, 0.4, 0.6), stopped.
        // 8 epochs instead of 12; the pick is architecture 2 (0.8), not architecture 1 (0.9, stopped at 0.4): regret 0.1.
        let space = Self.space([4])
        let curves = [[0.5, 0.6, 0.7], [0.4, 0.5, 0.9], [0.6, 0.7, 0.8], [0.3, 0.35, 0.4]]
        let finals = curves.map { $0[2] }
        let c = try StrategyComparison(space: space, table: ArrayTable(space: space, metrics: finals, tests: finals, curves: curves))
        let asha = EarlyStopSpec(name: "asha", options: ["reduction_factor": "2"])
        let stopped = try c.run("grid", options: ["shuffle": "false"], budget: 4, seed: 1, earlyStop: asha)
        #expect(stopped.epochs == 8 && stopped.stopped == 2 && stopped.pick == 2)
        #expect(abs(stopped.regret - 0.1) < 1e-12)
        let full = try c.run("grid", options: ["shuffle": "false"], budget: 4, seed: 1)
        #expect(full.epochs == 12 && full.stopped == 0 && full.pick == 1 && full.regret == 0)
    }

    @Test func intervalsUseStudentT() {
        let e = StrategyComparison.estimate([1, 2, 3, 4])
        #expect(e.mean == 2.5 && e.count == 4)
        // sd = 1.2910, se = 0.6455, t(3) = 3.182.
        #expect(abs(e.high - 2.5 - 3.182 * (1.6666666666666667 / 4).squareRoot()) < 1e-9)
        #expect(abs(StrategyComparison.tQuantile975(df: 200) - 1.972) < 0.001)
        #expect(StrategyComparison.estimate([0.3]).low == 0.3)
        #expect(e.median == 2.5)
        #expect(StrategyComparison.estimate([5, 0.1, 2]).median == 2)
    }
}
