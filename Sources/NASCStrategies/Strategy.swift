// Strategy: the small public protocol every multi-trial search strategy implements (ask, tell, save, restore).
import NASCIR

/// The outcome of one trial, as told to a strategy.
public enum TrialOutcome: Hashable, Sendable {
    /// The trial finished with this final metric (higher is better; strategies maximize).
    case succeeded(metric: Double)
    /// The trial failed (crash, NaN loss, rejected by a budget); strategies must not stall on it.
    case failed(reason: String)
}

/// A multi-trial search strategy over a ``SearchSpace``.
///
/// The experiment loop calls `ask` for up to `count` new architectures (fewer, or none, when the strategy is
/// exhausted or waits for results), trains them, and reports each result with `tell`, possibly out of order and
/// concurrently with further `ask`s. A strategy is deterministic given its seed and the sequence of calls.
/// `saveState()` captures everything needed so that `restore(state:)` on a freshly made strategy (same space,
/// same configuration) continues exactly where the saved one was.
public protocol Strategy {
    /// Short name used on the command line (`random`, `grid`, `evolution`, `tpe`, `rl`).
    var name: String { get }
    /// Up to `count` architectures to try next. Every returned architecture is valid for the space.
    mutating func ask(count: Int) throws -> [Architecture]
    /// Reports the outcome of an architecture returned by `ask`.
    mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws
    /// True when the strategy will never propose anything new (e.g. grid search after the last point).
    var isExhausted: Bool { get }
    /// A byte snapshot of the strategy's state (its own format; JSON is fine).
    func saveState() throws -> [UInt8]
    /// Restores a snapshot taken by `saveState()` of a strategy with the same space and configuration.
    mutating func restore(state: [UInt8]) throws
}

/// A strategy that lists every option with its effective value (defaults filled in); `nasc run` stores them in
/// `DIR/settings.json`.
public protocol ReportsEffectiveOptions {
    /// Option name -> effective value, in the `key=value` form `--strategy-option` takes.
    var effectiveOptions: [String: String] { get }
}
