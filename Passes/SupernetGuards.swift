// SupernetGuards: after lowering, guards the steps of single-path supernet candidates and records the plan's selectors.
import NASCIR

/// Turns the `switch` nodes (sampled mode) and the gated `weighted_sum` nodes (proxyless mode, weights = a
/// `gate:<label>` param) of a lowered graph into plan selectors and step guards.
///
/// - Selectors: one ``PlanSelector`` per distinct label (node order); its candidates are the indices `"0"`, `"1"`,
///   ... (a strategy maps them to the decision's candidate names). Gate selectors are ``PlanSelector/gated``.
///   At most 64 candidates per selector (the executor keeps a 64-bit set of active candidates).
/// - The copies a `switch`/`switch_grad` lowers to (named `<node>#<k>`) run only for candidate `k`.
/// - Every step lowered from a node named `<choice>.<k>.…` (the inlined candidate `k`: forward, backward and
///   its parameters' optimizer updates) runs only for candidate `k`. Nested choices conjoin: a step gets one
///   condition per enclosing candidate prefix, outermost first (a repeat inside a sampled candidate runs only
///   for that candidate and the depth).
/// - Steps lowered from `<choice>.from<k>.…` (the blocks of a sampled or gated `repeat`) run for every active
///   candidate `>= k`.
/// - A value written only under a guard but read by steps that may run without it (a candidate's gradient
///   contribution to a shared input) is zero-filled under the complement first, so sums never read stale values:
///   one zero fill per condition the readers do not share, guarded by the earlier ones and that condition negated.
///   Weighted sums and unguarded adds skip such terms themselves (the executor), so reading a candidate's
///   output or summing candidates' gradients needs no fill.
public enum SupernetGuards {
    /// The most candidates a selector may have.
    public static let maxCandidates = 64

    /// Returns `plan` with guards, zero fills and selectors (unchanged when the graph has no switch or gate).
    public static func apply(to plan: Plan, graph: Graph) throws -> Plan {
        var labels: [String] = [], counts: [Int] = [], gated: [Bool] = []
        var labelIndex: [String: Int] = [:]
        var choices: [String: (selector: Int, count: Int)] = [:]
        var forwardChoices: [String] = []
        // Gate parameters by node name (only those: copying every node into a dictionary was a hot spot).
        var gateOf: [String: String] = [:]
        for n in graph.nodes {
            if case .param(let p) = n.op, p.name.hasPrefix("gate:") { gateOf[n.name] = String(p.name.dropFirst("gate:".count)) }
        }
        /// The gate label of a weighted sum's weights input (`param "gate:<label>"`), if it is one.
        func gateLabel(_ r: ValueRef) -> String? { gateOf[r.node] }
        for n in graph.nodes {
            let label: String, count: Int, isGate: Bool, forward: Bool
            switch n.op {
            case .switchOp(let a): label = a.label; count = a.count; isGate = false; forward = true
            case .switchGrad(let a): label = a.label; count = a.count; isGate = false; forward = false
            case .weightedSum:
                guard n.inputs.count >= 2, let l = gateLabel(n.inputs[n.inputs.count - 1]) else { continue }
                label = l; count = n.inputs.count - 1; isGate = true; forward = true
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
            choices[n.name] = (sel, count)
            if forward { forwardChoices.append(n.name) }
        }
        if labels.isEmpty { return plan }
        // Candidate prefixes `<choice>.<k>.` of forward choices; a step takes every one of its name's prefixes that
        // end in a dot, outermost first (one dictionary lookup per dot).
        var prefixes: [Substring: GuardCondition] = [:]
        for name in forwardChoices {
            guard let s = choices[name] else { continue }
            for k in 0..<s.count {
                prefixes[Substring("\(name).\(k).")] = GuardCondition(selector: s.selector, candidate: k)
                // Blocks of a repeat (`<choice>.from<k>.<i>`) run for every depth choice >= k.
                prefixes[Substring("\(name).from\(k).")] = GuardCondition(selector: s.selector, candidate: k, atLeast: true)
            }
        }
        // Scans UTF-8 bytes: a Character search (grapheme breaking) dominated compile time on large cell spaces.
        let dotByte = UInt8(ascii: "."), hashByte = UInt8(ascii: "#")
        func candidateConditions(_ name: Substring) -> [GuardCondition] {
            var out: [GuardCondition] = []
            let bytes = name.utf8
            var i = bytes.startIndex
            while let dot = bytes[i...].firstIndex(of: dotByte) {
                if let c = prefixes[name[...dot]] { out.append(c) }
                i = bytes.index(after: dot)
            }
            return out
        }

        var steps = plan.steps
        for i in steps.indices {
            let name = steps[i].node
            var conds: [GuardCondition]
            if let hash = name.utf8.lastIndex(of: hashByte), let s = choices[String(name[..<hash])],
               let k = Int(name[name.index(after: hash)...]) {
                // `<switch>.` so that a switch that is itself a candidate (`<outer>.<j>`) gets the outer condition.
                conds = candidateConditions(Substring(name[..<hash] + ".")) + [GuardCondition(selector: s.selector, candidate: k)]
            } else {
                conds = candidateConditions(name[...])
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
