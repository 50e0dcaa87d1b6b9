// MemoryPlanTests: buffer sharing keeps results bit-identical while lowering activation memory; golden plan listings.
import Foundation
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

/// Compares a plan listing with Fixtures/golden/<name>.txt (`NASC_UPDATE_GOLDEN=1` rewrites it).
func expectGoldenListing(_ plan: Plan, _ name: String) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden/\(name).txt")
    let actual = plan.listing + "\n"
    if ProcessInfo.processInfo.environment["NASC_UPDATE_GOLDEN"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "plan listing differs from \(name).txt")
}

@Suite struct MemoryPlanTests {
    func run(_ plan: Plan, steps: Int, inputCount: Int, classes: Int) throws -> ([Float], [Float]) {
        let exec = try Executor(plan: plan, seed: 5)
        var losses: [Float] = []
        for s in 0..<steps {
            let x = randomFloats(4 * inputCount, seed: UInt64(300 + s))
            losses.append(try exec.trainStep(data: x, labels: (0..<4).map { Int64(($0 + s) % classes) }, batch: 4))
        }
        return (losses, exec.parameterNames.flatMap { exec.parameter($0)! } + exec.output)
    }

    @Test func sharedBuffersGiveBitIdenticalTraining() throws {
        let t = TrainingTests()
        for (space, inputs, classes) in [(t.convNet(), 50, 4), (t.mixedNet(), 32, 3), (TrainerTests().net(), 32, 3)] {
            let plain = try PlanCompiler.compile(space, training: true, options: PlanOptions.sgd(momentum: 0.9))
            let planned = try PlanCompiler.compile(space, training: true, options: PlanOptions.sgd(momentum: 0.9), memoryPlan: MemoryPlan())
            #expect(planned.activationElements.perSample < plain.activationElements.perSample)
            try planned.validate()
            let a = try run(plain, steps: 3, inputCount: inputs, classes: classes)
            let b = try run(planned, steps: 3, inputCount: inputs, classes: classes)
            #expect(a.0 == b.0 && a.1 == b.1)
        }
    }

    @Test func mnistTrainingMemoryShrinks() throws {
        let plain = try PlanCompiler.compile(mnistNet(dropout: 0.25), training: true)
        let planned = try PlanCompiler.compile(mnistNet(dropout: 0.25), training: true, memoryPlan: MemoryPlan())
        // Forward activations must survive for the backward pass, so training saves less than inference.
        #expect(planned.activationBytes(batch: 64) < plain.activationBytes(batch: 64) * 3 / 4)
        // Unfused, so the comparison is about buffer sharing alone (fusion already drops the relu buffers).
        let inferencePlain = try PlanCompiler.compile(mnistNet(dropout: 0.25), training: false, options: PlanOptions().with(fuse: false))
        let inference = try PlanCompiler.compile(mnistNet(dropout: 0.25), training: false, options: PlanOptions().with(fuse: false), memoryPlan: MemoryPlan())
        #expect(inference.activationBytes(batch: 64) < inferencePlain.activationBytes(batch: 64) / 2)
        let x = randomFloats(2 * 784, seed: 1)
        let e1 = try Executor(plan: inferencePlain, seed: 1), e2 = try Executor(plan: inference, seed: 1)
        try e1.forward(data: x, batch: 2)
        try e2.forward(data: x, batch: 2)
        #expect(e1.output == e2.output)
    }

    @Test func pointwiseStepsRunInPlace() throws {
        var b = GraphBuilder(input: .f(8))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(8))), ["x"], .f(8))
        b.add("a1", .activation(.tanh), ["fc"], .f(8))
        b.add("a2", .activation(.sigmoid), ["a1"], .f(8))
        b.add("out", .linear(LinearAttrs(outFeatures: .int(2))), ["a2"], .f(2))
        let plan = try PlanCompiler.compile(b.space(outputs: ["out"]), training: false, memoryPlan: MemoryPlan())
        let acts = plan.steps.compactMap { s -> ActivationStep? in if case .activationForward(let a) = s.kernel { return a } else { return nil } }
        #expect(acts.count == 2)
        for a in acts { #expect(plan.slots[a.input].region == plan.slots[a.output].region) }
        try expectGoldenListing(plan, "memory-plan-inplace")
    }

    @Test func trainingListingGolden() throws {
        var b = GraphBuilder(input: .f(1, 4, 4))
        b.add("conv", .conv2d(convAttrs(2, 3)), ["x"], .f(2, 2, 2))
        b.add("act", .activation(.relu), ["conv"], .f(2, 2, 2))
        b.add("flat", .flatten, ["act"], .f(8))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(3))), ["flat"], .f(3))
        let plan = try PlanCompiler.compile(b.space(outputs: ["fc"]), training: true, options: PlanOptions.sgd(momentum: 0.9), memoryPlan: MemoryPlan())
        try expectGoldenListing(plan, "memory-plan-training")
    }

    @Test func memoryPlanNeedsAPlan() throws {
        var space = TrainingTests().convNet()
        var ctx = PassContext()
        try MemoryPlan().run(on: &space, context: &ctx)
        #expect(ctx.diagnostics.hasErrors)
    }
}
