// Executor+InputGradient: a forward pass without the loss and backward from a given output gradient, and the gradient
// w.r.t. the data input — the vector-Jacobian products zero-cost proxies need (synflow's d sum(output), jacob_cov's
// input Jacobian).
import NASCIR
import NASCKernels

extension Executor {
    /// Runs the forward steps on a batch in `mode` (the loss is not computed) and then the backward steps with the
    /// model output's gradient set to `outputGradient` in place of the loss gradient, e.g. all ones for the gradients
    /// of `sum(output)`. Parameter gradients are then in ``gradient(of:)``; ``inputGradient()`` gives the gradient
    /// w.r.t. the data. Nothing is updated. The plan must be a training plan (it holds the backward steps).
    public func backward(data: [Float], outputGradient: [Float], batch n: Int, mode: ExecutionMode) throws {
        guard plan.isTraining else {
            throw ExecutorError.error("plan '\(plan.name)' has no backward steps (run autodiff before lower)")
        }
        try data.withUnsafeBufferPointer { try load(data: $0, labels: nil, batch: n) }
        guard outputGradient.count == memory.counts[plan.logits] else {
            throw ExecutorError.error("output gradient has \(outputGradient.count) values, the model output has \(memory.counts[plan.logits])")
        }
        for i in plan.forwardSteps where !isLoss(i) { try run(step: i, training: mode == .train) }
        try backward(outputGradient: outputGradient, training: mode == .train)
    }

    /// The gradient of the last backward pass (``backward(data:outputGradient:batch:mode:)`` or
    /// ``computeGradients(data:labels:batch:)``) w.r.t. the data input, `[batch, ...]` flattened. Autodiff
    /// differentiates only what depends on a parameter, so the data's gradient is formed here from the layers that
    /// read it: each `conv2d` or `linear` step on the data contributes `backwardInput(its output gradient, its
    /// weight)`, a layer without a backward step (the output does not depend on it) contributes zero. Throws when the
    /// data also feeds another kind of step. Run it on a plan without memory planning (whose output gradients are
    /// not overwritten by later steps).
    public func inputGradient() throws -> [Float] {
        guard memory.batch > 0 else { throw ExecutorError.error("no backward pass has run") }
        let x = plan.dataInput
        var weightOf: [SlotID: SlotID] = [:]
        for g in plan.gradients { weightOf[g.gradient] = g.parameter }
        var result = [Float](repeating: 0, count: memory.counts[x])
        var part = [Float](repeating: 0, count: memory.counts[x])
        var handled = 0
        for i in plan.backwardSteps {
            switch plan.steps[i].kernel {
            case .convBackwardWeight(let s) where s.input == x:
                guard let w = weightOf[s.gradWeight] else { continue }
                part.withUnsafeMutableBufferPointer { p in
                    var workspace = [Float](repeating: 0, count: max(1, s.geometry.workspaceCount))
                    workspace.withUnsafeMutableBufferPointer { ws in
                        Conv2D.backwardInput(shape: convShape(s.geometry), gradOutput: memory.f32(s.gradOutput), weight: memory.f32(w),
                                             gradInput: p.baseAddress!, workspace: s.geometry.workspaceCount > 0 ? ws.baseAddress! : nil)
                    }
                }
                handled += 1
            case .linearBackwardWeight(let s) where s.input == x:
                guard let w = weightOf[s.gradWeight] else { continue }
                part.withUnsafeMutableBufferPointer { p in
                    Linear.backwardInput(shape: LinearShape(batch: memory.batch * s.rowsPerSample, inFeatures: s.inFeatures, outFeatures: s.outFeatures),
                                         gradOutput: memory.f32(s.gradOutput), weight: memory.f32(w), gradInput: p.baseAddress!)
                }
                handled += 1
            default:
                continue
            }
            for k in result.indices { result[k] += part[k] }
        }
        // Every forward reader of the data must be a conv2d or linear with a trainable weight; one without a backward
        // step is one the output does not depend on (autodiff differentiates every weight that reaches the output).
        var readers = 0
        for i in plan.forwardSteps where Self.reads(plan.steps[i].kernel, x) {
            let weight: SlotID?
            switch plan.steps[i].kernel {
            case .convForward(let s): weight = s.weight
            case .linearForward(let s): weight = s.weight
            default: weight = nil
            }
            guard let weight, plan.slots[weight].role == .parameter else {
                throw ExecutorError.error("the data input feeds a \(plan.steps[i].kernel.name) step; its gradient is formed through "
                                          + "conv2d and linear layers with trainable weights only")
            }
            readers += 1
        }
        guard readers >= handled else { throw ExecutorError.error("the data input's layers do not match its backward steps") }
        return result
    }

    /// Whether a forward step reads `slot`.
    static func reads(_ k: KernelStep, _ slot: SlotID) -> Bool {
        switch k {
        case .convForward(let s): return s.input == slot
        case .linearForward(let s): return s.input == slot
        default: return Plan.uses(k).contains { $0.slot == slot } && !Plan.writtenSlots(k).contains(slot)
        }
    }
}
