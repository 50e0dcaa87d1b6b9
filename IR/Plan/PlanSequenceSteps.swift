// PlanSequenceSteps: typed payloads of the windowed sequence steps (conv1d, pooling over time) and transpose.

/// A 1-D convolution's geometry without the batch: input `[T, C]` (channels last), weight `[out, C/groups, kernel]`,
/// output `[T', out]`.
public struct Conv1DGeometry: Hashable, Sendable {
    public var length: Int, inChannels: Int, outChannels: Int
    public var kernel: Int, stride: Int, padding: Int, dilation: Int, groups: Int

    /// Creates a geometry (symmetric padding).
    public init(length: Int, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1) {
        self.length = length; self.inChannels = inChannels; self.outChannels = outChannels; self.kernel = kernel
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }

    /// `(T + 2p - d(k-1) - 1) / s + 1`.
    public var outLength: Int { (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 }
    /// Weight elements.
    public var weightCount: Int { outChannels * (inChannels / groups) * kernel }
}

/// Conv1d steps. Forward: `output = conv1d(input, weight) + bias`. Backward to the input: `input` receives the
/// gradient, `output` holds the output's gradient; backward to the weight: `weight` receives the gradient (`bias` is
/// `nil` in both; the bias gradient is a ``LinearBackwardBiasStep``).
public struct Conv1DStep: Hashable, Sendable {
    public var geometry: Conv1DGeometry
    public var input: SlotID, weight: SlotID, bias: SlotID?, output: SlotID
    public init(geometry: Conv1DGeometry, input: SlotID, weight: SlotID, bias: SlotID?, output: SlotID) {
        self.geometry = geometry; self.input = input; self.weight = weight; self.bias = bias; self.output = output
    }
}

/// Max (`max`) or mean pooling over windows of time, `[N, length, channels]` to `[N, outLength, channels]`; steps whose
/// token id in `ids` (`[N, length]`) is 0 and padded steps are left out. Backward: `input` is the input's gradient,
/// `output` the output's.
public struct Pool1DStep: Hashable, Sendable {
    public var max: Bool
    public var length: Int, channels: Int, kernel: Int, stride: Int, padding: Int
    public var input: SlotID, output: SlotID
    public var ids: SlotID?, indices: SlotID?
    public init(max: Bool, length: Int, channels: Int, kernel: Int, stride: Int, padding: Int, input: SlotID, output: SlotID,
                ids: SlotID?, indices: SlotID?) {
        self.max = max; self.length = length; self.channels = channels; self.kernel = kernel; self.stride = stride
        self.padding = padding; self.input = input; self.output = output; self.ids = ids; self.indices = indices
    }

    /// `(length + 2p - k) / s + 1`.
    public var outLength: Int { (length + 2 * padding - kernel) / stride + 1 }
}

/// Swaps dimensions `axis0 < axis1` of each sample's tensor of `shape` (the batch dimension excluded).
public struct TransposeStep: Hashable, Sendable {
    public var shape: [Int]
    public var axis0: Int, axis1: Int
    public var input: SlotID, output: SlotID
    public init(shape: [Int], axis0: Int, axis1: Int, input: SlotID, output: SlotID) {
        self.shape = shape; self.axis0 = axis0; self.axis1 = axis1; self.input = input; self.output = output
    }
}

extension Plan {
    /// The product of `xs` when every factor is non-negative and the product is at most ``maxElements``.
    static func boundedProduct(_ xs: [Int]) -> Int? {
        var p = 1
        for x in xs {
            guard x >= 0 else { return nil }
            let (r, o) = p.multipliedReportingOverflow(by: x)
            guard !o, r <= maxElements else { return nil }
            p = r
        }
        return p
    }

    /// A conv1d geometry no kernel can run (checked before any arithmetic on a decoded plan's numbers).
    package static func conv1dProblem(_ g: Conv1DGeometry) -> String? {
        let dim = 1...maxDimension
        guard [g.length, g.inChannels, g.outChannels, g.kernel, g.stride, g.dilation, g.groups].allSatisfy(dim.contains),
              (0...maxDimension).contains(g.padding), g.inChannels % g.groups == 0, g.outChannels % g.groups == 0,
              let span = boundedProduct(g.dilation, g.kernel - 1), g.length + 2 * g.padding > span,
              boundedProduct(g.length, g.inChannels) != nil, boundedProduct(g.outLength, g.outChannels) != nil,
              boundedProduct(g.outChannels, g.inChannels / g.groups, g.kernel) != nil,
              boundedProduct(g.outLength, g.inChannels, g.kernel) != nil else {
            return "invalid conv1d geometry \(g)"
        }
        return nil
    }
}
