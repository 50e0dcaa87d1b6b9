// GuardTable: the plan's step guards and weighted-sum term guards as flat arrays the step loop tests without allocating.
import NASCIR

/// Step guards (conjunctions of ``GuardCondition``s) flattened for the executor: a guard holds when every
/// condition holds for the current active-candidate sets (one 64-bit set per selector).
struct GuardTable {
    struct Condition {
        var selector: Int
        var bits: UInt64
        var negated: Bool
    }
    /// Every distinct guard's conditions, back to back; guard `g` is `conditions[ranges[g]]`.
    private(set) var conditions: ContiguousArray<Condition> = []
    private(set) var ranges: ContiguousArray<Range<Int>> = []
    /// Per step: its guard id, or -1 (always runs).
    private(set) var stepGuard: ContiguousArray<Int> = []
    /// Per step: the guard ids of its weighted-sum terms (-1 = always live; empty for other steps).
    private(set) var termGuards: [[Int]] = []
    /// Per weighted-sum backward step: the dead terms whose input-gradient buffer must be zero-filled (it is read
    /// by a step that can run when the term is dead, e.g. the gradient sum of a skip candidate's shared input).
    private(set) var zeroDead: [UInt64] = []

    /// Per ``Plan/gradients`` entry: the guard id of its gradient's writers (-1 = always written). A gradient whose
    /// guard fails was not computed this step (its buffer is stale or, memory-planned, holds another candidate's data).
    private(set) var gradientGuards: [Int] = []

    init(plan: Plan) {
        var ids: [StepGuard: Int] = [:]
        func id(_ g: StepGuard?) -> Int {
            guard let g, !g.conditions.isEmpty else { return -1 }
            if let i = ids[g] { return i }
            let start = conditions.count
            for c in g.conditions { conditions.append(Condition(selector: c.selector, bits: c.bits, negated: c.negated)) }
            ranges.append(start..<conditions.count)
            ids[g] = ranges.count - 1
            return ranges.count - 1
        }
        stepGuard = ContiguousArray(plan.steps.map { id($0.guardedBy) })
        let hasWeighted = plan.steps.contains {
            switch $0.kernel { case .weightedSumForward, .weightedSumBackward, .add: return true; default: return false }
        }
        if plan.steps.contains(where: { $0.guardedBy != nil }) {
            let writers = plan.writerGuards()
            gradientGuards = plan.gradients.map { $0.gradient >= 0 && $0.gradient < writers.count ? id(writers[$0.gradient]) : -1 }
        } else {
            gradientGuards = Array(repeating: -1, count: plan.gradients.count)
        }
        termGuards = Array(repeating: [], count: plan.steps.count)
        zeroDead = Array(repeating: 0, count: plan.steps.count)
        guard hasWeighted, !plan.selectors.isEmpty else { return }
        let writers = plan.writerGuards()
        // Readers of the input-gradient buffers of weighted-sum backward steps.
        var gradSlots = Set<SlotID>()
        for st in plan.steps { if case .weightedSumBackward(let w) = st.kernel { gradSlots.formUnion(w.gradInputs.compactMap { $0 }) } }
        var readers: [SlotID: [Int]] = [:]
        for (i, st) in plan.steps.enumerated() {
            for u in Set(Plan.uses(st.kernel).map(\.slot)) where gradSlots.contains(u) { readers[u, default: []].append(i) }
        }
        // Proxyless gates: term `k` of a weighted sum over a gate control tensor is live only while candidate `k` of that
        // selector is active, even when nothing guarded writes its input (a skip candidate reads the shared input;
        // a repeat's shallower outputs are written for deeper choices too).
        var gateSelector: [SlotID: Int] = [:]
        for (i, s) in plan.slots.enumerated() {
            guard let c = s.control, c.kind == .gate else { continue }
            let label = c.label
            if let k = plan.selectors.firstIndex(where: { $0.gated && $0.label == label }) { gateSelector[i] = k }
        }
        for i in plan.steps.indices {
            var terms = plan.termGuards(step: i, writerGuards: writers)
            switch plan.steps[i].kernel {
            case .weightedSumForward(let w), .weightedSumBackward(let w):
                if let sel = gateSelector[w.weights], w.inputs.count == plan.selectors[sel].candidates.count {
                    for k in terms.indices {
                        let own = GuardCondition(selector: sel, candidate: k)
                        let conds = terms[k]?.conditions ?? []
                        terms[k] = StepGuard(conds.contains(own) ? conds : conds + [own])
                    }
                }
            default: break
            }
            guard terms.contains(where: { $0 != nil }) else { continue }
            termGuards[i] = terms.map(id)
            guard case .weightedSumBackward(let w) = plan.steps[i].kernel else { continue }
            var mask: UInt64 = 0
            for (k, gx) in w.gradInputs.enumerated() where k < 64 {
                guard let gx, let tg = terms[k] else { continue }
                let unguarded = (readers[gx] ?? []).contains { r in
                    r != i && !tg.conditions.allSatisfy { (plan.steps[r].guardedBy?.conditions ?? []).contains($0) }
                }
                if unguarded { mask |= UInt64(1) << UInt64(k) }
            }
            zeroDead[i] = mask
        }
    }

    /// The default active sets: candidate 0 of a switch, every candidate of a gated selector.
    static func defaultActive(_ plan: Plan) -> [UInt64] {
        plan.selectors.map { s in
            guard s.gated else { return 1 }
            return s.candidates.count >= 64 ? ~0 : (UInt64(1) << UInt64(s.candidates.count)) &- 1
        }
    }

    /// Whether guard `g` holds (selectors without an active set do not restrict).
    @inline(__always) func holds(_ g: Int, _ active: [UInt64]) -> Bool {
        for k in ranges[g] {
            let c = conditions[k]
            let m = c.selector >= 0 && c.selector < active.count ? active[c.selector] : ~0
            if (m & c.bits != 0) == c.negated { return false }
        }
        return true
    }

    /// Whether step `index` runs.
    @inline(__always) func admits(step index: Int, _ active: [UInt64]) -> Bool {
        let g = stepGuard[index]
        return g < 0 || holds(g, active)
    }

    /// The live terms of weighted-sum step `index` (bit `k` = term `k`; all when it has no term guards).
    @inline(__always) func liveTerms(step index: Int, _ active: [UInt64]) -> UInt64 {
        let terms = termGuards[index]
        if terms.isEmpty { return ~0 }
        var live: UInt64 = ~0
        for (k, g) in terms.enumerated() where k < 64 && g >= 0 && !holds(g, active) { live &= ~(UInt64(1) << UInt64(k)) }
        return live
    }
}
