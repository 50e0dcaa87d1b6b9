// PlanUpdateSteps: the optimizer of a training plan and its per-parameter update steps.

/// The optimizer a training plan updates parameters with (hyperparameters as in PyTorch; the learning rate is
/// supplied per step by the runtime's schedule, starting from ``learningRate``).
public enum OptimizerSpec: Hashable, Sendable {
    /// `torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov)`.
    case sgd(learningRate: Double, momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool)
    /// `torch.optim.Adam(lr, betas, eps, weight_decay)` (L2 added to the gradient) or AdamW when `decoupled`.
    case adam(learningRate: Double, beta1: Double, beta2: Double, eps: Double, weightDecay: Double, decoupled: Bool)

    /// Plain SGD with this learning rate.
    public static func sgd(learningRate: Double) -> OptimizerSpec {
        .sgd(learningRate: learningRate, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false)
    }

    /// The base learning rate.
    public var learningRate: Double {
        switch self {
        case .sgd(let lr, _, _, _, _), .adam(let lr, _, _, _, _, _): return lr
        }
    }
}

/// One optimizer update of one parameter: the plan's ``Plan/optimizer`` applied to `param` with `grad`, keeping
/// its state (momentum buffer, or Adam's `exp_avg` then `exp_avg_sq`) in `state`.
public struct OptimizerUpdateStep: Hashable, Sendable {
    public var param: SlotID, grad: SlotID
    /// `stateBuffers * count` floats, `nil` for a stateless optimizer (SGD without momentum).
    public var state: SlotID?
    public init(param: SlotID, grad: SlotID, state: SlotID?) { self.param = param; self.grad = grad; self.state = state }
}

extension OptimizerSpec {
    /// Parameter-sized state buffers per parameter: 1 for SGD with momentum, 2 for Adam, else 0.
    public var stateBuffers: Int {
        switch self {
        case .sgd(_, let momentum, _, _, _): return momentum != 0 ? 1 : 0
        case .adam: return 2
        }
    }
}
