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
        /// Processor time of the process (user + system) in seconds; below the wall time on a loaded machine.
        public var cpuSeconds: Double = 0
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
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Self.cpuNow()
        defer {
            depth -= 1
            entries[index].seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            entries[index].cpuSeconds = Self.cpuNow() - cpuStart
        }
        return try body()
    }

    /// The process's processor time so far, in seconds.
    static func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The sum of the top-level stages' wall time, in seconds.
    public var total: Double { entries.filter { $0.depth == 0 }.reduce(0) { $0 + $1.seconds } }

    /// The sum of the top-level stages' processor time, in seconds.
    public var cpuTotal: Double { entries.filter { $0.depth == 0 }.reduce(0) { $0 + $1.cpuSeconds } }

    /// The timing table (MLIR `-mlir-timing` layout): processor and wall seconds, each with its percentage of
    /// the total, per stage (nested stages indented), then the totals.
    public func report(title: String = "nasc compile") -> String {
        let total = self.total, cpuTotal = self.cpuTotal
        func col(_ s: Double, _ of: Double) -> String {
            String(format: "%9.4f (%5.1f%%)", s, of > 0 ? 100 * s / of : 0)
        }
        let rule = "===" + String(repeating: "-", count: 70) + "==="
        var lines = [rule, "  \(title) execution time report", rule,
                     "  Total Execution Time: \(String(format: "%.4f", total)) seconds (\(String(format: "%.4f", cpuTotal)) s processor time)", "",
                     "   ---CPU Time---      ---Wall Time---    --- Name ---"]
        for e in entries {
            lines.append("  \(col(e.cpuSeconds, cpuTotal))  \(col(e.seconds, total))  \(String(repeating: "  ", count: e.depth))\(e.name)")
        }
        lines.append("  \(col(cpuTotal, cpuTotal))  \(col(total, total))  Total")
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
