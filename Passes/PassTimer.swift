// PassTimer: wall-clock timing of passes and compile stages (`nasc compile --time-passes`, like MLIR's -mlir-timing).
import Foundation

/// Collects the wall time of named stages (passes, verifier runs, plan stages) in the order they ran.
///
/// Stages nest: a stage measured while another runs is recorded one level deeper and printed indented under it
/// (its time is part of its parent's). ``report()`` prints MLIR's `-mlir-timing` table: one line per stage with
/// its seconds and share of the total, then the total (the sum of the top-level stages).
/// A reference type so the pass manager and the plan compilers can share one timer; not thread-safe.
public final class PassTimer {
    /// One timed stage.
    public struct Entry: Sendable, Equatable {
        /// The stage name (a pass name, `verify`, `parse`, ...).
        public var name: String
        /// Nesting depth (0 = top level).
        public var depth: Int
        /// Wall time in seconds.
        public var seconds: Double
    }

    /// The stages timed so far, in the order they started.
    public private(set) var entries: [Entry] = []
    private var depth = 0

    /// Creates an empty timer.
    public init() {}

    /// Runs `body`, recording its wall time under `name`.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let index = entries.count
        entries.append(Entry(name: name, depth: depth, seconds: 0))
        depth += 1
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            depth -= 1
            entries[index].seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        return try body()
    }

    /// The sum of the top-level stages, in seconds.
    public var total: Double { entries.filter { $0.depth == 0 }.reduce(0) { $0 + $1.seconds } }

    /// The timing table (MLIR `-mlir-timing` layout): wall seconds and percentage of the total per stage,
    /// nested stages indented, then the total.
    public func report(title: String = "nasc compile") -> String {
        let total = self.total
        func secs(_ s: Double) -> String { String(format: "%9.4f", s) }
        func pct(_ s: Double) -> String { String(format: "%5.1f%%", total > 0 ? 100 * s / total : 0) }
        let rule = "===" + String(repeating: "-", count: 70) + "==="
        var lines = [rule, "  \(title) execution time report", rule,
                     "  Total Execution Time: \(String(format: "%.4f", total)) seconds", "",
                     "   ---Wall Time---   --- Name ---"]
        for e in entries {
            lines.append("  \(secs(e.seconds)) (\(pct(e.seconds)))  \(String(repeating: "  ", count: e.depth))\(e.name)")
        }
        lines.append("  \(secs(total)) (100.0%)  Total")
        return lines.joined(separator: "\n")
    }
}

extension Optional where Wrapped == PassTimer {
    /// Runs `body`, timing it under `name` when there is a timer.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        if let t = self { return try t.measure(name, body) }
        return try body()
    }
}
