// TestGraphs: small typed graphs (as shape inference would leave them) and naive references for executor tests.
import NASCIR
import NASCPasses
@testable import NASCRuntime
import NASCData

/// Builds a typed root graph node by node.
struct GraphBuilder {
    var graph: Graph
    init(input: TensorType, labels: Bool = false) {
        var inputs = [GraphInput(name: "x", type: input)]
        if labels { inputs.append(GraphInput(name: "labels", type: TensorType(.i64, [.batch]))) }
        graph = Graph(name: "main", inputs: inputs)
    }

    /// Appends a node and returns its name.
    @discardableResult
    mutating func add(_ name: String, _ op: Op, _ inputs: [String], _ type: TensorType) -> String {
        graph.nodes.append(Node(name: name, op: op, inputs: inputs.map { ValueRef($0) }, types: [type]))
        return name
    }

    func space(outputs: [String]) -> ModelSpace {
        var g = graph
        g.outputs = outputs.map { ValueRef($0) }
        return ModelSpace(name: "test", root: "main", graphs: [g])
    }
}

extension TensorType {
    static func f(_ dims: Int...) -> TensorType { TensorType(.f32, [.batch] + dims.map { .fixed($0) }) }
}

/// Conv attributes with constant values.
func convAttrs(_ out: Int, _ k: Int, stride: Int = 1, pad: Int = 0, bias: Bool = true) -> Conv2DAttrs {
    Conv2DAttrs(outChannels: .int(out), kernel: .int(k), stride: .int(stride), padding: .explicit(.int(pad)), bias: bias)
}

/// Deterministic pseudo-random floats in [-1, 1).
func randomFloats(_ n: Int, seed: UInt64) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { _ in g.uniform(bound: 1) }
}

/// Naive direct convolution (NCHW, OIHW, groups 1) for references.
func naiveConv(_ x: [Float], n: Int, c: Int, h: Int, w: Int, weight: [Float], bias: [Float]?, o: Int, k: Int,
               stride: Int = 1, pad: Int = 0) -> [Float] {
    let oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1
    var y = [Float](repeating: 0, count: n * o * oh * ow)
    for b in 0..<n { for oc in 0..<o { for i in 0..<oh { for j in 0..<ow {
        var s: Double = Double(bias?[oc] ?? 0)
        for ic in 0..<c { for ki in 0..<k { for kj in 0..<k {
            let ii = i * stride + ki - pad, jj = j * stride + kj - pad
            if ii < 0 || jj < 0 || ii >= h || jj >= w { continue }
            s += Double(x[((b * c + ic) * h + ii) * w + jj]) * Double(weight[((oc * c + ic) * k + ki) * k + kj])
        } } }
        y[((b * o + oc) * oh + i) * ow + j] = Float(s)
    } } } }
    return y
}

/// Naive `x W^T + b`.
func naiveLinear(_ x: [Float], rows: Int, fin: Int, weight: [Float], bias: [Float]?, fout: Int) -> [Float] {
    var y = [Float](repeating: 0, count: rows * fout)
    for r in 0..<rows { for o in 0..<fout {
        var s = Double(bias?[o] ?? 0)
        for i in 0..<fin { s += Double(x[r * fin + i]) * Double(weight[o * fin + i]) }
        y[r * fout + o] = Float(s)
    } }
    return y
}

/// Largest absolute difference.
func maxDiff(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
