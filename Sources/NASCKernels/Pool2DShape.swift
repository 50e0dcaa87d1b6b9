// Pool2DShape: the geometry of a 2-D pooling window (NCHW), shared by max and average pooling.

/// Geometry of a 2-D pooling: input `[batch, channels, inHeight, inWidth]`, output
/// `[batch, channels, outHeight, outWidth]` with floor rounding (PyTorch `ceil_mode=False`).
public struct Pool2DShape: Sendable, Equatable, Hashable {
    /// Batch size (N).
    public var batch: Int
    /// Channels (C).
    public var channels: Int
    /// Input height.
    public var inHeight: Int
    /// Input width.
    public var inWidth: Int
    /// Kernel (window) height.
    public var kernelHeight: Int
    /// Kernel (window) width.
    public var kernelWidth: Int
    /// Vertical stride.
    public var strideHeight: Int
    /// Horizontal stride.
    public var strideWidth: Int
    /// Padding above and below (acts as -inf for max, 0 for average pooling).
    public var padHeight: Int
    /// Padding left and right.
    public var padWidth: Int

    /// Creates a pooling geometry; pairs are `(height, width)`.
    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int,
                kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0)) {
        self.batch = batch
        self.channels = channels
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.kernelHeight = kernel.0
        self.kernelWidth = kernel.1
        self.strideHeight = stride.0
        self.strideWidth = stride.1
        self.padHeight = padding.0
        self.padWidth = padding.1
    }

    /// Output height: `(H + 2p - k) / s + 1`.
    public var outHeight: Int { (inHeight + 2 * padHeight - kernelHeight) / strideHeight + 1 }
    /// Output width: `(W + 2p - k) / s + 1`.
    public var outWidth: Int { (inWidth + 2 * padWidth - kernelWidth) / strideWidth + 1 }
    /// Number of floats in the input tensor.
    public var inputCount: Int { batch * channels * inHeight * inWidth }
    /// Number of floats in the output tensor.
    public var outputCount: Int { batch * channels * outHeight * outWidth }

    /// True when sizes are positive, padding is at most half the kernel (as PyTorch requires)
    /// and the output is non-empty.
    public var isValid: Bool {
        guard batch > 0, channels > 0, inHeight > 0, inWidth > 0, kernelHeight > 0, kernelWidth > 0,
              strideHeight > 0, strideWidth > 0, padHeight >= 0, padWidth >= 0,
              2 * padHeight <= kernelHeight, 2 * padWidth <= kernelWidth
        else { return false }
        return outHeight > 0 && outWidth > 0
    }
}
