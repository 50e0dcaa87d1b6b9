// SupernetMemoryTests: memory planning of sampled supernets shares the buffers of a choice's candidates (at most one
// runs per step) — memory does not grow with the candidate count (DARTS does), no two buffers of one region are
// live together under any selection, and training is bit-identical with and without the sharing.
import Testing
import NASCIR
import NASCData
@testable import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetMemoryTests {
    /// A layer choice of `n` equally sized conv candidates between a stem and a classifier.
    static func space(candidates n: Int) throws -> ModelSpace {
        var text = "space \"m\" version 1 root @main\n\ngraph @main(%x: f32[N,1,8,8]) {\n"
        text += "  %s = conv2d(%x) {out = 4, kernel = 1}\n"
        text += "  %c = layer_choice(%s) {label = \"op\", candidates = [\((0..<n).map { "c\($0) = @g\($0)" }.joined(separator: ", "))]}\n"
        text += "  %f = flatten(%c)\n  %o = linear(%f) {out = 3}\n  return %o\n}\n"
        for k in 0..<n {
            text += "\ngraph @g\(k)(%x: f32[N,4,8,8]) {\n  %y = conv2d(%x) {out = 4, kernel = \(k % 2 == 0 ? 3 : 1), padding = same}\n"
            text += "  %b = batch_norm(%y)\n  %t = tanh(%b)\n  return %t\n}\n"
        }
        return try TextIR.parse(text, file: "m.nir")
    }

    static func planned(_ space: ModelSpace, _ mode: SupernetMode, alias: Bool = true) throws -> Plan {
        try SupernetCompiler.compile(space, mode: mode, options: .sgd(lr: 0.05, momentum: 0.9),
                                     memoryPlan: MemoryPlan(options: .init(exclusiveAliasing: alias)))
    }

    @Test func sampledMemoryDoesNotGrowWithCandidates() throws {
        let one = try Self.planned(try Self.space(candidates: 1), .sampled).activationElements
        let five = try Self.planned(try Self.space(candidates: 5), .sampled).activationElements
        let fiveUnaliased = try Self.planned(try Self.space(candidates: 5), .sampled, alias: false).activationElements
        let dartsOne = try Self.planned(try Self.space(candidates: 1), .darts).activationElements
        let dartsFive = try Self.planned(try Self.space(candidates: 5), .darts).activationElements
        // One candidate's activations are 4*8*8 = 256 floats per sample per tensor; five candidates add at most a
        // few switch buffers, while DARTS keeps every candidate's activations.
        #expect(five.perSample <= one.perSample + 2 * 256, "sampled: 1 candidate \(one), 5 candidates \(five)")
        #expect(fiveUnaliased.perSample >= five.perSample + 4 * 256, "without sharing \(fiveUnaliased), with \(five)")
        #expect(dartsFive.perSample >= dartsOne.perSample + 4 * 4 * 256, "darts: 1 candidate \(dartsOne), 5 candidates \(dartsFive)")
    }

    /// Under every selection, the buffers a run touches never overlap in time within one region.
    @Test func noTwoLiveBuffersShareARegionUnderAnySelection() throws {
        let cell = try TextIR.parse(SupernetCellTests.reductionText, file: "cellr.nir")
        let nested = try TextIR.parse(SupernetGuardTests.nestedText, file: "nest.nir")
        for space in [try Self.space(candidates: 5), cell, nested] {
            let plan = try Self.planned(space, .sampled)
            let writers = plan.writerGuards()
            var rng = SeededGenerator(seed: 3)
            for _ in 0..<20 {
                let selection = plan.selectors.map { Int(rng.next() % UInt64($0.candidates.count)) }
                var first = [Int](repeating: Int.max, count: plan.slots.count), last = [Int](repeating: -1, count: plan.slots.count)
                for (k, st) in plan.steps.enumerated() where st.guardedBy?.admits(selection: selection) ?? true {
                    for u in Plan.uses(st.kernel) {
                        // Sums skip a term whose writers did not run.
                        if plan.readsAsTerm(step: k, u.slot), let w = writers[u.slot], !w.admits(selection: selection) { continue }
                        first[u.slot] = min(first[u.slot], k); last[u.slot] = max(last[u.slot], k)
                    }
                }
                var byRegion: [Int: [(Int, Int)]] = [:]
                for (i, s) in plan.slots.enumerated() where !s.role.isPersistent && last[i] >= 0 { byRegion[s.region, default: []].append((first[i], last[i])) }
                for (r, spans) in byRegion {
                    let sorted = spans.sorted { $0 < $1 }
                    for (a, b) in zip(sorted, sorted.dropFirst()) {
                        #expect(a.1 <= b.0, "region \(r): live \(a) and \(b) overlap under \(selection)")
                    }
                }
            }
        }
    }

    /// Sampled training on a memory-planned plan with candidate sharing gives the same bits as without it and as
    /// the unplanned plan.
    @Test func sharingKeepsTrainingBitIdentical() throws {
        for space in [try Self.space(candidates: 5), try TextIR.parse(SupernetCellTests.reductionText, file: "cellr.nir")] {
            let aliased = try Self.planned(space, .sampled)
            let separate = try Self.planned(space, .sampled, alias: false)
            let plain = try SupernetCompiler.compile(space, mode: .sampled, options: PlanOptions.sgd(lr: 0.05, momentum: 0.9))
            #expect(aliased.activationElements.perSample < separate.activationElements.perSample)
            let execs = try [aliased, separate, plain].map { try Executor(plan: $0, seed: 11) }
            let inputCount = aliased.slots[aliased.dataInput].size.perSample
            var rng = SeededGenerator(seed: 5)
            for step in 0..<6 {
                let selection = aliased.selectors.map { Int(rng.next() % UInt64($0.candidates.count)) }
                let x = randomFloats(4 * inputCount, seed: UInt64(step))
                let y: [Int64] = [0, 1, 2, 1]
                let losses = try execs.map { e -> Float in e.selection = selection; return try e.trainStep(data: x, labels: y, batch: 4) }
                #expect(losses[0] == losses[1] && losses[1] == losses[2], "step \(step): \(losses)")
                #expect(execs[0].output == execs[2].output)
            }
            for name in execs[0].parameterNames {
                #expect(execs[0].parameter(name) == execs[1].parameter(name) && execs[0].parameter(name) == execs[2].parameter(name), "\(name)")
            }
        }
    }
}
