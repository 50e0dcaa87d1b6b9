// Typed attribute structs for the tensor ops. Every numeric attribute is a ValueExpr so a ValueChoice can stand for it.

/// Convolution / pooling padding.
public enum Padding: Hashable, Sendable {
    /// Output spatial size = ceil(input / stride) (PyTorch's "same" for stride 1).
    case same
    /// Symmetric zero padding of this many pixels on each side (0 is "valid").
    case explicit(ValueExpr)

    /// The padding per side that `same` needs on an input of `size` (output `ceil(size / stride)`), or `nil`
    /// when it needs one more pixel on one side than on the other: nasc pads symmetrically, so the shape rules
    /// of the front end and the passes and the lowering all use this one definition.
    public static func sameAmount(size: Int, kernel: Int, stride: Int, dilation: Int) -> Int? {
        guard size > 0, kernel > 0, stride > 0, dilation > 0 else { return nil }
        let out = (size + stride - 1) / stride
        let total = max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0)
        return total % 2 == 0 ? total / 2 : nil
    }
}

/// `conv2d`: 2-D convolution, NCHW. Input channels come from the input's type.
public struct Conv2DAttrs: Hashable, Sendable {
    /// Input channels if the user stated them (checked against the input type); `nil` = inferred.
    public var inChannels: ValueExpr?
    /// Output channels.
    public var outChannels: ValueExpr
    /// Square kernel size.
    public var kernel: ValueExpr
    /// Stride (default 1).
    public var stride: ValueExpr
    /// Padding (default 0).
    public var padding: Padding
    /// Dilation (default 1).
    public var dilation: ValueExpr
    /// Groups (default 1).
    public var groups: ValueExpr
    /// Whether a bias is added (default true).
    public var bias: Bool

    /// Creates conv2d attributes.
    public init(outChannels: ValueExpr, kernel: ValueExpr, stride: ValueExpr = .int(1), padding: Padding = .explicit(.int(0)),
                dilation: ValueExpr = .int(1), groups: ValueExpr = .int(1), bias: Bool = true, inChannels: ValueExpr? = nil) {
        self.inChannels = inChannels
        self.outChannels = outChannels; self.kernel = kernel; self.stride = stride
        self.padding = padding; self.dilation = dilation; self.groups = groups; self.bias = bias
    }
}

/// `depthwise_conv2d`: one filter per input channel (groups = channels, multiplier 1).
public struct DepthwiseConv2DAttrs: Hashable, Sendable {
    public var kernel: ValueExpr
    public var stride: ValueExpr
    public var padding: Padding
    public var dilation: ValueExpr
    public var bias: Bool

    /// Creates depthwise conv attributes.
    public init(kernel: ValueExpr, stride: ValueExpr = .int(1), padding: Padding = .explicit(.int(0)),
                dilation: ValueExpr = .int(1), bias: Bool = true) {
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.dilation = dilation; self.bias = bias
    }
}

/// `separable_conv2d`: depthwise conv followed by a 1x1 pointwise conv to `outChannels`.
public struct SeparableConv2DAttrs: Hashable, Sendable {
    public var outChannels: ValueExpr
    public var kernel: ValueExpr
    public var stride: ValueExpr
    public var padding: Padding
    public var dilation: ValueExpr
    public var bias: Bool

    /// Creates separable conv attributes.
    public init(outChannels: ValueExpr, kernel: ValueExpr, stride: ValueExpr = .int(1), padding: Padding = .explicit(.int(0)),
                dilation: ValueExpr = .int(1), bias: Bool = true) {
        self.outChannels = outChannels; self.kernel = kernel; self.stride = stride
        self.padding = padding; self.dilation = dilation; self.bias = bias
    }
}

/// `linear`: y = x W^T + b over the last dimension.
public struct LinearAttrs: Hashable, Sendable {
    /// Input features if the user stated them (checked against the input type); `nil` = inferred.
    public var inFeatures: ValueExpr?
    public var outFeatures: ValueExpr
    public var bias: Bool
    /// Creates linear attributes.
    public init(outFeatures: ValueExpr, bias: Bool = true, inFeatures: ValueExpr? = nil) {
        self.outFeatures = outFeatures; self.bias = bias; self.inFeatures = inFeatures
    }
}

/// `batch_norm`: per-channel normalization over N, H, W (dimension 1 is the channel).
public struct BatchNormAttrs: Hashable, Sendable {
    public var eps: Double
    public var momentum: Double
    public var affine: Bool
    /// Creates batchnorm attributes with PyTorch's defaults.
    public init(eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true) {
        self.eps = eps; self.momentum = momentum; self.affine = affine
    }
}

/// `layer_norm`: normalization over the last dimension.
public struct LayerNormAttrs: Hashable, Sendable {
    public var eps: Double
    public var affine: Bool
    /// Creates layernorm attributes with PyTorch's defaults.
    public init(eps: Double = 1e-5, affine: Bool = true) { self.eps = eps; self.affine = affine }
}

/// `embedding`: a `[vocab, dim]` table of learned vectors, looked up by token id.
public struct EmbeddingAttrs: Hashable, Sendable {
    /// Number of rows (token ids `0..<vocab`); a constant.
    public var vocab: ValueExpr
    /// Vector size (may be a value choice).
    public var dim: ValueExpr
    /// Creates embedding attributes.
    public init(vocab: ValueExpr, dim: ValueExpr) { self.vocab = vocab; self.dim = dim }
}

/// Elementwise activations.
public enum Activation: String, Hashable, Sendable, CaseIterable {
    case relu, relu6, sigmoid, tanh, gelu, hardswish
}

/// `max_pool2d` / `avg_pool2d`.
public struct Pool2DAttrs: Hashable, Sendable {
    public var kernel: ValueExpr
    /// Stride; `nil` means "equal to kernel", as in PyTorch.
    public var stride: ValueExpr?
    public var padding: Padding
    /// Average pooling only: whether padded zeros count in the divisor (PyTorch default true).
    public var countIncludePad: Bool

    /// Creates pooling attributes.
    public init(kernel: ValueExpr, stride: ValueExpr? = nil, padding: Padding = .explicit(.int(0)), countIncludePad: Bool = true) {
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.countIncludePad = countIncludePad
    }
}
