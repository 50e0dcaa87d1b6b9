// ExperimentReport: the text of `nasc experiment list|show|top-k` and the files of `export`.
import Foundation
import NASCIR

/// Renders stored experiments for people and exports architectures in NNI's JSON formats.
public enum ExperimentReport {
    /// A metric with 4 decimals.
    public static func metric(_ m: Double) -> String { String(format: "%.4f", m) }
    /// Seconds as `0.42s` / `12.3s` / `2m05s`.
    public static func seconds(_ s: Double) -> String {
        if s < 10 { return String(format: "%.2fs", s) }
        if s < 60 { return String(format: "%.1fs", s) }
        return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }
    static func ms(_ v: Double?) -> String { v.map { String(format: "%.1f ms", $0) } ?? "-" }

    /// A header line about the experiment.
    public static func header(_ store: ExperimentStore) throws -> String {
        let c = try store.config(), s = try store.state()
        let options = c.strategyOptions.filter { $0.key != "log" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let strategy = options.isEmpty ? c.strategy : "\(c.strategy) (\(options.joined(separator: " ")))"
        var out = "experiment \(store.directory): \(strategy) over \(c.spacePath), seed \(c.seed), concurrency \(c.concurrency)"
        if let m = c.maxTrials { out += ", max \(m) trials" }
        if let e = c.earlyStop {
            out += ", early stop \(e.name) (" + e.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + ")"
        }
        if let d = c.maxDuration { out += ", max \(DurationParser.describe(d))" }
        out += "\nstatus: \(s.status)" + (s.endReason.map { " (\($0))" } ?? "") + ", \(seconds(s.elapsed)) over \(s.sessions) session(s)\n"
        return out
    }

    /// `nasc experiment list`: one row per trial.
    public static func list(_ store: ExperimentStore) throws -> String {
        let trials = try store.trials()
        var rows = [["id", "status", "metric", "epochs", "params", "time", "tries", "error"]]
        for t in trials {
            let epochs = try store.intermediates(t.id).count
            rows.append([String(t.id), t.status.rawValue, t.finalMetric.map(metric) ?? "-", String(epochs),
                         t.params.map(Budget.group) ?? "-", t.duration.map(seconds) ?? "-", String(t.attempts),
                         t.error.map { $0.count > 60 ? String($0.prefix(57)) + "..." : $0 } ?? ""])
        }
        var out = try header(store) + table(rows)
        let overheads = trials.compactMap(\.overhead.totalMs)
        if !overheads.isEmpty {
            out += String(format: "mean per-trial overhead: %.1f ms over %d trials\n", overheads.reduce(0, +) / Double(overheads.count), overheads.count)
        }
        return out
    }

    /// `nasc experiment show`: everything about one trial.
    public static func show(_ store: ExperimentStore, trial id: Int) throws -> String {
        guard let t = try store.trial(id) else {
            throw DiagnosticError(.error("no trial \(id) (the experiment has \(try store.trialCount()) trials)",
                                         at: SourceLocation(file: store.directory)))
        }
        var out = "trial \(t.id): \(t.status.rawValue)\n"
        if let m = t.finalMetric { out += "final metric: \(metric(m))\n" }
        if let l = t.finalLoss { out += "final validation loss: \(metric(l))\n" }
        if let e = t.stoppedEpoch { out += "stopped early at epoch \(e) (--early-stop); its last metric is its result\n" }
        if let x = t.testMetric { out += "test (benchmark table, not seen by the strategy): \(metric(x))\n" }
        if let e = t.error { out += "error: \(e)\n" }
        if let p = t.params { out += "params: \(Budget.group(p))\n" }
        if let f = t.flops { out += "FLOPs: \(Budget.group(f))\n" }
        out += "attempts: \(t.attempts)" + (t.pid.map { ", last pid \($0)" } ?? "") + "\n"
        if let d = t.duration { out += "duration: \(seconds(d))\n" }
        let o = t.overhead
        out += "overhead: process start \(ms(o.processStartMs)), load \(ms(o.loadMs)), specialize \(ms(o.specializeMs)), "
            + "compile \(ms(o.compileMs)), total \(ms(o.totalMs))\n"
        let metrics = try store.intermediates(id)
        if !metrics.isEmpty {
            out += "intermediate: " + metrics.map { "epoch \($0.epoch) \(metric($0.metric))" }.joined(separator: ", ") + "\n"
        }
        let config = try store.config()
        if let flags = retrainFlags(config.evaluatorArguments) {
            out += "retrain (same schedule and seed): nasc train \(config.spacePath) --arch ARCH.json "
                + flags.joined(separator: " ") + "\n"
        }
        out += "architecture (nni-v3):\n" + t.architectureJSON
        return out
    }

    /// The `nasc train` flags that train an architecture exactly as this experiment's trials did (same data, schedule,
    /// optimizer and seed, so the validation accuracy is reproduced), or `nil` when trials did not train.
    public static func retrainFlags(_ evaluatorArguments: [String]) -> [String]? {
        TrainingSettings.trainArguments(evaluatorArguments)
    }

    /// `nasc experiment top-k`: the best `k` succeeded trials, ranked by metric, then validation loss (`val_loss`,
    /// `-` when the evaluator reports none), then id.
    public static func top(_ store: ExperimentStore, k: Int) throws -> String {
        let best = try store.top(k)
        if best.isEmpty { return "no succeeded trials\n" }
        // A benchmark table's held-out `test` column appears when some trial has one.
        let hasTest = best.contains { $0.testMetric != nil }
        var rows = [["rank", "id", "metric", "val_loss"] + (hasTest ? ["test"] : []) + ["params", "architecture"]]
        for (i, t) in best.enumerated() {
            rows.append([String(i + 1), String(t.id), t.finalMetric.map(metric) ?? "-", t.finalLoss.map(metric) ?? "-"]
                        + (hasTest ? [t.testMetric.map(metric) ?? "-"] : []) + [
                         t.params.map(Budget.group) ?? "-",
                         compactJSON(t.architectureJSON)])
        }
        return table(rows)
    }

    /// Writes the best `k` architectures to `outDirectory` as `trial_<id>.<format>.json`; returns the paths.
    public static func export(_ store: ExperimentStore, k: Int, formats: [ArchitectureFormat], to outDirectory: String) throws -> [String] {
        let space = try SearchSpace(try store.space())
        try Experiment.makeDirectory(outDirectory)
        var paths: [String] = []
        for t in try store.top(k) {
            let arch = try ArchitectureJSON.read(t.architectureJSON, space: space, file: store.path)
            for f in formats {
                let path = Experiment.join(outDirectory, "trial_\(t.id).\(f.rawValue).json")
                try Experiment.writeAtomically(Array(try ArchitectureJSON.write(arch, space: space, format: f).utf8), to: path)
                paths.append(path)
            }
        }
        return paths
    }

    /// One-line form of a JSON document.
    static func compactJSON(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        guard let n = rows.first?.count else { return "" }
        var widths = Array(repeating: 0, count: n)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i + 1 == n ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
