// ONNXGraphBuilder: accumulates ONNX nodes, initializers and attributes while a nasc graph is translated.
import Foundation
import NASCIR

/// Builds an `Onnx_GraphProto` piece by piece: nodes in topological order, float and int64 initializers.
struct ONNXGraphBuilder {
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    private var initializerNames = Set<String>()

    /// Appends a node; `name` is the node's name (shown by Netron), `outputs` its value names.
    mutating func node(_ opType: String, name: String, inputs: [String], outputs: [String],
                       attributes: [Onnx_AttributeProto] = []) {
        var n = Onnx_NodeProto()
        n.opType = opType
        n.name = name
        n.input = inputs
        n.output = outputs
        n.attribute = attributes
        nodes.append(n)
    }

    /// Adds a float32 initializer (little-endian raw data) and returns its name.
    @discardableResult
    mutating func floats(_ name: String, shape: [Int], _ values: [Float]) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var raw = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        t.rawData = raw
        add(t)
        return name
    }

    /// Adds an int64 initializer and returns its name.
    @discardableResult
    mutating func int64s(_ name: String, shape: [Int], _ values: [Int]) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        t.int64Data = values.map(Int64.init)
        add(t)
        return name
    }

    /// True when a node already writes the value `name`.
    func hasValue(_ name: String) -> Bool { nodes.contains { $0.output.contains(name) } }

    /// True when an initializer of this name exists.
    func hasInitializer(_ name: String) -> Bool { initializerNames.contains(name) }

    private mutating func add(_ t: Onnx_TensorProto) {
        guard initializerNames.insert(t.name).inserted else { return }
        initializers.append(t)
    }
}

/// Attribute constructors.
enum ONNXAttribute {
    static func int(_ name: String, _ v: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .int; a.i = Int64(v); return a
    }
    static func ints(_ name: String, _ v: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .ints; a.ints = v.map(Int64.init); return a
    }
    static func string(_ name: String, _ v: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .string; a.s = Data(v.utf8); return a
    }
    static func float(_ name: String, _ v: Double) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .float; a.f = Float(v); return a
    }
    /// A tensor attribute holding one float (ConstantOfShape's `value`).
    static func scalarTensor(_ name: String, _ v: Float) -> Onnx_AttributeProto {
        var t = Onnx_TensorProto()
        t.dims = [1]
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        t.floatData = [v]
        var a = Onnx_AttributeProto(); a.name = name; a.type = .tensor; a.t = t; return a
    }
}
