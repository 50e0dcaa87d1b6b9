// SGD: stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay (PyTorch semantics).
import NASCIR

/// `torch.optim.SGD` on flat buffers. Per element, with `g` the gradient and `b` the momentum buffer:
///
///     g = g + weightDecay * p                      (if weightDecay != 0)
///     b = g                                        (first step)
///     b = momentum * b + (1 - dampening) * g       (later steps)
///     g = nesterov ? g + momentum * b : b          (if momentum != 0)
///     p = p - lr * g
///
/// State layout: one buffer (the momentum buffer) when `momentum != 0`, none otherwise.
public struct SGD: ParameterOptimizer, Hashable {
    /// Default learning rate.
    public var learningRate: Double
    /// Momentum factor (0 disables momentum).
    public var momentum: Double
    /// Dampening for momentum.
    public var dampening: Double
    /// Use Nesterov momentum.
    public var nesterov: Bool
    /// L2 penalty added to the gradient.
    public var weightDecay: Double

    /// Creates an SGD optimizer.
    ///
    /// - Throws: ``DiagnosticError`` for a negative learning rate, momentum or weight decay, or Nesterov without
    ///   positive momentum and zero dampening (the checks PyTorch makes).
    public init(learningRate: Double, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false,
                weightDecay: Double = 0) throws {
        try OptimizerCheck.require(learningRate >= 0, "invalid learning rate \(learningRate): must not be negative")
        try OptimizerCheck.require(momentum >= 0, "invalid momentum \(momentum): must not be negative")
        try OptimizerCheck.require(weightDecay >= 0, "invalid weight decay \(weightDecay): must not be negative")
        try OptimizerCheck.require(!nesterov || (momentum > 0 && dampening == 0),
                                   "Nesterov momentum requires a positive momentum and zero dampening")
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    /// One momentum buffer per parameter when momentum is on.
    public var stateBuffersPerParameter: Int { momentum != 0 ? 1 : 0 }

    /// Applies one SGD update; see ``ParameterOptimizer/step(parameter:gradient:count:state:step:learningRate:)``.
    public func step(parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int,
                     state: UnsafeMutablePointer<Float>?, step: Int, learningRate lr: Double) {
        let wd = Float(weightDecay)
        let mom = Float(momentum)
        let keep = Float(1 - dampening)
        let alpha = Float(-lr)
        precondition(momentum == 0 || state != nil, "SGD with momentum needs a count-float state buffer")
        guard momentum != 0, let buf = state else {
            for i in 0..<count {
                var d = g[i]
                if wd != 0 { d = d.addingProduct(wd, p[i]) }
                p[i] = p[i].addingProduct(alpha, d)
            }
            return
        }
        let first = step <= 1
        for i in 0..<count {
            var d = g[i]
            if wd != 0 { d = d.addingProduct(wd, p[i]) }
            let b = first ? d : (buf[i] * mom).addingProduct(keep, d)
            buf[i] = b
            d = nesterov ? d.addingProduct(mom, b) : b
            p[i] = p[i].addingProduct(alpha, d)
        }
    }
}
