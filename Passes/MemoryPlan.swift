// MemoryPlan: the `memory-plan` pass — liveness-based buffer sharing (and in-place reuse) for the lowered plan.
import NASCIR

/// Assigns the plan's batch-sized f32 slots (activations, gradients, saved values, workspaces, parameter
/// gradients) to shared regions: two slots share memory when their live ranges (first to last step that
/// touches them, in forward/backward/update order) do not overlap. A step that is safe in place (pointwise
/// activations, dropout, add/mul into their first input, copies) may write its output over an input whose
/// last use it is. The data input, labels, loss, the model output (read after the run) and persistent slots
/// keep their own memory. Reports the activation memory before and after as a note.
/// Runs after `lower` (it edits ``PassContext/plan``).
public struct MemoryPlan: Pass {
    public let name = "memory-plan"
    public let summary = "share plan buffers between values with disjoint lifetimes (and in place where safe)"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        guard var plan = context.plan else {
            context.diagnostics.error("memory-plan needs a lowered plan (run lower first)", at: .unknown)
            return
        }
        let before = plan.activationElements
        Self.assignRegions(&plan)
        context.diagnostics.emit(Diagnostic(.note, at: .unknown,
                                            "memory-plan: activation memory \(before) -> \(plan.activationElements) elements"))
        context.plan = plan
    }

    /// True for slots memory planning may share.
    static func shareable(_ s: PlanSlot, _ id: SlotID, _ plan: Plan) -> Bool {
        guard s.type == .f32, id != plan.logits else { return false }
        switch s.role {
        case .activation, .gradient, .saved, .workspace, .parameterGradient: return true
        case .input, .labels, .loss, .parameter, .state, .optimizerState: return false
        }
    }

    /// The (input, output) pair a step may compute in place.
    static func inPlacePair(_ k: KernelStep) -> (input: SlotID, output: SlotID)? {
        switch k {
        case .activationForward(let s): return (s.input, s.output)
        case .activationBackward(let s):
            guard let gy = s.gradOutput, let gx = s.gradInput else { return nil }
            return (gy, gx)
        case .dropoutForward(let s): return (s.input, s.output)
        case .dropoutBackward(let s): return (s.output, s.input)
        case .add(let s), .mul(let s): return s.inputs.first.map { ($0, s.output) }
        case .copy(let s): return s.source.map { ($0, s.destination) }
        default: return nil
        }
    }

    /// Rewrites `plan.slots[*].region` (regions are renumbered densely, persistent slots first in slot order).
    static func assignRegions(_ plan: inout Plan) {
        let n = plan.slots.count
        var first = [Int](repeating: Int.max, count: n), last = [Int](repeating: -1, count: n)
        for (k, st) in plan.steps.enumerated() {
            for u in Plan.uses(st.kernel) where u.slot >= 0 && u.slot < n {
                first[u.slot] = min(first[u.slot], k)
                last[u.slot] = max(last[u.slot], k)
            }
        }
        var region = [Int](repeating: -1, count: n)
        var next = 0
        // Slots that keep their own memory.
        for i in 0..<n where !shareable(plan.slots[i], i, plan) || first[i] == Int.max {
            region[i] = next; next += 1
        }
        // Shared regions: current size and the last step of their current occupant.
        var size: [Int: SymbolicSize] = [:], busyUntil: [Int: Int] = [:], occupant: [Int: SlotID] = [:]
        let order = (0..<n).filter { region[$0] < 0 }.sorted { (first[$0], $0) < (first[$1], $1) }
        for s in order {
            let need = plan.slots[s].size, start = first[s]
            var chosen: Int?
            // In place: the step that first writes `s` reads an input whose last use is that step.
            if let pair = inPlacePair(plan.steps[start].kernel), pair.output == s, pair.input != s,
               let r = occupant.first(where: { $0.value == pair.input })?.key, busyUntil[r] == start,
               last[pair.input] == start, plan.slots[pair.input].size == need {
                chosen = r
            }
            if chosen == nil {
                // Best fit among free regions: the smallest that holds `need`, else the largest (it grows).
                let free = size.keys.filter { busyUntil[$0]! < start }.sorted()
                let fits = free.filter { size[$0]!.perSample >= need.perSample && size[$0]!.fixed >= need.fixed }
                chosen = fits.min { (size[$0]!.perSample, size[$0]!.fixed, $0) < (size[$1]!.perSample, size[$1]!.fixed, $1) }
                    ?? free.max { (size[$0]!.perSample, size[$0]!.fixed, -$0) < (size[$1]!.perSample, size[$1]!.fixed, -$1) }
            }
            let r: Int
            if let c = chosen { r = c } else { r = next; next += 1; size[r] = SymbolicSize() }
            size[r] = size[r]!.union(need)
            busyUntil[r] = last[s]
            occupant[r] = s
            region[s] = r
        }
        for i in 0..<n { plan.slots[i].region = region[i] }
    }
}
