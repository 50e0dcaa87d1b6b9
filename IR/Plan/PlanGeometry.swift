// PlanGeometry: per-sample shapes of convolutions and pools inside plan steps (the batch is bound at run time).

/// A 2-D convolution's geometry without the batch: NCHW input, OIHW weight.
public struct ConvGeometry: Hashable, Sendable {
    public var inChannels: Int
    public var inHeight: Int
    public var inWidth: Int
    public var outChannels: Int
    public var kernel: Int
    public var stride: Int
    public var padding: Int
    public var dilation: Int
    public var groups: Int

    /// Creates a convolution geometry (square kernel, symmetric padding).
    public init(inChannels: Int, inHeight: Int, inWidth: Int, outChannels: Int, kernel: Int, stride: Int = 1,
                padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.inChannels = inChannels; self.inHeight = inHeight; self.inWidth = inWidth; self.outChannels = outChannels
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }

    /// `(H + 2p - d(k-1) - 1) / s + 1`.
    public var outHeight: Int { (inHeight + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 }
    /// `(W + 2p - d(k-1) - 1) / s + 1`.
    public var outWidth: Int { (inWidth + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 }
    /// Weight elements.
    public var weightCount: Int { outChannels * (inChannels / groups) * kernel * kernel }
    /// Fan-in of one output unit (PyTorch's `fan_in` for init).
    public var fanIn: Int { (inChannels / groups) * kernel * kernel }
    /// Floats of im2col workspace (0 when the kernel needs none: depthwise or 1x1/stride 1/unpadded).
    public var workspaceCount: Int {
        let depthwise = groups > 1 && inChannels / groups == 1
        let pointwise = kernel == 1 && stride == 1 && padding == 0
        return depthwise || pointwise ? 0 : (inChannels / groups) * kernel * kernel * outHeight * outWidth
    }
}

/// A 2-D pooling window's geometry without the batch (floor rounding).
public struct PoolGeometry: Hashable, Sendable {
    public var channels: Int
    public var inHeight: Int
    public var inWidth: Int
    public var kernel: Int
    public var stride: Int
    public var padding: Int

    /// Creates a pooling geometry.
    public init(channels: Int, inHeight: Int, inWidth: Int, kernel: Int, stride: Int, padding: Int = 0) {
        self.channels = channels; self.inHeight = inHeight; self.inWidth = inWidth
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }

    /// `(H + 2p - k) / s + 1`.
    public var outHeight: Int { (inHeight + 2 * padding - kernel) / stride + 1 }
    /// `(W + 2p - k) / s + 1`.
    public var outWidth: Int { (inWidth + 2 * padding - kernel) / stride + 1 }
}
