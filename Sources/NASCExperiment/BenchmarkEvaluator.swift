// BenchmarkEvaluator: scores architectures from a benchmark table (no training), with a simulated learning curve.
import Foundation
import NASCIR

/// A table that gives every architecture of a space its final metric, like NAS-Bench-101/201 lookups.
public protocol BenchmarkTable: Sendable {
    /// The final metric of `architecture` (in [0, 1], higher is better); throws for an architecture not in the table.
    func score(_ architecture: Architecture) throws -> Double
    /// Everything the table knows about `architecture` (by default only its metric).
    func entry(_ architecture: Architecture) throws -> BenchmarkEntry
}

extension BenchmarkTable {
    public func entry(_ architecture: Architecture) throws -> BenchmarkEntry { BenchmarkEntry(metric: try score(architecture)) }
}

/// Evaluates by table lookup. A table entry with a `curve` reports it epoch by epoch (then the final metric);
/// otherwise epoch `e` of `E` reports `final * (1 - 2^-e) / (1 - 2^-E)`, a rising curve that ends exactly at the
/// table's value. `epochDelay` seconds pass per epoch (to simulate training time). The entry's `test` is passed on
/// with the final metric (shown by `top-k`, never told to the strategy).
public struct BenchmarkEvaluator: TrialEvaluator {
    public var table: any BenchmarkTable
    /// Epochs reported (at least 1).
    public var epochs: Int
    /// Seconds slept per epoch.
    public var epochDelay: Double

    /// Creates an evaluator.
    public init(table: any BenchmarkTable, epochs: Int = 3, epochDelay: Double = 0) {
        self.table = table; self.epochs = max(1, epochs); self.epochDelay = max(0, epochDelay)
    }

    /// The metric reported after `epoch` for a final value.
    public static func curve(final: Double, epoch: Int, epochs: Int) -> Double {
        let e = Double(epoch), n = Double(epochs)
        return final * (1 - pow(2, -e)) / (1 - pow(2, -n))
    }

    public func evaluate(_ subject: TrialSubject, progress: (Int, Double) throws -> Void) throws -> TrialMetrics {
        let entry = try table.entry(subject.architecture)
        let final = entry.metric
        guard final.isFinite else { throw TrialFailure(kind: "diverged", message: "the benchmark table gives a non-finite metric") }
        var curve: [Double] = []
        let given = entry.curve ?? []
        let count = given.isEmpty ? epochs : given.count
        for e in 1...count {
            if epochDelay > 0 { Thread.sleep(forTimeInterval: epochDelay) }
            let m = given.isEmpty ? (e == epochs ? final : Self.curve(final: final, epoch: e, epochs: epochs)) : given[e - 1]
            curve.append(m)
            try progress(e, m)
        }
        var metrics = TrialMetrics(final: final, intermediate: curve)
        metrics.test = entry.test
        return metrics
    }
}
