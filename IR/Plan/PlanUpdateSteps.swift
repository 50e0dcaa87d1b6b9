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

/// SGD update of one parameter: `param -= lr * (grad + wd * param)` with optional momentum buffer.
public struct SGDUpdateStep: Hashable, Sendable {
    public var param: SlotID, grad: SlotID
    /// Momentum buffer (`nil` when momentum is 0).
    public var momentum: SlotID?
    public init(param: SlotID, grad: SlotID, momentum: SlotID?) { self.param = param; self.grad = grad; self.momentum = momentum }
}

/// Adam update of one parameter with its first and second moment buffers.
public struct AdamUpdateStep: Hashable, Sendable {
    public var param: SlotID, grad: SlotID, firstMoment: SlotID, secondMoment: SlotID
    public init(param: SlotID, grad: SlotID, firstMoment: SlotID, secondMoment: SlotID) {
        self.param = param; self.grad = grad; self.firstMoment = firstMoment; self.secondMoment = secondMoment
    }
}
