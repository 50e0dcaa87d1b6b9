// Tests for the pass registry, pipelines and pass manager (verification between passes, callbacks, failures).
import NASCIR
import NASCPasses
import Testing

/// A deliberately broken pass: makes the root's first node read a value that does not exist.
private struct BreakItPass: Pass {
    let name = "break-it"
    let summary = "test only: leaves a dangling edge"
    func run(on space: inout ModelSpace, context: inout PassContext) throws {
        space.graphs[0].nodes[0].inputs = [ValueRef("ghost")]
    }
}

/// A pass that throws a non-diagnostic error.
private struct ThrowingPass: Pass {
    struct Boom: Error {}
    let name = "throwing"
    let summary = "test only: throws"
    func run(on space: inout ModelSpace, context: inout PassContext) throws { throw Boom() }
}

private func sample() throws -> ModelSpace {
    try TextIR.parse("""
    space "t" version 1 root @main

    graph @main(%x: f32[N,4,8,8]) {
      %i = identity(%x)
      %a = conv2d(%i) {out = 8, kernel = 3, padding = same}
      %dead = relu(%a)
      return %a
    }
    """, file: "pm.nir")
}

@Suite struct PassRegistryTests {
    @Test func namesAreUniqueAndDisjointFromPipelines() {
        let names = PassRegistry.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(names).isDisjoint(with: Pipelines.all.map(\.name)))
        #expect(names == ["verify", "canonicalize", "dce", "shape-infer", "specialize", "inline", "supernet", "supernet-values", "decompose-separable", "explicit-params", "autodiff", "fuse",
                          "lower", "memory-plan"])
        for p in PassRegistry.all { #expect(!p.summary.isEmpty && !p.summary.contains("\n")) }
    }

    @Test func lookupAndSuggestions() throws {
        #expect(try PassRegistry.lookup("dce").name == "dce")
        #expect(PassRegistry.pass(named: "nope") == nil)
        do {
            _ = try PassRegistry.lookup("canonicalise")
            Issue.record("lookup of an unknown pass succeeded")
        } catch let e as DiagnosticError {
            #expect(e.diagnostics.map(\.message) == ["unknown pass 'canonicalise'"])
            #expect(e.diagnostics.first?.hint == "did you mean 'canonicalize'?")
        }
        #expect(PassRegistry.suggestion(for: "xyzzy", among: ["dce", "verify"]) == nil)
        #expect(PassRegistry.suggestion(for: "defualt", among: ["default", "dce"]) == "default")
    }

    @Test func pipelinesExpand() throws {
        #expect(try Pipelines.resolve("default").map(\.name) == ["canonicalize", "dce", "shape-infer"])
        #expect(try Pipelines.resolve(" cleanup , shape-infer ").map(\.name) == ["canonicalize", "dce", "shape-infer"])
        #expect(try Pipelines.resolve("").isEmpty)
        #expect(throws: DiagnosticError.self) { try Pipelines.resolve("dce,,verify") }
        // Every named pipeline resolves to registered passes; nested pipelines expand in place.
        for p in Pipelines.all {
            let expanded = try p.passes.flatMap { try Pipelines.resolve($0).map(\.name) }
            #expect(try Pipelines.resolve(p.name).map(\.name) == expanded)
        }
        #expect(try Pipelines.resolve("plan-train").map(\.name)
                == ["decompose-separable", "explicit-params", "autodiff", "fuse", "lower", "memory-plan"])
        #expect(try Pipelines.resolve("supernet-space").map(\.name) == ["supernet", "inline", "supernet-values", "shape-infer"])
        #expect(try Pipelines.resolve("subnet-typed").map(\.name)
                == ["specialize", "inline", "dce", "canonicalize", "dce", "shape-infer"])
    }
}

@Suite struct PassManagerTests {
    @Test func printsAfterEachPass() throws {
        var space = try sample()
        var manager = try PassManager(pipeline: "default")
        var dumps: [String] = []
        manager.printIRAfterEachPass { dumps.append($0) }
        var context = PassContext()
        let result = manager.run(on: &space, context: &context)
        #expect(result.succeeded)
        #expect(result.completedPasses == ["canonicalize", "dce", "shape-infer"])
        #expect(dumps.count == 3)
        #expect(dumps[0].hasPrefix("// -----// IR after canonicalize //----- //\n"))
        #expect(!dumps[0].contains("identity") && dumps[0].contains("%dead"))
        #expect(!dumps[1].contains("%dead"))
        #expect(dumps[2].contains("%a = conv2d(%x) {out = 8, kernel = 3, padding = same} : f32[N,8,8,8]"))
    }

    @Test func namesThePassThatBrokeTheIR() throws {
        var space = try sample()
        let manager = PassManager(passes: [Canonicalize(), BreakItPass(), DeadCodeElimination()])
        var context = PassContext()
        let result = manager.run(on: &space, context: &context)
        #expect(result.failedPass == "break-it")
        #expect(result.completedPasses == ["canonicalize"])
        #expect(result.lines == ["error: IR is invalid after pass 'break-it'",
                                 "pm.nir:5:3: error: use of undefined value '%ghost'"])
        #expect(throws: DiagnosticError.self) {
            var s = try sample()
            var c = PassContext()
            try manager.runOrThrow(on: &s, context: &c)
        }
    }

    @Test func stopsAtInvalidInputAndThrowingPasses() throws {
        var bad = try sample()
        bad.root = "missing"
        var context = PassContext()
        let r1 = try PassManager(pipeline: "default").run(on: &bad, context: &context)
        #expect(r1.failedPass == "<input>")
        #expect(r1.lines == ["pm.nir:3:1: error: root graph '@missing' is not defined"])

        var space = try sample()
        var c2 = PassContext()
        let r2 = PassManager(passes: [ThrowingPass(), Canonicalize()]).run(on: &space, context: &c2)
        #expect(r2.failedPass == "throwing")
        #expect(r2.diagnostics.count == 1)
        #expect(r2.diagnostics[0].message.hasPrefix("pass 'throwing' failed:"))
        #expect(space == (try sample()))
    }

    @Test func unknownPipelineThrows() {
        #expect(throws: DiagnosticError.self) { try PassManager(pipeline: "canonicalize,shape-infr") }
    }
}
