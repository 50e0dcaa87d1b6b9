// TrainingStart: where a training run begins — fresh weights, saved weights (`--init-from`) or a checkpoint (`--resume`).
import NASCIR
import NASCRuntime

/// How `nasc train` starts its run.
public enum TrainingStart: Sendable {
    /// Seeded initialization (PyTorch's default initializers).
    case fresh
    /// Parameters and running statistics from saved weights (exact names and shapes); a new optimizer and epoch 0.
    case initFrom(Checkpoint, file: String)
    /// Everything a checkpointed run saved: weights, optimizer state, counters, epoch and batch position.
    case resume(Checkpoint, file: String)

    /// Reads a weights file for `--init-from` or `--resume`: a nasc checkpoint (`nasc train --save`).
    /// Errors are located at the file (or at `flag` for a missing file).
    public static func loadCheckpoint(_ path: String) throws -> Checkpoint {
        let loaded = try InputFile(path: path).load()
        guard case .checkpoint(let c) = loaded else {
            throw DiagnosticError(.error("expected weights (a checkpoint written by nasc train --save), found \(loaded.what)",
                                         at: SourceLocation(file: path)))
        }
        return c
    }

    /// Applies the start to a trainer whose executor is freshly initialized; `normalization` is this run's input
    /// normalization (a resumed run must see the data it was trained on).
    /// Errors name the weights file: `W.pb: error: weights do not fit the model (...)`.
    func apply(to trainer: Trainer, normalization: Checkpoint.Normalization?) throws {
        switch self {
        case .fresh: return
        case .initFrom(let c, let file):
            try WeightsFile.locate(file) { try trainer.executor.loadWeights(from: c) }
        case .resume(let c, let file):
            if let saved = c.inputNormalization, saved != normalization {
                throw DiagnosticError(.error("the checkpoint was trained on differently normalized data; resume with the run's "
                                             + "--data, --validation and --seed", at: SourceLocation(file: file)))
            }
            try WeightsFile.locate(file) { try trainer.resume(from: c) }
        }
    }
}

/// Locating weight errors at the weights file.
public enum WeightsFile {
    /// Runs `body`; diagnostics without a location are located at `file`.
    public static func locate<T>(_ file: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DiagnosticError {
            throw DiagnosticError(e.diagnostics.map { d in
                var d = d
                if d.location.isUnknown { d.location = SourceLocation(file: file) }
                return d
            })
        }
    }
}

extension ArchitectureTraining {
    /// Untrained weights of the subnet `arch` picks: the seeded PyTorch-style initialization `nasc train` starts from,
    /// with no input normalization (for tests and for exporting an architecture before training it).
    public static func initialWeights(_ space: ModelSpace, _ arch: Architecture, seed: UInt64 = 0) throws -> Checkpoint {
        let plan = try plan(space, arch, options: TrainOptions(), training: false)
        return try Executor(plan: plan, seed: seed).checkpoint()
    }
}
