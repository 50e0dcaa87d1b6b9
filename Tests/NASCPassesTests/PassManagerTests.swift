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
        #expect(names == ["verify", "canonicalize", "dce", "shape-infer", "specialize", "inline", "prune-candidates", "skip-dropout", "supernet", "supernet-values", "decompose-separable", "explicit-params", "autodiff", "fuse",
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

@Suite struct PassOptionTests {
    @Test func optionsAreParsedOnceIntoTypedFields() throws {
        let lower = try #require(try Pipelines.resolve("lower{optimizer=adam, lr=0.01, weight_decay=0.1}").first as? Lower)
        #expect(lower.options.optimizer == .adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: false))
        let sgd = try #require(try Pipelines.resolve("lower{momentum=0.9,nesterov=true}").first as? Lower)
        #expect(sgd.options.optimizer == .sgd(learningRate: 0.01, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true))
        let adamw = try #require(try Pipelines.resolve("lower{optimizer=adamw}").first as? Lower)
        #expect(adamw.options.optimizer == .adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: true))
        let autodiff = try #require(try Pipelines.resolve("autodiff{loss=mse,label_smoothing=0.25}").first as? Autodiff)
        #expect(autodiff.options == Autodiff.Options(loss: .mse, labelSmoothing: 0.25))
        // A pipeline's options reach every pass of it that declares the key.
        let space = try Pipelines.resolve("supernet-space{mode=sampled,gumbel_hard=true}")
        #expect(space.map(\.name) == ["supernet", "inline", "supernet-values", "shape-infer"])
        #expect((space[0] as? SupernetPass)?.options == SupernetOptions(mode: .sampled, gumbelHard: true))
        #expect((space[2] as? SupernetValuesPass)?.options == SupernetOptions(mode: .sampled, gumbelHard: true))
        let memory = try #require(try Pipelines.resolve("plan-infer{exclusive_alias=false,lr=0.5}").last as? MemoryPlan)
        #expect(!memory.options.exclusiveAliasing)
    }

    @Test func badOptionsAreErrors() {
        func message(_ spec: String) -> String {
            do { _ = try Pipelines.resolve(spec); return "no error" } catch let e as DiagnosticError {
                return e.diagnostics.map { $0.message + ($0.hint.map { " | " + $0 } ?? "") }.joined(separator: "; ")
            } catch { return "\(error)" }
        }
        #expect(message("lower{lrr=0.1}").hasPrefix("unknown option 'lrr' for 'lower' (known: beta1, beta2, dampening, decoupled,"))
        #expect(message("lower{lrr=0.1}").hasSuffix("| did you mean 'lr'?"))
        #expect(message("dce{x=1}") == "unknown option 'x' for 'dce' (it takes no options)")
        #expect(message("lower{lr=fast}") == "option lr=fast of 'lower' must be a non-negative number")
        #expect(message("lower{lr=-1}") == "option lr=-1 of 'lower' must be a non-negative number")
        #expect(message("lower{lr}") == "option 'lr' of 'lower' must be key=value")
        #expect(message("lower{lr=1,lr=2}") == "option 'lr' of 'lower' is given twice")
        #expect(message("autodiff{loss=hinge}") == "option loss=hinge of 'autodiff' must be one of cross_entropy, nll, mse")
        #expect(message("memory-plan{exclusive_alias=maybe}") == "option exclusive_alias=maybe of 'memory-plan' must be true or false")
        #expect(message("lower{lr=1") == "unbalanced '{' in pipeline 'lower{lr=1'")
        #expect(message("lower}") == "unbalanced '}' in pipeline 'lower}'")
        #expect(message("lower{lr=1}x") == "unexpected 'x' after the options of 'lower' in pipeline 'lower{lr=1}x'")
    }

    /// The typed builders give exactly the named pipelines' passes.
    @Test func typedPipelinesMatchTheNamedOnes() throws {
        let train = Pipelines.plan(training: true, options: PlanOptions(), memoryPlan: MemoryPlan()).map(\.name)
        #expect(train == (try Pipelines.resolve("plan-train").map(\.name)))
        let infer = Pipelines.plan(training: false, options: PlanOptions(), memoryPlan: MemoryPlan()).map(\.name)
        #expect(infer == (try Pipelines.resolve("plan-infer").map(\.name)))
        #expect(Pipelines.supernetSpace(SupernetOptions()).map(\.name) == (try Pipelines.resolve("supernet-space").map(\.name)))
        #expect(!Pipelines.plan(training: false, options: PlanOptions(fuse: false)).contains { $0.name == "fuse" })
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
