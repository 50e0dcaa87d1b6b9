// Executor+GradClip: global-norm gradient clipping between the backward and update steps of a training step.

extension Executor {
    /// Scales every parameter gradient of the last backward pass so that their global L2 norm is at most `maxNorm`
    /// (PyTorch's `clip_grad_norm_`), and returns the norm before clipping. Gradients of inactive supernet
    /// candidates (not computed this step) are left out.
    @discardableResult
    public func clipGradients(maxNorm: Double) -> Float {
        var buffers: [UnsafeMutableBufferPointer<Float>] = []
        buffers.reserveCapacity(plan.gradients.count)
        for (i, g) in plan.gradients.enumerated() where memory.pointers[g.gradient] != nil {
            let gg = guardTable.gradientGuards[i]
            if gg >= 0 && !guardTable.holds(gg, activeCandidates) { continue }
            buffers.append(UnsafeMutableBufferPointer(start: memory.f32(g.gradient), count: memory.counts[g.gradient]))
        }
        return GradClip.clipByGlobalNorm(buffers, maxNorm: maxNorm)
    }
}
