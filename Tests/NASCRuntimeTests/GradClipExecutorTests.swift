// GradClipExecutorTests: global-norm clipping inside a training step scales every gradient by max_norm / norm.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct GradClipExecutorTests {
    func plan() throws -> Plan {
        var b = GraphBuilder(input: .f(3))
        b.add("fc1", .linear(LinearAttrs(outFeatures: .int(4))), ["x"], .f(4))
        b.add("act", .activation(.tanh), ["fc1"], .f(4))
        b.add("fc2", .linear(LinearAttrs(outFeatures: .int(2))), ["act"], .f(2))
        return try PlanCompiler.compile(b.space(outputs: ["fc2"]), training: true, options: PlanOptions.sgd(lr: 1.0))
    }

    @Test func clippedStepEqualsScaledGradientStep() throws {
        let p = try plan()
        let data: [Float] = [3, -2, 5, 4, 1, -6], labels: [Int64] = [1, 0]
        let names = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]

        // Reference: the raw gradients and their global norm.
        let probe = try Executor(plan: p, seed: 3)
        try probe.computeGradients(data: data, labels: labels, batch: 2)
        let grads = names.map { probe.gradient(of: $0) ?? [] }
        let norm = grads.flatMap { $0 }.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let maxNorm = norm / 4
        #expect(norm > 0)

        let clipped = try Executor(plan: p, seed: 3)
        let before = names.map { clipped.parameter($0) ?? [] }
        clipped.gradientClipNorm = maxNorm
        _ = try clipped.trainStep(data: data, labels: labels, batch: 2)
        // Plain SGD with lr 1: w' = w - g * maxNorm / norm.
        let scale = maxNorm / (norm + 1e-6)
        for (i, name) in names.enumerated() {
            let after = try #require(clipped.parameter(name))
            let want = zip(before[i], grads[i]).map { Float(Double($0) - Double($1) * scale) }
            #expect(maxDiff(after, want) < 1e-5, "\(name)")
        }

        // A bound above the norm changes nothing.
        let loose = try Executor(plan: p, seed: 3), plain = try Executor(plan: p, seed: 3)
        loose.gradientClipNorm = norm * 10
        _ = try loose.trainStep(data: data, labels: labels, batch: 2)
        _ = try plain.trainStep(data: data, labels: labels, batch: 2)
        for name in names { #expect(loose.parameter(name) == plain.parameter(name)) }
    }
}
