// GradientBuilder: what autodiff hands an op's gradient rule — the forward node, its gradient, and an emitter.
import NASCIR

/// The backward state for one forward node while autodiff walks the graph in reverse.
///
/// A gradient rule (``GradientRule/rule(_:)``) reads ``node``, ``output`` and ``gradOutput``, emits backward
/// nodes with ``emit(_:_:_:_:)`` and hands each input its gradient with ``give(_:_:)``.
public struct GradientBuilder {
    /// The forward node being differentiated.
    public internal(set) var node: Node
    /// The gradient of the loss with respect to the node's (first) result.
    public internal(set) var gradOutput: ValueRef
    var emitter: Autodiff.Emitter
    var contributions: [ValueRef: [ValueRef]] = [:]
    let types: [ValueRef: TensorType]
    let needs: Set<String>
    /// Parameter gradients (`param_grad` nodes), in emission order.
    var paramGrads: [ValueRef] = []

    init(graph: Graph, types: [ValueRef: TensorType], needs: Set<String>) {
        emitter = Autodiff.Emitter(graph: graph)
        self.types = types; self.needs = needs
        node = Node(name: "", op: .identity, inputs: []); gradOutput = ValueRef("")
        contributions.reserveCapacity(graph.nodes.count)
    }

    /// The node's first result.
    public var output: ValueRef { ValueRef(node.name) }

    /// True when input `i` depends on a trainable parameter (so its gradient is needed).
    public func needsGradient(_ i: Int) -> Bool { i < node.inputs.count && needs.contains(node.inputs[i].node) }

    /// The type of input `i`.
    public func inputType(_ i: Int) -> TensorType { types[node.inputs[i]]! }

    /// The type of the node's first result.
    public var outputType: TensorType { types[output]! }

    /// Adds `gradient` to input `i`'s gradient (several contributions are summed).
    public mutating func give(_ i: Int, _ gradient: ValueRef) { contributions[node.inputs[i], default: []].append(gradient) }

    /// Appends a backward node named `<node>.<suffix>` (made unique) in the forward node's scope.
    public mutating func emit(_ suffix: String, _ op: Op, _ inputs: [ValueRef], _ types: [TensorType]) -> ValueRef {
        emitter.emit("\(node.name).\(suffix)", op, inputs, types)
    }

    /// Marks the gradient of a parameter node: `param_grad(%param, %grad)`, a graph output.
    public mutating func markParameterGradient() {
        paramGrads.append(emit("grad", .paramGrad, [output, gradOutput], [outputType]))
    }

    /// One backward op `op(inputs)` typed like input 0, given to input 0 (activations, pooling, reshapes).
    public mutating func unary(_ op: Op, _ inputs: [ValueRef]) {
        if needsGradient(0) { give(0, emit("grad", op, inputs, [inputType(0)])) }
    }

    /// The three gradients of a layer `(x, weight[, bias])`: `gradInput(gy, w)`, `gradWeight(x, gy)`, `gradBias(gy)`.
    public mutating func layer(input: Op, weight: Op, bias: Op) {
        let gy = gradOutput, ins = node.inputs
        if needsGradient(0) { give(0, emit("grad_input", input, [gy, ins[1]], [inputType(0)])) }
        if needsGradient(1) { give(1, emit("grad_weight", weight, [ins[0], gy], [inputType(1)])) }
        if needsGradient(2) { give(2, emit("grad_bias", bias, [gy], [inputType(2)])) }
    }

    /// A normalization's one backward op `(x, y, gy[, gamma]) -> (gx[, gGamma, gBeta])`.
    public mutating func normalization(_ op: Op, affine: Bool) {
        let outs = affine ? [inputType(0), inputType(1), inputType(2)] : [inputType(0)]
        let ins = [node.inputs[0], output, gradOutput] + (affine ? [node.inputs[1]] : [])
        let r = emit("grad", op, ins, outs)
        if needsGradient(0) { give(0, r) }
        if affine {
            if needsGradient(1) { give(1, ValueRef(r.node, slot: 1)) }
            if needsGradient(2) { give(2, ValueRef(r.node, slot: 2)) }
        }
    }

    /// One backward op with one result per input, result `i` given to input `i`.
    public mutating func perInput(_ op: Op, _ inputs: [ValueRef]) {
        let r = emit("grad", op, inputs, node.inputs.indices.map { inputType($0) })
        for i in node.inputs.indices where needsGradient(i) { give(i, ValueRef(r.node, slot: i)) }
    }
}
