// PlanLayerSteps: typed payloads of the parameterized layer steps (convolution, linear, normalization).

/// Convolution forward: `output = conv(input, weight) + bias`.
public struct ConvForwardStep: Hashable, Sendable {
    public var geometry: ConvGeometry
    public var input: SlotID, weight: SlotID, bias: SlotID?, output: SlotID
    /// im2col scratch, `nil` when ``ConvGeometry/workspaceCount`` is 0.
    public var workspace: SlotID?
    /// Activation applied in place after the convolution (set by the `fuse` pass; inference plans only).
    public var activation: Activation?
    public init(geometry: ConvGeometry, input: SlotID, weight: SlotID, bias: SlotID?, output: SlotID, workspace: SlotID?,
                activation: Activation? = nil) {
        self.geometry = geometry; self.input = input; self.weight = weight; self.bias = bias; self.output = output
        self.workspace = workspace; self.activation = activation
    }
}

/// Convolution gradient w.r.t. the input.
public struct ConvBackwardInputStep: Hashable, Sendable {
    public var geometry: ConvGeometry
    public var gradOutput: SlotID, weight: SlotID, gradInput: SlotID, workspace: SlotID?
    public init(geometry: ConvGeometry, gradOutput: SlotID, weight: SlotID, gradInput: SlotID, workspace: SlotID?) {
        self.geometry = geometry; self.gradOutput = gradOutput; self.weight = weight; self.gradInput = gradInput
        self.workspace = workspace
    }
}

/// Convolution gradient w.r.t. the weight (summed over the batch).
public struct ConvBackwardWeightStep: Hashable, Sendable {
    public var geometry: ConvGeometry
    public var input: SlotID, gradOutput: SlotID, gradWeight: SlotID, workspace: SlotID?
    public init(geometry: ConvGeometry, input: SlotID, gradOutput: SlotID, gradWeight: SlotID, workspace: SlotID?) {
        self.geometry = geometry; self.input = input; self.gradOutput = gradOutput; self.gradWeight = gradWeight
        self.workspace = workspace
    }
}

/// Convolution gradient w.r.t. the bias.
public struct ConvBackwardBiasStep: Hashable, Sendable {
    public var geometry: ConvGeometry
    public var gradOutput: SlotID, gradBias: SlotID
    public init(geometry: ConvGeometry, gradOutput: SlotID, gradBias: SlotID) {
        self.geometry = geometry; self.gradOutput = gradOutput; self.gradBias = gradBias
    }
}

/// Linear layer forward over the last dimension (`output = input * weight^T + bias`); `rowsPerSample` rows of
/// `inFeatures` per batch sample.
public struct LinearStep: Hashable, Sendable {
    public var inFeatures: Int, outFeatures: Int, rowsPerSample: Int
    public var input: SlotID, weight: SlotID, bias: SlotID?, output: SlotID
    public init(inFeatures: Int, outFeatures: Int, rowsPerSample: Int = 1, input: SlotID, weight: SlotID, bias: SlotID?,
                output: SlotID) {
        self.inFeatures = inFeatures; self.outFeatures = outFeatures; self.rowsPerSample = rowsPerSample
        self.input = input; self.weight = weight; self.bias = bias; self.output = output
    }
}

/// Linear layer backward to the input: `gradInput = gradOutput * weight`.
public struct LinearBackwardInputStep: Hashable, Sendable {
    public var inFeatures: Int, outFeatures: Int, rowsPerSample: Int
    public var gradOutput: SlotID, weight: SlotID, gradInput: SlotID
    public init(inFeatures: Int, outFeatures: Int, rowsPerSample: Int = 1, gradOutput: SlotID, weight: SlotID, gradInput: SlotID) {
        self.inFeatures = inFeatures; self.outFeatures = outFeatures; self.rowsPerSample = rowsPerSample
        self.gradOutput = gradOutput; self.weight = weight; self.gradInput = gradInput
    }
}

/// Linear layer backward to the weight: `gradWeight = gradOutput^T * input` (summed over every row of the batch).
public struct LinearBackwardWeightStep: Hashable, Sendable {
    public var inFeatures: Int, outFeatures: Int, rowsPerSample: Int
    public var input: SlotID, gradOutput: SlotID, gradWeight: SlotID
    public init(inFeatures: Int, outFeatures: Int, rowsPerSample: Int = 1, input: SlotID, gradOutput: SlotID, gradWeight: SlotID) {
        self.inFeatures = inFeatures; self.outFeatures = outFeatures; self.rowsPerSample = rowsPerSample
        self.input = input; self.gradOutput = gradOutput; self.gradWeight = gradWeight
    }
}

/// Linear layer backward to the bias: `gradBias = sum of gradOutput's rows` (`features` = the layer's outputs).
public struct LinearBackwardBiasStep: Hashable, Sendable {
    public var features: Int, rowsPerSample: Int
    public var gradOutput: SlotID, gradBias: SlotID
    public init(features: Int, rowsPerSample: Int = 1, gradOutput: SlotID, gradBias: SlotID) {
        self.features = features; self.rowsPerSample = rowsPerSample; self.gradOutput = gradOutput; self.gradBias = gradBias
    }
}

/// Batch normalization (training or eval decided by the executor's mode).
public struct BatchNormStep: Hashable, Sendable {
    public var channels: Int, spatial: Int
    public var eps: Double, momentum: Double
    public var input: SlotID, output: SlotID
    public var gamma: SlotID?, beta: SlotID?
    public var runningMean: SlotID, runningVar: SlotID
    public var savedMean: SlotID, savedInvStd: SlotID
    /// Backward only: gradients (nil in forward steps).
    public var gradOutput: SlotID?, gradInput: SlotID?, gradGamma: SlotID?, gradBeta: SlotID?
    public init(channels: Int, spatial: Int, eps: Double, momentum: Double, input: SlotID, output: SlotID,
                gamma: SlotID?, beta: SlotID?, runningMean: SlotID, runningVar: SlotID, savedMean: SlotID, savedInvStd: SlotID,
                gradOutput: SlotID? = nil, gradInput: SlotID? = nil, gradGamma: SlotID? = nil, gradBeta: SlotID? = nil) {
        self.channels = channels; self.spatial = spatial; self.eps = eps; self.momentum = momentum
        self.input = input; self.output = output; self.gamma = gamma; self.beta = beta
        self.runningMean = runningMean; self.runningVar = runningVar; self.savedMean = savedMean; self.savedInvStd = savedInvStd
        self.gradOutput = gradOutput; self.gradInput = gradInput; self.gradGamma = gradGamma; self.gradBeta = gradBeta
    }
}

/// Layer normalization over the last `features` values; `rowsPerSample` rows per batch sample.
public struct LayerNormStep: Hashable, Sendable {
    public var features: Int, rowsPerSample: Int, eps: Double
    public var input: SlotID, output: SlotID, gamma: SlotID?, beta: SlotID?
    public var savedMean: SlotID, savedInvStd: SlotID
    /// Backward only.
    public var gradOutput: SlotID?, gradInput: SlotID?, gradGamma: SlotID?, gradBeta: SlotID?
    public init(features: Int, rowsPerSample: Int, eps: Double, input: SlotID, output: SlotID, gamma: SlotID?, beta: SlotID?,
                savedMean: SlotID, savedInvStd: SlotID, gradOutput: SlotID? = nil, gradInput: SlotID? = nil,
                gradGamma: SlotID? = nil, gradBeta: SlotID? = nil) {
        self.features = features; self.rowsPerSample = rowsPerSample; self.eps = eps
        self.input = input; self.output = output; self.gamma = gamma; self.beta = beta
        self.savedMean = savedMean; self.savedInvStd = savedInvStd
        self.gradOutput = gradOutput; self.gradInput = gradInput; self.gradGamma = gradGamma; self.gradBeta = gradBeta
    }
}

/// Multi-head self-attention over `[N, length, dim]` with `heads` heads (PyTorch `nn.MultiheadAttention` layout).
/// Forward reads `input`, the optional token `ids` (key padding mask, id 0) and the four parameters, writes `output`
/// and saves `qkv` (`[N, T, 3D]`), `probabilities` (`[N, H, T, T]`) and `context` (`[N, T, D]`). Backward reads
/// `input`, the weights, the saved slots and `gradOutput`, and writes the five gradients, using `workspace`.
public struct AttentionStep: Hashable, Sendable {
    public var length: Int, dim: Int, heads: Int
    public var input: SlotID, ids: SlotID?
    public var inWeight: SlotID, inBias: SlotID?, outWeight: SlotID, outBias: SlotID?
    public var output: SlotID
    public var qkv: SlotID, probabilities: SlotID, context: SlotID
    public var gradOutput: SlotID?, gradInput: SlotID?, gradInWeight: SlotID?, gradInBias: SlotID?
    public var gradOutWeight: SlotID?, gradOutBias: SlotID?, workspace: SlotID?
    public init(length: Int, dim: Int, heads: Int, input: SlotID, ids: SlotID?, inWeight: SlotID, inBias: SlotID?,
                outWeight: SlotID, outBias: SlotID?, output: SlotID, qkv: SlotID, probabilities: SlotID, context: SlotID,
                gradOutput: SlotID? = nil, gradInput: SlotID? = nil, gradInWeight: SlotID? = nil, gradInBias: SlotID? = nil,
                gradOutWeight: SlotID? = nil, gradOutBias: SlotID? = nil, workspace: SlotID? = nil) {
        self.length = length; self.dim = dim; self.heads = heads; self.input = input; self.ids = ids
        self.inWeight = inWeight; self.inBias = inBias; self.outWeight = outWeight; self.outBias = outBias; self.output = output
        self.qkv = qkv; self.probabilities = probabilities; self.context = context
        self.gradOutput = gradOutput; self.gradInput = gradInput; self.gradInWeight = gradInWeight; self.gradInBias = gradInBias
        self.gradOutWeight = gradOutWeight; self.gradOutBias = gradOutBias; self.workspace = workspace
    }
}
