// GradClip: gradient clipping by global L2 norm (PyTorch clip_grad_norm_ semantics).
import NASCIR

/// Gradient clipping over a set of flat gradient buffers.
public enum GradClip {
    /// The global L2 norm of all gradients (norm of the per-buffer norms), accumulated in double.
    public static func globalNorm(_ gradients: [UnsafeMutableBufferPointer<Float>]) -> Float {
        var total = 0.0
        for g in gradients {
            var sum = 0.0
            for x in g { sum += Double(x) * Double(x) }
            // PyTorch stacks per-tensor float32 norms; rounding each keeps the same result bit for bit in practice.
            let norm = Double(Float(sum.squareRoot()))
            total += norm * norm
        }
        return Float(total.squareRoot())
    }

    /// Scales all gradients in place by `min(1, maxNorm / (totalNorm + 1e-6))` and returns the total norm, as
    /// `torch.nn.utils.clip_grad_norm_(norm_type=2)` does (the scale is applied even when it is 1; a non-finite
    /// norm propagates into the gradients, so check the returned value with `isFinite`).
    @discardableResult
    public static func clipByGlobalNorm(_ gradients: [UnsafeMutableBufferPointer<Float>], maxNorm: Double) -> Float {
        let total = globalNorm(gradients)
        let coef = Float(maxNorm) / (total + Float(1e-6))
        let clamped = coef.isNaN ? coef : min(coef, 1)
        for g in gradients {
            for i in g.indices { g[i] = g[i] * clamped }
        }
        return total
    }
}
