// StrategyComparison: `nasc compare` — strategies against a benchmark table over budgets and seeds, as test regret.
import Foundation
import NASCIR
import NASCStrategies

/// Runs multi-trial strategies against a benchmark table (no processes: ask one architecture, look it up, tell its
/// metric) and measures the **test regret** of each search: the best `test` value of the table minus the `test`
/// value of the search's pick (the trial with the highest metric; ties go to the earlier trial). Tables without a
/// `test` column use the metric as test. Random search's expected regret is also computed exactly (``randomRegret``).
public struct StrategyComparison {
    /// Every architecture of the space with its table values, in enumeration order.
    public let architectures: [Architecture]
    public let metrics: [Double]
    public let tests: [Double]
    /// True when the table has a `test` value for every architecture.
    public let hasTest: Bool
    /// Per-epoch curves (`nil` where the table has none), for early stopping.
    public let curves: [[Double]?]
    let index: [Architecture: Int]
    let space: SearchSpace
    /// Per strategy name, the zero-cost proxy ranking it starts from (`zero-cost`, `warmup=PROXY`), best first.
    public var rankings: [String: [Architecture]] = [:]

    /// Looks up every architecture of `space` in `table` (spaces of at most a million architectures).
    public init(space: SearchSpace, table: any BenchmarkTable) throws {
        guard space.log10Size <= 6 else {
            throw DiagnosticError(.error("nasc compare enumerates the space: \(space.size) architectures are too many (at most 1000000)"))
        }
        var archs: [Architecture] = [], metrics: [Double] = [], tests: [Double?] = [], curves: [[Double]?] = []
        for a in space.allArchitectures() {
            let e = try table.entry(a)
            archs.append(a); metrics.append(e.metric); tests.append(e.test); curves.append(e.curve)
        }
        self.curves = curves
        guard !archs.isEmpty else { throw DiagnosticError(.error("the space has no architecture to compare on")) }
        self.space = space
        self.architectures = archs
        self.metrics = metrics
        let hasTest = tests.allSatisfy { $0 != nil }
        self.hasTest = hasTest
        self.tests = zip(tests, metrics).map { hasTest ? $0.0! : $0.1 }
        self.index = Dictionary(uniqueKeysWithValues: archs.enumerated().map { ($0.element, $0.offset) })
    }

    /// The best test value of the table (regret 0).
    public var bestTest: Double { tests.max() ?? 0 }

    /// One search.
    public struct Run: Sendable {
        /// Indices (into ``architectures``) of the trials, in order.
        public var trials: [Int]
        /// The pick: the trial with the highest metric, the earliest on ties.
        public var pick: Int
        /// `bestTest - tests[pick]`.
        public var regret: Double
        /// Epochs trained: every trial's curve length, or the epoch it was stopped at (1 per trial without a curve).
        public var epochs: Int = 0
        /// Trials stopped early.
        public var stopped: Int = 0
    }

    /// The longest curve of the table (ASHA's default `max_epochs`), 1 without curves.
    public var maxEpochs: Int { curves.compactMap { $0?.count }.max() ?? 1 }

    /// Runs strategy `name` (with `options`, budget-aware defaults for `budget`) for `budget` trials, one at a time.
    /// With `earlyStop`, each trial walks its table curve epoch by epoch and the rule may stop it: its metric at that
    /// epoch is then its result (told to the strategy, and a candidate for the pick), as in `nasc run --early-stop`.
    public func run(_ name: String, options: [String: String] = [:], budget: Int, seed: UInt64, earlyStop: EarlyStopSpec? = nil) throws -> Run {
        var strategy = try Strategies.make(name: name, space: space, seed: seed, options: options, budget: budget, ranking: rankings[name])
        var rule = try earlyStop.map { try EarlyStopping.parse($0.name, options: $0.options, epochs: maxEpochs) }
        var trials: [Int] = [], results: [Double] = [], epochs = 0, stopped = 0
        while trials.count < budget, !strategy.isExhausted {
            let asked = try strategy.ask(count: 1)
            guard let a = asked.first else { break }
            guard let i = index[a] else { throw DiagnosticError(.error("strategy \(name) proposed an architecture outside the space")) }
            var result = metrics[i]
            let curve = curves[i] ?? []
            epochs += max(1, curve.count)
            if rule != nil, !curve.isEmpty {
                // As the runner: the rule sees every epoch's metric, the last one included.
                var wasStopped = false
                for t in 1...curve.count where rule!.shouldStop(trial: trials.count + 1, curve: Array(curve.prefix(t))) {
                    result = curve[t - 1]; epochs -= curve.count - t; stopped += 1; wasStopped = true
                    break
                }
                if !wasStopped { rule!.completed(trial: trials.count + 1, curve: curve) }
            }
            trials.append(i)
            results.append(result)
            try strategy.tell(a, outcome: .succeeded(metric: result))
        }
        guard !trials.isEmpty else { throw DiagnosticError(.error("strategy \(name) proposed nothing")) }
        var best = 0
        for k in results.indices.dropFirst() where results[k] > results[best] { best = k }
        let pick = trials[best]
        return Run(trials: trials, pick: pick, regret: bestTest - tests[pick], epochs: epochs, stopped: stopped)
    }

    /// The exact expected test regret of random search without repeats after `budget` trials: the pick lies in the
    /// best metric group `g` present in the sample with probability `[C(N - A_g, n) - C(N - A_g - k_g, n)] / C(N, n)`
    /// (`A_g` architectures rank above the group, `k_g` are in it), and is uniform within it (ties go to the earlier
    /// trial, and the order is random), so its expected test is the group's mean test.
    public func randomRegret(budget: Int) -> Double {
        let n = min(max(budget, 1), metrics.count), total = metrics.count
        // Groups of equal metric, best first.
        let order = metrics.indices.sorted { metrics[$0] > metrics[$1] }
        var expected = 0.0, above = 0, start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && metrics[order[end + 1]] == metrics[order[start]] { end += 1 }
            let k = end - start + 1
            let p = Self.noneChosen(from: total, avoiding: above, sample: n) - Self.noneChosen(from: total, avoiding: above + k, sample: n)
            let meanTest = order[start...end].reduce(0.0) { $0 + tests[$1] } / Double(k)
            expected += p * meanTest
            above += k
            start = end + 1
        }
        return bestTest - expected
    }

    /// `C(N - m, n) / C(N, n)`: the probability that a uniform `n`-subset of `N` items avoids `m` given ones.
    static func noneChosen(from total: Int, avoiding m: Int, sample n: Int) -> Double {
        if m == 0 { return 1 }
        if total - m < n { return 0 }
        var p = 1.0
        for i in 0..<n { p *= Double(total - m - i) / Double(total - i) }
        return p
    }

    /// Mean with a two-sided 95% Student-t interval.
    public struct Estimate: Sendable, Equatable {
        public var mean: Double
        public var low: Double
        public var high: Double
        public var count: Int
        /// The median of the values (the mean of the middle two for an even count).
        public var median: Double = 0
    }

    /// The mean of `xs` with its 95% confidence interval (t distribution with `count - 1` degrees of freedom).
    public static func estimate(_ xs: [Double]) -> Estimate {
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / max(n, 1)
        let sorted = xs.sorted(), mid = xs.count / 2
        let median = xs.isEmpty ? 0 : xs.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        guard xs.count > 1 else { return Estimate(mean: mean, low: mean, high: mean, count: xs.count, median: median) }
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = tQuantile975(df: xs.count - 1) * (variance / n).squareRoot()
        return Estimate(mean: mean, low: mean - half, high: mean + half, count: xs.count, median: median)
    }

    /// The 0.975 quantile of Student's t with `df` degrees of freedom (exact table to 30, then Cornish-Fisher).
    static func tQuantile975(df: Int) -> Double {
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                     2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df >= 1 && df <= table.count { return table[df - 1] }
        let z = 1.959964, v = Double(max(df, 1))
        return z + (z * z * z + z) / (4 * v) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v)
    }

    /// One row of a comparison.
    public struct Row: Sendable {
        public var budget: Int
        public var strategy: String
        /// Regret over the seeds (`nil` for the exact random baseline).
        public var estimate: Estimate?
        /// The exact expected regret (random search only).
        public var exact: Double?
        /// Mean number of trials run (fewer than the budget when a strategy is exhausted).
        public var trials: Double
        /// Mean epochs trained per search, and mean trials stopped early (with `earlyStop`).
        public var epochs: Double = 0
        public var stopped: Double = 0
    }

    /// Every strategy at every budget over seeds `1...seeds`, with the exact random baseline first at each budget.
    public func compare(strategies: [String], options: [String: [String: String]] = [:], budgets: [Int], seeds: Int,
                        earlyStop: EarlyStopSpec? = nil) throws -> [Row] {
        var rows: [Row] = []
        for b in budgets {
            if earlyStop == nil {
                rows.append(Row(budget: b, strategy: "random (exact)", estimate: nil, exact: randomRegret(budget: b),
                                trials: Double(min(b, metrics.count))))
            }
            for s in strategies {
                var regrets: [Double] = [], trials = 0, epochs = 0, stopped = 0
                for seed in 1...max(1, seeds) {
                    let r = try run(s, options: options[s] ?? [:], budget: b, seed: UInt64(seed), earlyStop: earlyStop)
                    regrets.append(r.regret)
                    trials += r.trials.count; epochs += r.epochs; stopped += r.stopped
                }
                let n = Double(max(1, seeds))
                rows.append(Row(budget: b, strategy: s, estimate: Self.estimate(regrets), exact: nil, trials: Double(trials) / n,
                                epochs: Double(epochs) / n, stopped: Double(stopped) / n))
            }
        }
        return rows
    }
}
