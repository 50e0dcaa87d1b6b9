// EarlyStopping: the median stopping rule and asynchronous successive halving (ASHA) over trials' per-epoch metrics.
import Foundation
import NASCIR

/// An early-stopping rule for multi-trial search (`nasc run --early-stop median|asha`). After every intermediate
/// result of a running trial, ``shouldStop(trial:curve:)`` says whether to stop it; stopped trials count as results
/// (their last metric is told to the strategy) and are recorded as `stopped` with the epoch they reached. Metrics
/// are maximized.
///
/// - **median** (NNI's `Medianstop` assessor, Golovin et al. 2017): at epoch `t >= start_step`, a trial stops when
///   its best metric so far is strictly below the median of the running averages at epoch `t` of all completed
///   trials that reached `t` (the lower median, as NNI). Without such completed trials it continues.
/// - **asha** (Li et al. 2020; Ray Tune's `AsyncHyperBandScheduler`): rungs at `grace * reduction_factor^k` epochs
///   below `max_epochs`. When a trial reaches a rung, it stops if its metric is below the `(1 - 1/reduction_factor)`
///   quantile (linear interpolation, as `numpy.percentile`) of the metrics recorded at that rung by earlier trials;
///   its metric is recorded either way. The first trial at a rung always continues.
public struct EarlyStopping: Sendable {
    /// The rule and its options.
    public enum Rule: Sendable, Equatable {
        /// `start_step` (NNI default 0): epochs before the rule applies.
        case median(startStep: Int)
        /// `grace` (first rung, default 1), `reduction_factor` (default 4, as Ray), `max_epochs` (the trial's epochs).
        case asha(grace: Int, reductionFactor: Int, maxEpochs: Int)
    }

    public let rule: Rule
    /// Running averages of completed trials' curves (median rule).
    private var completedAverages: [Int: [Double]] = [:]
    /// Metrics recorded at each rung, by trial (ASHA), and the rungs, lowest first.
    private var recorded: [Int: [Int: Double]] = [:]
    public let rungs: [Int]

    /// A rule; throws for options out of range.
    public init(_ rule: Rule) throws {
        self.rule = rule
        switch rule {
        case .median(let s):
            guard s >= 0 else { throw Self.bad("start_step must be 0 or more, got \(s)") }
            rungs = []
        case .asha(let grace, let rf, let maxEpochs):
            guard grace >= 1 else { throw Self.bad("grace must be at least 1, got \(grace)") }
            guard rf >= 2 else { throw Self.bad("reduction_factor must be at least 2, got \(rf)") }
            guard maxEpochs >= 1 else { throw Self.bad("max_epochs must be at least 1, got \(maxEpochs)") }
            var r: [Int] = [], t = grace
            while t < maxEpochs { r.append(t); if t > Int.max / rf { break }; t *= rf }
            rungs = r
        }
    }

    /// Parses `--early-stop NAME` with `KEY=VALUE` options; `epochs` is the trials' epoch count (ASHA's default
    /// `max_epochs`). Errors are located at `--early-stop`.
    public static func parse(_ name: String, options: [String: String], epochs: Int) throws -> EarlyStopping {
        var rest = options
        func int(_ key: String, _ fallback: Int) throws -> Int {
            guard let text = rest.removeValue(forKey: key) else { return fallback }
            guard let v = Int(text) else { throw bad("option '\(key)' must be an integer, got '\(text)'") }
            return v
        }
        let rule: Rule
        switch name {
        case "median": rule = .median(startStep: try int("start_step", 0))
        case "asha": rule = .asha(grace: try int("grace", 1), reductionFactor: try int("reduction_factor", 4), maxEpochs: try int("max_epochs", epochs))
        default: throw bad("unknown rule '\(name)' (median or asha)")
        }
        if let k = rest.keys.sorted().first {
            let known = name == "median" ? "start_step" : "grace, reduction_factor, max_epochs"
            throw bad("\(name) has no option '\(k)'; its options are \(known)")
        }
        return try EarlyStopping(rule)
    }

    /// The rule as stored: its name and every option, defaults included.
    public var spec: EarlyStopSpec {
        switch rule {
        case .median(let s): return EarlyStopSpec(name: "median", options: ["start_step": String(s)])
        case .asha(let g, let rf, let m):
            return EarlyStopSpec(name: "asha", options: ["grace": String(g), "reduction_factor": String(rf), "max_epochs": String(m)])
        }
    }

    static func bad(_ message: String) -> DiagnosticError {
        DiagnosticError(.error(message, at: SourceLocation(file: "--early-stop")))
    }

    /// Records a trial that ran to its end (the median rule compares with these; stopped trials are not recorded).
    public mutating func completed(trial: Int, curve: [Double]) {
        guard case .median = rule, !curve.isEmpty else { return }
        var sum = 0.0
        completedAverages[trial] = curve.enumerated().map { i, m in sum += m; return sum / Double(i + 1) }
    }

    /// Rebuilds the rule's history from a finished trial (on resume): a completed curve (median), or the metrics at
    /// the rungs it reached (ASHA), without deciding anything.
    public mutating func replay(trial: Int, curve: [Double], completed isCompleted: Bool) {
        switch rule {
        case .median: if isCompleted { completed(trial: trial, curve: curve) }
        case .asha:
            for r in rungs where r <= curve.count { recorded[r, default: [:]][trial] = curve[r - 1] }
        }
    }

    /// Whether a running trial with metrics `curve` (epochs 1...curve.count) should stop now.
    public mutating func shouldStop(trial: Int, curve: [Double]) -> Bool {
        guard let last = curve.last else { return false }
        let t = curve.count
        switch rule {
        case .median(let startStep):
            guard t >= max(startStep, 1) else { return false }
            let averages = completedAverages.values.compactMap { $0.count >= t ? $0[t - 1] : nil }.sorted()
            guard !averages.isEmpty else { return false }
            let median = averages[(averages.count - 1) / 2]
            return (curve.max() ?? last) < median
        case .asha(_, let rf, _):
            // The highest rung reached and not yet recorded for this trial.
            guard let rung = rungs.last(where: { $0 <= t }), recorded[rung]?[trial] == nil else { return false }
            let others = Array((recorded[rung] ?? [:]).values)
            recorded[rung, default: [:]][trial] = last
            guard let cutoff = Self.percentile(others, 100 * (1 - 1 / Double(rf))) else { return false }
            return last < cutoff
        }
    }

    /// `numpy.percentile(values, q)` with linear interpolation; `nil` for no values.
    public static func percentile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let pos = q / 100 * Double(s.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }
}
