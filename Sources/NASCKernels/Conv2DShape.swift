// Conv2DShape: the geometry of a 2-D convolution (NCHW input, OIHW weight) shared by all conv kernels.

/// Geometry of a 2-D convolution: input `[batch, inChannels, inHeight, inWidth]`,
/// weight `[outChannels, inChannels / groups, kernelHeight, kernelWidth]`,
/// output `[batch, outChannels, outHeight, outWidth]`. Padding is symmetric (zero padding).
public struct Conv2DShape: Sendable, Equatable, Hashable {
    /// Batch size (N).
    public var batch: Int
    /// Input channels.
    public var inChannels: Int
    /// Input height.
    public var inHeight: Int
    /// Input width.
    public var inWidth: Int
    /// Output channels.
    public var outChannels: Int
    /// Kernel (window) height.
    public var kernelHeight: Int
    /// Kernel (window) width.
    public var kernelWidth: Int
    /// Vertical stride.
    public var strideHeight: Int
    /// Horizontal stride.
    public var strideWidth: Int
    /// Zero padding added above and below.
    public var padHeight: Int
    /// Zero padding added left and right.
    public var padWidth: Int
    /// Vertical dilation.
    public var dilationHeight: Int
    /// Horizontal dilation.
    public var dilationWidth: Int
    /// Channel groups (inChannels and outChannels divide by it).
    public var groups: Int

    /// Creates a convolution geometry; pairs are `(height, width)`.
    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int, outChannels: Int,
                kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        self.batch = batch
        self.inChannels = inChannels
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.outChannels = outChannels
        self.kernelHeight = kernel.0
        self.kernelWidth = kernel.1
        self.strideHeight = stride.0
        self.strideWidth = stride.1
        self.padHeight = padding.0
        self.padWidth = padding.1
        self.dilationHeight = dilation.0
        self.dilationWidth = dilation.1
        self.groups = groups
    }

    /// Output height: `(H + 2p - d(k-1) - 1) / s + 1`.
    public var outHeight: Int { (inHeight + 2 * padHeight - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1 }
    /// Output width: `(W + 2p - d(k-1) - 1) / s + 1`.
    public var outWidth: Int { (inWidth + 2 * padWidth - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1 }
    /// Input channels per group.
    public var groupInChannels: Int { inChannels / groups }
    /// Output channels per group.
    public var groupOutChannels: Int { outChannels / groups }
    /// Number of floats in the input tensor.
    public var inputCount: Int { batch * inChannels * inHeight * inWidth }
    /// Number of floats in the output tensor.
    public var outputCount: Int { batch * outChannels * outHeight * outWidth }
    /// Number of floats in the weight tensor.
    public var weightCount: Int { outChannels * groupInChannels * kernelHeight * kernelWidth }

    /// True when every size is positive, channels divide by `groups` and the output is non-empty.
    /// Kernels assume a valid shape; callers (the runtime) validate before calling.
    public var isValid: Bool {
        guard batch > 0, inChannels > 0, inHeight > 0, inWidth > 0, outChannels > 0,
              kernelHeight > 0, kernelWidth > 0, strideHeight > 0, strideWidth > 0,
              padHeight >= 0, padWidth >= 0, dilationHeight > 0, dilationWidth > 0, groups > 0
        else { return false }
        return inChannels % groups == 0 && outChannels % groups == 0 && outHeight > 0 && outWidth > 0
    }

    /// True for depthwise convolutions (one input channel per group, more than one group):
    /// these run as a direct loop instead of im2col + GEMM.
    public var isDepthwise: Bool { groups > 1 && groupInChannels == 1 }

    /// True for 1x1, stride-1, unpadded convolutions: GEMM runs directly on the input, no im2col.
    public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && padHeight == 0 && padWidth == 0
    }
}
