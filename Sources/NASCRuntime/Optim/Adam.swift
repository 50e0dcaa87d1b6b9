// Adam: Adam and AdamW (decoupled weight decay) with bias correction, eps outside the square root (PyTorch semantics).
import Foundation
import NASCIR

/// `torch.optim.Adam` / `torch.optim.AdamW` on flat buffers (no amsgrad). Per element, at step `t`:
///
///     p = p * (1 - lr * weightDecay)                 (AdamW, decoupled)
///     g = g + weightDecay * p                        (Adam, L2)
///     m = m + (1 - beta1) * (g - m)
///     v = beta2 * v + (1 - beta2) * g * g
///     p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
///
/// State layout: two buffers, first the averages `m` (`exp_avg`), then the squared averages `v` (`exp_avg_sq`).
public struct Adam: ParameterOptimizer, Hashable {
    /// Default learning rate.
    public var learningRate: Double
    /// Decay of the first moment.
    public var beta1: Double
    /// Decay of the second moment.
    public var beta2: Double
    /// Added to the denominator, outside the square root.
    public var epsilon: Double
    /// Weight decay: an L2 term on the gradient (Adam) or a decoupled shrink of the parameter (AdamW).
    public var weightDecay: Double
    /// True for AdamW's decoupled weight decay.
    public var decoupledWeightDecay: Bool

    /// Creates Adam (`decoupledWeightDecay: false`, PyTorch default weight decay 0) or AdamW (`true`; PyTorch's
    /// AdamW default weight decay is 0.01, pass it explicitly).
    ///
    /// - Throws: ``DiagnosticError`` for a negative learning rate, epsilon or weight decay, or a beta outside `[0, 1)`.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0, decoupledWeightDecay: Bool = false) throws {
        try OptimizerCheck.require(learningRate >= 0, "invalid learning rate \(learningRate): must not be negative")
        try OptimizerCheck.require(epsilon >= 0, "invalid epsilon \(epsilon): must not be negative")
        try OptimizerCheck.require(beta1 >= 0 && beta1 < 1, "invalid beta1 \(beta1): must be in [0, 1)")
        try OptimizerCheck.require(beta2 >= 0 && beta2 < 1, "invalid beta2 \(beta2): must be in [0, 1)")
        try OptimizerCheck.require(weightDecay >= 0, "invalid weight decay \(weightDecay): must not be negative")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW with PyTorch's defaults unless given.
    public static func adamW(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                             epsilon: Double = 1e-8, weightDecay: Double = 0.01) throws -> Adam {
        try Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                 weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// Two state buffers per parameter: `exp_avg` then `exp_avg_sq`.
    public var stateBuffersPerParameter: Int { 2 }

    /// Applies one Adam update; see ``ParameterOptimizer/step(parameter:gradient:count:state:step:learningRate:)``.
    public func step(parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int,
                     state: UnsafeMutablePointer<Float>?, step: Int, learningRate lr: Double) {
        guard let state else { preconditionFailure("Adam.step needs 2 * count state floats") }
        let m = state
        let v = state + count
        let t = Double(max(step, 1))
        // Scalars follow PyTorch: computed in double, rounded to float where they meet a float tensor.
        let shrink = Float(1 - lr * weightDecay)
        let wd = Float(weightDecay)
        let w1 = Float(1 - beta1)
        let lerpSmall = abs(1 - beta1) < 0.5
        let b2 = Float(beta2)
        let w2 = Float(1 - beta2)
        let biasCorrection1 = 1 - pow(beta1, t)
        let biasCorrection2Sqrt = (1 - pow(beta2, t)).squareRoot()
        let stepSize = Float(-(lr / biasCorrection1))
        let bc2 = Float(biasCorrection2Sqrt)
        let eps = Float(epsilon)
        for i in 0..<count {
            var grad = g[i]
            if weightDecay != 0 {
                if decoupledWeightDecay { p[i] = p[i] * shrink } else { grad = grad.addingProduct(wd, p[i]) }
            }
            // torch.lerp picks its formula by the weight's size; PyTorch's CPU kernels fuse multiply-adds.
            m[i] = lerpSmall ? m[i].addingProduct(w1, grad - m[i]) : grad.addingProduct(-(grad - m[i]), 1 - w1)
            v[i] = (v[i] * b2).addingProduct(w2 * grad, grad)
            let denom = v[i].squareRoot() / bc2 + eps
            p[i] = p[i] + stepSize * m[i] / denom
        }
    }
}
