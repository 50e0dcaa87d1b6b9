// SupernetGuards: after lowering, guards the steps of single-path supernet candidates and records the plan's selectors.
import NASCIR

/// Turns the `switch` nodes of a lowered graph into plan selectors and step guards.
///
/// - Selectors: one ``PlanSelector`` per distinct switch label (node order); its candidates are the indices
///   `"0"`, `"1"`, ... (a strategy maps them to the decision's candidate names).
/// - The copies a `switch`/`switch_grad` lowers to (named `<node>#<k>`) run only for candidate `k`.
/// - Every step lowered from a node named `<switch>.<k>.…` (the inlined candidate `k`: forward, backward and
///   its parameters' optimizer updates) runs only for candidate `k`; with nested switches the innermost wins.
/// - Steps lowered from `<switch>.from<k>.…` (the blocks of a sampled `repeat`) run for every candidate `>= k`.
/// - A value written only under candidate `k` but read by other steps (a candidate's gradient contribution
///   to a shared input) is zero-filled under every other candidate first, so sums never read stale values.
public enum SupernetGuards {
    /// Returns `plan` with guards, zero fills and selectors (unchanged when the graph has no switch).
    public static func apply(to plan: Plan, graph: Graph) throws -> Plan {
        var labels: [String] = [], counts: [Int] = []
        var labelIndex: [String: Int] = [:]
        var switches: [String: (selector: Int, count: Int)] = [:]
        for n in graph.nodes {
            let attrs: SwitchAttrs
            switch n.op {
            case .switchOp(let a), .switchGrad(let a): attrs = a
            default: continue
            }
            let sel: Int
            if let i = labelIndex[attrs.label] {
                guard counts[i] == attrs.count else {
                    throw DiagnosticError(Diagnostic.error("switch '\(n.name)' has \(attrs.count) candidates, but label '\(attrs.label)' has \(counts[i]) elsewhere",
                                                           at: n.location))
                }
                sel = i
            } else {
                labels.append(attrs.label); counts.append(attrs.count); sel = labels.count - 1
                labelIndex[attrs.label] = sel
            }
            switches[n.name] = (sel, attrs.count)
        }
        if labels.isEmpty { return plan }
        // Candidate prefixes `<switch>.<k>.` of forward switches; a step takes its longest (innermost) one, found by
        // looking up each of its name's prefixes that end in a dot (a scan of every prefix per step was quadratic).
        var prefixes: [Substring: StepGuard] = [:]
        for n in graph.nodes {
            guard case .switchOp = n.op, let s = switches[n.name] else { continue }
            for k in 0..<s.count { prefixes[Substring("\(n.name).\(k).")] = StepGuard(selector: s.selector, candidate: k) }
            // Blocks of a sampled repeat (`<switch>.from<k>.<i>`) run for every depth choice >= k.
            for k in 0..<s.count {
                prefixes[Substring("\(n.name).from\(k).")] = StepGuard(selector: s.selector, candidate: k, atLeast: true)
            }
        }
        func candidateGuard(_ name: String) -> StepGuard? {
            var i = name.endIndex
            while let dot = name[..<i].lastIndex(of: ".") {
                if let g = prefixes[name[...dot]] { return g }
                i = dot
            }
            return nil
        }

        var steps = plan.steps
        for i in steps.indices {
            let name = steps[i].node
            if let hash = name.lastIndex(of: "#"), let s = switches[String(name[..<hash])],
               let k = Int(name[name.index(after: hash)...]) {
                steps[i].guardedBy = StepGuard(selector: s.selector, candidate: k)
            } else if let g = candidateGuard(name) {
                steps[i].guardedBy = g
            }
        }

        // Zero fills for values written only under one candidate and read elsewhere.
        var writers: [SlotID: [Int]] = [:], touchers: [SlotID: [Int]] = [:]
        for (i, s) in steps.enumerated() {
            for w in Set(written(s.kernel)) { writers[w, default: []].append(i) }
            for u in Set(Plan.uses(s.kernel).map(\.slot)) { touchers[u, default: []].append(i) }
        }
        var inserts: [Int: [PlanStep]] = [:]
        for (slot, ws) in writers.sorted(by: { $0.key < $1.key }) {
            guard let g = steps[ws[0]].guardedBy, ws.allSatisfy({ steps[$0].guardedBy == g }) else { continue }
            let readElsewhere = (touchers[slot] ?? []).contains { steps[$0].guardedBy != g }
            guard readElsewhere else { continue }
            for j in 0..<counts[g.selector] where !g.admits(j) {
                inserts[ws[0], default: []].append(PlanStep(.copy(CopyStep(source: nil, destination: slot)),
                                                            node: "\(plan.slots[slot].name)/zero",
                                                            guardedBy: StepGuard(selector: g.selector, candidate: j)))
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
        p.selectors = zip(labels, counts).map { PlanSelector(label: $0.0, candidates: (0..<$0.1).map(String.init)) }
        return p
    }

    /// The slots a step writes.
    static func written(_ k: KernelStep) -> [SlotID] {
        switch k {
        case .convForward(let s): return [s.output] + (s.workspace.map { [$0] } ?? [])
        case .convBackwardInput(let s): return [s.gradInput]
        case .convBackwardWeight(let s): return [s.gradWeight]
        case .convBackwardBias(let s): return [s.gradBias]
        case .linearForward(let s): return [s.output]
        case .linearBackwardInput(let s): return [s.input]
        case .linearBackwardWeight(let s), .linearBackwardBias(let s): return [s.weight]
        case .batchNormForward(let s): return [s.output, s.savedMean, s.savedInvStd]
        case .batchNormBackward(let s): return [s.gradInput, s.gradGamma, s.gradBeta].compactMap { $0 }
        case .batchNormFold(let s): return [s.output]
        case .layerNormForward(let s): return [s.output, s.savedMean, s.savedInvStd]
        case .layerNormBackward(let s): return [s.gradInput, s.gradGamma, s.gradBeta].compactMap { $0 }
        case .activationForward(let s): return [s.output]
        case .activationBackward(let s): return [s.gradInput].compactMap { $0 }
        case .maxPoolForward(let s): return [s.output] + (s.indices.map { [$0] } ?? [])
        case .avgPoolForward(let s): return [s.output]
        case .maxPoolBackward(let s), .avgPoolBackward(let s): return [s.input]
        case .globalAvgPoolForward(let s): return [s.output]
        case .globalAvgPoolBackward(let s): return [s.input]
        case .dropoutForward(let s): return [s.output, s.mask]
        case .dropoutBackward(let s): return [s.input]
        case .add(let s), .mul(let s): return [s.output]
        case .mulBackward(let s): return [s.gradA, s.gradB].compactMap { $0 }
        case .concat(let s): return [s.whole]
        case .concatBackward(let s): return s.parts
        case .copy(let s): return [s.destination]
        case .softmaxForward(let s): return [s.output]
        case .softmaxBackward(let s): return [s.gradInput].compactMap { $0 }
        case .lossForward(let s), .lossBackward(let s): return [s.output]
        case .optimizerUpdate(let s): return [s.param] + (s.state.map { [$0] } ?? [])
        case .weightedSumForward(let s): return [s.output].compactMap { $0 }
        case .weightedSumBackward(let s): return s.gradInputs.compactMap { $0 } + [s.gradWeights].compactMap { $0 }
        }
    }
}
