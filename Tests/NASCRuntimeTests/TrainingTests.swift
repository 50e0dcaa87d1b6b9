// TrainingTests: autodiff + training steps — hand-computed SGD, finite-difference gradients, determinism.
import Testing
#if canImport(Glibc)
import Glibc
#endif
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct TrainingTests {
    @Test func oneSGDStepMatchesHandComputation() throws {
        var b = GraphBuilder(input: .f(2))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(2), bias: false)), ["x"], .f(2))
        let plan = try PlanCompiler.compile(b.space(outputs: ["fc"]), training: true, options: PlanOptions.sgd(lr: 0.5))
        #expect(plan.steps.map(\.kernel.name) == ["linear_forward", "loss_forward", "loss_backward", "linear_backward_weight", "optimizer_update"])
        let exec = try Executor(plan: plan)
        try exec.setParameter("fc.weight", [1, 0, 0, 1])
        let loss = try exec.trainStep(data: [1, 2, 0, 1], labels: [0, 1], batch: 2)
        // Logits are the inputs: sample 0 [1, 2] (label 0), sample 1 [0, 1] (label 1).
        let e = 2.718281828459045
        let p0 = [1 / (1 + e), e / (1 + e)], p1 = [1 / (1 + e), e / (1 + e)]
        let want = (-log(p0[0]) - log(p1[1])) / 2
        #expect(abs(Double(loss) - want) < 1e-6)
        // dL/dlogits = (p - onehot) / 2; dW[o][i] = sum_n g[n][o] * x[n][i].
        let g0 = [(p0[0] - 1) / 2, p0[1] / 2], g1 = [p1[0] / 2, (p1[1] - 1) / 2]
        let x0 = [1.0, 2.0], x1 = [0.0, 1.0]
        var w: [Double] = [1, 0, 0, 1]
        for o in 0..<2 { for i in 0..<2 { w[o * 2 + i] -= 0.5 * (g0[o] * x0[i] + g1[o] * x1[i]) } }
        #expect(maxDiff(try #require(exec.parameter("fc.weight")), w.map { Float($0) }) < 1e-6)
        #expect(exec.stepsTaken == 1)
    }

    /// conv -> batchnorm -> relu, + skip (two uses of the conv output), maxpool, flatten, dropout, linear.
    func convNet() -> ModelSpace {
        var b = GraphBuilder(input: .f(2, 5, 5))
        b.add("conv", .conv2d(convAttrs(3, 3, pad: 1)), ["x"], .f(3, 5, 5))
        b.add("bn", .batchNorm(BatchNormAttrs()), ["conv"], .f(3, 5, 5))
        b.add("act", .activation(.tanh), ["bn"], .f(3, 5, 5))
        b.add("skip", .add, ["act", "conv"], .f(3, 5, 5))
        b.add("pool", .maxPool2d(Pool2DAttrs(kernel: .int(2))), ["skip"], .f(3, 2, 2))
        b.add("flat", .flatten, ["pool"], .f(12))
        b.add("drop", .dropout(p: .float(0.25)), ["flat"], .f(12))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(4))), ["drop"], .f(4))
        return b.space(outputs: ["fc"])
    }

    /// layer_norm, gelu, concat, mul, avg pool, global average pool, log_softmax + nll.
    func mixedNet() -> ModelSpace {
        var b = GraphBuilder(input: .f(2, 4, 4))
        b.add("dw", .depthwiseConv2d(DepthwiseConv2DAttrs(kernel: .int(3), padding: .explicit(.int(1)))), ["x"], .f(2, 4, 4))
        b.add("c1", .conv2d(convAttrs(2, 1)), ["x"], .f(2, 4, 4))
        b.add("cat", .concat(axis: 1), ["dw", "c1"], .f(4, 4, 4))
        b.add("ln", .layerNorm(LayerNormAttrs()), ["cat"], .f(4, 4, 4))
        b.add("act", .activation(.gelu), ["ln"], .f(4, 4, 4))
        b.add("sig", .activation(.sigmoid), ["cat"], .f(4, 4, 4))
        b.add("gate", .mul, ["act", "sig"], .f(4, 4, 4))
        b.add("avg", .avgPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1)), countIncludePad: false)),
              ["gate"], .f(4, 4, 4))
        b.add("gap", .globalAvgPool, ["avg"], .f(4))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(3))), ["gap"], .f(3))
        b.add("lsm", .logSoftmax(axis: -1), ["fc"], .f(3))
        return b.space(outputs: ["lsm"])
    }

    /// Central finite differences of the loss w.r.t. a few entries of every parameter.
    func checkGradients(_ space: ModelSpace, inputCount: Int, classes: Int, options: PlanOptions = PlanOptions()) throws {
        let plan = try PlanCompiler.compile(space, training: true, options: options)
        let exec = try Executor(plan: plan, seed: 11)
        let n = 3
        let x = randomFloats(n * inputCount, seed: 5)
        let labels = (0..<n).map { Int64($0 % classes) }
        try exec.computeGradients(data: x, labels: labels, batch: n)
        var checked = 0
        for name in exec.parameterNames {
            let grad = try #require(exec.gradient(of: name))
            let base = try #require(exec.parameter(name))
            for k in stride(from: 0, to: base.count, by: max(1, base.count / 5)) {
                let h: Float = 1e-2
                var p = base
                p[k] = base[k] + h
                try exec.setParameter(name, p)
                let up = try #require(try exec.forward(data: x, labels: labels, batch: n, mode: .train))
                p[k] = base[k] - h
                try exec.setParameter(name, p)
                let down = try #require(try exec.forward(data: x, labels: labels, batch: n, mode: .train))
                try exec.setParameter(name, base)
                let fd = (Double(up) - Double(down)) / (2 * Double(h))
                let ok = abs(fd - Double(grad[k])) <= 2e-3 + 3e-2 * abs(fd)
                #expect(ok, "d loss / d \(name)[\(k)]: autodiff \(grad[k]), finite differences \(fd)")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    @Test func convNetGradientsMatchFiniteDifferences() throws {
        try checkGradients(convNet(), inputCount: 50, classes: 4, options: PlanOptions(labelSmoothing: 0.1))
    }

    @Test func mixedNetGradientsMatchFiniteDifferences() throws {
        try checkGradients(mixedNet(), inputCount: 32, classes: 3)
    }

    @Test func separableConvGradientsMatchFiniteDifferences() throws {
        var b = GraphBuilder(input: .f(3, 5, 5))
        b.add("sep", .separableConv2d(SeparableConv2DAttrs(outChannels: .int(4), kernel: .int(3), stride: .int(2), padding: .same)),
              ["x"], .f(4, 3, 3))
        b.add("act", .activation(.relu6), ["sep"], .f(4, 3, 3))
        b.add("gap", .globalAvgPool, ["act"], .f(4))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(2))), ["gap"], .f(2))
        try checkGradients(b.space(outputs: ["fc"]), inputCount: 75, classes: 2)
    }

    @Test func trainingIsBitwiseDeterministic() throws {
        let plan = try PlanCompiler.compile(convNet(), training: true, options: PlanOptions.sgd(lr: 0.1, momentum: 0.9))
        func run(seed: UInt64) throws -> ([Float], [Float]) {
            let exec = try Executor(plan: plan, seed: seed)
            var losses: [Float] = []
            for s in 0..<4 {
                let x = randomFloats(4 * 50, seed: UInt64(100 + s))
                losses.append(try exec.trainStep(data: x, labels: [0, 1, 2, 3], batch: 4))
            }
            return (losses, exec.parameterNames.flatMap { exec.parameter($0)! } + exec.parameter("bn.running_var")!)
        }
        let a = try run(seed: 1), b = try run(seed: 1), c = try run(seed: 2)
        #expect(a.0 == b.0 && a.1 == b.1)
        #expect(a.1 != c.1)
        #expect(a.0.last! < a.0.first! || a.0 != c.0)
    }

    @Test func lossDecreasesOnAFixedBatch() throws {
        let plan = try PlanCompiler.compile(mixedNet(), training: true, options: PlanOptions.adam(lr: 0.05))
        let exec = try Executor(plan: plan, seed: 3)
        let x = randomFloats(6 * 32, seed: 8)
        let labels: [Int64] = [0, 1, 2, 0, 1, 2]
        let first = try exec.trainStep(data: x, labels: labels, batch: 6)
        var last = first
        for _ in 0..<30 { last = try exec.trainStep(data: x, labels: labels, batch: 6) }
        #expect(last < first * 0.5)
    }

    @Test func evalModeUsesRunningStatsAndNoDropout() throws {
        let plan = try PlanCompiler.compile(convNet(), training: true)
        let exec = try Executor(plan: plan, seed: 4)
        let x = randomFloats(2 * 50, seed: 12)
        try exec.forward(data: x, batch: 2, mode: .eval)
        let a = exec.output
        try exec.forward(data: x, batch: 2, mode: .eval)
        #expect(exec.output == a)
        // Running stats are untouched by eval and start at mean 0 / var 1.
        #expect(exec.parameter("bn.running_mean")! == [0, 0, 0])
        try exec.forward(data: x, labels: [0, 1], batch: 2, mode: .train)
        #expect(exec.parameter("bn.running_mean")! != [0, 0, 0])
    }

    @Test func autodiffErrorsAreDiagnostics() throws {
        var b = GraphBuilder(input: .f(4))
        b.add("r", .activation(.relu), ["x"], .f(4))
        let e = #expect(throws: DiagnosticError.self) { try PlanCompiler.compile(b.space(outputs: ["r"]), training: true) }
        #expect(e?.description.contains("does not depend on any trainable parameter") == true)

        var c = GraphBuilder(input: .f(4))
        c.add("fc", .linear(LinearAttrs(outFeatures: .int(2))), ["x"], .f(2))
        // An unknown loss or a negative learning rate in a spec is a located error before anything runs.
        #expect(throws: DiagnosticError.self) { try Pipelines.resolve("autodiff{loss=hinge}") }
        #expect(throws: DiagnosticError.self) { try Pipelines.resolve("lower{lr=-1}") }
        #expect(throws: DiagnosticError.self) { try PlanCompiler.compile(c.space(outputs: ["fc"]), training: true, options: PlanOptions(labelSmoothing: 1)) }
        #expect(throws: DiagnosticError.self) { try PlanCompiler.compile(c.space(outputs: ["fc"]), training: true, options: PlanOptions.sgd(lr: -1)) }
        let exec = try Executor(plan: try PlanCompiler.compile(c.space(outputs: ["fc"]), training: true))
        let bad = #expect(throws: DiagnosticError.self) { try exec.trainStep(data: [0, 0, 0, 0], labels: [5], batch: 1) }
        #expect(bad?.description.contains("label 5 of sample 0 is out of range 0..<2") == true)
        let inference = try Executor(plan: try PlanCompiler.compile(c.space(outputs: ["fc"]), training: false))
        #expect(throws: DiagnosticError.self) { try inference.trainStep(data: [0, 0, 0, 0], labels: [1], batch: 1) }
    }
}
