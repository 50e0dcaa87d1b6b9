// FuseTests: fused (batchnorm-folded) inference plans compute what the unfused graph computes in eval mode.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct FuseTests {
    func net() -> ModelSpace {
        var b = GraphBuilder(input: .f(3, 6, 6))
        b.add("c1", .conv2d(convAttrs(4, 3, pad: 1)), ["x"], .f(4, 6, 6))
        b.add("bn1", .batchNorm(BatchNormAttrs(eps: 1e-3)), ["c1"], .f(4, 6, 6))
        b.add("r1", .activation(.relu), ["bn1"], .f(4, 6, 6))
        b.add("c2", .conv2d(convAttrs(5, 1, bias: false)), ["r1"], .f(5, 6, 6))
        b.add("bn2", .batchNorm(BatchNormAttrs()), ["c2"], .f(5, 6, 6))
        b.add("c3", .conv2d(convAttrs(2, 3, stride: 2)), ["bn2"], .f(2, 2, 2))
        b.add("r3", .activation(.hardswish), ["c3"], .f(2, 2, 2))
        b.add("flat", .flatten, ["r3"], .f(8))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(3))), ["flat"], .f(3))
        return b.space(outputs: ["fc"])
    }

    @Test func foldedPlanMatchesEvalModeOfTheOriginal() throws {
        let plain = try PlanCompiler.compile(net(), training: false)
        var space = net()
        var ctx = PassContext()
        _ = try PassManager(pipeline: "shape-infer,params,fuse,lower,memory-plan").run(on: &space, context: &ctx)
        #expect(!ctx.diagnostics.hasErrors)
        let plan = try #require(ctx.plan)
        let kinds = plan.steps.map(\.kernel.name)
        #expect(!kinds.contains("batch_norm_forward") && !kinds.contains { $0.hasSuffix("_forward") && $0 != "conv_forward" && $0 != "linear_forward" })
        #expect(kinds.filter { $0 == "batch_norm_fold" }.count == 4)
        #expect(plan.activationBytes(batch: 8) < plain.activationBytes(batch: 8))

        let a = try Executor(plan: plain, seed: 3), b = try Executor(plan: plan, seed: 3)
        // Same names, same seed: identical initial parameters. Give the batchnorms non-trivial statistics.
        for name in a.parameterNames { #expect(a.parameter(name) == b.parameter(name)) }
        for (bn, c) in [("bn1", 4), ("bn2", 5)] {
            for (suffix, values) in [("weight", randomFloats(c, seed: 1).map { 1 + $0 / 2 }), ("bias", randomFloats(c, seed: 2)),
                                     ("running_mean", randomFloats(c, seed: 3)), ("running_var", randomFloats(c, seed: 4).map { 1.2 + $0 })] {
                try a.setParameter("\(bn).\(suffix)", values)
                try b.setParameter("\(bn).\(suffix)", values)
            }
        }
        let x = randomFloats(2 * 108, seed: 9)
        try a.forward(data: x, batch: 2, mode: .eval)
        try b.forward(data: x, batch: 2, mode: .eval)
        #expect(maxDiff(a.output, b.output) < 1e-5, "\(a.output) vs \(b.output)")
        #expect(a.output != [Float](repeating: 0, count: 6))
    }
}
