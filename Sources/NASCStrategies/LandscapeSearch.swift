// LandscapeSearch: runs a strategy against a SyntheticLandscape (ask, score, tell) and measures its regret.
import NASCIR

/// The result of running a strategy on a ``SyntheticLandscape``.
public struct LandscapeRun: Sendable {
    /// The architectures proposed, in order, with their scores.
    public var trials: [(architecture: Architecture, score: Double)]
    /// The best score after each trial.
    public var bestSoFar: [Double]
    /// The best score found (`-infinity` if nothing was proposed).
    public var best: Double { bestSoFar.last ?? -.infinity }
}

extension SyntheticLandscape {
    /// Runs `strategy` for up to `budget` trials: asks for `batch` architectures at a time, scores them and
    /// tells every score (in proposal order) before asking again. Stops early when the strategy is exhausted
    /// or proposes nothing.
    public func run<S: Strategy>(_ strategy: inout S, budget: Int, batch: Int = 1) throws -> LandscapeRun {
        var run = LandscapeRun(trials: [], bestSoFar: [])
        var best = -Double.infinity
        while run.trials.count < budget, !strategy.isExhausted {
            let archs = try strategy.ask(count: min(max(batch, 1), budget - run.trials.count))
            if archs.isEmpty { break }
            for a in archs {
                let s = try score(a)
                best = max(best, s)
                run.trials.append((a, s))
                run.bestSoFar.append(best)
                try strategy.tell(a, outcome: .succeeded(metric: s))
            }
        }
        return run
    }
}
