// ModelExport: the library side of `nasc export` — one architecture with its trained weights as ONNX or PyTorch.
import Foundation
import NASCIR
import NASCONNX
import NASCPasses
import NASCRuntime

/// Export formats.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One `.onnx` file (opset 17, IR version 8).
    case onnx
    /// A directory with `model.py` (an `nn.Module`) and `model.safetensors`.
    case pytorch
}

/// A trained architecture ready to leave nasc: its flat subnet with explicit parameters and checked weights.
public struct ExportableModel {
    /// The subnet's root graph after `explicit-params` (every weight a named `param` node).
    public let graph: Graph
    /// The space's name.
    public let spaceName: String
    /// Parameter and state values by name (checked against the model: names, shapes, finite values).
    public let weights: [String: [Float]]
    /// The input normalization the weights were trained with.
    public let normalization: Checkpoint.Normalization?
    /// The architecture as NNI v3 JSON (`{label: value}`), recorded in the exported files.
    public let architectureJSON: String

    /// Specializes `space` to `arch`, makes its parameters explicit and checks `checkpoint` against the eval plan
    /// (errors located at `weightsFile`).
    public init(space: ModelSpace, architecture arch: Architecture, weights checkpoint: Checkpoint, weightsFile: String) throws {
        // Compiling the eval plan checks names, shapes and values exactly like `nasc predict`.
        _ = try InferenceModel(space: space, architecture: arch, weights: checkpoint, weightsFile: weightsFile)
        var fixed = try ArchitectureTraining.subnet(space, arch)
        var context = PassContext(architecture: arch)
        let manager = try PassManager(pipeline: "explicit-params")
        try manager.runOrThrow(on: &fixed, context: &context)
        guard let root = fixed.rootGraph else { throw DiagnosticError(.error("the subnet has no root graph")) }
        graph = root
        spaceName = space.name
        var w: [String: [Float]] = [:]
        for t in checkpoint.tensors where t.role == .parameter || t.role == .state { w[t.name] = t.values }
        weights = w
        normalization = checkpoint.inputNormalization
        architectureJSON = ((try? ArchitectureJSON.write(arch, space: try SearchSpace(space), format: .nniV3)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The ONNX model's bytes.
    public func onnx() throws -> [UInt8] {
        let doc = "nasc export of space '\(spaceName)'" + (architectureJSON.isEmpty ? "" : "; architecture \(architectureJSON)")
        return try ONNXExport.encode(try ONNXExport.model(graph: graph, weights: weights, normalization: normalization, docString: doc))
    }
}

extension ExportableModel {
    /// Writes the model in `format` at `path` (a file for ONNX, a directory for PyTorch); returns the files written.
    public func write(format: ExportFormat, to path: String) throws -> [String] {
        switch format {
        case .onnx:
            try OutputFile.write(try onnx(), to: path)
            return [path]
        case .pytorch:
            throw DiagnosticError(.error("pytorch export is not available yet", at: SourceLocation(file: "--format")))
        }
    }
}
