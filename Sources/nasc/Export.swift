// `nasc export`: write one trained architecture as an ONNX model or a PyTorch module with safetensors weights.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

extension ExportFormat: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a trained architecture: ONNX (opset 17) or PyTorch (model.py + model.safetensors).",
        discussion: "The model takes raw inputs: when the weights were trained on normalized data, the normalization is part of it."
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String
    @Option(help: "The architecture: NNI JSON (v1, v3 or tuner form) or nasc protobuf. Not needed for a fixed space.")
    var arch: String?
    @Option(help: "The trained weights (nasc train --save).")
    var weights: String
    @Option(help: "onnx or pytorch.")
    var format: ExportFormat = .onnx
    @Option(name: .shortAndLong, help: "Output: a .onnx file, or a directory for pytorch (created if missing; its parent must exist).")
    var output: String

    func run() throws {
        try checkOutputDirectory(output)
        let (file, space) = try loadSpace(input)
        do {
            let architecture = try arch.map { try ArchitectureFile.load($0, for: space) } ?? ArchitectureFile.none(for: space, file: input)
            let checkpoint = try TrainingStart.loadCheckpoint(weights)
            let model = try ExportableModel(space: space, architecture: architecture, weights: checkpoint, weightsFile: weights)
            for path in try model.write(format: format, to: output) { print(path) }
            // A text model's vocabulary travels with it.
            if let vocabulary = try WeightsVocabulary.copy(forWeights: weights, toExport: output, format: format) { print(vocabulary) }
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
