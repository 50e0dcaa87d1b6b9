// Executor+Supernet: one-shot supernet support — weighted-sum dispatch, architecture parameters, partial updates.
import NASCIR
import NASCKernels

extension Executor {
    /// Runs weighted-sum step `index` (forward when it has an output, else backward), with the pointers bound at
    /// ``bind(batch:)`` (no allocation). Terms whose candidate is inactive (their input is stale) are skipped.
    func runWeightedSum(_ s: WeightedSumStep, index: Int) {
        let m = memory
        let w = UnsafePointer(m.f32(s.weights))
        let live = guardTable.liveTerms(step: index, activeCandidates)
        if let y = s.output {
            WeightedSum.forward(inputs: weightedInputs[index], weights: w, output: m.f32(y), count: m.counts[y], live: live)
        } else if let gy = s.gradOutput {
            WeightedSum.backward(inputs: weightedInputs[index], weights: w, gradOutput: UnsafePointer(m.f32(gy)),
                                 gradInputs: weightedGradInputs[index], gradWeights: s.gradWeights.map { m.f32($0) }, count: m.counts[gy],
                                 live: live, zeroDead: guardTable.zeroDead[index])
        }
    }

    /// Runs an `add` step some of whose inputs are written only under a guard (a candidate's gradient into a shared
    /// input): the sum of the live inputs (zeros if none is live), so a stale input is never read.
    func runGuardedAdd(_ s: ElementwiseStep, index: Int) {
        let m = memory, count = m.counts[s.output], out = m.f32(s.output)
        let live = guardTable.liveTerms(step: index, activeCandidates)
        var started = false
        for (k, x) in s.inputs.enumerated() where WeightedSum.isLive(live, k) {
            let p = m.f32(x)
            if !started {
                if p != out { Elementwise.copyOrAccumulate(p, into: out, count: count, accumulate: false) }
                started = true
            } else {
                Elementwise.add(out, p, output: out, count: count)
            }
        }
        if !started { out.update(repeating: 0, count: count) }
    }

    /// Names of the architecture parameters (slots whose control role is ``ControlParameterKind/architecture``), in plan order.
    public var architectureParameterNames: [String] { controlSlots(.architecture).map(\.name) }

    /// The slots with a control role of `kind`, in plan order.
    public func controlSlots(_ kind: ControlParameterKind) -> [PlanSlot] { plan.slots.filter { $0.control?.kind == kind } }

    /// The name of the control tensor of `kind` for decision `label` (empty for the auxiliary skip weights), if any.
    public func controlParameterName(_ kind: ControlParameterKind, label: String = "") -> String? {
        plan.slots.first { $0.control == ControlParameter(kind, label: label) }?.name
    }

    /// The decision label of a control tensor of `kind` named `name`, or `nil` if `name` is not one.
    public func controlLabel(of name: String, _ kind: ControlParameterKind) -> String? {
        guard let c = plan.slots.first(where: { $0.name == name })?.control, c.kind == kind else { return nil }
        return c.label
    }

    /// Names of the network weights: trainable parameters without a control role (what weight optimizers update).
    public var weightParameterNames: [String] { plan.slots.filter { $0.role == .parameter && $0.control == nil }.map(\.name) }

    /// True when `name` is a supernet control tensor (architecture weights, Gumbel noise, gates...), not a network weight.
    public func isControlParameter(_ name: String) -> Bool { controlNames.contains(name) }

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

    /// Makes exactly `selection[i]` active for selector `i` (the rest take their defaults).
    func activateSelection() {
        var a = GuardTable.defaultActive(plan)
        for (i, k) in selection.enumerated() where i < a.count { a[i] = k >= 0 && k < 64 ? UInt64(1) << UInt64(k) : 0 }
        activeCandidates = a
    }

    /// Sets the active candidates of some selectors by label (the others keep their current sets): a gated
    /// (proxyless) selector takes any non-empty set, a switch exactly one candidate. Steps of inactive candidates
    /// are skipped (forward, backward, update) and weighted sums skip their terms.
    /// Throws for an unknown label, an index out of range, an empty set, or several candidates of a switch.
    public func activate(_ sets: [String: [Int]]) throws {
        var a = activeCandidates
        for (label, ks) in sets {
            guard let i = plan.selectors.firstIndex(where: { $0.label == label }) else {
                throw ExecutorError.error("the plan has no selector '\(label)'")
            }
            let n = plan.selectors[i].candidates.count
            guard !ks.isEmpty else { throw ExecutorError.error("selector '\(label)' needs at least one active candidate") }
            guard plan.selectors[i].gated || Set(ks).count == 1 else {
                throw ExecutorError.error("selector '\(label)' is a switch: exactly one candidate can be active, got \(ks)")
            }
            var m: UInt64 = 0
            for k in ks {
                guard k >= 0, k < n, k < 64 else { throw ExecutorError.error("selector '\(label)' has \(n) candidates, got index \(k)") }
                m |= UInt64(1) << UInt64(k)
            }
            a[i] = m
        }
        activeCandidates = a
    }

    /// Makes every selector's default set active again (every candidate of a gated selector, candidate 0 of a switch).
    public func activateDefaults() { activeCandidates = GuardTable.defaultActive(plan) }

    /// How many steps of `range` (default: every step) run under the current active sets (their guards hold).
    public func runnableStepCount(in range: Range<Int>? = nil) -> Int {
        (range ?? 0..<plan.steps.count).filter { guardTable.admits(step: $0, activeCandidates) }.count
    }

    /// The active candidate indices of a selector by label (`nil` for an unknown label).
    public func activeCandidates(of label: String) -> [Int]? {
        guard let i = plan.selectors.firstIndex(where: { $0.label == label }) else { return nil }
        return (0..<min(64, plan.selectors[i].candidates.count)).filter { activeCandidates[i] & (UInt64(1) << UInt64($0)) != 0 }
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
