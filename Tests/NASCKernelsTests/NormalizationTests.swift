// NormalizationTests: batchnorm (training and eval) and layernorm forward/backward vs naive loops and finite differences.
import Testing
@testable import NASCKernels

@Suite struct NormalizationTests {
    static let bnShapes = [BatchNormShape(batch: 3, channels: 4, spatial: 15), BatchNormShape(batch: 5, channels: 3, spatial: 1),
                           BatchNormShape(batch: 2, channels: 2, spatial: 37)]

    @Test(arguments: bnShapes) func batchNormTrainingMatchesReference(_ s: BatchNormShape) {
        var rng = TestRNG(seed: 21)
        let x = rng.floats(s.count, scale: 2, offset: 0.7), gamma = rng.floats(s.channels, offset: 1)
        let beta = rng.floats(s.channels), gy = rng.floats(s.count)
        let rm0 = rng.floats(s.channels, scale: 0.1), rv0 = rng.floats(s.channels, scale: 0.5, offset: 1)
        let eps: Float = 1e-5, momentum: Float = 0.1
        var y = [Float](repeating: .nan, count: s.count), rm = rm0, rv = rv0
        var mean = [Float](repeating: .nan, count: s.channels), invStd = mean
        BatchNorm.forwardTraining(shape: s, input: x, gamma: gamma, beta: beta, output: &y, runningMean: &rm, runningVar: &rv,
                                  momentum: momentum, epsilon: eps, savedMean: &mean, savedInvStd: &invStd)
        let xd = doubles(x), gd = doubles(gamma), bd = doubles(beta), gyd = doubles(gy)
        expectClose(y, Ref.batchNormTrain(s, x: xd, gamma: gd, beta: bd, eps: Double(eps)), "bn train forward")
        let st = Ref.channelStats(s, xd)
        let m = Double(s.valuesPerChannel)
        let unbiased = st.variance.map { m > 1 ? $0 * m / (m - 1) : $0 }
        expectClose(rm, (0..<s.channels).map { 0.9 * Double(rm0[$0]) + 0.1 * st.mean[$0] }, "bn running mean")
        expectClose(rv, (0..<s.channels).map { 0.9 * Double(rv0[$0]) + 0.1 * unbiased[$0] }, "bn running var (unbiased)")
        expectClose(mean, st.mean, "bn saved mean")
        expectClose(invStd, st.variance.map { 1 / ($0 + Double(eps)).squareRoot() }, "bn saved invstd")

        var gx = [Float](repeating: .nan, count: s.count)
        var gGamma = [Float](repeating: .nan, count: s.channels), gBeta = gGamma
        BatchNorm.backwardTraining(shape: s, input: x, gradOutput: gy, gamma: gamma, savedMean: mean, savedInvStd: invStd,
                                   gradInput: &gx, gradGamma: &gGamma, gradBeta: &gBeta)
        let f = { (xx: [Double], gg: [Double], bb: [Double]) in dot(Ref.batchNormTrain(s, x: xx, gamma: gg, beta: bb, eps: Double(eps)), gyd) }
        expectClose(gx, numericGradient(xd) { f($0, gd, bd) }, "bn train grad input vs FD")
        expectClose(gGamma, numericGradient(gd) { f(xd, $0, bd) }, "bn train grad gamma vs FD")
        expectClose(gBeta, numericGradient(bd) { f(xd, gd, $0) }, "bn train grad beta vs FD")

        // Without affine parameters and running statistics.
        var yPlain = [Float](repeating: .nan, count: s.count)
        BatchNorm.forwardTraining(shape: s, input: x, gamma: nil, beta: nil, output: &yPlain, runningMean: nil, runningVar: nil,
                                  momentum: momentum, epsilon: eps, savedMean: &mean, savedInvStd: &invStd)
        expectClose(yPlain, Ref.batchNormTrain(s, x: xd, gamma: nil, beta: nil, eps: Double(eps)), "bn train forward, no affine")
        BatchNorm.backwardTraining(shape: s, input: x, gradOutput: gy, gamma: nil, savedMean: mean, savedInvStd: invStd,
                                   gradInput: &gx, gradGamma: nil, gradBeta: nil)
        expectClose(gx, numericGradient(xd) { dot(Ref.batchNormTrain(s, x: $0, gamma: nil, beta: nil, eps: Double(eps)), gyd) },
                    "bn train grad input, no affine, vs FD")
    }

    @Test(arguments: bnShapes) func batchNormEvalMatchesReference(_ s: BatchNormShape) {
        var rng = TestRNG(seed: 23)
        let x = rng.floats(s.count, scale: 2), gamma = rng.floats(s.channels, offset: 1), beta = rng.floats(s.channels)
        let rm = rng.floats(s.channels, scale: 0.3), rv = rng.floats(s.channels, scale: 0.5, offset: 1)
        let gy = rng.floats(s.count)
        let eps: Float = 1e-3
        var y = [Float](repeating: .nan, count: s.count)
        BatchNorm.forwardInference(shape: s, input: x, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv,
                                   epsilon: eps, output: &y)
        let xd = doubles(x), gd = doubles(gamma), bd = doubles(beta), gyd = doubles(gy)
        let f = { (xx: [Double], gg: [Double], bb: [Double]) in
            dot(Ref.batchNormApply(s, x: xx, mean: doubles(rm), variance: doubles(rv), gamma: gg, beta: bb, eps: Double(eps)), gyd)
        }
        expectClose(y, Ref.batchNormApply(s, x: xd, mean: doubles(rm), variance: doubles(rv), gamma: gd, beta: bd,
                                          eps: Double(eps)), "bn eval forward")
        var gx = [Float](repeating: .nan, count: s.count)
        var gGamma = [Float](repeating: .nan, count: s.channels), gBeta = gGamma
        BatchNorm.backwardInference(shape: s, input: x, gradOutput: gy, gamma: gamma, runningMean: rm, runningVar: rv,
                                    epsilon: eps, gradInput: &gx, gradGamma: &gGamma, gradBeta: &gBeta)
        expectClose(gx, numericGradient(xd) { f($0, gd, bd) }, "bn eval grad input vs FD")
        expectClose(gGamma, numericGradient(gd) { f(xd, $0, bd) }, "bn eval grad gamma vs FD")
        expectClose(gBeta, numericGradient(bd) { f(xd, gd, $0) }, "bn eval grad beta vs FD")
    }

    static let lnShapes = [LayerNormShape(rows: 6, features: 8), LayerNormShape(rows: 3, features: 13),
                           LayerNormShape(rows: 1, features: 40)]

    @Test(arguments: lnShapes) func layerNormMatchesReference(_ s: LayerNormShape) {
        var rng = TestRNG(seed: 31)
        let n = s.rows * s.features
        let x = rng.floats(n, scale: 2, offset: 0.3), gamma = rng.floats(s.features, offset: 1)
        let beta = rng.floats(s.features), gy = rng.floats(n)
        let eps: Float = 1e-5
        var y = [Float](repeating: .nan, count: n)
        var mean = [Float](repeating: .nan, count: s.rows), invStd = mean
        LayerNorm.forward(shape: s, input: x, gamma: gamma, beta: beta, epsilon: eps, output: &y,
                          savedMean: &mean, savedInvStd: &invStd)
        let xd = doubles(x), gd = doubles(gamma), bd = doubles(beta), gyd = doubles(gy)
        expectClose(y, Ref.layerNorm(s, x: xd, gamma: gd, beta: bd, eps: Double(eps)), "layernorm forward")
        var gx = [Float](repeating: .nan, count: n)
        var gGamma = [Float](repeating: .nan, count: s.features), gBeta = gGamma
        LayerNorm.backward(shape: s, input: x, gradOutput: gy, gamma: gamma, savedMean: mean, savedInvStd: invStd,
                           gradInput: &gx, gradGamma: &gGamma, gradBeta: &gBeta)
        let f = { (xx: [Double], gg: [Double], bb: [Double]) in dot(Ref.layerNorm(s, x: xx, gamma: gg, beta: bb, eps: Double(eps)), gyd) }
        expectClose(gx, numericGradient(xd) { f($0, gd, bd) }, "layernorm grad input vs FD")
        expectClose(gGamma, numericGradient(gd) { f(xd, $0, bd) }, "layernorm grad gamma vs FD")
        expectClose(gBeta, numericGradient(bd) { f(xd, gd, $0) }, "layernorm grad beta vs FD")

        LayerNorm.forward(shape: s, input: x, gamma: nil, beta: nil, epsilon: eps, output: &y, savedMean: &mean,
                          savedInvStd: &invStd)
        expectClose(y, Ref.layerNorm(s, x: xd, gamma: nil, beta: nil, eps: Double(eps)), "layernorm forward, no affine")
        LayerNorm.backward(shape: s, input: x, gradOutput: gy, gamma: nil, savedMean: mean, savedInvStd: invStd,
                           gradInput: &gx, gradGamma: nil, gradBeta: nil)
        expectClose(gx, numericGradient(xd) { dot(Ref.layerNorm(s, x: $0, gamma: nil, beta: nil, eps: Double(eps)), gyd) },
                    "layernorm grad input, no affine, vs FD")
    }
}

extension NormalizationTests {
    @Test func shapeValidity() {
        #expect(BatchNormShape(batch: 2, channels: 3, spatial: 4).isValid)
        #expect(BatchNormShape(batch: 2, channels: 3, spatial: 4).count == 24)
        #expect(!BatchNormShape(batch: 0, channels: 3, spatial: 4).isValid)
        #expect(!BatchNormShape(batch: 2, channels: 3, spatial: 0).isValid)
        #expect(LayerNormShape(rows: 1, features: 1).isValid)
        #expect(!LayerNormShape(rows: 1, features: 0).isValid)
        #expect(LinearShape(batch: 1, inFeatures: 2, outFeatures: 3).isValid)
        #expect(!LinearShape(batch: 1, inFeatures: -2, outFeatures: 3).isValid)
    }
}
