// `nasc predict`: run a trained architecture in eval mode over a data split and write its outputs.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

extension DataSplitChoice: ExpressibleByArgument {}

/// Options shared by `nasc predict` and `nasc eval`: the model (space, architecture, weights) and the data.
struct InferenceFlags: ParsableArguments {
    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String
    @Option(help: "The architecture: NNI JSON (v1, v3 or tuner form) or nasc protobuf. Not needed for a fixed space.")
    var arch: String?
    @Option(help: "The trained weights (nasc train --save).")
    var weights: String
    @Option(help: "Data set: digits (bundled), idx:DIR, cifar10:DIR, csv:PATH?target=..., text:PATH (the vocabulary saved with the weights), synthetic?count=...")
    var data = "digits"
    @Option(help: "Which split: test, train or all.")
    var split: DataSplitChoice = .test
    @Option(help: "Samples per forward pass.")
    var batchSize = 256
    @Option(help: "classification or regression (how CSV targets are read).")
    var task = "classification"
    @Option(help: "OpenBLAS threads.")
    var threads = 1

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard ["classification", "regression"].contains(task) else { throw ValidationError("--task must be classification or regression") }
    }

    /// Loads the model and the data; diagnostics are printed (with source context for .nas) and rethrown as reported.
    func load() throws -> (InferenceModel, InferenceData) {
        let (file, space) = try loadSpace(input)
        do {
            let architecture = try arch.map { try ArchitectureFile.load($0, for: space) } ?? ArchitectureFile.none(for: space, file: input)
            let weights = try TrainingStart.loadCheckpoint(self.weights)
            let model = try InferenceModel(space: space, architecture: architecture, weights: weights, weightsFile: self.weights,
                                           threads: threads)
            // Raw text is encoded with the vocabulary kept next to the weights (unless --data names one).
            let data = try WeightsVocabulary.dataSpec(self.data, weights: self.weights)
            return (model, try model.loadData(data, split: split, task: task))
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a trained architecture in eval mode and write its outputs (logits or regression values), one row per sample."
    )

    @OptionGroup var model: InferenceFlags

    @Option(name: .shortAndLong, help: "Output file: .npy (float32 [samples, outputs]) or .csv; default CSV on standard output.")
    var output: String?

    func run() throws {
        if let output { try checkOutputDirectory(output) }
        let (m, data) = try model.load()
        do {
            let (values, width) = try m.outputs(data, batchSize: model.batchSize)
            guard let output else {
                print(ArrayFile.csv(values, rows: data.count, columns: width), terminator: "")
                return
            }
            if ArrayFile.isNumPy(output) {
                try OutputFile.write(ArrayFile.npy(values, rows: data.count, columns: width), to: output)
            } else {
                try OutputFile.write(ArrayFile.csv(values, rows: data.count, columns: width), to: output)
            }
            printError("wrote \(data.count) x \(width) outputs to \(output)")
        } catch let error as DiagnosticError {
            printError(error.description)
            throw ReportedFailure()
        }
    }
}

/// Fails with `PATH: error: directory 'D' does not exist` before any work when an output's directory is missing.
func checkOutputDirectory(_ path: String) throws {
    do { try OutputFile.checkDirectory(of: path) } catch let error as DiagnosticError {
        printError(error.description)
        throw ReportedFailure()
    }
}
