// SupernetGuardTests: conjunctive step guards (nested choices), their listing and protobuf form, and active
// candidate sets in proxyless supernets (only active candidates run; gate gradients equal the all-active ones).
import Testing
@testable import NASCIR
@testable import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetGuardTests {
    /// A layer choice whose candidate `deep` holds a repeat (nested choices), then a classifier.
    static let nestedText = """
    space "nest" version 1 root @main

    graph @main(%x: f32[N,1,6,6]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %c = layer_choice(%s) {label = "op", candidates = [plain = @plain, deep = @deep, skip = @skip]}
      %g = global_avg_pool(%c)
      %o = linear(%g) {out = 3}
      return %o
    }

    graph @plain(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      %t = tanh(%y)
      return %t
    }

    graph @deep(%x: f32[N,2,6,6]) {
      %r = repeat(%x) {label = "d", depths = [1, 2], blocks = [@blk, @blk]}
      return %r
    }

    graph @blk(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 1}
      %t = tanh(%y)
      return %t
    }

    graph @skip(%x: f32[N,2,6,6]) {
      return %x
    }
    """

    let x = randomFloats(4 * 36, seed: 21)
    let labels: [Int64] = [1, 0, 2, 1]

    func space() throws -> ModelSpace { try TextIR.parse(Self.nestedText, file: "nest.nir") }

    func subnet(_ op: String, depth: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["op": .candidate(op), "d": .value(.int(depth))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    @Test func nestedChoicesGetEveryEnclosingCondition() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .sampled)
        let op = try #require(plan.selectors.firstIndex { $0.label == "op" })
        let d = try #require(plan.selectors.firstIndex { $0.label == "d" })
        // The second block of the repeat inside candidate `deep` (c.1): op = deep and d >= 2.
        let deepBlock = plan.steps.filter { $0.node.hasPrefix("c.1.") && $0.node.contains(".from1.") }
        #expect(!deepBlock.isEmpty)
        for st in deepBlock {
            #expect(st.guardedBy?.conditions == [GuardCondition(selector: op, candidate: 1), GuardCondition(selector: d, candidate: 1, atLeast: true)],
                    "\(st.node): \(String(describing: st.guardedBy))")
        }
        #expect(plan.listing.contains("if op = deep and d >= 2"), "\(plan.listing)")
        // The repeat's switch copies are guarded by the enclosing candidate too.
        let copies = plan.steps.filter { $0.node.hasPrefix("c.1.") && $0.node.contains("#") }
        #expect(!copies.isEmpty && copies.allSatisfy { $0.guardedBy?.conditions.first == GuardCondition(selector: op, candidate: 1) })
        guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(plan), file: "n.pb") else { Issue.record("no plan"); return }
        #expect(back == plan)
    }

    @Test(arguments: [("plain", 1), ("deep", 1), ("deep", 2), ("skip", 2)])
    func nestedSampledSelectionMatchesTheSubnet(op: String, depth: Int) throws {
        let ops = ["plain", "deep", "skip"], depths = [1, 2]
        let k = try #require(ops.firstIndex(of: op)), j = try #require(depths.firstIndex(of: depth))
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled, memoryPlan: MemoryPlan()), seed: 7)
        let sub = try Executor(plan: try subnet(op, depth: depth), seed: 3)
        // Subnet `c.<name>` is supernet `c.<k>.<name>`; the subnet's repeat block `c.r.<i>` is `c.1.r.from<j>.<i+1>`.
        func target(_ name: String) -> String {
            guard name.hasPrefix("c.") else { return name }
            var rest = String(name.dropFirst(2))
            if rest.hasPrefix("r."), let dot = rest.dropFirst(2).firstIndex(of: "."), let i = Int(rest[rest.index(rest.startIndex, offsetBy: 2)..<dot]) {
                rest = "r.from\(depths.firstIndex { $0 >= i + 1 } ?? 0).\(i + 1)" + rest[dot...]
            }
            return "c.\(k).\(rest)"
        }
        for name in sub.parameterNames { try sup.setParameter(target(name), try #require(sub.parameter(name))) }
        try sup.select(["op": k, "d": j])
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-6 * max(1, abs(l2)))
        #expect(close(sup.output, sub.output))
        for name in sub.parameterNames {
            #expect(close(try #require(sup.gradient(of: target(name))), try #require(sub.gradient(of: name))), "gradient of \(name)")
        }
    }

    @Test func proxylessSelectorsAreGatedAndNamedAfterTheDecision() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .proxyless)
        let op = try #require(plan.selectors.first { $0.label == "op" })
        #expect(op.gated && op.candidates == ["plain", "deep", "skip"])
        #expect(plan.listing.contains("selector \"op\" [plain, deep, skip] gated"))
        #expect(plan.steps.contains { $0.guardedBy?.conditions.first?.selector == plan.selectors.firstIndex(of: op) })
    }

    /// Gate gradients of the active candidates equal the all-active values; the output and loss too.
    @Test(arguments: [[0, 1], [1, 2], [2], [0]])
    func proxylessActiveGateGradientsEqualAllActive(active: [Int]) throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .proxyless)
        let all = try Executor(plan: plan, seed: 5), some = try Executor(plan: plan, seed: 5)
        let gate: [Float] = (0..<3).map { $0 == active[0] ? 1 : 0 }
        for e in [all, some] {
            try e.setParameter("gate:op", gate)
            try e.setParameter("gate:d", [0, 1])
        }
        try some.activate(["op": active])
        #expect(some.activeCandidates(of: "op") == active.sorted() && all.activeCandidates(of: "op") == [0, 1, 2])
        let l1 = try all.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try some.computeGradients(data: x, labels: labels, batch: 4)
        #expect(l1 == l2 && all.output == some.output)
        let g1 = try #require(all.gradient(of: "gate:op")), g2 = try #require(some.gradient(of: "gate:op"))
        for k in active { #expect(g1[k] == g2[k], "gate \(k): \(g1[k]) vs \(g2[k])") }
        for k in 0..<3 where !active.contains(k) { #expect(g2[k] == 0) }
        // Candidate 2 (skip) has no steps of its own.
        if active.contains(0) && active.contains(1) {
            #expect(some.runnableStepCount() == all.runnableStepCount())
        } else {
            #expect(some.runnableStepCount() < all.runnableStepCount())
        }
        // Weights of the active candidates get the same gradients.
        for name in all.parameterNames where active.contains(where: { name.hasPrefix("c.\($0).") }) || name.hasPrefix("s.") || name.hasPrefix("o.") {
            #expect(all.gradient(of: name) == some.gradient(of: name), "\(name)")
        }
    }

    @Test func proxylessStepLeavesInactiveCandidatesUntouched() throws {
        let opts = PlanOptions.sgd(lr: 0.1, momentum: 0.9, weightDecay: 0.01)
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .proxyless, options: opts), seed: 7)
        try sup.setParameter("gate:op", [1, 0, 0])
        try sup.activate(["op": [0]])
        let before = Dictionary(uniqueKeysWithValues: sup.plan.slots.filter { $0.role.isPersistent }.map { ($0.name, sup.parameter($0.name)!) })
        for _ in 0..<2 { try sup.trainStep(data: x, labels: labels, batch: 4) }
        var trained = 0
        for (name, old) in before {
            let now = try #require(sup.parameter(name))
            if name.hasPrefix("c.1.") || name.hasPrefix("c.2.") {
                #expect(now == old, "\(name) changed although its candidate was inactive")
            } else if name.hasPrefix("c.0.") && !name.hasSuffix("optimizer_state") {
                #expect(now != old, "\(name) of the active candidate did not train"); trained += 1
            }
        }
        #expect(trained > 0)
        // Only candidate 0's steps (and the shared ones) ran: fewer than with every candidate active.
        let onlyZero = sup.runnableStepCount()
        sup.activateDefaults()
        #expect(onlyZero < sup.runnableStepCount())
    }

    @Test func activationErrors() throws {
        let proxy = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .proxyless), seed: 1)
        let sampled = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled), seed: 1)
        #expect(throws: DiagnosticError.self) { try proxy.activate(["nope": [0]]) }
        #expect(throws: DiagnosticError.self) { try proxy.activate(["op": []]) }
        #expect(throws: DiagnosticError.self) { try proxy.activate(["op": [3]]) }
        #expect(throws: DiagnosticError.self) { try sampled.activate(["op": [0, 1]]) }
        try sampled.activate(["op": [2]])
        #expect(sampled.activeCandidates(of: "op") == [2])
        // Switches default to candidate 0.
        #expect(try Executor(plan: sampled.plan).activeCandidates(of: "op") == [0])
    }

    @Test func tooManyCandidatesIsALocatedError() throws {
        let n = 65
        var text = "space \"big\" version 1 root @main\n\ngraph @main(%x: f32[N,2]) {\n"
        text += "  %c = layer_choice(%x) {label = \"op\", candidates = [\((0..<n).map { "c\($0) = @g" }.joined(separator: ", "))]} loc(\"big.nas\":4:3)\n"
        text += "  %o = linear(%c) {out = 2}\n  return %o\n}\n\ngraph @g(%x: f32[N,2]) {\n  %t = tanh(%x)\n  return %t\n}\n"
        let space = try TextIR.parse(text, file: "big.nir")
        for mode in [SupernetMode.sampled, .proxyless] {
            let e = #expect(throws: DiagnosticError.self) { try SupernetCompiler.compile(space, mode: mode) }
            let d = e?.description ?? ""
            #expect(d.contains("big.nas:4:3") && d.contains("at most 64") && !d.contains("\n"), "\(d)")
        }
        // DARTS has no selectors and no limit.
        #expect(try SupernetCompiler.compile(space, mode: .darts).selectors.isEmpty)
    }

    @Test func corruptGuardsAreOneLineErrors() throws {
        var plan = try SupernetCompiler.compile(try space(), mode: .sampled)
        let i = try #require(plan.steps.firstIndex { $0.guardedBy != nil })
        plan.steps[i].guardedBy = StepGuard([GuardCondition(selector: 0, candidate: 0), GuardCondition(selector: 9, candidate: 0)])
        let data = try ProtoIO.encodePlanFile(plan.toProto())  // unvalidated: ProtoIO.encode refuses such a plan
        let e = #expect(throws: (any Error).self) { try ProtoIO.decodeFile(data, file: "bad.pb") }
        let d = "\(e.map { String(describing: $0) } ?? "")"
        #expect(d.contains("selector 9") && !d.contains("\n"), "\(d)")
    }

    /// A sampled reduction cell (other ops on predecessor edges) runs each slot's op only on the chosen source.
    @Test func sampledReductionCellRunsTheOpOnlyOnTheChosenSource() throws {
        let space = try TextIR.parse(SupernetCellTests.reductionText, file: "cellr.nir")
        let plan = try SupernetCompiler.compile(space, mode: .sampled)
        let sel = Dictionary(uniqueKeysWithValues: plan.selectors.enumerated().map { ($1.label, $0) })
        let inSel = try #require(sel["c/input_3_1"]), opSel = try #require(sel["c/op_3_1"])
        // Node 3, slot 1: sources 0, 1 (predecessors, input_candidates) and 2 (node 2, candidates); op 0 = conv.
        for j in 0..<3 {
            let steps = plan.steps.filter { $0.node.hasPrefix("c.n3_1.\(j).0.") }
            #expect(!steps.isEmpty)
            for st in steps {
                #expect(st.guardedBy?.conditions == [GuardCondition(selector: inSel, candidate: j), GuardCondition(selector: opSel, candidate: 0)],
                        "\(st.node): \(plan.guardDescription(st.guardedBy ?? StepGuard([])))")
            }
        }
        #expect(plan.listing.contains("if c/input_3_1 = 2 and c/op_3_1 = conv"), "\(plan.listing)")
        // The per-source op switch `c.n3_1.<j>` is candidate j of the input switch: its copies need both conditions.
        for j in 0..<3 {
            let copies = plan.steps.filter { $0.node.hasPrefix("c.n3_1.\(j)#") }
            #expect(copies.count == 3)  // the forward copies (switch_grad nodes have their own names)
            for (o, st) in copies.enumerated() {
                #expect(st.guardedBy?.conditions == [GuardCondition(selector: inSel, candidate: j), GuardCondition(selector: opSel, candidate: o)],
                        "\(st.node): \(plan.guardDescription(st.guardedBy ?? StepGuard([])))")
            }
        }
        // With conv on every slot, exactly one conv forward per slot runs (4 slots, plus the two stem convs).
        let exec = try Executor(plan: plan, seed: 1)
        var choice: [String: Int] = [:]
        for i in 2...3 { for k in 0..<2 { choice["c/op_\(i)_\(k)"] = 0; choice["c/input_\(i)_\(k)"] = i - 1 - k } }
        try exec.select(choice)
        let convs = plan.forwardSteps.filter {
            if case .convForward = plan.steps[$0].kernel { return exec.guardTable.admits(step: $0, exec.activeCandidates) } else { return false }
        }
        #expect(convs.count == 6, "\(convs.map { plan.steps[$0].node })")
    }
}
