// ModelImport: the library side of `nasc import` — an ONNX file -> a checked .nas space and its weights.
import Foundation
import NASCFrontend
import NASCIR
import NASCONNX

/// Imports an ONNX model as a `.nas` space (a base to add choices to) with its weights as a nasc checkpoint.
public enum ModelImport {
    /// What an import wrote.
    public struct Output {
        public var source: String
        public var space: ModelSpace
        public var weights: Checkpoint
    }

    /// Converts `onnxPath` and checks the result: the `.nas` source compiles, and the weights load into its eval plan
    /// with exact names and shapes. Errors are one line located at the ONNX file.
    public static func convert(onnxPath: String, spaceName: String) throws -> Output {
        guard let data = FileManager.default.contents(atPath: onnxPath) else {
            throw DiagnosticError(.error(FileManager.default.fileExists(atPath: onnxPath) ? "cannot read file" : "no such file",
                                         at: SourceLocation(file: onnxPath)))
        }
        let result = try ONNXImport.convert([UInt8](data), file: onnxPath, spaceName: spaceName, isReserved: Frontend.isReservedName)
        let space: ModelSpace
        do { space = try Frontend.compile(source: result.source, file: onnxPath + " (imported)") } catch let e as DiagnosticError {
            throw DiagnosticError(.error("the imported model does not compile as a space: \(e.diagnostics.first?.message ?? "\(e)")",
                                         at: SourceLocation(file: onnxPath)))
        }
        var checkpoint = Checkpoint(planName: space.name, seed: 0, stepsTaken: 0, updatesTaken: 0, learningRate: 0,
                                    tensors: result.tensors.map {
                                        Checkpoint.Tensor(name: $0.name, role: $0.isState ? .state : .parameter, values: $0.values, shape: $0.shape)
                                    })
        checkpoint.inputNormalization = result.normalization
        // The weights must fit the space nasc compiles from the source (same check as nasc predict).
        _ = try InferenceModel(space: space, architecture: try ArchitectureFile.none(for: space, file: onnxPath), weights: checkpoint,
                               weightsFile: onnxPath)
        return Output(source: result.source, space: space, weights: checkpoint)
    }

    /// A space name from an output path (`models/base.nas` -> `base`).
    public static func spaceName(for path: String) -> String {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let name = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return name.first?.isLetter == true ? name : "imported"
    }
}
