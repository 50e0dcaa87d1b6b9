// CandidateScopeTests: supernet candidates are typed node scopes (`when(...)`), kept by text, protobuf, inline and
// the later passes, and the step guards come from them, never from node names.
import Foundation
import Testing
@testable import NASCIR
@testable import NASCPasses

@Suite struct CandidateScopeTests {
    /// A flat sampled supernet written by hand: the candidates' nodes have names unrelated to the switch, and one
    /// node is named like a candidate (`pick.0.relu`) without being in one.
    static let flat = """
    space "t" version 1 root @main

    graph @main(%x: f32[N,4]) {
      %first = linear(%x) {out = 3} : f32[N,3] when(%pick == 0)
      %second = linear(%x) {out = 3} : f32[N,3] when(%pick == 1)
      %pick = switch(%first, %second) {label = "op", count = 2} : f32[N,3]
      %pick.0.relu = relu(%pick) : f32[N,3]
      %out = linear(%pick.0.relu) {out = 2} : f32[N,2]
      return %out
    }
    """

    @Test func textAndProtobufKeepTheScope() throws {
        let space = try TextIR.parse(Self.flat, file: "t.nir")
        let root = try #require(space.rootGraph)
        #expect(root.node(named: "first")?.scope == [CandidateCondition(choice: "pick", candidate: 0)])
        #expect(root.node(named: "pick.0.relu")?.scope == [])
        #expect(TextIR.print(space, locations: false).contains("%second = linear(%x) {out = 3} : f32[N,3] when(%pick == 1)\n"))
        guard case .space(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(space), file: "t.pb") else {
            Issue.record("not a space"); return
        }
        #expect(back.rootGraph?.nodes.map(\.scope) == root.nodes.map(\.scope))
        let deep = try TextIR.parse("""
        space "t" version 1 root @main

        graph @main(%x: f32[N,4]) {
          %y = relu(%x) when(%a == 2, %"my depth" >= 1)
          return %y
        }
        """, file: "d.nir")
        #expect(deep.rootGraph?.nodes[0].scope == [CandidateCondition(choice: "a", candidate: 2),
                                                   CandidateCondition(choice: "my depth", candidate: 1, atLeast: true)])
        #expect(TextIR.print(deep, locations: false).contains("when(%a == 2, %\"my depth\" >= 1)"))
    }

    @Test(arguments: [("when(%a < 1)", "d.nir:4:25: error: expected '==' or '>=' after the choice in when(...), found '<'"),
                      ("when(%a == -1)", "d.nir:4:28: error: expected a candidate index in when(...), found '-'"),
                      ("when(%a == 1", "d.nir:4:29: error: expected ')' to close when(...), found end of line")])
    func badScopesAreOneLocatedError(scope: String, message: String) {
        let text = """
        space "t" version 1 root @main

        graph @main(%x: f32[N,4]) {
          %y = relu(%x) \(scope)
          return %y
        }
        """
        #expect(throws: DiagnosticError.self) { try TextIR.parse(text, file: "d.nir") }
        do { _ = try TextIR.parse(text, file: "d.nir") } catch let e as DiagnosticError {
            #expect(e.diagnostics.map(\.description).first == message, "\(e.diagnostics)")
        } catch { Issue.record("\(error)") }
    }

    /// Lowered steps are guarded by their nodes' scopes (forward, backward, optimizer update); a name that looks like
    /// a candidate's is no guard.
    @Test func guardsComeFromScopesNotNames() throws {
        let plan = try PlanCompiler.compile(try TextIR.parse(Self.flat, file: "t.nir"), training: true)
        #expect(plan.selectors.map(\.label) == ["op"])
        func guards(_ node: String) -> Set<StepGuard?> { Set(plan.steps.filter { $0.node.hasPrefix(node) }.map(\.guardedBy)) }
        let zero = StepGuard(selector: 0, candidate: 0), one = StepGuard(selector: 0, candidate: 1)
        #expect(plan.steps.contains { $0.node == "first" && $0.guardedBy == zero })
        #expect(plan.steps.contains { $0.node == "first.grad_weight" && $0.guardedBy == zero })
        #expect(plan.steps.contains { $0.node == "first.weight" && $0.kernel.name == "optimizer_update" && $0.guardedBy == zero },
                "\(plan.steps.map { "\($0.node) \($0.kernel.name)" })")
        #expect(plan.steps.contains { $0.node == "second" && $0.guardedBy == one })
        #expect(plan.steps.contains { $0.node == "pick#1" && $0.guardedBy == one })
        #expect(guards("pick.0.relu") == [nil])
        #expect(guards("out") == [nil])
    }

    /// `inline` puts the call's conditions first and renames the choices it renames.
    @Test func inlineNestsScopes() throws {
        var space = try TextIR.parse("""
        space "t" version 1 root @main

        graph @main(%x: f32[N,4]) {
          %c.0 = call(%x) {graph = @inner} when(%c == 0)
          %c.1 = relu(%x) when(%c == 1)
          %c = switch(%c.0, %c.1) {label = "outer", count = 2}
          return %c
        }

        graph @inner(%x: f32[N,4]) {
          %k.0 = relu(%x) when(%k == 0)
          %k.1 = tanh(%x) when(%k == 1)
          %k = switch(%k.0, %k.1) {label = "inner", count = 2}
          return %k
        }
        """, file: "t.nir")
        var context = PassContext()
        try PassManager(pipeline: "inline").runOrThrow(on: &space, context: &context)
        let root = try #require(space.rootGraph)
        #expect(root.node(named: "c.0.k.1")?.scope == [CandidateCondition(choice: "c", candidate: 0), CandidateCondition(choice: "c.0.k", candidate: 1)])
        #expect(root.node(named: "c.0.k")?.scope == [CandidateCondition(choice: "c", candidate: 0)])
    }
}
