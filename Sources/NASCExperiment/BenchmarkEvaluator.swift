// BenchmarkEvaluator: scores architectures from a benchmark table (no training), with a simulated learning curve.
import Foundation
import NASCIR

/// A table that gives every architecture of a space its final metric, like NAS-Bench-101/201 lookups.
public protocol BenchmarkTable: Sendable {
    /// The final metric of `architecture` (in [0, 1], higher is better); throws for an architecture not in the table.
    func score(_ architecture: Architecture) throws -> Double
}

/// Evaluates by table lookup. Epoch `e` of `E` reports `final * (1 - 2^-e) / (1 - 2^-E)`, a rising curve that
/// ends exactly at the table's value; `epochDelay` seconds pass per epoch (to simulate training time).
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
        let final = try table.score(subject.architecture)
        guard final.isFinite else { throw TrialFailure(kind: "diverged", message: "the benchmark table gives a non-finite metric") }
        var curve: [Double] = []
        for e in 1...epochs {
            if epochDelay > 0 { Thread.sleep(forTimeInterval: epochDelay) }
            let m = e == epochs ? final : Self.curve(final: final, epoch: e, epochs: epochs)
            curve.append(m)
            try progress(e, m)
        }
        return TrialMetrics(final: final, intermediate: curve)
    }
}
