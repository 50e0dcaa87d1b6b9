// LinearTests: fully connected forward/backward vs naive loops and finite differences.
import Testing
@testable import NASCKernels

@Suite struct LinearTests {
    static let shapes = [LinearShape(batch: 3, inFeatures: 7, outFeatures: 5), LinearShape(batch: 1, inFeatures: 1, outFeatures: 4),
                         LinearShape(batch: 4, inFeatures: 16, outFeatures: 10)]

    @Test(arguments: shapes) func matchesNaiveAndFiniteDifferences(_ s: LinearShape) {
        var rng = TestRNG(seed: 11)
        let x = rng.floats(s.batch * s.inFeatures), w = rng.floats(s.outFeatures * s.inFeatures)
        let b = rng.floats(s.outFeatures), gy = rng.floats(s.batch * s.outFeatures)
        var y = [Float](repeating: .nan, count: s.batch * s.outFeatures)
        Linear.forward(shape: s, input: x, weight: w, bias: b, output: &y)
        expectClose(y, Ref.linear(s, x: doubles(x), w: doubles(w), b: doubles(b)), "linear forward")
        var yNoBias = y
        Linear.forward(shape: s, input: x, weight: w, bias: nil, output: &yNoBias)
        expectClose(yNoBias, Ref.linear(s, x: doubles(x), w: doubles(w), b: nil), "linear forward without bias")

        var gx = [Float](repeating: .nan, count: x.count), gw = [Float](repeating: .nan, count: w.count)
        var gb = [Float](repeating: .nan, count: b.count)
        Linear.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx)
        Linear.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw)
        Linear.backwardBias(shape: s, gradOutput: gy, gradBias: &gb)
        let ref = Ref.linearBackward(s, x: doubles(x), w: doubles(w), gy: doubles(gy))
        expectClose(gx, ref.gx, "linear grad input")
        expectClose(gw, ref.gw, "linear grad weight")
        expectClose(gb, ref.gb, "linear grad bias")

        let xd = doubles(x), wd = doubles(w), bd = doubles(b), gyd = doubles(gy)
        expectClose(gx, numericGradient(xd) { dot(Ref.linear(s, x: $0, w: wd, b: bd), gyd) }, "linear grad input vs FD")
        expectClose(gw, numericGradient(wd) { dot(Ref.linear(s, x: xd, w: $0, b: bd), gyd) }, "linear grad weight vs FD")
        expectClose(gb, numericGradient(bd) { dot(Ref.linear(s, x: xd, w: wd, b: $0), gyd) }, "linear grad bias vs FD")

        // Accumulation adds onto existing gradients.
        var gx2 = gx, gw2 = gw, gb2 = gb
        Linear.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx2, accumulate: true)
        Linear.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw2, accumulate: true)
        Linear.backwardBias(shape: s, gradOutput: gy, gradBias: &gb2, accumulate: true)
        expectClose(gx2, ref.gx.map { 2 * $0 }, "linear accumulated grad input")
        expectClose(gw2, ref.gw.map { 2 * $0 }, "linear accumulated grad weight")
        expectClose(gb2, ref.gb.map { 2 * $0 }, "linear accumulated grad bias")
    }
}
