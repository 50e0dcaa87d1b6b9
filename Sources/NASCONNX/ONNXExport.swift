// ONNXExport: a flat, typed nasc subnet with explicit parameters and its trained weights -> an ONNX model.
import Foundation
import NASCIR
import SwiftProtobuf

/// Writes ONNX models (opset 17, IR version 8) that onnxruntime runs with the outputs of `nasc predict`.
///
/// The input is the subnet of one architecture after `specialize`, `inline`, `shape-infer` and `explicit-params`:
/// one graph whose `param` nodes name every weight (`conv1.weight`, `bn.running_mean`). Each nasc node becomes the
/// ONNX node(s) of the table in docs/export.md; node and value names are nasc's node names and initializers carry
/// nasc's parameter names, so Netron shows the space's own labels. When the weights were trained on normalized
/// inputs the model starts with that normalization (`Sub`, `Mul`), so it takes the same raw data as `nasc predict`.
public enum ONNXExport {
    /// The opset nasc writes.
    public static let opsetVersion: Int64 = 17
    /// The ONNX IR version nasc writes (set explicitly: newer runtimes accept it, older ones reject newer IR).
    public static let irVersion: Int64 = 8

    /// The model for `graph` (the root of a flat subnet) with `weights` by parameter name.
    /// Throws a ``DiagnosticError`` located at the node for an op ONNX export does not cover or a missing weight.
    public static func model(graph: Graph, weights: [String: [Float]], normalization: Checkpoint.Normalization?,
                             docString: String = "") throws -> Onnx_ModelProto {
        var translator = ONNXTranslator(graph: graph, weights: weights)
        guard graph.inputs.count == 1, let input = graph.inputs.first else {
            throw DiagnosticError(.error("ONNX export needs a graph with one input, '\(graph.name)' has \(graph.inputs.count)",
                                         at: graph.location))
        }
        // Token ids are never normalized.
        if let normalization, input.type.dtype != .i64 { try translator.normalizeInput(input, normalization) }
        for n in graph.nodes { try translator.translate(n) }

        var g = Onnx_GraphProto()
        g.name = graph.name
        g.node = translator.builder.nodes
        g.initializer = translator.builder.initializers
        g.input = [valueInfo(input.name, input.type)]
        g.output = try graph.outputs.map { ref in
            guard let t = graph.type(of: ref) else {
                throw DiagnosticError(.error("output \(ref) has no inferred type", at: graph.location))
            }
            return valueInfo(translator.value(ref), t)
        }
        var m = Onnx_ModelProto()
        m.irVersion = irVersion
        m.producerName = "nasc"
        m.producerVersion = "1"
        m.docString = docString
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        m.opsetImport = [opset]
        m.graph = g
        return m
    }

    /// The model's bytes (deterministic).
    public static func encode(_ model: Onnx_ModelProto) throws -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return try model.serializedBytes(options: options)
    }

    /// A float (or int64 token id) tensor value description; the batch dimension is the symbolic `N`.
    static func valueInfo(_ name: String, _ t: TensorType) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = t.shape.map { d in
            var x = Onnx_TensorShapeProto.Dimension()
            switch d {
            case .batch: x.dimParam = "N"
            case .fixed(let v): x.dimValue = Int64(v)
            }
            return x
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32((t.dtype == .i64 ? Onnx_TensorProto.DataType.int64 : .float).rawValue)
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var v = Onnx_ValueInfoProto()
        v.name = name
        v.type = type
        return v
    }
}
