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
    /// The subnet's root graph after the `params` pipeline (separable convolutions split, every weight a named `param` node).
    public let graph: Graph
    /// The space's name.
    public let spaceName: String
    /// Parameter and state values by name (checked against the model: names, shapes, finite values).
    public let weights: [String: [Float]]
    /// The input normalization the weights were trained with.
    public let normalization: Checkpoint.Normalization?
    /// Training steps the weights have seen (PyTorch's `num_batches_tracked`).
    public let trainingSteps: Int
    /// The architecture as NNI v3 JSON (`{label: value}`), recorded in the exported files.
    public let architectureJSON: String

    /// Specializes `space` to `arch`, makes its parameters explicit and checks `checkpoint` against the eval plan
    /// (errors located at `weightsFile`).
    public init(space: ModelSpace, architecture arch: Architecture, weights checkpoint: Checkpoint, weightsFile: String) throws {
        // Compiling the eval plan checks names, shapes and values exactly like `nasc predict`.
        _ = try InferenceModel(space: space, architecture: arch, weights: checkpoint, weightsFile: weightsFile)
        var fixed = try ArchitectureTraining.subnet(space, arch)
        var context = PassContext(architecture: arch)
        let manager = try PassManager(pipeline: "params")
        try manager.runOrThrow(on: &fixed, context: &context)
        guard let root = fixed.rootGraph else { throw DiagnosticError(.error("the subnet has no root graph")) }
        graph = root
        spaceName = space.name
        var w: [String: [Float]] = [:]
        for t in checkpoint.tensors where t.role == .parameter || t.role == .state { w[t.name] = t.values }
        weights = w
        normalization = checkpoint.inputNormalization
        trainingSteps = checkpoint.stepsTaken
        architectureJSON = ((try? ArchitectureJSON.write(arch, space: try SearchSpace(space), format: .nniV3)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The state dict as safetensors: every parameter and running statistic by nasc's name, the input normalization
    /// (`input_normalization.mean`, `.inv_std`) and each batch norm's `num_batches_tracked` (the training steps).
    func safetensors(counters: [String]) -> [UInt8] {
        var tensors: [SafeTensors.Tensor] = []
        for n in graph.nodes {
            if case .param(let p) = n.op, let v = weights[p.name] { tensors.append(.init(name: p.name, shape: p.shape, values: v)) }
        }
        if let n = normalization, let rank = graph.inputs.first?.type.rank {
            let shape = [1, n.mean.count] + [Int](repeating: 1, count: max(rank - 2, 0))
            tensors.append(.init(name: "input_normalization.mean", shape: shape, values: n.mean))
            tensors.append(.init(name: "input_normalization.inv_std", shape: shape, values: n.std.map { 1 / $0 }))
        }
        for c in counters { tensors.append(.init(name: c, shape: [], int64: [Int64(trainingSteps)])) }
        return SafeTensors.encode(tensors, metadata: ["format": "pt", "producer": "nasc", "space": spaceName])
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
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) } catch {
                    throw DiagnosticError(.error("cannot create directory: \(error.localizedDescription)", at: SourceLocation(file: path)))
                }
            } else if !isDir.boolValue {
                throw DiagnosticError(.error("--format pytorch writes a directory, but this is a file", at: SourceLocation(file: path)))
            }
            var module = PyTorchModule(model: self)
            let source = try module.source()
            let py = path + "/model.py", st = path + "/model.safetensors"
            try OutputFile.write(source, to: py)
            try OutputFile.write(safetensors(counters: module.batchNormCounters), to: st)
            return [py, st]
        }
    }
}
