// PlanStep: one kernel invocation of a plan, a typed step enum plus an optional supernet guard.

/// The kernel a step runs, with its typed payload. Every slot a step touches is named in the payload.
public enum KernelStep: Hashable, Sendable {
    case convForward(ConvForwardStep)
    case convBackwardInput(ConvBackwardInputStep)
    case convBackwardWeight(ConvBackwardWeightStep)
    case convBackwardBias(ConvBackwardBiasStep)
    case linearForward(LinearStep)
    case linearBackwardInput(LinearStep)
    case linearBackwardWeight(LinearStep)
    case linearBackwardBias(LinearStep)
    case batchNormForward(BatchNormStep)
    case batchNormBackward(BatchNormStep)
    /// Inference batchnorm over a parameter tensor (batch 1): folds a batchnorm into conv weights and bias.
    case batchNormFold(BatchNormStep)
    case layerNormForward(LayerNormStep)
    case layerNormBackward(LayerNormStep)
    case activationForward(ActivationStep)
    case activationBackward(ActivationStep)
    case maxPoolForward(PoolStep)
    case maxPoolBackward(PoolStep)
    case avgPoolForward(PoolStep)
    case avgPoolBackward(PoolStep)
    case globalAvgPoolForward(GlobalPoolStep)
    case globalAvgPoolBackward(GlobalPoolStep)
    case dropoutForward(DropoutStep)
    case dropoutBackward(DropoutStep)
    case add(ElementwiseStep)
    case mul(ElementwiseStep)
    case mulBackward(MulBackwardStep)
    case concat(ConcatStep)
    case concatBackward(ConcatStep)
    case copy(CopyStep)
    case softmaxForward(SoftmaxStep)
    case softmaxBackward(SoftmaxStep)
    case lossForward(LossStep)
    case lossBackward(LossStep)
    case optimizerUpdate(OptimizerUpdateStep)
    /// Supernet mixed value `y = sum_k w[k] * x_k`.
    case weightedSumForward(WeightedSumStep)
    /// Its backward: `grad_x_k = w[k] * grad_y`, `grad_w[k] = <x_k, grad_y>`.
    case weightedSumBackward(WeightedSumStep)

    /// A short name for listings (`conv_forward`, `sgd_update`, ...).
    public var name: String {
        switch self {
        case .convForward: return "conv_forward"
        case .convBackwardInput: return "conv_backward_input"
        case .convBackwardWeight: return "conv_backward_weight"
        case .convBackwardBias: return "conv_backward_bias"
        case .linearForward: return "linear_forward"
        case .linearBackwardInput: return "linear_backward_input"
        case .linearBackwardWeight: return "linear_backward_weight"
        case .linearBackwardBias: return "linear_backward_bias"
        case .batchNormForward: return "batch_norm_forward"
        case .batchNormBackward: return "batch_norm_backward"
        case .batchNormFold: return "batch_norm_fold"
        case .layerNormForward: return "layer_norm_forward"
        case .layerNormBackward: return "layer_norm_backward"
        case .activationForward(let a): return "\(a.function.rawValue)_forward"
        case .activationBackward(let a): return "\(a.function.rawValue)_backward"
        case .maxPoolForward: return "max_pool_forward"
        case .maxPoolBackward: return "max_pool_backward"
        case .avgPoolForward: return "avg_pool_forward"
        case .avgPoolBackward: return "avg_pool_backward"
        case .globalAvgPoolForward: return "global_avg_pool_forward"
        case .globalAvgPoolBackward: return "global_avg_pool_backward"
        case .dropoutForward: return "dropout_forward"
        case .dropoutBackward: return "dropout_backward"
        case .add: return "add"
        case .mul: return "mul"
        case .mulBackward: return "mul_backward"
        case .concat: return "concat"
        case .concatBackward: return "concat_backward"
        case .copy(let c): return c.source == nil ? "zero_fill" : "copy"
        case .softmaxForward(let s): return s.log ? "log_softmax_forward" : "softmax_forward"
        case .softmaxBackward(let s): return s.log ? "log_softmax_backward" : "softmax_backward"
        case .lossForward: return "loss_forward"
        case .lossBackward: return "loss_backward"
        case .optimizerUpdate: return "optimizer_update"
        case .weightedSumForward: return "weighted_sum_forward"
        case .weightedSumBackward: return "weighted_sum_backward"
        }
    }
}

/// Runs a step only when a supernet selector has chosen a given candidate (one-shot training: the executor holds
/// a per-step selection vector, one entry per ``Plan/selectors`` element).
public struct StepGuard: Hashable, Sendable {
    /// Index into ``Plan/selectors``.
    public var selector: Int
    /// The candidate index the step belongs to.
    public var candidate: Int
    /// When true the step runs for every candidate index `>= candidate` (the blocks of a sampled `repeat`, which
    /// every deeper choice uses too); when false only for `candidate`.
    public var atLeast: Bool
    public init(selector: Int, candidate: Int, atLeast: Bool = false) {
        self.selector = selector; self.candidate = candidate; self.atLeast = atLeast
    }
    /// Whether the step runs when the selector picks candidate `k`.
    public func admits(_ k: Int) -> Bool { atLeast ? k >= candidate : k == candidate }
}

/// One step of a plan.
public struct PlanStep: Hashable, Sendable {
    public var kernel: KernelStep
    /// `nil` = always runs (every step of a fixed subnet).
    public var guardedBy: StepGuard?
    /// The IR node the step was lowered from (for listings and errors).
    public var node: String

    /// Creates a step.
    public init(_ kernel: KernelStep, node: String = "", guardedBy: StepGuard? = nil) {
        self.kernel = kernel; self.node = node; self.guardedBy = guardedBy
    }
}
