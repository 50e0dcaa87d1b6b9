// PDartsTests: P-DARTS' schedule (the authors' 3, 2, 2 drops, depth spread, bad schedules), the skip-connection cap,
// a short three-stage search (pruning, depth growth, skip dropout, export) and resuming from a saved state.
import Foundation
import Testing
import NASCIR
import NASCPasses
import NASCData
@testable import NASCStrategies

@Suite struct PDartsTests {
    /// A stem, a repeat `cells` of depth 1..3 whose block holds layer choices `a` and `b` over `candidates`
    /// (`skip` passes through, `conv*` are 3x3 / 1x1 convolutions, `pool` an average pool), and a 2-class head.
    static func space(candidates: [String] = ["conv3", "conv1", "skip", "pool"], depths: [Int] = [1, 2, 3]) throws -> ModelSpace {
        func graph(_ name: String) -> String {
            let body: String
            switch name {
            case "skip": body = "  return %x"
            case "pool": body = "  %y = avg_pool2d(%x) {kernel = 3, stride = 1, padding = 1}\n  return %y"
            case "conv1": body = "  %y = conv2d(%x) {out = 2, kernel = 1}\n  return %y"
            default: body = "  %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}\n  %t = tanh(%y)\n  return %t"
            }
            return "graph @\(name)(%x: f32[N,2,6,6]) {\n\(body)\n}\n"
        }
        let list = candidates.map { "\($0) = @\($0)" }.joined(separator: ", ")
        let text = """
        space "pd" version 1 root @main

        graph @main(%x: f32[N,1,6,6]) {
          %s = conv2d(%x) {out = 2, kernel = 1}
          %r = repeat(%s) {label = "cells", depths = [\(depths.map(String.init).joined(separator: ", "))], blocks = [\((0..<(depths.max() ?? 0)).map { _ in "@blk" }.joined(separator: ", "))]}
          %f = flatten(%r)
          %o = linear(%f) {out = 2}
          return %o
        }

        graph @blk(%x: f32[N,2,6,6]) {
          %a = layer_choice(%x) {label = "a", candidates = [\(list)]}
          %b = layer_choice(%a) {label = "b", candidates = [\(list)]}
          %h = add(%a, %b)
          return %h
        }

        """ + Set(candidates).sorted().map(graph).joined(separator: "\n")
        return try TextIR.parse(text, file: "pd.nir")
    }

    static func config(epochs: Int = 2) -> PDartsConfig {
        var c = PDartsConfig()
        c.darts.epochs = epochs
        c.darts.batchSize = 16
        c.darts.archLR = 0.05
        c.warmupEpochs = 1
        return c
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch let e as DiagnosticError { return e.description } catch { return "\(error)" }
    }

    @Test func defaultDropsAreTheAuthorsForEightCandidatesAndDepthsSpreadOverTheRepeat() throws {
        let eight = try Self.space(candidates: ["conv3", "conv1", "skip", "pool", "c4", "c5", "c6", "c7"], depths: [1, 2, 3, 4, 5])
        let s = try PDartsSchedule(PDartsConfig(), space: eight)
        #expect(s.drops["a"] == [3, 2, 2])
        #expect(s.depthLabel == "cells" && s.depths == [1, 3, 5])
        #expect(s.skipDropout == [0, 0.4, 0.7])
        let four = try PDartsSchedule(PDartsConfig(), space: try Self.space())
        #expect(four.drops["b"] == [1, 1, 1] && four.depths == [1, 2, 3])
        // Given drops apply to every decision (NNI's num_to_drop).
        var c = PDartsConfig()
        c.stages = 2; c.numToDrop = [2, 1]; c.depths = [2, 3]
        let given = try PDartsSchedule(c, space: try Self.space())
        #expect(given.drops["a"] == [2, 1] && given.depths == [2, 3] && given.skipDropout == [0, 0.7])
    }

    @Test func inconsistentSchedulesAreOneLineStrategyOptionErrors() throws {
        let space = try Self.space()
        func check(_ edit: (inout PDartsConfig) -> Void, _ expected: String, in s: ModelSpace? = nil) throws {
            var c = PDartsConfig()
            edit(&c)
            let m = message { _ = try PDartsSchedule(c, space: s ?? space) }
            #expect(m.hasPrefix("--strategy-option: error: ") && m.contains(expected) && !m.contains("\n"), "\(m)")
        }
        try check({ $0.stages = 4 }, "stages=4 is more stages than candidates to drop: the largest decision ('a') has 4 candidates, so at most 3 stages")
        try check({ $0.numToDrop = [2, 1, 1] }, "num_to_drop 2,1,1 drops 4 candidates, but the largest decision ('a') has 4: at most 3 can go")
        try check({ $0.numToDrop = [1, 1] }, "num_to_drop has 2 entries for 3 stages")
        try check({ $0.depths = [1, 3, 2] }, "depths 1,3,2 do not increase (3 then 2)")
        try check({ $0.depths = [1, 1, 3] }, "depths 1,1,3 do not increase (1 then 1)")
        try check({ $0.depths = [1, 2, 4] }, "depth 4 is not a depth of repeat 'cells' (1, 2, 3)")
        try check({ $0.depthLabel = "nope" }, "depth_label 'nope' is not a repeat of the space (repeats: cells)")
        try check({ $0.skipDropout = [0, 1, 0] }, "skip_dropout rates must be in [0, 1)")
        try check({ $0.warmupEpochs = 9 }, "warmup_epochs (9) must not exceed the epochs per stage (5)")
        let flat = try OneShotFixtures.tinySpace()
        try check({ $0.stages = 1; $0.depths = [2] }, "depths needs a repeat in the space", in: flat)
        try check({ _ in }, "stages=3 is more stages than candidates to drop: the largest decision ('op') has 2 candidates", in: flat)
    }

    /// Four layer choices over (conv, skip) with skip preferred on three of them.
    static let capSpace = """
    space "cap" version 1 root @main

    graph @main(%x: f32[N,2]) {
      %a = layer_choice(%x) {label = "a", candidates = [lin = @lin, skip = @skip]}
      %b = layer_choice(%a) {label = "b", candidates = [lin = @lin, skip = @skip]}
      %c = layer_choice(%b) {label = "c", candidates = [lin = @lin, id = @id]}
      %d = layer_choice(%c) {label = "d", candidates = [lin = @lin, skip = @skip]}
      return %d
    }

    graph @lin(%x: f32[N,2]) {
      %y = linear(%x) {out = 2}
      return %y
    }

    graph @skip(%x: f32[N,2]) {
      return %x
    }

    graph @id(%x: f32[N,2]) {
      %i = identity(%x)
      return %i
    }
    """

    @Test func theCapKeepsTheStrongestSkipsAndReplacesTheWeakest() throws {
        let space = try TextIR.parse(Self.capSpace, file: "cap.nir")
        let ss = try SearchSpace(space)
        // Skip wins on a (0.9), c (0.6, an identity node) and d (0.7); b prefers lin.
        let probs: [String: [Double]] = ["a": [0.1, 0.9], "b": [0.8, 0.2], "c": [0.4, 0.6], "d": [0.3, 0.7]]
        let (two, replaced2) = try PDartsSkipCap.architecture(space: space, searchSpace: ss, probabilities: probs, maxSkips: 2)
        #expect(replaced2 == 1)
        #expect(two["a"] == .candidate("skip") && two["b"] == .candidate("lin") && two["c"] == .candidate("lin") && two["d"] == .candidate("skip"))
        let (none, replaced0) = try PDartsSkipCap.architecture(space: space, searchSpace: ss, probabilities: probs, maxSkips: 0)
        #expect(replaced0 == 3 && ["a", "b", "c", "d"].allSatisfy { none[$0] == .candidate("lin") })
        let (all, replaced3) = try PDartsSkipCap.architecture(space: space, searchSpace: ss, probabilities: probs, maxSkips: 3)
        #expect(replaced3 == 0 && all["c"] == .candidate("id"))
    }

    @Test func theCapCountsTheChosenEdgesOfACell() throws {
        // One cell, 3 nodes with one input each; skip leads on every edge, most on node 2's edges.
        let space = try TextIR.parse("""
        space "cellcap" version 1 root @main

        graph @main(%x: f32[N,2,4,4]) {
          %c = cell(%x) {label = "n", num_nodes = 3, ops_per_node = 1, candidates = [conv = @conv, skip = @skip]}
          return %c
        }

        graph @conv(%x: f32[N,2,4,4]) {
          %y = conv2d(%x) {out = 2, kernel = 1}
          return %y
        }

        graph @skip(%x: f32[N,2,4,4]) {
          return %x
        }
        """, file: "cellcap.nir")
        let ss = try SearchSpace(space)
        var probs: [String: [Double]] = [:]
        for i in 1...3 { for j in 0..<i { probs[SupernetCellLabels.edge("n", node: i, source: j)] = [0.4 - 0.01 * Double(j), 0.6 - 0.05 * Double(i) - 0.01 * Double(j)] } }
        let (arch, replaced) = try PDartsSkipCap.architecture(space: space, searchSpace: ss, probabilities: probs, maxSkips: 2)
        let ops = (1...3).map { arch[CellLabels.op("n", node: $0, op: 0)] }
        #expect(replaced >= 1)
        #expect(ops.filter { $0 == .candidate("skip") }.count == 2, "\(ops)")
        // Node 3 had the weakest skips (0.45 and less): it is the one that lost its skip.
        #expect(ops[2] == .candidate("conv"), "\(ops)")
    }

    @Test func theExportNeverPicksAZeroCandidate() throws {
        // A layer choice `a` and a one-node cell `n` whose `none` (a zero op) leads; `b` has only zero candidates.
        let space = try TextIR.parse("""
        space "zero" version 1 root @main

        graph @main(%x: f32[N,2,4,4]) {
          %a = layer_choice(%x) {label = "a", candidates = [none = @none, conv = @conv, skip = @skip]}
          %b = layer_choice(%a) {label = "b", candidates = [none = @none, none2 = @none]}
          %c = cell(%a) {label = "n", num_nodes = 1, ops_per_node = 1, candidates = [none = @none, conv = @conv]}
          %s = add(%b, %c)
          return %s
        }

        graph @none(%x: f32[N,2,4,4]) {
          %z = zero(%x)
          return %z
        }

        graph @conv(%x: f32[N,2,4,4]) {
          %y = conv2d(%x) {out = 2, kernel = 1}
          return %y
        }

        graph @skip(%x: f32[N,2,4,4]) {
          return %x
        }
        """, file: "zero.nir")
        let ss = try SearchSpace(space)
        let edge = SupernetCellLabels.edge("n", node: 1, source: 0)
        let probs: [String: [Double]] = ["a": [0.7, 0.1, 0.2], "b": [0.6, 0.4], edge: [0.9, 0.1]]
        let ruled = ZeroCandidateExclusion.apply(space: space, to: probs)
        #expect(ruled["a"] == [ZeroCandidateExclusion.ruledOut, 0.1, 0.2] && ruled["b"] == [0.6, 0.4] && ruled[edge] == [ZeroCandidateExclusion.ruledOut, 0.1])
        // Without the rule the argmax exports `none`; with it, the best other candidate (skip is within the cap).
        let (plain, _) = try PDartsSkipCap.architecture(space: space, searchSpace: ss, probabilities: probs, maxSkips: 2)
        #expect(plain["a"] == .candidate("none") && plain[CellLabels.op("n", node: 1, op: 0)] == .candidate("none"))
        let (arch, _) = try PDartsSkipCap.architecture(space: space, searchSpace: ss, probabilities: ruled, maxSkips: 2)
        #expect(arch["a"] == .candidate("skip") && arch["b"] == .candidate("none") && arch[CellLabels.op("n", node: 1, op: 0)] == .candidate("conv"))
        // The skip cap still applies on top: with no skips allowed, `a` falls to conv, never to none.
        let (capped, replaced) = try PDartsSkipCap.architecture(space: space, searchSpace: ss, probabilities: ruled, maxSkips: 0)
        #expect(replaced == 1 && capped["a"] == .candidate("conv"))
    }

    func data() throws -> (Dataset, Dataset) {
        let d = try OneShotFixtures.data(seed: 3)
        return (d, try OneShotFixtures.data(seed: 4))
    }

    @Test func threeStagesPruneGrowTheDepthAndExportTheDeepest() throws {
        let (train, valid) = try data()
        let search = try PDartsSearch(space: try Self.space(), config: Self.config())
        var log: [OneShotEpochLog] = []
        let arch = try search.run(train: train, valid: valid) { log.append($0) }
        #expect(log.map(\.epoch) == [0, 1, 2, 3, 4, 5])
        #expect(log.map { $0.extra["stage"] } == [0, 0, 1, 1, 2, 2])
        #expect(log.map { $0.extra["depth"] } == [1, 1, 2, 2, 3, 3])
        #expect(log.map { $0.extra["candidates"] } == [4, 4, 3, 3, 2, 2])
        // Skip dropout: stage s starts at p0 (0, 0.4, 0.7) scaled by (epochs - 1) / epochs in the warm-up epoch, then p0.
        let p = log.map { $0.extra["skip_dropout"] ?? -1 }
        #expect(p == [0, 0, 0.2, 0.4, 0.35, 0.7], "\(p)")
        // Probabilities cover the space's four candidates, with zeros for dropped ones; two survive per decision.
        for label in ["a", "b"] {
            let last = try #require(log.last?.probabilities[label])
            #expect(last.count == 4 && last.filter { $0 == 0 }.count == 2, "\(last)")
            #expect(search.kept[label]?.count == 2)
            guard case .candidate(let c)? = arch[label] else { Issue.record("no candidate for \(label)"); continue }
            #expect(search.kept[label]?.contains(c) == true)
        }
        #expect(arch["cells"] == .value(.int(3)))
        try search.searchSpace.validate(arch)
        // The stage supernet drops the pruned candidates and puts dropout after skips (when kept).
        let stageSpace = try search.stageSpace(skipDropout: 0.3)
        let kept = Set(try SearchSpace(stageSpace).decision("a").map(DecisionNamesForTest.candidates) ?? [])
        #expect(kept == Set(search.kept["a"] ?? []))
    }

    @Test func aResumedSearchEndsLikeAnUninterruptedOne() throws {
        let (train, valid) = try data()
        let space = try Self.space()
        let reference = try PDartsSearch(space: space, config: Self.config())
        var refLog: [OneShotEpochLog] = []
        let refArch = try reference.run(train: train, valid: valid) { refLog.append($0) }
        struct Stop: Error {}
        // Interrupted after epoch 2 (a stage boundary: stage 1 has not started) and after epoch 3 (inside stage 1).
        for stopAt in [2, 3] {
            let first = try PDartsSearch(space: space, config: Self.config())
            var saved: OneShotSearchState?
            var log: [OneShotEpochLog] = []
            first.epochEnded = { done in
                saved = try first.saveState()
                if done == stopAt { throw Stop() }
            }
            #expect(throws: Stop.self) { try first.run(train: train, valid: valid) { log.append($0) } }
            let state = try #require(saved)
            #expect(state.strategy == "pdarts" && state.epochsDone == stopAt && state.counters["pdarts_stage"] == 1)
            // Through Codable, as the checkpoint file stores it.
            let decoded = try JSONDecoder().decode(OneShotSearchState.self, from: try JSONEncoder().encode(state))
            let second = try PDartsSearch(space: space, config: Self.config())
            try second.restore(decoded)
            let arch = try second.run(train: train, valid: valid) { log.append($0) }
            #expect(arch == refArch)
            #expect(log == refLog, "resumed after epoch \(stopAt - 1)")
        }
        // A state of another strategy or schedule is refused.
        var other = PDartsConfig(); other.darts.epochs = 1; other.warmupEpochs = 0
        let wrong = try PDartsSearch(space: space, config: other)
        #expect(throws: DiagnosticError.self) { try wrong.restore(try reference.saveState()) }
    }
}

/// Candidate names of a layer-choice decision.
enum DecisionNamesForTest {
    static func candidates(_ d: Decision) -> [String] {
        if case .layerChoice(let names) = d.kind { return names }
        return []
    }
}
