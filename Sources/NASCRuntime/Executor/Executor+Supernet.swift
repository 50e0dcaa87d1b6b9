// Executor+Supernet: one-shot supernet support — weighted-sum dispatch, architecture parameters, partial updates.
import NASCIR
import NASCKernels

extension Executor {
    /// Runs weighted-sum step `index` (forward when it has an output, else backward), with the pointers bound at
    /// ``bind(batch:)`` (no allocation).
    func runWeightedSum(_ s: WeightedSumStep, index: Int) {
        let m = memory
        let w = UnsafePointer(m.f32(s.weights))
        if let y = s.output {
            WeightedSum.forward(inputs: weightedInputs[index], weights: w, output: m.f32(y), count: m.counts[y])
        } else if let gy = s.gradOutput {
            WeightedSum.backward(inputs: weightedInputs[index], weights: w, gradOutput: UnsafePointer(m.f32(gy)),
                                 gradInputs: weightedGradInputs[index], gradWeights: s.gradWeights.map { m.f32($0) }, count: m.counts[gy])
        }
    }

    /// Names of the architecture parameters (`arch:<label>`), in plan order.
    public var architectureParameterNames: [String] { parameterNames.filter { $0.hasPrefix("arch:") } }

    /// Applies the plan optimizer's update steps only to the parameters `include` accepts (e.g. the weights
    /// but not the architecture parameters), at ``learningRate``. Call after ``computeGradients(data:labels:batch:)``.
    /// Guarded (unselected) candidates are skipped as in ``trainStep(data:labels:batch:)``.
    public func applyUpdates(where include: (String) -> Bool) throws {
        for i in plan.updateSteps {
            guard case .optimizerUpdate(let u) = plan.steps[i].kernel, include(plan.slots[u.param].name) else { continue }
            try run(step: i, training: true)
        }
        stepsTaken += 1
        updatesTaken += 1
    }

    /// Sets the supernet selection by label: `choices[label]` is the candidate index of that selector.
    /// Throws for an unknown label or an index out of range; labels not given keep candidate 0.
    public func select(_ choices: [String: Int]) throws {
        var sel = Array(repeating: 0, count: plan.selectors.count)
        for (label, k) in choices {
            guard let i = plan.selectors.firstIndex(where: { $0.label == label }) else {
                throw ExecutorError.error("the plan has no selector '\(label)'")
            }
            guard k >= 0, k < plan.selectors[i].candidates.count else {
                throw ExecutorError.error("selector '\(label)' has \(plan.selectors[i].candidates.count) candidates, got index \(k)")
            }
            sel[i] = k
        }
        selection = sel
    }
}
