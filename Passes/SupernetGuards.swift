// SupernetGuards: after lowering, guards the steps of single-path supernet candidates and records the plan's selectors.
import NASCIR

/// Turns the `switch` nodes (sampled mode) and the gated `weighted_sum` nodes (proxyless mode, weights = a
/// `gate:<label>` param) of a lowered graph into plan selectors, and the typed scopes of the steps
/// (``CandidateCondition``s, from their nodes) into step guards.
///
/// - Selectors: one ``PlanSelector`` per distinct label (node order); its candidates are the indices `"0"`, `"1"`,
///   ... (a strategy maps them to the decision's candidate names). Gate selectors are ``PlanSelector/gated``.
///   At most 64 candidates per selector (the executor keeps a 64-bit set of active candidates).
/// - A step runs only where every condition of its scope naming a switch or gated weighted sum holds, outermost
///   first: the copies a `switch`/`switch_grad` lowers to (`switch == k`), and every step lowered from a
///   candidate's nodes (forward, backward and its parameters' optimizer updates). Conditions on other choice
///   nodes (DARTS weighted sums, where every candidate runs) are no guards. Repeat blocks have `>= k` conditions.
/// - A value written only under a guard but read by steps that may run without it (a candidate's gradient
///   contribution to a shared input) is zero-filled under the complement first, so sums never read stale values:
///   one zero fill per condition the readers do not share, guarded by the earlier ones and that condition negated.
///   Weighted sums and unguarded adds skip such terms themselves (the executor), so reading a candidate's
///   output or summing candidates' gradients needs no fill.
public enum SupernetGuards {
    /// The most candidates a selector may have.
    public static let maxCandidates = 64

    /// Returns `plan` with guards, zero fills and selectors (unchanged when the graph has no switch or gate).
    /// `scopes[i]` is the scope of `plan.steps[i]`.
    public static func apply(to plan: Plan, graph: Graph, scopes: [[CandidateCondition]]) throws -> Plan {
        precondition(scopes.count == plan.steps.count, "one scope per step")
        var labels: [String] = [], counts: [Int] = [], gated: [Bool] = []
        var labelIndex: [String: Int] = [:]
        var selectorOf: [String: Int] = [:]
        // Gate parameters by node name (only those: copying every node into a dictionary was a hot spot).
        var gateOf: [String: String] = [:]
        for n in graph.nodes {
            if case .param(let p) = n.op, let c = p.control, c.kind == .gate { gateOf[n.name] = c.label }
        }
        /// The gate label of a weighted sum's weights input (a `param` with a gate control role), if it is one.
        func gateLabel(_ r: ValueRef) -> String? { gateOf[r.node] }
        for n in graph.nodes {
            let label: String, count: Int, isGate: Bool
            switch n.op {
            case .switchOp(let a): label = a.label; count = a.count; isGate = false
            case .switchGrad(let a): label = a.label; count = a.count; isGate = false
            case .weightedSum:
                guard n.inputs.count >= 2, let l = gateLabel(n.inputs[n.inputs.count - 1]) else { continue }
                label = l; count = n.inputs.count - 1; isGate = true
            default: continue
            }
            let sel: Int
            if let i = labelIndex[label] {
                guard counts[i] == count, gated[i] == isGate else {
                    throw DiagnosticError(Diagnostic.error("'\(n.name)' has \(count) candidates, but label '\(label)' has \(counts[i]) elsewhere",
                                                           at: n.location))
                }
                sel = i
            } else {
                guard count <= maxCandidates else {
                    throw DiagnosticError(Diagnostic.error("choice '\(label)' has \(count) candidates; a one-shot supernet supports at most \(maxCandidates) per choice",
                                                           at: n.location))
                }
                labels.append(label); counts.append(count); gated.append(isGate); sel = labels.count - 1
                labelIndex[label] = sel
            }
            selectorOf[n.name] = sel
        }
        if labels.isEmpty { return plan }

        var steps = plan.steps
        for i in steps.indices where !scopes[i].isEmpty {
            let conds = scopes[i].compactMap { c in
                selectorOf[c.choice].map { GuardCondition(selector: $0, candidate: c.candidate, atLeast: c.atLeast) }
            }
            if !conds.isEmpty { steps[i].guardedBy = StepGuard(conds) }
        }

        // Zero fills for values written only under one guard and read where it may not hold.
        var writers: [SlotID: [Int]] = [:], touchers: [SlotID: [Int]] = [:]
        for (i, s) in steps.enumerated() {
            // Each step once per slot (a step may name a slot twice); no per-step sets.
            for w in written(s.kernel) where writers[w]?.last != i { writers[w, default: []].append(i) }
            for u in Plan.uses(s.kernel) where touchers[u.slot]?.last != i { touchers[u.slot, default: []].append(i) }
        }
        var inserts: [Int: [PlanStep]] = [:]
        for (slot, ws) in writers.sorted(by: { $0.key < $1.key }) {
            guard let g = steps[ws[0]].guardedBy, ws.allSatisfy({ steps[$0].guardedBy == g }) else { continue }
            let readers = (touchers[slot] ?? []).filter { steps[$0].guardedBy != g && !Plan.readsAsTerm(steps[$0], slot) }
            guard !readers.isEmpty else { continue }
            // Conditions every reader also has need no fill: when one fails, no reader runs.
            let shared = g.conditions.filter { c in readers.allSatisfy { steps[$0].guardedBy?.conditions.contains(c) ?? false } }
            let own = g.conditions.filter { !shared.contains($0) }
            for (k, c) in own.enumerated() {
                inserts[ws[0], default: []].append(PlanStep(.copy(CopyStep(source: nil, destination: slot)),
                                                            node: "\(plan.slots[slot].name)/zero",
                                                            guardedBy: StepGuard(shared + own[..<k] + [c.complement])))
            }
        }
        var out: [PlanStep] = []
        var newIndex: [Int] = []
        for (i, s) in steps.enumerated() {
            newIndex.append(out.count)
            out.append(contentsOf: inserts[i] ?? [])
            out.append(s)
        }
        newIndex.append(out.count)
        func remap(_ r: Range<Int>) -> Range<Int> { newIndex[r.lowerBound]..<newIndex[r.upperBound] }
        var p = plan
        p.steps = out
        p.forwardSteps = remap(plan.forwardSteps)
        p.backwardSteps = remap(plan.backwardSteps)
        p.updateSteps = remap(plan.updateSteps)
        p.selectors = labels.indices.map { PlanSelector(label: labels[$0], candidates: (0..<counts[$0]).map(String.init), gated: gated[$0]) }
        return p
    }

    /// The slots a step writes.
    static func written(_ k: KernelStep) -> [SlotID] { Plan.writtenSlots(k) }
}
