// SequenceAttributes: typed attributes of the windowed sequence ops (conv1d, max/avg pooling over time) and transpose.
// Sequences are batch first and channels last, `[N,T,C]`, the layout `embedding` produces.

/// `conv1d`: 1-D convolution over time of a sequence `[N,T,C]` (channels last); weight `[out, C/groups, kernel]`
/// as PyTorch's `nn.Conv1d`, output `[N,T',out]`.
public struct Conv1DAttrs: Hashable, Sendable {
    /// Input channels if the user stated them (checked against the input type); `nil` = inferred.
    public var inChannels: ValueExpr?
    /// Output channels (may be a value choice).
    public var outChannels: ValueExpr
    /// Kernel length.
    public var kernel: ValueExpr
    /// Stride (default 1).
    public var stride: ValueExpr
    /// Padding (default 0; `same` keeps `ceil(T / stride)` steps).
    public var padding: Padding
    /// Dilation (default 1).
    public var dilation: ValueExpr
    /// Groups (default 1).
    public var groups: ValueExpr
    /// Whether a bias is added (default true).
    public var bias: Bool

    /// Creates conv1d attributes.
    public init(outChannels: ValueExpr, kernel: ValueExpr, stride: ValueExpr = .int(1), padding: Padding = .explicit(.int(0)),
                dilation: ValueExpr = .int(1), groups: ValueExpr = .int(1), bias: Bool = true, inChannels: ValueExpr? = nil) {
        self.inChannels = inChannels; self.outChannels = outChannels; self.kernel = kernel; self.stride = stride
        self.padding = padding; self.dilation = dilation; self.groups = groups; self.bias = bias
    }
}

/// `max_pool1d` / `avg_pool1d`: pooling windows over time of a sequence `[N,T,C]`.
public struct Pool1DAttrs: Hashable, Sendable {
    public var kernel: ValueExpr
    /// Stride; `nil` means "equal to kernel", as in PyTorch.
    public var stride: ValueExpr?
    public var padding: Padding

    /// Creates pooling attributes.
    public init(kernel: ValueExpr, stride: ValueExpr? = nil, padding: Padding = .explicit(.int(0))) {
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }
}

/// `transpose`: swaps two dimensions (never the batch, dimension 0); negative dimensions count from the end.
public struct TransposeAttrs: Hashable, Sendable {
    public var dim0: Int
    public var dim1: Int
    /// Creates transpose attributes.
    public init(dim0: Int, dim1: Int) { self.dim0 = dim0; self.dim1 = dim1 }
}
