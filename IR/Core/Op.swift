// Op: the typed operation of a node. Tensor ops carry typed attribute structs; choices are first-class ops.

/// What a node computes.
public enum Op: Hashable, Sendable {
    // Convolution.
    case conv2d(Conv2DAttrs)
    case depthwiseConv2d(DepthwiseConv2DAttrs)
    case separableConv2d(SeparableConv2DAttrs)
    // Layers.
    case linear(LinearAttrs)
    case batchNorm(BatchNormAttrs)
    case layerNorm(LayerNormAttrs)
    // Activations.
    case activation(Activation)
    // Pooling and reshaping.
    case maxPool2d(Pool2DAttrs)
    case avgPool2d(Pool2DAttrs)
    case globalAvgPool
    /// Flattens every dimension after the batch.
    case flatten
    // Other.
    case dropout(p: ValueExpr)
    /// Elementwise sum of all inputs (2 or more).
    case add
    /// Elementwise product of all inputs (2 or more).
    case mul
    case concat(axis: Int)
    case identity
    /// DARTS's "none": zeros shaped like the input (strided when `stride` > 1).
    case zero(stride: ValueExpr)
    case softmax(axis: Int)
    case logSoftmax(axis: Int)
    // Structure and mutation primitives.
    /// Instantiates a subgraph (a block/module).
    case call(graph: String)
    case layerChoice(LayerChoiceOp)
    case inputChoice(InputChoiceOp)
    case repeated(RepeatOp)
    case cell(CellOp)

    /// The op's kind (its text name).
    public var kind: OpKind {
        switch self {
        case .conv2d: return .conv2d
        case .depthwiseConv2d: return .depthwiseConv2d
        case .separableConv2d: return .separableConv2d
        case .linear: return .linear
        case .batchNorm: return .batchNorm
        case .layerNorm: return .layerNorm
        case .activation(let a):
            switch a {
            case .relu: return .relu
            case .relu6: return .relu6
            case .sigmoid: return .sigmoid
            case .tanh: return .tanh
            case .gelu: return .gelu
            case .hardswish: return .hardswish
            }
        case .maxPool2d: return .maxPool2d
        case .avgPool2d: return .avgPool2d
        case .globalAvgPool: return .globalAvgPool
        case .flatten: return .flatten
        case .dropout: return .dropout
        case .add: return .add
        case .mul: return .mul
        case .concat: return .concat
        case .identity: return .identity
        case .zero: return .zero
        case .softmax: return .softmax
        case .logSoftmax: return .logSoftmax
        case .call: return .call
        case .layerChoice: return .layerChoice
        case .inputChoice: return .inputChoice
        case .repeated: return .repeated
        case .cell: return .cell
        }
    }

    /// True for the mutation primitives (ops that hold a decision).
    public var isChoice: Bool {
        switch self {
        case .layerChoice, .inputChoice, .repeated, .cell: return true
        default: return attributes.contains { if case .expr(let e) = $0.value { return !e.labels.isEmpty } else { return false } }
        }
    }

    /// Subgraphs this op refers to, in attribute order.
    public var referencedGraphs: [String] {
        switch self {
        case .call(let g): return [g]
        case .layerChoice(let c): return c.candidates.map(\.graph)
        case .repeated(let r): return r.blocks
        case .cell(let c): return c.candidates.map(\.graph) + c.inputCandidates.map(\.graph)
        default: return []
        }
    }

    /// Value-choice labels read by this op's attributes.
    public var valueLabels: [String] {
        var out: [String] = []
        for a in attributes { if case .expr(let e) = a.value { for l in e.labels where !out.contains(l) { out.append(l) } } }
        return out
    }
}

/// The name of each op, as written in text IR and protobuf.
public enum OpKind: String, Hashable, Sendable, CaseIterable {
    case conv2d, depthwiseConv2d = "depthwise_conv2d", separableConv2d = "separable_conv2d"
    case linear, batchNorm = "batch_norm", layerNorm = "layer_norm"
    case relu, relu6, sigmoid, tanh, gelu, hardswish
    case maxPool2d = "max_pool2d", avgPool2d = "avg_pool2d", globalAvgPool = "global_avg_pool", flatten
    case dropout, add, mul, concat, identity, zero, softmax, logSoftmax = "log_softmax"
    case call, layerChoice = "layer_choice", inputChoice = "input_choice", repeated = "repeat", cell

    /// Number of tensor inputs: exact count, or `nil` for variadic (at least `minInputs`).
    public var arity: Int? {
        switch self {
        case .add, .mul, .concat, .inputChoice, .call, .layerChoice, .cell: return nil
        default: return 1
        }
    }

    /// The fewest inputs a variadic op takes.
    public var minInputs: Int {
        switch self {
        case .add, .mul: return 2
        case .concat, .inputChoice, .cell: return 1
        case .call, .layerChoice: return 0
        default: return arity ?? 1
        }
    }
}
