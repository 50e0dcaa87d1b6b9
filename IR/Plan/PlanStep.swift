// PlanStep: one kernel invocation of a plan, a typed step enum plus an optional supernet guard.

/// The kernel a step runs, with its typed payload. Every slot a step touches is named in the payload.
public enum KernelStep: Hashable, Sendable {
    case convForward(ConvForwardStep)
    case convBackwardInput(ConvBackwardInputStep)
    case convBackwardWeight(ConvBackwardWeightStep)
    case convBackwardBias(ConvBackwardBiasStep)
    case linearForward(LinearStep)
    case linearBackwardInput(LinearBackwardInputStep)
    case linearBackwardWeight(LinearBackwardWeightStep)
    case linearBackwardBias(LinearBackwardBiasStep)
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
    case embeddingForward(EmbeddingStep)
    case embeddingBackward(EmbeddingStep)
    case sequencePoolForward(SequencePoolStep)
    case sequencePoolBackward(SequencePoolStep)
    case attentionForward(AttentionStep)
    case attentionBackward(AttentionStep)
    case recurrentForward(RecurrentStep)
    case recurrentBackward(RecurrentStep)
    case conv1dForward(Conv1DStep)
    case conv1dBackwardInput(Conv1DStep)
    case conv1dBackwardWeight(Conv1DStep)
    case pool1dForward(Pool1DStep)
    case pool1dBackward(Pool1DStep)
    case transpose(TransposeStep)
    case dropoutForward(DropoutStep)
    case dropoutBackward(DropoutStep)
    case add(ElementwiseStep)
    case mul(ElementwiseStep)
    /// `output = factor * input`.
    case scale(ScaleStep)
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
        case .embeddingForward: return "embedding_forward"
        case .embeddingBackward: return "embedding_backward"
        case .sequencePoolForward(let s): return s.max ? "sequence_max_pool_forward" : "sequence_avg_pool_forward"
        case .sequencePoolBackward(let s): return s.max ? "sequence_max_pool_backward" : "sequence_avg_pool_backward"
        case .attentionForward: return "attention_forward"
        case .attentionBackward: return "attention_backward"
        case .recurrentForward: return "recurrent_forward"
        case .recurrentBackward: return "recurrent_backward"
        case .conv1dForward: return "conv1d_forward"
        case .conv1dBackwardInput: return "conv1d_backward_input"
        case .conv1dBackwardWeight: return "conv1d_backward_weight"
        case .pool1dForward(let s): return s.max ? "max_pool1d_forward" : "avg_pool1d_forward"
        case .pool1dBackward(let s): return s.max ? "max_pool1d_backward" : "avg_pool1d_backward"
        case .transpose: return "transpose"
        case .dropoutForward: return "dropout_forward"
        case .dropoutBackward: return "dropout_backward"
        case .add: return "add"
        case .scale: return "scale"
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

/// One condition of a ``StepGuard``: a selector's active candidates include `candidate` (or, with `atLeast`, some
/// index `>= candidate`); `negated` flips it (zero fills run under the complement of their writer's guard).
public struct GuardCondition: Hashable, Sendable {
    /// Index into ``Plan/selectors``.
    public var selector: Int
    /// The candidate index the condition names.
    public var candidate: Int
    /// When true the condition holds for every active candidate index `>= candidate` (the blocks of a sampled
    /// `repeat`, which every deeper choice uses too); when false only for `candidate`.
    public var atLeast: Bool
    /// When true the condition holds exactly when the plain condition does not.
    public var negated: Bool
    /// Creates a condition.
    public init(selector: Int, candidate: Int, atLeast: Bool = false, negated: Bool = false) {
        self.selector = selector; self.candidate = candidate; self.atLeast = atLeast; self.negated = negated
    }
    /// Whether the condition holds when the selector picks exactly candidate `k` (a switch).
    public func admits(_ k: Int) -> Bool { (atLeast ? k >= candidate : k == candidate) != negated }
    /// Whether the condition holds for a set of active candidates (bit `k` = candidate `k`, `k < 64`).
    @inline(__always) public func admits(mask: UInt64) -> Bool { (mask & bits != 0) != negated }
    /// The candidate bits the plain condition tests: `1 << candidate`, or every bit `>= candidate` (`atLeast`).
    @inline(__always) public var bits: UInt64 {
        guard candidate >= 0, candidate < 64 else { return 0 }
        return atLeast ? ~((UInt64(1) << UInt64(candidate)) &- 1) : UInt64(1) << UInt64(candidate)
    }
    /// The complement condition.
    public var complement: GuardCondition {
        GuardCondition(selector: selector, candidate: candidate, atLeast: atLeast, negated: !negated)
    }
    /// True when the two conditions can never hold together for a selector with exactly one active candidate
    /// (a switch): different exact candidates, an exact candidate below an `atLeast` bound, or a condition and
    /// its complement.
    public func excludes(_ o: GuardCondition) -> Bool {
        guard selector == o.selector else { return false }
        if self == o.complement { return true }
        switch (negated, o.negated, atLeast, o.atLeast) {
        case (false, false, false, false): return candidate != o.candidate
        case (false, false, false, true): return candidate < o.candidate
        case (false, false, true, false): return o.candidate < candidate
        default: return false
        }
    }
}

/// Runs a step only when every one of its conditions holds (one-shot training: the executor holds, per
/// ``Plan/selectors`` element, the set of active candidates). Nested choices give a step every enclosing
/// condition, outermost first, e.g. `1_0 = nor_conv_3x3 and depth >= 2`.
public struct StepGuard: Hashable, Sendable {
    /// The conditions, all of which must hold (never empty in a plan: an unguarded step has no guard).
    public var conditions: [GuardCondition]
    /// A guard of one or more conditions.
    public init(_ conditions: [GuardCondition]) { self.conditions = conditions }
    /// A guard of one condition.
    public init(selector: Int, candidate: Int, atLeast: Bool = false, negated: Bool = false) {
        conditions = [GuardCondition(selector: selector, candidate: candidate, atLeast: atLeast, negated: negated)]
    }
    /// Whether the step runs when every selector picks exactly one candidate (`selection[i]` for selector `i`;
    /// selectors beyond the vector do not restrict).
    public func admits(selection: [Int]) -> Bool {
        conditions.allSatisfy { $0.selector >= selection.count || $0.admits(selection[$0.selector]) }
    }
    /// This guard with more conditions appended.
    public func and(_ more: [GuardCondition]) -> StepGuard { StepGuard(conditions + more) }
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
