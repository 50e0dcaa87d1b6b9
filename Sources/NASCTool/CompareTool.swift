// CompareTool: the library side of `nasc compare` — run strategies on a benchmark table, render regret tables.
import Foundation
import NASCExperiment
import NASCIR
import NASCStrategies

/// What `nasc compare` does apart from argument parsing.
public enum CompareTool {
    /// Settings of a comparison.
    public struct Settings: Sendable {
        public var benchmark: String
        public var strategies: [String]
        public var budgets: [Int]
        public var seeds: Int
        /// Per-strategy options (`tpe.n_startup_jobs=20` on the command line).
        public var options: [String: [String: String]]
        /// Early stopping simulated on the table's curves (`--early-stop`).
        public var earlyStop: EarlyStopSpec?
        /// The data set zero-cost proxies are computed on (`zero-cost`, `warmup=PROXY`; `--data`).
        public var data = "digits"
        /// Creates settings.
        public init(benchmark: String, strategies: [String], budgets: [Int], seeds: Int, options: [String: [String: String]] = [:]) {
            self.benchmark = benchmark; self.strategies = strategies; self.budgets = budgets; self.seeds = seeds; self.options = options
        }
    }

    /// The comparison of `settings` over `space`: the rows, and the comparison (for its table facts).
    public static func compare(_ space: ModelSpace, _ settings: Settings) throws -> (StrategyComparison, [StrategyComparison.Row]) {
        let searchSpace = try SearchSpace(ExperimentTool.dropInferredTypes(space))
        let table = try BenchmarkTables.make(settings.benchmark, space: searchSpace)
        // Proxy rankings (computed once, seed 0, and shared by every seed of the comparison).
        var rankings: [String: [Architecture]] = [:]
        for s in settings.strategies {
            if let r = try ProxyTable.ranking(strategy: s, options: settings.options[s] ?? [:], space: space, data: settings.data, seed: 0) {
                rankings[s] = r
            }
        }
        for s in settings.strategies {
            // Bad names and options fail before any search runs, located at the flag.
            do {
                _ = try Strategies.make(name: s, space: searchSpace, seed: 0, options: settings.options[s] ?? [:], budget: settings.budgets.first,
                                        ranking: rankings[s])
            } catch let e as DiagnosticError {
                throw DiagnosticError(e.diagnostics.map { d in var d = d; if d.location.isUnknown { d.location = SourceLocation(file: "--strategies") }; return d })
            }
        }
        var comparison = try StrategyComparison(space: searchSpace, table: table)
        comparison.rankings = rankings
        if let e = settings.earlyStop {
            // Checked (and located at --early-stop) before any search runs; the table must have curves.
            _ = try EarlyStopping.parse(e.name, options: e.options, epochs: comparison.maxEpochs)
            guard comparison.curves.allSatisfy({ $0 != nil }) else {
                throw DiagnosticError(.error("early stopping needs a 'curve' for every architecture of the table",
                                             at: SourceLocation(file: "--early-stop")))
            }
        }
        return (comparison, try comparison.compare(strategies: settings.strategies, options: settings.options,
                                                   budgets: settings.budgets, seeds: settings.seeds, earlyStop: settings.earlyStop))
    }

    /// The text table: one line per budget and strategy, mean regret with its 95% interval, and the difference to
    /// random search's exact expectation.
    public static func text(_ c: StrategyComparison, _ rows: [StrategyComparison.Row], settings: Settings) -> String {
        var out = "table: \(settings.benchmark) (\(c.architectures.count) architectures, best test \(f(c.bestTest)))\n"
        if !c.hasTest { out += "note: the table has no 'test' values; regret is measured on the metric the strategies see\n" }
        out += "regret = best test in the table - test of the pick (the trial with the best metric); mean over \(settings.seeds) seeds, 95% t interval\n"
        if let e = settings.earlyStop {
            out += "early stopping: \(e.name) " + e.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                + " (simulated on the table's curves; a stopped trial's result is its metric at that epoch)\n"
        }
        var table = [["budget", "strategy", "mean regret", "95% interval", "vs random", "trials", "epochs", "stopped"]]
        var exact: [Int: Double] = [:]
        for r in rows {
            if let e = r.exact {
                exact[r.budget] = e
                table.append([String(r.budget), r.strategy, f(e), "(closed form)", "", String(format: "%.1f", r.trials), "", ""])
            } else if let e = r.estimate {
                let diff = exact[r.budget].map { e.mean - $0 }
                table.append([String(r.budget), r.strategy, f(e.mean), "[\(f(e.low)), \(f(e.high))]",
                              diff.map { ($0 <= 0 ? "" : "+") + f($0) } ?? "", String(format: "%.1f", r.trials),
                              String(format: "%.1f", r.epochs), String(format: "%.1f", r.stopped)])
            }
        }
        return out + columns(table)
    }

    /// `--json`: `{"table": ..., "architectures": N, "best_test": x, "seeds": S, "rows": [...]}`.
    public static func json(_ c: StrategyComparison, _ rows: [StrategyComparison.Row], settings: Settings) throws -> String {
        let list: [[String: Any]] = rows.map { r in
            var o: [String: Any] = ["budget": r.budget, "strategy": r.strategy, "trials": r.trials]
            if let e = r.exact { o["mean_regret"] = e; o["exact"] = true }
            if let e = r.estimate {
                o["mean_regret"] = e.mean; o["median_regret"] = e.median; o["ci95"] = [e.low, e.high]; o["seeds"] = e.count
                o["epochs"] = r.epochs; o["stopped"] = r.stopped
            }
            return o
        }
        let doc: [String: Any] = ["table": settings.benchmark, "architectures": c.architectures.count, "best_test": c.bestTest,
                                  "has_test": c.hasTest, "seeds": settings.seeds, "rows": list]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func f(_ x: Double) -> String { String(format: "%.4f", x) }

    static func columns(_ rows: [[String]]) -> String {
        guard let n = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: n)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
