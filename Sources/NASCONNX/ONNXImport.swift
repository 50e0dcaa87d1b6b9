// ONNXImport: an inference ONNX graph of supported ops -> a readable .nas space (one statement per layer) + weights.
import Foundation
import NASCIR
import SwiftProtobuf

/// Turns an ONNX model into `.nas` source that a user edits to add choices, plus the weights by nasc parameter name.
///
/// One statement per layer, `name = input -> op(args)`, named after the layer's weights (`layer1.0.conv1.weight` ->
/// `layer1_0_conv1`) or its ONNX node. Supported: Conv (groups, dilation, symmetric pads; depthwise when each group
/// is one channel), Gemm (alpha = beta = 1), BatchNormalization, LayerNormalization (last axis), Relu, Clip(0, 6),
/// Sigmoid, Tanh, HardSwish, MaxPool and AveragePool (square, symmetric, floor mode), GlobalAveragePool followed by
/// Flatten, Flatten (axis 1), Add/Sum/Mul of tensors, Concat, Softmax, LogSoftmax, Identity, Dropout; a leading
/// `Sub`/`Mul` by per-channel constants (nasc's own input normalization) becomes the weights' normalization.
public enum ONNXImport {
    /// One weight tensor of the imported space.
    public struct Tensor: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        /// Running statistics (not trained) rather than parameters.
        public var isState: Bool
    }

    /// What an import produces.
    public struct Result: Sendable {
        /// The `.nas` source.
        public var source: String
        /// Weights named as nasc names the imported space's parameters.
        public var tensors: [Tensor]
        /// The input normalization found at the start of the graph, if any.
        public var normalization: Checkpoint.Normalization?
    }

    /// Converts ONNX bytes read from `file` into a space named `spaceName`; `isReserved` names the identifiers the
    /// `.nas` language reserves. Errors are one line located at `file`, naming the op and node for unsupported ops.
    public static func convert(_ bytes: [UInt8], file: String, spaceName: String,
                               isReserved: @escaping (String) -> Bool) throws -> Result {
        let model: Onnx_ModelProto
        do { model = try Onnx_ModelProto(serializedBytes: bytes) } catch {
            throw DiagnosticError(.error("not a valid ONNX model: \(error)", at: SourceLocation(file: file)))
        }
        guard model.hasGraph, !model.graph.node.isEmpty else {
            throw DiagnosticError(.error("not a valid ONNX model: it has no graph nodes", at: SourceLocation(file: file)))
        }
        var importer = try ONNXImporter(graph: model.graph, file: file, isReserved: isReserved)
        return try importer.run(spaceName: spaceName)
    }
}
