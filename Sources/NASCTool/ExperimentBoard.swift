// ExperimentBoard: writes a multi-trial experiment's TensorBoard logs while it runs (per-trial scalars and HParams
// sessions, experiment scalars), forwarding every event to the display it wraps.
import Foundation
import NASCBoard
import NASCExperiment
import NASCIR

/// An ``ExperimentObserver`` that writes `DIR/tensorboard/`:
/// - `trial_0001/`, ... per trial: `metric` per epoch, `final_metric`, `params`, `flops`, `duration_s`, and the
///   HParams plugin's session start (the trial's decisions) and end (its status);
/// - `experiment/`: `best_so_far`, `trials_per_minute`, `succeeded`, `failed` per finished trial, and the HParams
///   experiment summary (every decision with its candidates; metrics `final_metric`, `params`, `flops`).
///
/// `tensorboard --logdir DIR/tensorboard` shows the scalars and the HParams dashboard. A write error is reported once
/// through the wrapped observer's `note` and stops the logging, never the experiment.
public final class ExperimentBoard: ExperimentObserver {
    /// `DIR/tensorboard`.
    public let root: String
    let next: ExperimentObserver
    let store: ExperimentStore
    let space: SearchSpace
    var trialWriters: [Int: EventFileWriter] = [:]
    var experimentWriter: EventFileWriter?
    var failedOnce = false
    var finished = 0
    var best: Double?
    let sessionStart = Date().timeIntervalSince1970
    let elapsedBefore: Double

    /// The TensorBoard directory of an experiment directory.
    public static func directory(_ experiment: String) -> String {
        experiment.hasSuffix("/") ? experiment + "tensorboard" : experiment + "/tensorboard"
    }

    /// The metric tags of every trial run (the HParams dashboard's columns).
    public static let metricTags: [(tag: String, description: String)] = [
        ("final_metric", "the trial's final metric (higher is better)"),
        ("params", "trainable parameters of the subnet"),
        ("flops", "FLOPs per sample of the subnet"),
    ]

    /// Starts logging `store`'s experiment next to it, forwarding to `next`. Counts the trials already finished
    /// (a resumed experiment continues its experiment scalars).
    public init(store: ExperimentStore, forwardingTo next: ExperimentObserver) throws {
        self.store = store
        self.next = next
        root = Self.directory(store.directory)
        space = try SearchSpace(try store.space())
        let done = try store.trials().filter { $0.status.isFinished }
        finished = done.count
        best = done.compactMap(\.finalMetric).max()
        elapsedBefore = try store.state().elapsed
        guard let writer = attempt({ try EventFileWriter(directory: root + "/experiment") }) else { return }
        experimentWriter = writer
        let config = try store.config()
        attempt {
            try writer.write(HParamsSummary.experiment(name: "\(config.strategy) on \(config.spacePath)",
                                                       hparams: DecisionNames.hparamInfos(space), metrics: Self.metricTags,
                                                       created: try store.state().startedAt), step: 0)
        }
    }

    /// Runs a write; on the first failure notes it and turns logging off.
    @discardableResult
    func attempt<T>(_ body: () throws -> T) -> T? {
        guard !failedOnce else { return nil }
        do { return try body() } catch {
            failedOnce = true
            next.note("tensorboard: \(error) (no more TensorBoard events are written; the experiment goes on)")
            return nil
        }
    }

    func runName(_ id: Int) -> String { String(format: "trial_%04d", id) }

    public func note(_ text: String) { next.note(text) }

    public func trialStarted(_ id: Int, attempt n: Int, pid: Int32) {
        next.trialStarted(id, attempt: n, pid: pid)
        guard !failedOnce, let record = try? store.trial(id) else { return }
        let now = Date().timeIntervalSince1970
        trialWriters[id] = attempt {
            let w = try EventFileWriter(directory: root + "/" + runName(id))
            let arch = (try? ArchitectureJSON.read(record.architectureJSON, space: space)) ?? Architecture()
            try w.write(HParamsSummary.sessionStart(hparams: DecisionNames.hparams(arch, space: space), started: now), step: 0)
            return w
        }
    }

    public func trialProgress(_ id: Int, epoch: Int, metric: Double) {
        next.trialProgress(id, epoch: epoch, metric: metric)
        guard let w = trialWriters[id] else { return }
        attempt { try w.scalar("metric", metric, step: epoch) }
    }

    public func trialFinished(_ record: TrialRecord) {
        next.trialFinished(record)
        finished += 1
        if let m = record.finalMetric { best = max(best ?? m, m) }
        let now = Date().timeIntervalSince1970
        if let w = trialWriters.removeValue(forKey: record.id) {
            let epochs = (try? store.intermediates(record.id).count) ?? 0
            var values: [(tag: String, value: Double)] = []
            if let m = record.finalMetric { values.append(("final_metric", m)) }
            if let p = record.params { values.append(("params", Double(p))) }
            if let f = record.flops { values.append(("flops", Double(f))) }
            if let d = record.duration { values.append(("duration_s", d)) }
            attempt {
                try w.scalars(values, step: epochs)
                try w.write(HParamsSummary.sessionEnd(record.status == .succeeded ? .success : .failure, ended: now), step: epochs)
            }
        }
        if let w = experimentWriter {
            let minutes = (elapsedBefore + now - sessionStart) / 60
            var values: [(tag: String, value: Double)] = []
            if let best { values.append(("best_so_far", best)) }
            if minutes > 0 { values.append(("trials_per_minute", Double(finished) / minutes)) }
            attempt { try w.scalars(values, step: finished) }
        }
    }

    public func tick(_ snapshot: ExperimentSnapshot) { next.tick(snapshot) }
}
