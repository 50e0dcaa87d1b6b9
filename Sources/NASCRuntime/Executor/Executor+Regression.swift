// Executor+Regression: forward and training steps on f32 regression targets (plans with an mse loss).

extension Executor {
    /// True when the plan's loss is the mean squared error, so its labels slot holds f32 targets.
    public var isRegression: Bool {
        plan.steps.contains { if case .lossForward(let s) = $0.kernel { return s.kind.hasFloatTargets } else { return false } }
    }

    /// Copies a batch into the input slot and its f32 targets (`[n, outputs]`) into the targets slot.
    func load(data: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Float>, batch n: Int) throws {
        try load(data: data, labels: nil, batch: n)
        guard let l = plan.labelsInput, isRegression else {
            throw ExecutorError.error("the plan has no regression targets input (train it with loss=mse)")
        }
        guard targets.count == memory.counts[l], let t = targets.baseAddress else {
            throw ExecutorError.error("got \(targets.count) target values for a batch of \(n), the plan needs \(memory.counts[l])")
        }
        memory.f32(l).update(from: t, count: targets.count)
    }

    /// Runs the forward steps on a batch with regression targets; returns the loss (the mean squared error).
    @discardableResult
    public func forward(data: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Float>, batch n: Int,
                        mode: ExecutionMode = .eval) throws -> Float? {
        try load(data: data, targets: targets, batch: n)
        for i in plan.forwardSteps { try run(step: i, training: mode == .train) }
        return plan.loss.map { memory.f32($0)[0] }
    }

    /// Computes the loss gradients for a batch with regression targets, without updating; returns the loss.
    @discardableResult
    public func computeGradients(data: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Float>, batch n: Int) throws -> Float {
        try gradients { try load(data: data, targets: targets, batch: n) }
    }

    /// Array form of ``computeGradients(data:targets:batch:)``.
    @discardableResult
    public func computeGradients(data: [Float], targets: [Float], batch n: Int) throws -> Float {
        try data.withUnsafeBufferPointer { d in try targets.withUnsafeBufferPointer { t in try computeGradients(data: d, targets: t, batch: n) } }
    }

    /// One training step on regression targets: forward in train mode, loss, backward, optimizer update.
    @discardableResult
    public func trainStep(data: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Float>, batch n: Int) throws -> Float {
        let loss = try computeGradients(data: data, targets: targets, batch: n)
        try applyGradients()
        return loss
    }

    /// Array form of ``trainStep(data:targets:batch:)``.
    @discardableResult
    public func trainStep(data: [Float], targets: [Float], batch n: Int) throws -> Float {
        try data.withUnsafeBufferPointer { d in try targets.withUnsafeBufferPointer { t in try trainStep(data: d, targets: t, batch: n) } }
    }

    /// Array form of ``forward(data:targets:batch:mode:)``.
    @discardableResult
    public func forward(data: [Float], targets: [Float], batch n: Int, mode: ExecutionMode = .eval) throws -> Float? {
        try data.withUnsafeBufferPointer { d in try targets.withUnsafeBufferPointer { t in try forward(data: d, targets: t, batch: n, mode: mode) } }
    }
}
