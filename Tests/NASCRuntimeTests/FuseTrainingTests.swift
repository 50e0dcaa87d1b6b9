// FuseTrainingTests: training plans with conv + activation fused (PlanCompiler's default `fuse`) train exactly as the
// unfused plans (`fuse=false`), with fewer steps and less activation memory; fused inference matches eval mode.
import Testing
import NASCIR
import NASCPasses
import NASCKernels
@testable import NASCRuntime

@Suite struct FuseTrainingTests {
    /// conv -> relu, conv -> bn -> relu6 (not fused in training), conv -> tanh, a conv with two readers, a classifier.
    func net() -> ModelSpace {
        var b = GraphBuilder(input: .f(3, 8, 8))
        b.add("c1", .conv2d(convAttrs(8, 3, pad: 1)), ["x"], .f(8, 8, 8))
        b.add("r1", .activation(.relu), ["c1"], .f(8, 8, 8))
        b.add("c2", .conv2d(convAttrs(8, 3, pad: 1, bias: false)), ["r1"], .f(8, 8, 8))
        b.add("bn2", .batchNorm(BatchNormAttrs()), ["c2"], .f(8, 8, 8))
        b.add("r2", .activation(.relu6), ["bn2"], .f(8, 8, 8))
        b.add("c3", .conv2d(convAttrs(4, 1)), ["r2"], .f(4, 8, 8))
        b.add("t3", .activation(.tanh), ["c3"], .f(4, 8, 8))
        b.add("c4", .conv2d(convAttrs(4, 3, pad: 1)), ["t3"], .f(4, 8, 8))
        b.add("r4", .activation(.relu), ["c4"], .f(4, 8, 8))
        b.add("s4", .add, ["r4", "c4"], .f(4, 8, 8))
        b.add("gap", .globalAvgPool, ["s4"], .f(4))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(3))), ["gap"], .f(3))
        return b.space(outputs: ["fc"])
    }

    let options = PlanOptions.sgd(lr: 0.1, momentum: 0.9)

    @Test func fusedTrainingPlanTrainsExactlyAsTheUnfusedOne() throws {
        let fused = try PlanCompiler.compile(net(), training: true, options: options, memoryPlan: MemoryPlan())
        let plain = try PlanCompiler.compile(net(), training: true, options: options.with(fuse: false), memoryPlan: MemoryPlan())
        let activations = fused.steps.compactMap { step -> NASCIR.Activation? in
            if case .convForward(let c) = step.kernel { return c.activation } else { return nil }
        }
        // c1 + relu and c3 + tanh fuse; c2 (batchnorm between) and c4 (two readers) do not.
        #expect(activations == [NASCIR.Activation.relu, .tanh])
        #expect(fused.steps.count == plain.steps.count - 2)
        #expect(fused.activationBytes(batch: 4) < plain.activationBytes(batch: 4))

        let a = try Executor(plan: fused, seed: 7), b = try Executor(plan: plain, seed: 7)
        for name in b.parameterNames { #expect(a.parameter(name) == b.parameter(name)) }
        let labels: [Int64] = [0, 2, 1, 2]
        for step in 0..<3 {
            let x = randomFloats(4 * 192, seed: UInt64(10 + step))
            let la = try a.trainStep(data: x, labels: labels, batch: 4), lb = try b.trainStep(data: x, labels: labels, batch: 4)
            #expect(la == lb, "step \(step): \(la) vs \(lb)")
        }
        for name in b.parameterNames { #expect(a.parameter(name) == b.parameter(name), "\(name)") }
        #expect(a.parameter("c1.weight") != (try Executor(plan: plain, seed: 7)).parameter("c1.weight"))
    }

    @Test func fusedInferencePlanMatchesEvalModeOfTheUnfusedOne() throws {
        let fused = try PlanCompiler.compile(net(), training: false)
        let plain = try PlanCompiler.compile(net(), training: false, options: PlanOptions().with(fuse: false))
        #expect(fused.steps.contains { $0.kernel.name == "batch_norm_fold" })
        #expect(!fused.steps.contains { $0.kernel.name == "batch_norm_forward" })
        let a = try Executor(plan: fused, seed: 3), b = try Executor(plan: plain, seed: 3)
        for (suffix, values) in [("weight", randomFloats(8, seed: 1).map { 1 + $0 / 2 }), ("bias", randomFloats(8, seed: 2)),
                                 ("running_mean", randomFloats(8, seed: 3)), ("running_var", randomFloats(8, seed: 4).map { 1.2 + $0 })] {
            try a.setParameter("bn2.\(suffix)", values)
            try b.setParameter("bn2.\(suffix)", values)
        }
        let x = randomFloats(2 * 192, seed: 9)
        try a.forward(data: x, batch: 2, mode: .eval)
        try b.forward(data: x, batch: 2, mode: .eval)
        #expect(maxDiff(a.output, b.output) < 1e-5, "\(a.output) vs \(b.output)")
    }

    @Test func fusedTrainingIsTheSameOnTwoWorkers() throws {
        let plan = try PlanCompiler.compile(net(), training: true, options: options, memoryPlan: MemoryPlan())
        func train(_ threads: Int) throws -> [Float] {
            try Kernels.withThreads(threads, smallChunks: true) {
                let e = try Executor(plan: plan, seed: 1)
                var losses: [Float] = []
                for step in 0..<2 {
                    losses.append(try e.trainStep(data: randomFloats(4 * 192, seed: UInt64(step)), labels: [0, 1, 2, 0], batch: 4))
                }
                return losses + (e.parameter("c4.weight") ?? [])
            }
        }
        let one = try train(1), two = try train(2), twoAgain = try train(2)
        #expect(two == twoAgain)
        #expect(maxDiff(one, two) < 1e-5)
    }
}
