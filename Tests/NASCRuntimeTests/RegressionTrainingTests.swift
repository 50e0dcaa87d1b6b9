// RegressionTrainingTests: autodiff with the mse loss, regression plans (f32 targets), hand-computed steps,
// finite-difference gradients, protobuf round trip, and the trainer on a regression data set.
import Testing
import NASCData
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct RegressionTrainingTests {
    @Test func autodiffAddsMSELossAndF32Targets() throws {
        var b = GraphBuilder(input: .f(3))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(2))), ["x"], .f(2))
        var space = b.space(outputs: ["fc"])
        var ctx = PassContext()
        try PassManager(pipeline: "params,autodiff{loss=mse}").runOrThrow(on: &space, context: &ctx)
        let g = try #require(space.rootGraph)
        let targets = try #require(g.inputs.first { $0.name.hasPrefix("targets") })
        #expect(targets.type == TensorType.f(2))
        #expect(g.nodes.contains { $0.op == .mseLoss && $0.inputs == [ValueRef("fc"), ValueRef(targets.name)] })
        #expect(g.nodes.contains { $0.op == .mseLossGrad })
        // The text form round-trips the new ops.
        let text = TextIR.print(space)
        #expect(text.contains("mse_loss(") && text.contains("mse_loss_grad("))
        let again = TextIR.print(try TextIR.parse(text, file: "t.nir"), locations: false)
        #expect(again == text, "\(text)\n----\n\(again)")
    }

    @Test func regressionPlanHasF32TargetsAndRoundTripsThroughProtobuf() throws {
        var b = GraphBuilder(input: .f(3))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(2))), ["x"], .f(2))
        let plan = try PlanCompiler.compile(b.space(outputs: ["fc"]), training: true, options: PlanOptions().with(loss: .mse))
        let labels = try #require(plan.labelsInput)
        #expect(plan.slots[labels].type == .f32 && plan.slots[labels].size.perSample == 2)
        let kinds = plan.steps.compactMap { step -> LossKind? in
            switch step.kernel {
            case .lossForward(let s), .lossBackward(let s): return s.kind
            default: return nil
            }
        }
        #expect(kinds == [.mse, .mse])
        guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(plan), file: "p.pb") else {
            Issue.record("not a plan"); return
        }
        #expect(back == plan)
        #expect(try Executor(plan: plan).isRegression)
    }

    @Test func oneSGDStepMatchesHandComputation() throws {
        var b = GraphBuilder(input: .f(2))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(1), bias: false)), ["x"], .f(1))
        let plan = try PlanCompiler.compile(b.space(outputs: ["fc"]), training: true, options: PlanOptions.sgd(lr: 0.1).with(loss: .mse))
        let exec = try Executor(plan: plan)
        try exec.setParameter("fc.weight", [0.5, -1])
        let x: [Float] = [1, 2, 3, 0], t: [Float] = [1, 2]
        let loss = try exec.trainStep(data: x, targets: t, batch: 2)
        // p = x . w: sample 0 -> 0.5 - 2 = -1.5, sample 1 -> 1.5. Loss = ((-2.5)^2 + (-0.5)^2) / 2 = 3.25.
        #expect(abs(loss - 3.25) < 1e-6)
        // dL/dw_i = (2 / 2) * sum_n (p_n - t_n) x_n,i = [-2.5 * 1 + -0.5 * 3, -2.5 * 2] = [-4, -5].
        let w = try #require(exec.parameter("fc.weight"))
        #expect(maxDiff(w, [0.5 + 0.4, -1 + 0.5]) < 1e-6)
        // Labels are refused by a regression plan, targets by a classification plan.
        #expect(throws: (any Error).self) { try exec.trainStep(data: x, labels: [0, 1], batch: 2) }
        let cls = try Executor(plan: try PlanCompiler.compile(b.space(outputs: ["fc"]), training: true))
        #expect(throws: (any Error).self) { try cls.trainStep(data: x, targets: t, batch: 2) }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        var b = GraphBuilder(input: .f(2, 4, 4))
        b.add("conv", .conv2d(convAttrs(3, 3, pad: 1)), ["x"], .f(3, 4, 4))
        b.add("bn", .batchNorm(BatchNormAttrs()), ["conv"], .f(3, 4, 4))
        b.add("act", .activation(.tanh), ["bn"], .f(3, 4, 4))
        b.add("gap", .globalAvgPool, ["act"], .f(3))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(2))), ["gap"], .f(2))
        let plan = try PlanCompiler.compile(b.space(outputs: ["fc"]), training: true, options: PlanOptions().with(loss: .mse))
        let exec = try Executor(plan: plan, seed: 3)
        let n = 3
        let x = randomFloats(n * 32, seed: 9), t = randomFloats(n * 2, seed: 10)
        try exec.computeGradients(data: x, targets: t, batch: n)
        var checked = 0
        for name in exec.parameterNames {
            let grad = try #require(exec.gradient(of: name))
            let base = try #require(exec.parameter(name))
            for k in stride(from: 0, to: base.count, by: max(1, base.count / 4)) {
                let h: Float = 1e-2
                var p = base
                p[k] = base[k] + h
                try exec.setParameter(name, p)
                let up = try #require(try exec.forward(data: x, targets: t, batch: n, mode: .train))
                p[k] = base[k] - h
                try exec.setParameter(name, p)
                let down = try #require(try exec.forward(data: x, targets: t, batch: n, mode: .train))
                try exec.setParameter(name, base)
                let fd = (Double(up) - Double(down)) / (2 * Double(h))
                #expect(abs(fd - Double(grad[k])) <= 2e-3 + 3e-2 * abs(fd), "d mse / d \(name)[\(k)]: \(grad[k]) vs \(fd)")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    @Test func trainerLowersTheErrorOnRegressionData() throws {
        let data = try SyntheticData.regression(count: 256, features: 4, seed: 1)
        var b = GraphBuilder(input: .f(4))
        b.add("h", .linear(LinearAttrs(outFeatures: .int(8))), ["x"], .f(8))
        b.add("a", .activation(.tanh), ["h"], .f(8))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(1))), ["a"], .f(1))
        let plan = try PlanCompiler.compile(b.space(outputs: ["fc"]), training: true, options: PlanOptions.sgd(lr: 0.05).with(loss: .mse))
        let trainer = try Trainer(executor: try Executor(plan: plan, seed: 2), training: data, validation: data,
                                  config: TrainerConfig(epochs: 8, batchSize: 32, seed: 4))
        #expect(trainer.isRegression)
        let before = try trainer.evaluate(data).loss
        let epochs = try trainer.run()
        let after = try trainer.evaluate(data).loss
        #expect(after < 0.3 * before, "mse \(before) -> \(after)")
        #expect(epochs.last?.validationLoss == after && epochs.allSatisfy { $0.trainAccuracy == 0 })
        // A classification data set is refused by a regression plan.
        let blobs = try SyntheticData.blobs(count: 32, sampleShape: [4], numClasses: 2, seed: 1)
        #expect(throws: (any Error).self) {
            try Trainer(executor: try Executor(plan: plan), training: blobs, config: TrainerConfig(epochs: 1, batchSize: 8))
        }
    }
}
