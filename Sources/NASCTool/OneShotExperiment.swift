// OneShotExperiment: a one-shot run's directory as an experiment. The store (experiment.sqlite) records the run —
// strategy, options, seed, training flags and the space — and, at the end, the exported architecture as its one
// trial with the per-epoch validation accuracy; `DIR/oneshot-checkpoint.json`, replaced atomically after every
// epoch, holds the search's state so `nasc run --resume DIR` continues a killed run exactly.
import Foundation
import NASCIR
import NASCPasses
import NASCExperiment
import NASCStrategies

/// The store and checkpoint of one-shot runs.
public enum OneShotExperiment {
    /// The checkpoint file in the run directory.
    public static let checkpointFileName = "oneshot-checkpoint.json"

    /// What the checkpoint file holds: the search state and the epoch log written so far.
    struct CheckpointFile: Codable {
        var state: OneShotSearchState
        /// The `oneshot.jsonl` lines of the epochs done.
        var log: [String]
        /// The validation accuracy of each epoch done (the trial's intermediate metrics).
        var validAccuracy: [Double]
    }

    static func checkpointPath(_ directory: String) -> String { OneShotTool.join(directory, checkpointFileName) }

    /// Creates the store of a new one-shot run in `directory`. `flags` are the training flags as given on the
    /// command line (`--data digits --train-epochs 3`); `--resume` parses them again. Refuses a directory that
    /// already holds an experiment.
    public static func create(directory: String, spaceFile: InputFile, strategy: String, strategyOptions: [String: String],
                              seed: UInt64, flags: [String]) throws -> ExperimentStore {
        let (space, hash) = try ExperimentTool.loadSpace(spaceFile)
        let config = ExperimentConfig(spacePath: spaceFile.path, spaceHash: hash, strategy: strategy, strategyOptions: strategyOptions,
                                      seed: seed, maxTrials: 1, evaluatorArguments: flags)
        return try ExperimentStore.create(directory: directory, config: config, space: space)
    }

    /// Whether `directory` holds a one-shot run's store.
    public static func isOneShot(directory: String) -> Bool {
        guard FileManager.default.fileExists(atPath: Experiment.storePath(directory)),
              let store = try? ExperimentStore.open(directory: directory), let config = try? store.config() else { return false }
        return OneShotTool.isOneShot(config.strategy)
    }

    /// Opens a one-shot run for `nasc run --resume`: its store, settings and space. A space file that changed since
    /// the run started is an error located at the file (the checkpoint's supernet belongs to the old space).
    public static func open(directory: String) throws -> (store: ExperimentStore, config: ExperimentConfig, space: ModelSpace) {
        let store = try ExperimentStore.open(directory: directory)
        let config = try store.config()
        if let data = FileManager.default.contents(atPath: config.spacePath), Experiment.hash([UInt8](data)) != config.spaceHash {
            throw DiagnosticError(.error("the space file changed since this one-shot run started (hash \(Experiment.hash([UInt8](data))), stored \(config.spaceHash)); its checkpoint belongs to the old space: start a new run in another directory",
                                         at: SourceLocation(file: config.spacePath)))
        }
        return (store, config, try store.space())
    }

    /// Removes the store of a new run that failed before its first epoch ended (bad options found late, a missing
    /// data set), so the same command can run again once fixed. A run with a checkpoint is kept for `--resume`.
    public static func discardIfNotStarted(_ directory: String) {
        guard !FileManager.default.fileExists(atPath: checkpointPath(directory)) else { return }
        let store = Experiment.storePath(directory)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
    }

    /// The checkpoint of a run, or nil before its first epoch ended.
    static func loadCheckpoint(_ directory: String) throws -> CheckpointFile? {
        let path = checkpointPath(directory)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            let c = try JSONDecoder().decode(CheckpointFile.self, from: data)
            guard c.log.count == c.state.epochsDone, c.validAccuracy.count == c.state.epochsDone else {
                throw DiagnosticError(.error("the checkpoint's log has \(c.log.count) epochs, its state \(c.state.epochsDone)", at: SourceLocation(file: path)))
            }
            return c
        } catch let e as DiagnosticError {
            throw e
        } catch {
            throw DiagnosticError(.error("unreadable one-shot checkpoint: \(error)", at: SourceLocation(file: path)))
        }
    }

    /// Replaces the checkpoint atomically (a kill at any moment leaves the old or the new one).
    static func saveCheckpoint(_ c: CheckpointFile, _ directory: String) throws {
        try OutputFile.write([UInt8](try JSONEncoder().encode(c)), to: checkpointPath(directory))
    }

    /// Records the finished run in its store: the exported architecture as trial 1 (metric: `metric`, with its
    /// parameters and FLOPs; running from the run's start), one intermediate metric per epoch, and the experiment
    /// finished.
    public static func finish(_ store: ExperimentStore, outcome: OneShotTool.Outcome, space: ModelSpace, elapsed: Double) throws {
        let arch = try ArchitectureJSON.read(outcome.architectureJSON, space: try SearchSpace(space))
        let cost = (try? Budget.cost(of: arch, in: space)) ?? nil
        let started = try store.state().startedAt
        // A run killed while being recorded has its trial already: record into that one.
        let existing = try store.trials().first
        let id = try existing?.id ?? store.addTrials([outcome.architectureJSON], checkpoint: nil, at: started)[0]
        if existing.map({ $0.status == .queued }) ?? true { try store.markRunning(id, pid: nil, at: started) }
        for (epoch, acc) in outcome.validAccuracy.enumerated() { try store.recordIntermediate(id, epoch: epoch, metric: acc) }
        try store.finishTrial(id, .succeeded(metric: outcome.metric, params: cost?.params, flops: cost?.flops), checkpoint: nil)
        try store.finish(reason: "completed", elapsed: elapsed)
    }
}
