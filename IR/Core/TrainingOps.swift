// TrainingOps: attribute structs for explicit parameters and losses, the ops autodiff and lowering work with.

/// How a parameter is initialized before training (PyTorch's defaults for each layer).
public enum ParamInit: Hashable, Sendable {
    /// All zeros (batchnorm/layernorm shift, running mean).
    case zeros
    /// All ones (batchnorm/layernorm scale, running variance).
    case ones
    /// PyTorch's default for conv/linear weights: `kaiming_uniform_(a = sqrt(5))`, i.e. uniform in
    /// `[-1/sqrt(fanIn), 1/sqrt(fanIn)]`.
    case kaimingUniform(fanIn: Int)
    /// PyTorch's default for conv/linear biases: uniform in `[-1/sqrt(fanIn), 1/sqrt(fanIn)]`.
    case fanInUniform(fanIn: Int)
    /// A constant 0/1 mask: ones inside the half-open box `lower[d] ..< upper[d]` of every dimension `d`, zeros
    /// elsewhere (supernet weight-slicing masks; never trained).
    case box(lower: [Int], upper: [Int])

    /// The symbol used in text and protobuf (`zeros`, `ones`, `kaiming_uniform`, `fan_in_uniform`).
    public var symbol: String {
        switch self {
        case .zeros: return "zeros"
        case .ones: return "ones"
        case .kaimingUniform: return "kaiming_uniform"
        case .fanInUniform: return "fan_in_uniform"
        case .box: return "box"
        }
    }

    /// The fan-in of the uniform schemes.
    public var fanIn: Int? {
        switch self {
        case .kaimingUniform(let f), .fanInUniform(let f): return f
        case .zeros, .ones, .box: return nil
        }
    }
}

/// What a supernet control tensor is for. Strategies and the executor find control tensors by this typed role,
/// never by their names (which stay for printing, checkpoints and export).
public enum ControlParameterKind: String, Hashable, Sendable, CaseIterable {
    /// DARTS / GumbelDARTS architecture weights `alpha` (trainable).
    case architecture = "arch"
    /// GumbelDARTS noise (state, written before every step).
    case gumbelNoise = "gumbel_noise"
    /// GumbelDARTS inverse temperature `1 / tau` (state).
    case gumbelInverseTemperature = "gumbel_inv_tau"
    /// Hard (straight-through) GumbelDARTS offset `onehot(argmax(w)) - w` (state).
    case gumbelHardOffset = "gumbel_hard"
    /// Proxyless binary gates (trainable only for their gradient; the strategy sets them).
    case gate
    /// DARTS- auxiliary skip weights `[1, beta]` (state, one tensor for the whole supernet; no label).
    case auxiliarySkip = "aux_skip"
}

/// A supernet control tensor: its kind and the decision label it belongs to (empty for ``ControlParameterKind/auxiliarySkip``).
public struct ControlParameter: Hashable, Sendable {
    public var kind: ControlParameterKind
    public var label: String
    /// Creates a control parameter role.
    public init(_ kind: ControlParameterKind, label: String = "") { self.kind = kind; self.label = label }
}

/// `param`: a named tensor of the model (weight, bias, or non-trained state such as batchnorm running stats).
///
/// Created by the `explicit-params` pass: a `conv2d(%x)` becomes `conv2d(%x, %w, %b)` with `%w`, `%b` param nodes.
public struct ParamAttrs: Hashable, Sendable {
    /// Unique parameter name, PyTorch style (`conv1.weight`, `bn.running_mean`).
    public var name: String
    /// Fixed shape (no batch dimension).
    public var shape: [Int]
    /// Initial values.
    public var initializer: ParamInit
    /// True for parameters the optimizer updates; false for state (running statistics).
    public var trainable: Bool
    /// The supernet control role (architecture weights, gates...), `nil` for model weights and state.
    public var control: ControlParameter?

    /// Creates parameter attributes.
    public init(name: String, shape: [Int], initializer: ParamInit, trainable: Bool = true, control: ControlParameter? = nil) {
        self.name = name; self.shape = shape; self.initializer = initializer; self.trainable = trainable; self.control = control
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}

extension Op {
    /// How many values a multi-result gradient op produces (`nil` for single-result ops; `concat_grad`
    /// produces one value per annotated type).
    public var gradientResultCount: Int? {
        switch self {
        case .batchNormGrad(let a): return a.affine ? 3 : 1
        case .layerNormGrad(let a): return a.affine ? 3 : 1
        case .mulGrad: return 2
        case .multiheadAttentionGrad: return 5
        case .lstmGrad(let a), .gruGrad(let a): return 1 + 4 * a.directions
        default: return nil
        }
    }
}

/// `fused_conv2d`: a convolution with a folded inference batchnorm and/or an activation, made by the `fuse` pass.
///
/// Inputs: `x`, the conv weight, the conv bias (if `conv.bias`), then for a folded batchnorm its weight and bias
/// (if affine), running mean and running variance.
public struct FusedConv2DAttrs: Hashable, Sendable {
    public var conv: Conv2DAttrs
    /// The folded batchnorm (inference: running statistics), if any.
    public var batchNorm: BatchNormAttrs?
    /// The activation applied to the result, if any.
    public var activation: Activation?

    /// Creates fused convolution attributes.
    public init(conv: Conv2DAttrs, batchNorm: BatchNormAttrs? = nil, activation: Activation? = nil) {
        self.conv = conv; self.batchNorm = batchNorm; self.activation = activation
    }
}
