// KeptWeights: the trained weights `nasc run --keep-weights` keeps per trial, and exporting the best as models.
import Foundation
import NASCExperiment
import NASCIR

/// Weights of training trials, kept as `DIR/weights/trial_<id>.pb` (nasc checkpoints, readable by `nasc predict`).
public enum KeptWeights {
    /// The absolute weights directory of the experiment in `experiment` (trials may run from another directory).
    public static func directory(experiment: String) -> String {
        URL(fileURLWithPath: experiment).standardizedFileURL.appendingPathComponent("weights").path
    }

    /// Where trial `id`'s weights are.
    public static func path(directory: String, trial id: Int) -> String { directory + "/trial_\(id).pb" }

    /// Writes a trial's weights (creating the directory).
    public static func write(_ checkpoint: Checkpoint, directory: String, trial id: Int) throws {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw DiagnosticError(.error("cannot create directory: \(error.localizedDescription)", at: SourceLocation(file: directory)))
        }
        try OutputFile.write(try ProtoIO.encode(checkpoint), to: path(directory: directory, trial: id))
    }

    /// Exports the best `k` trials' models in `format` to `outDirectory` (`trial_<id>.onnx`, or `trial_<id>/` with
    /// model.py and model.safetensors); returns the files written. A trial without kept weights is an error naming it.
    public static func export(_ store: ExperimentStore, k: Int, format: ExportFormat, to outDirectory: String) throws -> [String] {
        let space = try store.space()
        let search = try SearchSpace(space)
        let weights = directory(experiment: store.directory)
        var paths: [String] = []
        let best = try store.top(k)
        for t in best {
            let file = path(directory: weights, trial: t.id)
            guard FileManager.default.fileExists(atPath: file) else {
                throw DiagnosticError(.error("trial \(t.id) has no kept weights (\(file)); run the experiment with --keep-weights",
                                             at: SourceLocation(file: store.directory)))
            }
            let arch = try ArchitectureJSON.read(t.architectureJSON, space: search, file: store.path)
            let model = try ExportableModel(space: space, architecture: arch, weights: try TrainingStart.loadCheckpoint(file),
                                            weightsFile: file)
            try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
            let out = outDirectory + "/trial_\(t.id)" + (format == .onnx ? ".onnx" : "")
            paths += try model.write(format: format, to: out)
        }
        return paths
    }
}
