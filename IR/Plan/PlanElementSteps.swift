// PlanElementSteps: typed payloads of the parameter-free steps (activations, pooling, dropout, elementwise, losses).

/// Pointwise activation forward (`input` -> `output`) or backward (`gradOutput` -> `gradInput`).
public struct ActivationStep: Hashable, Sendable {
    public var function: Activation
    public var input: SlotID, output: SlotID
    /// Backward only.
    public var gradOutput: SlotID?, gradInput: SlotID?
    public init(function: Activation, input: SlotID, output: SlotID, gradOutput: SlotID? = nil, gradInput: SlotID? = nil) {
        self.function = function; self.input = input; self.output = output; self.gradOutput = gradOutput; self.gradInput = gradInput
    }
}

/// Max or average pooling. Forward reads `input`, writes `output` (and `indices` for max). Backward reads
/// `output` as the output gradient and writes `input` as the input gradient.
public struct PoolStep: Hashable, Sendable {
    public var geometry: PoolGeometry
    public var input: SlotID, output: SlotID
    /// Argmax indices (max pooling, i32).
    public var indices: SlotID?
    /// Average pooling: count padded zeros in the divisor.
    public var countIncludePad: Bool
    public init(geometry: PoolGeometry, input: SlotID, output: SlotID, indices: SlotID? = nil, countIncludePad: Bool = true) {
        self.geometry = geometry; self.input = input; self.output = output; self.indices = indices
        self.countIncludePad = countIncludePad
    }
}

/// Global average pooling `[N, C, spatial] -> [N, C]` (backward swaps the roles like ``PoolStep``).
public struct GlobalPoolStep: Hashable, Sendable {
    public var channels: Int, spatial: Int
    public var input: SlotID, output: SlotID
    public init(channels: Int, spatial: Int, input: SlotID, output: SlotID) {
        self.channels = channels; self.spatial = spatial; self.input = input; self.output = output
    }
}

/// Embedding lookup of `positions` token ids per sample in a `[vocab, dim]` table. Forward writes `output`
/// (`[N, positions, dim]`); backward scatters the gradient in `output` into `weight` (the table's gradient).
public struct EmbeddingStep: Hashable, Sendable {
    public var positions: Int, vocab: Int, dim: Int
    public var ids: SlotID, weight: SlotID, output: SlotID
    public init(positions: Int, vocab: Int, dim: Int, ids: SlotID, weight: SlotID, output: SlotID) {
        self.positions = positions; self.vocab = vocab; self.dim = dim; self.ids = ids; self.weight = weight; self.output = output
    }
}

/// Max (`max`) or mean pooling over time, `[N, length, features]` to `[N, features]`, skipping steps whose token id in
/// `ids` (`[N, length]`) is 0. Backward: `input` is the input's gradient, `output` the output's.
public struct SequencePoolStep: Hashable, Sendable {
    public var max: Bool
    public var length: Int, features: Int
    public var input: SlotID, output: SlotID
    public var ids: SlotID?, indices: SlotID?
    public init(max: Bool, length: Int, features: Int, input: SlotID, output: SlotID, ids: SlotID?, indices: SlotID?) {
        self.max = max; self.length = length; self.features = features; self.input = input; self.output = output
        self.ids = ids; self.indices = indices
    }
}

/// Dropout with a seeded mask. Forward: `output = input * mask`; backward: `input = output * mask` (gradients).
public struct DropoutStep: Hashable, Sendable {
    public var probability: Double
    public var input: SlotID, output: SlotID, mask: SlotID
    /// Distinguishes the dropout layers of a plan in the mask seed.
    public var index: Int
    public init(probability: Double, input: SlotID, output: SlotID, mask: SlotID, index: Int) {
        self.probability = probability; self.input = input; self.output = output; self.mask = mask; self.index = index
    }
}

/// `output = sum(inputs)` or `output = product(inputs)` (same sizes, 2 or more inputs).
public struct ElementwiseStep: Hashable, Sendable {
    public var inputs: [SlotID], output: SlotID
    public init(inputs: [SlotID], output: SlotID) { self.inputs = inputs; self.output = output }
}

/// `output = factor * input` (same sizes; an input choice's mean, and its gradient).
public struct ScaleStep: Hashable, Sendable {
    public var input: SlotID, output: SlotID
    public var factor: Double
    public init(input: SlotID, output: SlotID, factor: Double) { self.input = input; self.output = output; self.factor = factor }
}

/// Backward of a two-input product.
public struct MulBackwardStep: Hashable, Sendable {
    public var a: SlotID, b: SlotID, gradOutput: SlotID, gradA: SlotID?, gradB: SlotID?
    public init(a: SlotID, b: SlotID, gradOutput: SlotID, gradA: SlotID?, gradB: SlotID?) {
        self.a = a; self.b = b; self.gradOutput = gradOutput; self.gradA = gradA; self.gradB = gradB
    }
}

/// Channel concatenation of parts `[N, channels[k], spatial]` into `whole` (backward splits `whole` into the parts).
public struct ConcatStep: Hashable, Sendable {
    public var parts: [SlotID], channels: [Int], spatial: Int, whole: SlotID
    public init(parts: [SlotID], channels: [Int], spatial: Int, whole: SlotID) {
        self.parts = parts; self.channels = channels; self.spatial = spatial; self.whole = whole
    }
}

/// Copies `source` to `destination` (identity), or fills `destination` with zeros when `source` is nil.
public struct CopyStep: Hashable, Sendable {
    public var source: SlotID?, destination: SlotID
    public init(source: SlotID?, destination: SlotID) { self.source = source; self.destination = destination }
}

/// Softmax or log-softmax over the last `columns` values. Backward: `gradInput` from `output` and `gradOutput`.
public struct SoftmaxStep: Hashable, Sendable {
    public var columns: Int, log: Bool
    public var input: SlotID, output: SlotID
    /// Backward only.
    public var gradOutput: SlotID?, gradInput: SlotID?
    public init(columns: Int, log: Bool, input: SlotID, output: SlotID, gradOutput: SlotID? = nil, gradInput: SlotID? = nil) {
        self.columns = columns; self.log = log; self.input = input; self.output = output
        self.gradOutput = gradOutput; self.gradInput = gradInput
    }
}

/// The kind of loss.
public enum LossKind: Hashable, Sendable {
    /// Softmax cross-entropy on logits with label smoothing.
    case crossEntropy(labelSmoothing: Double)
    /// Negative log-likelihood on log-probabilities.
    case nll
    /// Mean squared error on predictions against f32 targets `[N, classes]` (regression; `classes` = outputs).
    case mse

    /// True for the regression loss, whose labels slot holds f32 targets (`classes` per sample) instead of i64 labels.
    public var hasFloatTargets: Bool { self == .mse }
}

/// A classification loss (or, for ``LossKind/mse``, a regression loss). Forward writes the mean loss to `loss`; backward writes `gradInput`.
public struct LossStep: Hashable, Sendable {
    public var kind: LossKind
    public var classes: Int
    public var input: SlotID, labels: SlotID
    /// Forward: the scalar loss slot. Backward: the gradient w.r.t. `input`.
    public var output: SlotID
    public init(kind: LossKind, classes: Int, input: SlotID, labels: SlotID, output: SlotID) {
        self.kind = kind; self.classes = classes; self.input = input; self.labels = labels; self.output = output
    }
}
