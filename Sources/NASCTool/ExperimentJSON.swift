// ExperimentJSON: the `--json` forms of `nasc experiment list|show|top-k` (one JSON document, keys sorted).
import Foundation
import NASCExperiment
import NASCIR

/// Machine-readable experiment listings.
public enum ExperimentJSON {
    /// A trial as a JSON object: id, status, metric, val_loss (when reported), params, flops, epochs (intermediate metrics), attempts, times,
    /// error, and the architecture as an object.
    static func trial(_ t: TrialRecord, _ store: ExperimentStore, curve: Bool) throws -> [String: Any] {
        var o: [String: Any] = ["id": t.id, "status": t.status.rawValue, "attempts": t.attempts]
        if let m = t.finalMetric { o["metric"] = m }
        if let l = t.finalLoss { o["val_loss"] = l }
        if let x = t.testMetric { o["test"] = x }
        if let e = t.stoppedEpoch { o["stopped_epoch"] = e }
        if let p = t.params { o["params"] = p }
        if let f = t.flops { o["flops"] = f }
        if let e = t.error { o["error"] = e }
        if let d = t.duration { o["duration_s"] = d }
        if let s = t.startedAt { o["started_at"] = s }
        if let e = t.endedAt { o["ended_at"] = e }
        let metrics = try store.intermediates(t.id)
        o["epochs"] = metrics.count
        if curve { o["intermediate"] = metrics.map { ["epoch": $0.epoch, "metric": $0.metric] as [String: Any] } }
        if let a = try? JSONSerialization.jsonObject(with: Data(t.architectureJSON.utf8)) { o["architecture"] = a }
        return o
    }

    static func text(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `list --json`: `{"experiment": {...}, "trials": [...]}`.
    public static func list(_ store: ExperimentStore) throws -> String {
        let c = try store.config(), s = try store.state()
        var exp: [String: Any] = ["directory": store.directory, "strategy": c.strategy, "space": c.spacePath, "seed": c.seed,
                                  "status": s.status, "elapsed_s": s.elapsed, "sessions": s.sessions]
        if let r = s.endReason { exp["end_reason"] = r }
        return try text(["experiment": exp, "trials": try store.trials().map { try trial($0, store, curve: false) }])
    }

    /// `show --json`: one trial with its per-epoch metrics.
    public static func show(_ store: ExperimentStore, trial id: Int) throws -> String {
        guard let t = try store.trial(id) else {
            throw DiagnosticError(.error("no trial \(id) (the experiment has \(try store.trialCount()) trials)", at: SourceLocation(file: store.directory)))
        }
        return try text(try trial(t, store, curve: true))
    }

    /// `top-k --json`: the best trials, best first, with their rank.
    public static func top(_ store: ExperimentStore, k: Int) throws -> String {
        try text(try store.top(k).enumerated().map { i, t in
            var o = try trial(t, store, curve: false)
            o["rank"] = i + 1
            return o
        })
    }

    /// The id of the best succeeded trial (for `show` without an id); a located error when none succeeded.
    public static func bestTrialID(_ store: ExperimentStore) throws -> Int {
        guard let b = try store.top(1).first else {
            throw DiagnosticError(.error("no succeeded trial to show (give a trial id)", at: SourceLocation(file: store.directory)))
        }
        return b.id
    }
}
