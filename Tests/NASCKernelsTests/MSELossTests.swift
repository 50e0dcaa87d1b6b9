// MSELossTests: the mean-squared-error loss kernel against a naive Double reference, finite differences and PyTorch.
import NASCKernels
import Testing

@Suite struct MSELossTests {
    /// Naive reference: mean over all elements of (p - t)^2, in Double.
    static func reference(_ p: [Double], _ t: [Double]) -> Double {
        zip(p, t).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(p.count)
    }

    @Test func matchesNaiveReferenceAndFiniteDifferences() {
        let batch = 5, outputs = 3
        var rng = TestRNG(seed: 7)
        let p = rng.floats(batch * outputs, scale: 2)
        let t = rng.floats(batch * outputs, scale: 2)
        var grad = [Float](repeating: .nan, count: batch * outputs)
        let loss = Loss.mse(batch: batch, outputs: outputs, predictions: p, targets: t, gradInput: &grad)
        let pd = p.map(Double.init), td = t.map(Double.init)
        expectClose([loss], [Self.reference(pd, td)], "mse loss")
        expectClose(grad, numericGradient(pd) { Self.reference($0, td) }, rtol: 1e-3, "mse grad vs finite differences")
        // Analytic form 2 (p - t) / (N * D), and the incoming-gradient scale.
        expectClose(grad, zip(pd, td).map { 2 * ($0 - $1) / Double(batch * outputs) }, "mse grad formula")
        var scaled = [Float](repeating: .nan, count: batch * outputs)
        _ = Loss.mse(batch: batch, outputs: outputs, predictions: p, targets: t, gradInput: &scaled, scale: 0.5)
        expectClose(scaled, grad.map { Double($0) * 0.5 }, "mse grad scaled")
    }

    @Test func zeroWhenPredictionsEqualTargets() {
        let p: [Float] = [1, -2, 3.5, 0]
        var grad = [Float](repeating: .nan, count: 4)
        #expect(Loss.mse(batch: 2, outputs: 2, predictions: p, targets: p, gradInput: &grad) == 0)
        #expect(grad == [0, 0, 0, 0])
    }

    @Test func matchesTorch() {
        var f = FixtureCase("mse")
        let c = f.config()
        guard c.count == 2 else { Issue.record("bad cfg for mse"); return }
        var grad = [Float](repeating: .nan, count: c[0] * c[1])
        let loss = Loss.mse(batch: c[0], outputs: c[1], predictions: f.tensor("pred"), targets: f.tensor("target"), gradInput: &grad)
        f.check([loss], "loss")
        f.check(grad, "gpred")
        f.report()
    }
}
