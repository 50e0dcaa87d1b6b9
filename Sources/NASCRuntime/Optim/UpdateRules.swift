// UpdateRules: the per-parameter SGD and Adam update loops the executor's update steps dispatch to (PyTorch semantics).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// In-place parameter updates over raw float buffers, matching `torch.optim.SGD` and `torch.optim.Adam(W)`
/// (single-tensor, non-foreach path). Hyperparameters come from the plan's ``OptimizerSpec``.
public enum UpdateRules {
    /// SGD with weight decay, momentum (PyTorch's buffer initialization on the first step), dampening and Nesterov.
    public static func sgd(param p: UnsafeMutablePointer<Float>, grad g: UnsafePointer<Float>, momentumBuffer buf: UnsafeMutablePointer<Float>?,
                           count: Int, learningRate lr: Float, momentum: Float, dampening: Float, weightDecay wd: Float,
                           nesterov: Bool, firstStep: Bool) {
        for i in 0..<count {
            var d = g[i]
            if wd != 0 { d += wd * p[i] }
            if let buf, momentum != 0 {
                let b = firstStep ? d : momentum * buf[i] + (1 - dampening) * d
                buf[i] = b
                d = nesterov ? d + momentum * b : b
            }
            p[i] -= lr * d
        }
    }

    /// Adam (L2 weight decay added to the gradient) or AdamW (`decoupled`: the parameter decays by `lr * wd`).
    /// `step` is the 1-based step number used for bias correction.
    public static func adam(param p: UnsafeMutablePointer<Float>, grad g: UnsafePointer<Float>, firstMoment m: UnsafeMutablePointer<Float>,
                            secondMoment v: UnsafeMutablePointer<Float>, count: Int, learningRate lr: Double, beta1: Double,
                            beta2: Double, eps: Double, weightDecay wd: Double, decoupled: Bool, step: Int) {
        let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
        let stepSize = Float(lr / bc1), bc2Sqrt = Float(bc2.squareRoot())
        let b1 = Float(beta1), b2 = Float(beta2), e = Float(eps), decay = Float(1 - lr * wd), l2 = Float(wd)
        for i in 0..<count {
            var d = g[i]
            if wd != 0 { if decoupled { p[i] *= decay } else { d += l2 * p[i] } }
            m[i] += (1 - b1) * (d - m[i])  // torch's lerp_(grad, 1 - beta1) for weights below 0.5
            v[i] = b2 * v[i] + (1 - b2) * d * d
            let denom = v[i].squareRoot() / bc2Sqrt + e
            p[i] -= stepSize * m[i] / denom
        }
    }
}
