// MemoryPlanReferenceTests: the O(n log n) region assignment gives exactly the regions of the naive quadratic
// algorithm (scan every region per slot) on training and inference plans of subnets and supernets.
import Testing
import NASCIR
@testable import NASCPasses
@testable import NASCRuntime

@Suite struct MemoryPlanReferenceTests {
    /// The naive algorithm: per slot (by first use), in place over a dying input, else the best free region
    /// found by scanning all regions.
    static func naiveRegions(_ plan: Plan) -> [Int] {
        let n = plan.slots.count
        var first = [Int](repeating: Int.max, count: n), last = [Int](repeating: -1, count: n)
        for (k, st) in plan.steps.enumerated() {
            for u in Plan.uses(st.kernel) where u.slot >= 0 && u.slot < n {
                first[u.slot] = min(first[u.slot], k); last[u.slot] = max(last[u.slot], k)
            }
        }
        var region = [Int](repeating: -1, count: n)
        var next = 0
        for i in 0..<n where !MemoryPlan.shareable(plan.slots[i], i, plan) || first[i] == Int.max { region[i] = next; next += 1 }
        var size: [Int: SymbolicSize] = [:], busyUntil: [Int: Int] = [:], occupant: [Int: SlotID] = [:]
        for s in (0..<n).filter({ region[$0] < 0 }).sorted(by: { (first[$0], $0) < (first[$1], $1) }) {
            let need = plan.slots[s].size, start = first[s]
            var chosen: Int?
            if let pair = MemoryPlan.inPlacePair(plan.steps[start].kernel), pair.output == s, pair.input != s,
               let r = occupant.first(where: { $0.value == pair.input })?.key, busyUntil[r] == start,
               last[pair.input] == start, plan.slots[pair.input].size == need {
                chosen = r
            }
            if chosen == nil {
                let free = size.keys.filter { busyUntil[$0]! < start }
                let fits = free.filter { size[$0]!.perSample >= need.perSample && size[$0]!.fixed >= need.fixed }
                chosen = fits.min { (size[$0]!.perSample, size[$0]!.fixed, $0) < (size[$1]!.perSample, size[$1]!.fixed, $1) }
                    ?? free.max { (size[$0]!.perSample, size[$0]!.fixed, -$0) < (size[$1]!.perSample, size[$1]!.fixed, -$1) }
            }
            let r: Int
            if let c = chosen { r = c } else { r = next; next += 1; size[r] = SymbolicSize() }
            size[r] = size[r]!.union(need); busyUntil[r] = last[s]; occupant[r] = s; region[s] = r
        }
        return region
    }

    static func plans() throws -> [(String, Plan)] {
        let cell = try TextIR.parse(SupernetCellTests.spaceText, file: "cellt.nir")
        let tiny = try TextIR.parse(SupernetTests.spaceText, file: "tiny.nir")
        var out: [(String, Plan)] = []
        for (name, space) in [("cell", cell), ("tiny", tiny)] {
            for mode in SupernetMode.allCases {
                for training in [true, false] {
                    out.append(("\(name) \(mode) training=\(training)",
                                try SupernetCompiler.compile(space, mode: mode, training: training,
                                                             options: PlanOptions.adam())))
                }
            }
        }
        return out
    }

    @Test func fastAssignmentEqualsTheNaiveOne() throws {
        for (name, plan) in try Self.plans() {
            var planned = plan
            // The reference ignores guards (sharing between exclusive candidates: SupernetMemoryTests).
            MemoryPlan.assignRegions(&planned, exclusive: false)
            #expect(planned.slots.map(\.region) == Self.naiveRegions(plan), "\(name)")
            #expect(planned.activationElements.perSample <= plan.activationElements.perSample, "\(name)")
        }
    }

    @Test func freeRegionsBestFitAndLargest() {
        var free = FreeRegions()
        free.insert(.init(SymbolicSize(perSample: 10), 3))
        free.insert(.init(SymbolicSize(perSample: 40), 1))
        free.insert(.init(SymbolicSize(perSample: 40), 0))
        free.insert(.init(SymbolicSize(perSample: 20, fixed: 5), 2))
        #expect(free.bestFit(SymbolicSize(perSample: 15)) == 2)
        #expect(free.bestFit(SymbolicSize(perSample: 20, fixed: 6)) == 0)   // smallest fitting: 40 (id 0 before 1)
        #expect(free.bestFit(SymbolicSize(perSample: 50)) == 0)             // none fits: the largest, lowest id
        #expect(free.bestFit(SymbolicSize(fixed: 5)) == 2)
        free.remove(.init(SymbolicSize(perSample: 40), 0))
        #expect(!free.contains(0) && free.contains(1))
        #expect(free.bestFit(SymbolicSize(perSample: 50)) == 1)
        #expect(FreeRegions().bestFit(SymbolicSize(perSample: 1)) == nil)
    }
}
