// OneShotFeaturesTests: hard (straight-through) GumbelDARTS — the forward pass is the one-hot subnet, alpha's gradient
// the soft sample's — and the Proxyless latency penalty: JSON tables (and their errors), per-candidate measurement on
// the supernet, the penalty's gradient, and a search that it steers toward the faster candidate.
import Foundation
import Testing
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime
@testable import NASCStrategies

@Suite struct HardGumbelTests: TinyThreeWaySupernet {
    func hard(seed: UInt64) throws -> Executor {
        try Executor(plan: try SupernetCompiler.compile(try space(), mode: .gumbel, gumbelHard: true), seed: seed)
    }

    /// `softmax((alpha + noise) * inv_tau)` of a label, from the executor's tensors, in double.
    func soft(_ e: Executor, _ label: String) throws -> [Double] {
        let a = try #require(e.parameter("arch:\(label)")), n = try #require(e.parameter("gumbel:noise:\(label)"))
        let t = try #require(e.parameter("gumbel:inv_tau:\(label)"))
        return OneShotExport.softmax(a.indices.map { (a[$0] + n[$0]) * t[$0] })
    }

    func argmax(_ v: [Double]) -> Int { v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) } ?? 0 }

    @Test func offsetsExistOnlyInHardPlans() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .gumbel, gumbelHard: true)
        #expect(plan.slots.contains { $0.name == "gumbel:hard:op" && $0.role == .state })
        #expect(plan.slots.contains { $0.name == "gumbel:hard:in" && $0.role == .state })
        #expect(!(try SupernetCompiler.compile(try space(), mode: .gumbel)).slots.contains { $0.name.hasPrefix("gumbel:hard:") })
        // Other modes ignore the flag.
        #expect(!(try SupernetCompiler.compile(try space(), mode: .darts, gumbelHard: true)).slots.contains { $0.name.hasPrefix("gumbel:hard:") })
    }

    @Test(arguments: [(0, 0.5), (1, 1.0), (2, 0.33), (5, 2.0)])
    func hardForwardIsTheOneHotSubnet(draw: Int, temperature: Double) throws {
        let sup = try hard(seed: 7)
        try sup.setParameter("arch:op", [0.3, -0.2, 0.1])
        try sup.setParameter("arch:in", [0.2, -0.1])
        try sup.drawGumbelNoise(temperature: temperature, draw: draw)
        let wOp = try soft(sup, "op"), wIn = try soft(sup, "in")
        let k = argmax(wOp), j = argmax(wIn)
        // The soft sample is not one-hot; weights + offset are.
        #expect(wOp.max()! < 0.999)
        let offset = try #require(sup.parameter("gumbel:hard:op"))
        for i in 0..<3 { #expect(abs(Double(offset[i]) + wOp[i] - (i == k ? 1 : 0)) < 1e-6, "offset \(offset) soft \(wOp)") }
        let sub = try Executor(plan: try subnet(op: k, input: j), seed: 3)
        try share(from: sub, to: sup, op: k)
        try expectSame(sup, sub, op: k)
    }

    @Test(arguments: [0, 1, 2])
    func hardAlphaGradientIsTheSoftSamplesGradientAtTheOneHotForward(draw: Int) throws {
        let sup = try hard(seed: 11)
        let alpha: [Float] = [0.3, -0.2, 0.1]
        try sup.setParameter("arch:op", alpha)
        // The input choice takes the layer choice's output (input 1, the stem, would make op's gradient zero).
        try sup.setParameter("arch:in", [10, -10])
        try sup.drawGumbelNoise(temperature: 0.7, draw: draw)
        let w = try soft(sup, "op"), k = argmax(w), j = argmax(try soft(sup, "in"))
        try #require(j == 0)
        try sup.computeGradients(data: x, labels: labels, batch: 4)
        let g = try #require(sup.gradient(of: "arch:op"))
        #expect(sup.gradient(of: "gumbel:hard:op") == nil, "the offset is a constant")
        // The binary gradients <out_i, dL/dy> at the one-hot forward, from a proxyless supernet with the same weights.
        let prox = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .proxyless), seed: 1)
        for name in prox.weightParameterNames {
            try prox.setParameter(name, try #require(sup.parameter(name)))
        }
        try prox.setParameter("gate:op", (0..<3).map { $0 == k ? 1 : 0 })
        try prox.setParameter("gate:in", (0..<2).map { $0 == j ? 1 : 0 })
        let l1 = try prox.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-5 * max(1, abs(l1)))
        let bg = try #require(prox.gradient(of: "gate:op"))
        // Straight-through: dL/dalpha_i = inv_tau * w_i (bg_i - sum_m w_m bg_m), w the soft sample.
        let mean = zip(w, bg).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        for i in 0..<3 {
            let expected = (1 / 0.7) * w[i] * (Double(bg[i]) - mean)
            #expect(abs(Double(g[i]) - expected) <= 1e-5 + 1e-3 * abs(expected), "alpha[\(i)]: \(g[i]) vs \(expected)")
        }
        #expect(g.contains { $0 != 0 })
        // The soft plan at the same noise mixes every candidate in its forward pass: another loss.
        let softPlan = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .gumbel), seed: 11)
        for name in softPlan.parameterNames { try softPlan.setParameter(name, try #require(sup.parameter(name))) }
        try softPlan.drawGumbelNoise(temperature: 0.7, draw: draw)
        #expect(softPlan.parameter("gumbel:noise:op") == sup.parameter("gumbel:noise:op"))
        let ls = try softPlan.computeGradients(data: x, labels: labels, batch: 4)
        #expect(ls != l2)
    }

    @Test func hardGumbelDartsSearchRunsAndIsReproducible() throws {
        var c = DartsConfig()
        c.epochs = 2; c.batchSize = 16; c.archLR = 0.05; c.hard = true
        func run() throws -> ([OneShotEpochLog], DartsSearch) {
            let g = try GumbelDartsSearch.make(space: try OneShotFixtures.tinySpace(), config: c)
            var logs: [OneShotEpochLog] = []
            try g.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) { logs.append($0) }
            return (logs, g)
        }
        let (a, g) = try run()
        let (b, _) = try run()
        #expect(a == b)
        #expect(g.executor.slot(named: "gumbel:hard:op") != nil)
        let p = try #require(a.last?.probabilities["op"])
        #expect(abs(p[0] - p[1]) > 1e-3, "alphas moved: \(p)")
        // The offsets of the last draw make the weights one-hot.
        let off = try #require(g.executor.parameter("gumbel:hard:op"))
        let a0 = try #require(g.executor.parameter("arch:op")), n = try #require(g.executor.parameter("gumbel:noise:op"))
        let t = try #require(g.executor.parameter("gumbel:inv_tau:op"))
        let w = OneShotExport.softmax(a0.indices.map { (a0[$0] + n[$0]) * t[$0] })
        let sums = w.indices.map { w[$0] + Double(off[$0]) }
        #expect(sums.sorted().map { ($0 * 1e5).rounded() / 1e5 } == [0, 1], "\(sums)")
    }
}

@Suite struct ProxylessLatencyTests: TinyThreeWaySupernet {
    let candidates = ["op": ["conv3", "conv1", "skip"], "in": ["0", "1"]]

    @Test func candidateNamesFollowTheSpace() throws {
        let s = try ProxylessSearch(space: try space())
        #expect(s.candidateNames == candidates)
    }

    /// The weight step trains one sampled path per step, `pathsPerBatch` of them per batch (default: the largest
    /// candidate count, 3 here).
    @Test func weightStepTrainsPathsPerBatchPaths() throws {
        let x = (0..<(4 * 36)).map { Float($0 % 7) / 7 }, y: [Int64] = [0, 1, 2, 1]
        for (k, want) in [(0, 3), (1, 1), (2, 2)] {
            var c = ProxylessConfig()
            c.pathsPerBatch = k
            let s = try ProxylessSearch(space: try space(), config: c)
            #expect(s.pathsPerBatch == want)
            let before = s.executor.updatesTaken
            _ = try s.weightStep((x: x, y: y, n: 4))
            #expect(s.executor.updatesTaken - before == want, "paths_per_batch \(k)")
        }
    }

    @Test func parsesATableAndRoundTripsIt() throws {
        let t = try ProxylessLatencyTable.parse(#"{"op": {"skip": 0, "conv1": 1, "conv3": 2.5}, "in": {"0": 0.125, "1": 0}}"#,
                                                file: "lat.json", candidates: candidates)
        #expect(t.milliseconds == ["op": [2.5, 1, 0], "in": [0.125, 0]])
        #expect(try ProxylessLatencyTable.parse(t.json(candidates: candidates), file: "out.json", candidates: candidates) == t)
        #expect(abs(t.uniformExpected - (3.5 / 3 + 0.0625)) < 1e-12)
        #expect(abs(t.expected(["op": [0, 0, 1], "in": [1, 0]]) - 0.125) < 1e-12)
    }

    @Test(arguments: [
        (#"{"op": "#, "not valid JSON"),
        (#"[1, 2]"#, "must be a JSON object"),
        (#"{"opx": {}, "op": {}, "in": {}}"#, "unknown label 'opx'"),
        (#"{"op": {"conv3": 1, "conv1": 1, "skip": 0, "conv5": 3}, "in": {"0": 0, "1": 0}}"#, "unknown candidate 'conv5' of 'op'"),
        (#"{"op": {"conv3": 1, "skip": 0}, "in": {"0": 0, "1": 0}}"#, "missing candidate 'conv1' of 'op'"),
        (#"{"op": {"conv3": 1, "conv1": 1, "skip": 0}}"#, "missing label 'in'"),
        (#"{"op": {"conv3": -1, "conv1": 1, "skip": 0}, "in": {"0": 0, "1": 0}}"#, "'op'/'conv3' must be a non-negative number"),
        (#"{"op": {"conv3": "fast", "conv1": 1, "skip": 0}, "in": {"0": 0, "1": 0}}"#, "'op'/'conv3' must be a non-negative number"),
        (#"{"op": {"conv3": true, "conv1": 1, "skip": 0}, "in": {"0": 0, "1": 0}}"#, "'op'/'conv3' must be a non-negative number"),
        (#"{"op": [1, 2, 3], "in": {"0": 0, "1": 0}}"#, "'op' must be an object"),
    ])
    func badTablesAreOneLineErrorsNamingFileAndKey(text: String, message: String) {
        let d = diagnosticText { _ = try ProxylessLatencyTable.parse(text, file: "lat.json", candidates: candidates) }
        #expect(d.hasPrefix("lat.json: error: ") && d.contains(message) && !d.contains("\n"), "\(d)")
    }

    @Test func missingFileIsAnError() {
        let d = diagnosticText { _ = try ProxylessLatencyTable.read(file: "/nonexistent/lat.json", candidates: candidates) }
        #expect(d.contains("/nonexistent/lat.json") && d.contains("cannot read"), "\(d)")
    }

    @Test func measuresEveryCandidateOnTheSupernet() throws {
        var c = ProxylessConfig(); c.latencyRuns = 3
        let s = try ProxylessSearch(space: try space(), config: c)
        // Each candidate's steps are lowered from nodes `c.<k>.…`: the convolutions have steps, the skip none.
        let forward = s.executor.plan.forwardSteps.map { s.executor.plan.steps[$0].node }
        #expect(forward.contains { $0.hasPrefix("c.0.") } && forward.contains { $0.hasPrefix("c.1.") })
        let skipSteps = forward.filter { $0.hasPrefix("c.2.") }.count
        let t = try s.measureLatency(data: x, batch: 4)
        #expect(Set(t.milliseconds.keys) == ["op", "in"])
        let op = try #require(t.milliseconds["op"])
        #expect(op.count == 3 && op.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(op[0] > 0 && op[1] > 0, "\(op)")
        if skipSteps == 0 { #expect(op[2] == 0) }
        #expect(t.milliseconds["in"] == [0, 0], "input candidates are existing values")
        #expect(s.latencyTable == t)
    }

    @Test func aMeasuredTableIsKeptInTheCheckpoint() throws {
        var c = ProxylessConfig(); c.latencyRuns = 1; c.latencyPenalty = 0.5
        let s = try ProxylessSearch(space: try space(), config: c)
        let t = try s.measureLatency(data: x, batch: 4)
        let restored = try ProxylessSearch(space: try space(), config: c)
        #expect(restored.latencyTable == nil)
        try restored.restore(try JSONDecoder().decode(OneShotSearchState.self, from: try JSONEncoder().encode(try s.saveState())))
        #expect(restored.latencyTable == t, "bit-exact milliseconds after a JSON round trip")
    }

    @Test func repeatDepthsCostTheirBlocks() throws {
        let space = try TextIR.parse("""
        space "rep" version 1 root @main

        graph @main(%x: f32[N,1,6,6]) {
          %s = conv2d(%x) {out = 2, kernel = 1}
          %r = repeat(%s) {label = "d", depths = [0, 1, 2], blocks = [@b, @b]}
          %f = flatten(%r)
          %o = linear(%f) {out = 2}
          return %o
        }

        graph @b(%x: f32[N,2,6,6]) {
          %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
          %t = relu(%y)
          return %t
        }
        """, file: "rep.nir")
        var c = ProxylessConfig(); c.latencyRuns = 3
        let s = try ProxylessSearch(space: space, config: c)
        #expect(s.candidateNames == ["d": ["0", "1", "2"]])
        let d = try #require(try s.measureLatency(data: x, batch: 4).milliseconds["d"])
        // Depth 0 runs no block; depth 2 runs block 1 and block 2, so it costs at least depth 1 in every run.
        #expect(d[0] == 0 && d[1] > 0 && d[2] >= d[1], "\(d)")
    }

    @Test func penaltyGradientMatchesFiniteDifferences() {
        let a = [0.2, -0.4, 0.1], cost = [5.0, 1.0, 0.0], scale = 0.3
        let g = ProxylessPenalty.gradient(probabilities: OneShotExport.softmax(a.map { Float($0) }), costs: cost, scale: scale)
        func f(_ a: [Double]) -> Double {
            let m = a.max()!, e = a.map { Foundation.exp($0 - m) }, s = e.reduce(0, +)
            return scale * zip(e, cost).reduce(0) { $0 + $1.0 / s * $1.1 }
        }
        for i in 0..<3 {
            var up = a, down = a
            up[i] += 1e-5; down[i] -= 1e-5
            let fd = (f(up) - f(down)) / 2e-5
            #expect(abs(Double(g[i]) - fd) < 1e-5, "\(i): \(g[i]) vs \(fd)")
        }
    }

    @Test func latencyPenaltyFavoursTheFasterCandidate() throws {
        func finalSkip(_ penalty: Double) throws -> (Double, [OneShotEpochLog], ProxylessSearch) {
            var c = ProxylessConfig()
            c.epochs = 3; c.batchSize = 16; c.archLR = 0.05; c.latencyPenalty = penalty
            let s = try ProxylessSearch(space: try OneShotFixtures.tinySpace(), config: c)
            if penalty != 0 { try s.setLatencyTable(ProxylessLatencyTable(["op": [10, 0], "in": [0, 0]])) }
            var logs: [OneShotEpochLog] = []
            try s.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) { logs.append($0) }
            return (s.probabilities()["op"]?[1] ?? 0, logs, s)
        }
        let (free, freeLogs, _) = try finalSkip(0)
        let (penalized, logs, s) = try finalSkip(50)
        #expect(penalized > free && penalized > 0.5, "penalty \(penalized) vs none \(free)")
        #expect(s.latencyReference == 5)
        let last = try #require(logs.last)
        let expected = try #require(last.extra["expected_latency_ms"])
        #expect(abs(expected - 10 * (1 - penalized)) < 1e-9)
        #expect(freeLogs.last?.extra["expected_latency_ms"] == nil)
    }

    @Test func runMeasuresWhenNoTableIsGivenAndRejectsBadTables() throws {
        var c = ProxylessConfig()
        c.epochs = 1; c.batchSize = 16; c.maxBatchesPerEpoch = 1; c.latencyPenalty = 0.1; c.latencyRuns = 1
        let s = try ProxylessSearch(space: try OneShotFixtures.tinySpace(), config: c)
        #expect(s.latencyTable == nil)
        try s.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2))
        #expect(s.latencyTable?.milliseconds["op"]?.count == 2)
        let d = diagnosticText { try s.setLatencyTable(ProxylessLatencyTable(["op": [1, 2, 3], "in": [0, 0]])) }
        #expect(d.contains("needs 2 values for 'op'"), "\(d)")
        // An all-zero table has no reference latency.
        let z = try ProxylessSearch(space: try OneShotFixtures.tinySpace(), config: c)
        try z.setLatencyTable(ProxylessLatencyTable(["op": [0, 0], "in": [0, 0]]))
        let e = diagnosticText { try z.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) }
        #expect(e.contains("positive reference latency") && e.contains("latency_ref"), "\(e)")
    }
}
