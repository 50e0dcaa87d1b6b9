// PoolingTests: max pool (with argmax), average pool (count_include_pad on/off) and global average pool vs naive loops.
import Testing
@testable import NASCKernels

struct PoolCase: Sendable, CustomTestStringConvertible {
    var name: String
    var shape: Pool2DShape
    var testDescription: String { name }
}

let poolCases: [PoolCase] = [
    PoolCase(name: "k3 s2 p1 odd", shape: Pool2DShape(batch: 3, channels: 2, inHeight: 7, inWidth: 8, kernel: (3, 3),
                                                     stride: (2, 2), padding: (1, 1))),
    PoolCase(name: "k2 s2", shape: Pool2DShape(batch: 2, channels: 3, inHeight: 6, inWidth: 6, kernel: (2, 2), stride: (2, 2))),
    PoolCase(name: "k2 s1 p1", shape: Pool2DShape(batch: 1, channels: 2, inHeight: 5, inWidth: 5, kernel: (2, 2),
                                                  stride: (1, 1), padding: (1, 1))),
    PoolCase(name: "rect k3x2 s1x2 p1x0", shape: Pool2DShape(batch: 2, channels: 1, inHeight: 6, inWidth: 9, kernel: (3, 2),
                                                             stride: (1, 2), padding: (1, 0))),
]

@Suite struct PoolingTests {
    @Test(arguments: poolCases) func maxPoolMatchesNaive(_ c: PoolCase) {
        let s = c.shape
        #expect(s.isValid)
        var rng = TestRNG(seed: 41)
        let x = rng.floats(s.inputCount), gy = rng.floats(s.outputCount)
        var y = [Float](repeating: .nan, count: s.outputCount), idx = [Int32](repeating: -1, count: s.outputCount)
        MaxPool2D.forward(shape: s, input: x, output: &y, indices: &idx)
        let ref = Ref.maxPool(s, x: doubles(x))
        expectClose(y, ref.y, "\(c.name) max forward")
        #expect(idx.map(Int.init) == ref.idx)
        var gx = [Float](repeating: .nan, count: s.inputCount)
        MaxPool2D.backward(shape: s, gradOutput: gy, indices: idx, gradInput: &gx)
        var naive = [Double](repeating: 0, count: s.inputCount)
        let ohw = s.outHeight * s.outWidth, hw = s.inHeight * s.inWidth
        for o in 0..<s.outputCount { naive[(o / ohw) * hw + ref.idx[o]] += Double(gy[o]) }
        expectClose(gx, naive, "\(c.name) max backward")
        let xd = doubles(x), gyd = doubles(gy)
        expectClose(gx, numericGradient(xd, step: 1e-6) { dot(Ref.maxPool(s, x: $0).y, gyd) }, "\(c.name) max backward vs FD")
    }

    @Test func maxPoolTiesPickFirstAndPaddingNeverWins() {
        let s = Pool2DShape(batch: 1, channels: 1, inHeight: 2, inWidth: 2, kernel: (2, 2), stride: (2, 2), padding: (1, 1))
        let x: [Float] = [-5, -5, -5, -5]
        var y = [Float](repeating: 0, count: s.outputCount), idx = [Int32](repeating: -1, count: s.outputCount)
        MaxPool2D.forward(shape: s, input: x, output: &y, indices: &idx)
        #expect(y == [-5, -5, -5, -5])
        #expect(idx == [0, 1, 2, 3])
        let t = Pool2DShape(batch: 1, channels: 1, inHeight: 2, inWidth: 2, kernel: (2, 2), stride: (2, 2))
        var y1: [Float] = [0], i1: [Int32] = [-1]
        MaxPool2D.forward(shape: t, input: [1, 3, 3, 2], output: &y1, indices: &i1)
        #expect(y1 == [3] && i1 == [1])
    }

    @Test(arguments: poolCases, [true, false]) func avgPoolMatchesNaive(_ c: PoolCase, _ includePad: Bool) {
        let s = c.shape
        var rng = TestRNG(seed: 43)
        let x = rng.floats(s.inputCount), gy = rng.floats(s.outputCount)
        var y = [Float](repeating: .nan, count: s.outputCount)
        AvgPool2D.forward(shape: s, countIncludePad: includePad, input: x, output: &y)
        expectClose(y, Ref.avgPool(s, includePad: includePad, x: doubles(x)), "\(c.name) avg forward")
        var gx = [Float](repeating: .nan, count: s.inputCount)
        AvgPool2D.backward(shape: s, countIncludePad: includePad, gradOutput: gy, gradInput: &gx)
        let gyd = doubles(gy)
        expectClose(gx, numericGradient(doubles(x)) { dot(Ref.avgPool(s, includePad: includePad, x: $0), gyd) },
                    "\(c.name) avg backward vs FD")
        var gx2 = gx
        AvgPool2D.backward(shape: s, countIncludePad: includePad, gradOutput: gy, gradInput: &gx2, accumulate: true)
        expectClose(gx2, gx.map { 2 * $0 }, "\(c.name) avg backward accumulate")
    }

    @Test func avgPoolDivisorDependsOnCountIncludePad() {
        let s = Pool2DShape(batch: 1, channels: 1, inHeight: 2, inWidth: 2, kernel: (3, 3), stride: (1, 1), padding: (1, 1))
        let x: [Float] = [1, 2, 3, 4]
        var incl = [Float](repeating: 0, count: 4), excl = incl
        AvgPool2D.forward(shape: s, countIncludePad: true, input: x, output: &incl)
        AvgPool2D.forward(shape: s, countIncludePad: false, input: x, output: &excl)
        #expect(incl == [Float](repeating: Float(10) / Float(9), count: 4))
        #expect(excl == [2.5, 2.5, 2.5, 2.5])
    }

    @Test func globalAvgPoolMatchesNaive() {
        let n = 3, c = 4, hw = 29
        var rng = TestRNG(seed: 47)
        let x = rng.floats(n * c * hw), gy = rng.floats(n * c)
        var y = [Float](repeating: .nan, count: n * c)
        GlobalAvgPool.forward(batch: n, channels: c, spatial: hw, input: x, output: &y)
        let ref = (0..<(n * c)).map { p in (0..<hw).reduce(0.0) { $0 + Double(x[p * hw + $1]) } / Double(hw) }
        expectClose(y, ref, "global avg forward")
        var gx = [Float](repeating: .nan, count: x.count)
        GlobalAvgPool.backward(batch: n, channels: c, spatial: hw, gradOutput: gy, gradInput: &gx)
        expectClose(gx, (0..<x.count).map { Double(gy[$0 / hw]) / Double(hw) }, "global avg backward")
        GlobalAvgPool.backward(batch: n, channels: c, spatial: hw, gradOutput: gy, gradInput: &gx, accumulate: true)
        expectClose(gx, (0..<x.count).map { 2 * Double(gy[$0 / hw]) / Double(hw) }, "global avg backward accumulate")
    }

    @Test func invalidPoolShapesAreReported() {
        #expect(!Pool2DShape(batch: 1, channels: 1, inHeight: 4, inWidth: 4, kernel: (2, 2), stride: (1, 1),
                             padding: (2, 2)).isValid)
        #expect(!Pool2DShape(batch: 1, channels: 1, inHeight: 1, inWidth: 1, kernel: (3, 3), stride: (1, 1)).isValid)
        #expect(!Pool2DShape(batch: 1, channels: 1, inHeight: 4, inWidth: 4, kernel: (2, 2), stride: (0, 1)).isValid)
    }
}

extension PoolingTests {
    @Test func maxPoolPropagatesNaN() {
        let s = Pool2DShape(batch: 1, channels: 1, inHeight: 2, inWidth: 2, kernel: (2, 2), stride: (2, 2))
        var y: [Float] = [0], idx: [Int32] = [-1]
        MaxPool2D.forward(shape: s, input: [1, .nan, 5, 2], output: &y, indices: &idx)
        #expect(y[0].isNaN && idx == [1])
    }
}
