// DecomposeSeparable: the `decompose-separable` pass — splits separable_conv2d into depthwise_conv2d + 1x1 conv2d.
import NASCIR

/// Rewrites `separable_conv2d(%x) {out, kernel, stride, padding, dilation, bias}` as
/// `depthwise_conv2d(%x) {kernel, stride, padding, dilation, bias = false}` (named `<node>.depthwise`) followed by
/// `conv2d {out, kernel = 1, bias}` (keeping the node's name, so its users are unchanged), the form the executor
/// runs and autodiff differentiates. Needs the node's inferred type (for the intermediate's type); untyped
/// nodes are left alone. `explicit-params` runs it first.
public struct DecomposeSeparable: Pass {
    public let name = "decompose-separable"
    public let summary = "split separable_conv2d into depthwise_conv2d + pointwise conv2d"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        for gi in space.graphs.indices where space.graphs[gi].nodes.contains(where: { if case .separableConv2d = $0.op { true } else { false } }) {
            space.graphs[gi] = Self.decompose(space.graphs[gi])
        }
    }

    /// Decomposes every typed separable conv of a graph.
    static func decompose(_ graph: Graph) -> Graph {
        var g = graph
        var out: [Node] = []
        // Names and types indexed once (fresh names and type lookups per node made big graphs quadratic).
        let types = ValueTypes(graph)
        var taken = Set(graph.inputs.map(\.name) + graph.nodes.map(\.name))
        func fresh(_ base: String) -> String {
            var name = base, i = 1
            // One set operation per name: insert fails while the name is taken.
            while !taken.insert(name).inserted { name = "\(base)_\(i)"; i += 1 }
            return name
        }
        for n in graph.nodes {
            guard case .separableConv2d(let a) = n.op, n.inputs.count == 1, let t = n.type, t.rank == 4,
                  let inType = types.type(of: n.inputs[0]), inType.rank == 4 else {
                out.append(n); continue
            }
            let dwName = fresh("\(n.name).depthwise")
            var mid = t
            mid.shape[1] = inType.shape[1]
            out.append(Node(name: dwName, op: .depthwiseConv2d(DepthwiseConv2DAttrs(kernel: a.kernel, stride: a.stride, padding: a.padding,
                                                                                    dilation: a.dilation, bias: false)),
                            inputs: n.inputs, types: [mid], location: n.location, scope: n.scope))
            out.append(Node(name: n.name, op: .conv2d(Conv2DAttrs(outChannels: a.outChannels, kernel: .int(1), bias: a.bias)),
                            inputs: [ValueRef(dwName)], types: n.types, location: n.location, scope: n.scope))
        }
        g.nodes = out
        return g
    }
}
