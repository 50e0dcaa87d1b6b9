// MemoryPlan: the `memory-plan` pass — liveness-based buffer sharing (and in-place reuse) for the lowered plan.
import NASCIR

/// Assigns the plan's batch-sized f32 slots (activations, gradients, saved values, workspaces, parameter
/// gradients) to shared regions: two slots share memory when their live ranges (first to last step that
/// touches them, in forward/backward/update order) do not overlap. A step that is safe in place (pointwise
/// activations, dropout, add/mul into their first input, copies) may write its output over an input whose
/// last use it is. The data input, labels, loss, the model output (read after the run) and persistent slots
/// keep their own memory. Reports the activation memory before and after as a note.
///
/// Supernet plans: two slots whose steps are all guarded by mutually exclusive conditions of one *switch*
/// selector (exact candidates `j != k`; sampled mode, where exactly one candidate is active per step) never hold
/// live values in the same step, so they may share a region even when their step ranges overlap: the
/// candidates of a sampled choice share their activation memory. Gated (proxyless) selectors may have several
/// active candidates, so their slots are never aliased this way. Option `exclusive_alias=false`
/// (``Options/exclusiveAliasing``) turns this off. Runs after `lower` (it edits ``PassContext/plan``).
public struct MemoryPlan: ConfigurablePass {
    public let name = "memory-plan"
    public let summary = "share plan buffers between values with disjoint lifetimes (and in place where safe)"

    /// The pass's options.
    public struct Options: Sendable, Hashable {
        /// Let slots of mutually exclusive sampled candidates share memory (`exclusive_alias`, default true).
        public var exclusiveAliasing = true
        /// Creates options.
        public init(exclusiveAliasing: Bool = true) { self.exclusiveAliasing = exclusiveAliasing }
    }

    /// This run's options.
    public var options: Options

    /// Creates the pass.
    public init(options: Options = Options()) { self.options = options }

    public static let optionKeys = ["exclusive_alias"]

    public func configured(_ reader: inout PassOptionReader) throws -> MemoryPlan {
        var o = options
        o.exclusiveAliasing = try reader.flag("exclusive_alias") ?? o.exclusiveAliasing
        return MemoryPlan(options: o)
    }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        guard var plan = context.plan else {
            context.diagnostics.error("memory-plan needs a lowered plan (run lower first)", at: .unknown)
            return
        }
        let before = plan.activationElements
        Self.assignRegions(&plan, exclusive: options.exclusiveAliasing)
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
    ///
    /// Slots are placed in order of their first use. A slot first written in place over an input whose last use is
    /// that step takes the input's region; otherwise the best free region (one whose occupant's last use is before
    /// the slot's first): the smallest that holds it by (per-sample, fixed, id), else the largest (which grows).
    /// O(n log n + n f) for n slots and f free regions at a time: free regions are kept sorted by size and busy
    /// ones in a heap by the end of their occupant's lifetime.
    ///
    /// With `exclusive`, a slot whose steps all share exact conditions of switch selectors (its tags, outermost
    /// first) may also join a busy region whose live occupants are all tagged with other candidates of one of
    /// those selectors (the region's mode); see ``MemoryPlan``.
    static func assignRegions(_ plan: inout Plan, exclusive: Bool = true) {
        let n = plan.slots.count
        var first = [Int](repeating: Int.max, count: n), last = [Int](repeating: -1, count: n)
        // Per slot: the exact switch conditions every step touching it has (nil = not touched yet).
        var tags = [[GuardCondition]?](repeating: nil, count: n)
        let switches = plan.selectors.map { !$0.gated }
        for (k, st) in plan.steps.enumerated() {
            let conds = exclusive ? (st.guardedBy?.conditions ?? []).filter {
                !$0.negated && !$0.atLeast && $0.selector >= 0 && $0.selector < switches.count && switches[$0.selector]
            } : []
            for u in Plan.uses(st.kernel) where u.slot >= 0 && u.slot < n {
                first[u.slot] = min(first[u.slot], k)
                last[u.slot] = max(last[u.slot], k)
                // A sum term is read only when its writers ran (the executor skips it otherwise).
                if exclusive && Plan.readsAsTerm(st, u.slot) { continue }
                if let t = tags[u.slot] { if !t.isEmpty { tags[u.slot] = t.filter { conds.contains($0) } } } else { tags[u.slot] = conds }
            }
        }
        var region = [Int](repeating: -1, count: n)
        var next = 0
        // Slots that keep their own memory.
        for i in 0..<n where !shareable(plan.slots[i], i, plan) || first[i] == Int.max {
            region[i] = next; next += 1
        }
        // Shared regions (indexed by region id; own-memory regions have no occupant): current size, the last step
        // of the current occupant, and the occupant.
        var size = [SymbolicSize](repeating: SymbolicSize(), count: next)
        var busyUntil = [Int](repeating: Int.max, count: next)
        var occupant = [SlotID](repeating: -1, count: next)
        var free = FreeRegions()
        var busy = BusyHeap()
        // Tagged regions: the switch selector of the region's mode (-1 = none) and its live occupants' candidates
        // with the last step of each; per selector, the regions in that mode.
        var modeSelector = [Int](repeating: -1, count: next)
        var modeOccupants = [[(candidate: Int, until: Int)]](repeating: [], count: next)
        var tagged: [Int: Set<Int>] = [:]
        func setMode(_ r: Int, _ tag: GuardCondition?, until: Int) {
            if modeSelector[r] >= 0 { tagged[modeSelector[r]]?.remove(r) }
            if let tag {
                modeSelector[r] = tag.selector; modeOccupants[r] = [(tag.candidate, until)]
                tagged[tag.selector, default: []].insert(r)
            } else {
                modeSelector[r] = -1; modeOccupants[r] = []
            }
        }
        let order = (0..<n).filter { region[$0] < 0 }.sorted { (first[$0], $0) < (first[$1], $1) }
        for s in order {
            let need = plan.slots[s].size, start = first[s]
            // Regions whose occupant is dead by `start` become free (stale heap entries are skipped).
            while let top = busy.top, top.until < start {
                busy.pop()
                if busyUntil[top.region] == top.until && !free.contains(top.region) {
                    free.insert(FreeRegions.Key(size[top.region], top.region))
                    setMode(top.region, nil, until: 0)
                }
            }
            let slotTags = tags[s] ?? []
            var chosen: Int?
            var joined: GuardCondition?
            // In place: the step that first writes `s` reads an input whose last use is that step.
            if let pair = inPlacePair(plan.steps[start].kernel), pair.output == s, pair.input != s,
               pair.input >= 0, pair.input < n, case let r = region[pair.input], r >= 0, occupant[r] == pair.input,
               busyUntil[r] == start, last[pair.input] == start, plan.slots[pair.input].size == need,
               modeOccupants[r].filter({ $0.until >= start }).count <= 1 {
                // (No exclusive co-occupant is read by this step: an in-place sum must not overwrite a live term.)
                chosen = r
            }
            // A busy region whose live occupants are all other candidates of one of the slot's switch selectors.
            var best: (key: FreeRegions.Key, region: Int, tag: GuardCondition)?
            if chosen == nil {
                for tag in slotTags {
                    for r in tagged[tag.selector] ?? [] {
                        modeOccupants[r].removeAll { $0.until < start }
                        guard !modeOccupants[r].contains(where: { $0.candidate == tag.candidate }) else { continue }
                        let key = FreeRegions.Key(size[r], r)
                        let fits = size[r].perSample >= need.perSample && size[r].fixed >= need.fixed
                        if let b = best {
                            let bFits = b.key.perSample >= need.perSample && b.key.fixed >= need.fixed
                            if fits ? (!bFits || key < b.key) : (!bFits && b.key < key) { best = (key, r, tag) }
                        } else {
                            best = (key, r, tag)
                        }
                    }
                }
            }
            if chosen == nil, let b = best, b.key.perSample >= need.perSample, b.key.fixed >= need.fixed {
                chosen = b.region; joined = b.tag
            }
            if chosen == nil, let r = free.bestFit(need) {
                free.remove(FreeRegions.Key(size[r], r))
                chosen = r
            }
            if chosen == nil, let b = best { chosen = b.region; joined = b.tag }
            let r: Int
            if let c = chosen {
                r = c
            } else {
                r = next; next += 1
                size.append(SymbolicSize()); busyUntil.append(Int.max); occupant.append(-1)
                modeSelector.append(-1); modeOccupants.append([])
            }
            size[r] = size[r].union(need)
            if let tag = joined {
                modeOccupants[r].append((tag.candidate, last[s]))
                busyUntil[r] = max(busyUntil[r], last[s])
            } else {
                setMode(r, slotTags.first, until: last[s])
                busyUntil[r] = last[s]
            }
            occupant[r] = s
            busy.push(until: last[s], region: r)
            region[s] = r
        }
        for i in 0..<n { plan.slots[i].region = region[i] }
    }
}

/// The free shared regions of ``MemoryPlan/assignRegions(_:)``, sorted by (per-sample size, fixed size, id).
struct FreeRegions {
    struct Key: Comparable {
        var perSample: Int, fixed: Int, id: Int
        init(_ s: SymbolicSize, _ id: Int) { perSample = s.perSample; fixed = s.fixed; self.id = id }
        init(perSample: Int, fixed: Int, id: Int) { self.perSample = perSample; self.fixed = fixed; self.id = id }
        static func < (a: Key, b: Key) -> Bool { (a.perSample, a.fixed, a.id) < (b.perSample, b.fixed, b.id) }
    }
    private var keys: [Key] = []
    private var members = Set<Int>()

    func contains(_ id: Int) -> Bool { members.contains(id) }

    /// Index of the first key not less than `k`.
    private func lowerBound(_ k: Key) -> Int {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < k { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func insert(_ k: Key) {
        keys.insert(k, at: lowerBound(k))
        members.insert(k.id)
    }

    mutating func remove(_ k: Key) {
        let i = lowerBound(k)
        if i < keys.count && keys[i] == k { keys.remove(at: i); members.remove(k.id) }
    }

    /// The smallest region holding `need` (by per-sample size, fixed size, id), else the largest (largest
    /// per-sample then fixed size, smallest id); `nil` when none is free.
    func bestFit(_ need: SymbolicSize) -> Int? {
        guard let largest = keys.last else { return nil }
        var i = lowerBound(Key(perSample: need.perSample, fixed: need.fixed, id: Int.min))
        while i < keys.count {
            if keys[i].fixed >= need.fixed { return keys[i].id }
            i += 1
        }
        return keys[lowerBound(Key(perSample: largest.perSample, fixed: largest.fixed, id: Int.min))].id
    }
}

/// A binary min-heap of (end of lifetime, region) for ``MemoryPlan/assignRegions(_:)``.
struct BusyHeap {
    private var items: [(until: Int, region: Int)] = []

    var top: (until: Int, region: Int)? { items.first }

    private static func less(_ a: (until: Int, region: Int), _ b: (until: Int, region: Int)) -> Bool {
        (a.until, a.region) < (b.until, b.region)
    }

    mutating func push(until: Int, region: Int) {
        items.append((until, region))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.less(items[i], items[p]) else { break }
            items.swapAt(i, p); i = p
        }
    }

    mutating func pop() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && Self.less(items[l], items[m]) { m = l }
            if r < items.count && Self.less(items[r], items[m]) { m = r }
            if m == i { break }
            items.swapAt(i, m); i = m
        }
    }
}
