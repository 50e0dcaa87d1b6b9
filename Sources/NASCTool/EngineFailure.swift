// EngineFailure: the one-line error `nasc run` ends with when a trial command or engine never produced a result.
import Foundation
import NASCExperiment

extension ExperimentTool {
    /// The error line for an experiment whose trial command (or Ray engine) is broken as a whole, else `nil`:
    /// the session stopped because its first trials all failed (end reason `failing`), or, with a trial command,
    /// `--max-duration` cut off every trial before any reported a result (a command that hangs).
    public static func engineFailure(_ summary: ExperimentSummary, _ store: ExperimentStore) throws -> String? {
        let engine = try store.config().engine
        let trials = try store.trials()
        func log(_ id: Int) -> String { Experiment.logPath(store.directory, trial: id) }
        switch summary.endReason {
        case "failing":
            guard let first = trials.first(where: { $0.status == .failed }) else { return nil }
            let n = TrialEngineConfig.failFastCount(engine) ?? 0
            return "\(engine.flag): stopped after \(n) failed trials and no success; trial \(first.id): \(first.error ?? "failed") "
                + "(log: \(log(first.id))); fix it and continue with `nasc run --resume \(store.directory)`"
        case "max-duration" where engine.trialCommand != nil && summary.succeeded == 0 && summary.failed == 0 && summary.unfinished > 0:
            let first = trials.first { !$0.status.isFinished }
            return "--trial-command: no trial reported a final metric before --max-duration ended the run (does the command hang?)"
                + (first.map { "; see \(log($0.id))" } ?? "")
        default:
            return nil
        }
    }
}
