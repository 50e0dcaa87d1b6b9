// Executor+OutputGradient: a training forward pass, then backward from a caller-given gradient of the model output.

extension Executor {
    /// Runs the forward steps of a batch in train mode (as ``computeGradients(data:labels:batch:)`` does) and returns
    /// the plan's loss; the model output is then ``output``. Follow it with ``backward(outputGradient:)``.
    @discardableResult
    public func trainingForward(data: [Float], labels: [Int64], batch n: Int) throws -> Float {
        guard plan.isTraining, let loss = plan.loss else {
            throw ExecutorError.error("plan '\(plan.name)' has no backward steps (run autodiff before lower)")
        }
        try data.withUnsafeBufferPointer { d in try labels.withUnsafeBufferPointer { l in try load(data: d, labels: l, batch: n) } }
        for i in plan.forwardSteps { try run(step: i, training: true) }
        return memory.f32(loss)[0]
    }

    /// The backward steps after ``trainingForward(data:labels:batch:)``, with the gradient of the loss w.r.t. the loss
    /// step's input (the model output, `[batch, classes]` flattened) replaced by `outputGradient`: the parameter
    /// gradients are then those of whatever loss of the output the caller differentiated (a distillation loss, a
    /// weighted sum of losses). Updates are left to ``applyUpdates(where:)``.
    /// `training: false` runs the backward steps in eval mode (batch norm with running statistics, no dropout), as
    /// after a forward pass in eval mode.
    public func backward(outputGradient: [Float], training: Bool = true) throws {
        guard plan.isTraining else { throw ExecutorError.error("plan '\(plan.name)' has no backward steps") }
        for i in plan.backwardSteps {
            if case .lossBackward(let s) = plan.steps[i].kernel {
                guard outputGradient.count == memory.counts[s.output] else {
                    throw ExecutorError.error("got \(outputGradient.count) output gradient values, the plan needs \(memory.counts[s.output])")
                }
                outputGradient.withUnsafeBufferPointer { memory.f32(s.output).update(from: $0.baseAddress!, count: $0.count) }
                continue
            }
            try run(step: i, training: training)
        }
    }
}
