// ParallelKernelTests: kernels split over several workers (Parallel) match the naive references, give the same bits
// as one worker where the split does not change the arithmetic, and are reproducible for a given thread count.
import Testing
@testable import NASCKernels

@Suite struct ParallelKernelTests {
    /// Runs `body` with 1 worker and with `threads` workers splitting even tiny tensors; returns both results.
    func both<R>(_ threads: Int = 3, _ body: () -> R) -> (one: R, many: R) {
        (Kernels.withThreads(1) { body() }, Kernels.withThreads(threads, smallChunks: true) { body() })
    }

    @Test func threadOverrideIsScopedToTheTask() {
        let before = Kernels.threads
        Kernels.withThreads(3, smallChunks: true) {
            #expect(Kernels.threads == 3)
            #expect(Parallel.parts(2, minChunk: 1_000) == 2)
            #expect(Parallel.parts(100, minChunk: 1_000) == 3)
        }
        #expect(Kernels.threads == before)
        Kernels.withThreads(2) { #expect(Parallel.parts(100, minChunk: 1_000) == 1 && Parallel.parts(4_000, minChunk: 1_000) == 2) }
        // Chunks cover the range exactly, in order.
        let ranges = (0..<3).map { Parallel.chunk($0, of: 3, count: 10) }
        #expect(ranges == [0..<3, 3..<6, 6..<10])
    }

    @Test func runVisitsEveryPartOnce() {
        var hits = [Int](repeating: 0, count: 7)
        hits.withUnsafeMutableBufferPointer { h in
            let p = h.baseAddress!
            Kernels.withThreads(4) { Parallel.run(7) { p[$0] += 1 } }
        }
        #expect(hits == [Int](repeating: 1, count: 7))
    }

    static let convShapes = [
        // im2col (3 input channels), groups 2, pointwise, and the direct kernel (16 -> 16, width 8).
        Conv2DShape(batch: 5, inChannels: 3, inHeight: 7, inWidth: 6, outChannels: 4, kernel: (3, 3), padding: (1, 1)),
        Conv2DShape(batch: 4, inChannels: 4, inHeight: 6, inWidth: 5, outChannels: 6, kernel: (3, 3), stride: (2, 2),
                    padding: (1, 1), groups: 2),
        Conv2DShape(batch: 5, inChannels: 3, inHeight: 4, inWidth: 5, outChannels: 2, kernel: (1, 1)),
        Conv2DShape(batch: 3, inChannels: 8, inHeight: 6, inWidth: 8, outChannels: 8, kernel: (3, 3), padding: (1, 1)),
        // Output widths 11 (not a multiple of 8): direct forward with a partial last block.
        Conv2DShape(batch: 2, inChannels: 4, inHeight: 5, inWidth: 13, outChannels: 8, kernel: (3, 3)),
        Conv2DShape(batch: 2, inChannels: 8, inHeight: 4, inWidth: 11, outChannels: 4, kernel: (3, 3), padding: (1, 1)),
        // 3 input channels (a stem): direct forward and weight gradient, im2col input gradient.
        Conv2DShape(batch: 3, inChannels: 3, inHeight: 6, inWidth: 8, outChannels: 8, kernel: (3, 3), padding: (1, 1)),
        Conv2DShape(batch: 3, inChannels: 4, inHeight: 6, inWidth: 7, outChannels: 8, kernel: (3, 3), padding: (1, 1), groups: 4),
    ]

    @Test func threeChannelStemGoesDirectExceptItsInputGradient() {
        let stem = Conv2DShape(batch: 64, inChannels: 3, inHeight: 32, inWidth: 32, outChannels: 16, kernel: (3, 3), padding: (1, 1))
        #expect(DirectConv2D.supportsForward(stem) && DirectConv2D.supportsBackwardWeight(stem))
        #expect(!DirectConv2D.supportsBackwardInput(stem))
        #expect(DirectConv2D.supportsForward(Self.convShapes[6]) && !DirectConv2D.supportsBackwardInput(Self.convShapes[6]))
        #expect(DirectConv2D.supportsForward(Self.convShapes[4]) && !DirectConv2D.supportsBackwardWeight(Self.convShapes[4]))
        #expect(DirectConv2D.supportsForward(Self.convShapes[5]) && !DirectConv2D.supportsBackwardInput(Self.convShapes[5]))
    }

    @Test(arguments: convShapes) func convolutionMatchesReferenceOnSeveralWorkers(_ s: Conv2DShape) {
        var rng = TestRNG(seed: 77)
        let x = rng.floats(s.inputCount), w = rng.floats(s.weightCount), b = rng.floats(s.outChannels)
        let gy = rng.floats(s.outputCount)
        let ref = Ref.conv2d(s, x: doubles(x), w: doubles(w), b: doubles(b))
        let refB = Ref.conv2dBackward(s, x: doubles(x), w: doubles(w), gy: doubles(gy))
        let ws = max(1, Conv2D.workspaceSize(s))
        func run() -> (y: [Float], gx: [Float], gw: [Float], gw2: [Float], gx2: [Float]) {
            var y = [Float](repeating: .nan, count: s.outputCount), gx = [Float](repeating: .nan, count: s.inputCount)
            var gw = [Float](repeating: .nan, count: s.weightCount), work = [Float](repeating: 0, count: ws)
            Conv2D.forward(shape: s, input: x, weight: w, bias: b, output: &y, workspace: &work)
            Conv2D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx, workspace: &work)
            Conv2D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw, workspace: &work)
            var gw2 = gw
            Conv2D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw2, workspace: &work, accumulate: true)
            var gx2 = gx
            Conv2D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx2, workspace: &work, accumulate: true)
            return (y, gx, gw, gw2, gx2)
        }
        let r = both(3, run)
        for v in [r.one, r.many] {
            expectClose(v.y, ref, "forward")
            expectClose(v.gx, refB.gx, "input gradient")
            expectClose(v.gw, refB.gw, "weight gradient")
            expectClose(v.gw2, refB.gw.map { 2 * $0 }, "weight gradient accumulated")
            expectClose(v.gx2, refB.gx.map { 2 * $0 }, "input gradient accumulated")
        }
        // Images are independent: forward and input gradient do not depend on the split.
        #expect(r.one.y == r.many.y && r.one.gx == r.many.gx)
        // Reproducible for a given thread count.
        let again = Kernels.withThreads(3, smallChunks: true) { run() }
        #expect(again.gw == r.many.gw && again.gw2 == r.many.gw2)
    }

    @Test func linearMatchesReferenceOnSeveralWorkers() {
        let s = LinearShape(batch: 7, inFeatures: 9, outFeatures: 5)
        var rng = TestRNG(seed: 3)
        let x = rng.floats(7 * 9), w = rng.floats(5 * 9), b = rng.floats(5), gy = rng.floats(7 * 5)
        let r = both {
            var y = [Float](repeating: .nan, count: 35), gx = [Float](repeating: .nan, count: 63), gw = [Float](repeating: .nan, count: 45)
            Linear.forward(shape: s, input: x, weight: w, bias: b, output: &y)
            Linear.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx)
            Linear.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw)
            return [y, gx, gw]
        }
        let refB = Ref.linearBackward(s, x: doubles(x), w: doubles(w), gy: doubles(gy))
        for v in [r.one, r.many] {
            expectClose(v[0], Ref.linear(s, x: doubles(x), w: doubles(w), b: doubles(b)), "linear forward")
            expectClose(v[1], refB.gx, "linear input gradient")
            expectClose(v[2], refB.gw, "linear weight gradient")
        }
    }

    /// Same box average pooling (stride 1, kernel 2p + 1) takes the box-sum path.
    static let boxShapes = [
        Pool2DShape(batch: 2, channels: 3, inHeight: 6, inWidth: 7, kernel: (3, 3), stride: (1, 1), padding: (1, 1)),
        Pool2DShape(batch: 1, channels: 2, inHeight: 5, inWidth: 9, kernel: (3, 5), stride: (1, 1), padding: (1, 2)),
        Pool2DShape(batch: 2, channels: 1, inHeight: 2, inWidth: 3, kernel: (5, 5), stride: (1, 1), padding: (2, 2)),
    ]

    @Test(arguments: boxShapes, [true, false]) func sameBoxAveragePoolMatchesReference(_ s: Pool2DShape, _ includePad: Bool) {
        #expect(s.isValid && AvgPool2D.isSameBox(s))
        var rng = TestRNG(seed: 5)
        let x = rng.floats(s.inputCount), gy = rng.floats(s.outputCount)
        let r = both {
            var y = [Float](repeating: .nan, count: s.outputCount), gx = [Float](repeating: .nan, count: s.inputCount)
            AvgPool2D.forward(shape: s, countIncludePad: includePad, input: x, output: &y)
            AvgPool2D.backward(shape: s, countIncludePad: includePad, gradOutput: gy, gradInput: &gx)
            var gx2 = gx
            AvgPool2D.backward(shape: s, countIncludePad: includePad, gradOutput: gy, gradInput: &gx2, accumulate: true)
            return [y, gx, gx2]
        }
        #expect(r.one == r.many)
        let gyd = doubles(gy)
        expectClose(r.one[0], Ref.avgPool(s, includePad: includePad, x: doubles(x)), "box avg forward")
        let fd = numericGradient(doubles(x)) { dot(Ref.avgPool(s, includePad: includePad, x: $0), gyd) }
        expectClose(r.one[1], fd, "box avg backward vs FD")
        expectClose(r.one[2], fd.map { 2 * $0 }, "box avg backward accumulate")
    }

    @Test(arguments: boxShapes) func sameBoxMaxPoolMatchesReference(_ s: Pool2DShape) {
        var rng = TestRNG(seed: 15)
        var x = rng.floats(s.inputCount)
        // Ties: the first in window order wins, as in the reference.
        for i in stride(from: 0, to: x.count, by: 5) { x[i] = 0.5 }
        let r = both {
            var y = [Float](repeating: .nan, count: s.outputCount), idx = [Int32](repeating: -1, count: s.outputCount)
            MaxPool2D.forward(shape: s, input: x, output: &y, indices: &idx)
            return (y, idx)
        }
        #expect(r.one.0 == r.many.0 && r.one.1 == r.many.1)
        let ref = Ref.maxPool(s, x: doubles(x))
        expectClose(r.one.0, ref.y, "same-box max forward")
        #expect(r.one.1.map(Int.init) == ref.idx)
    }

    @Test func sameBoxMaxPoolVectorPathMatchesTheScalarRule() {
        // 3x3 s1 p1 on 5 x 20 planes: interior columns go 8 at a time; compare with the generic window loop per output.
        let s = Pool2DShape(batch: 2, channels: 2, inHeight: 5, inWidth: 20, kernel: (3, 3), stride: (1, 1), padding: (1, 1))
        var rng = TestRNG(seed: 16)
        var x = rng.floats(s.inputCount)
        for i in stride(from: 3, to: x.count, by: 7) { x[i] = x[i - 1] }
        x[47] = .nan
        var y = [Float](repeating: 0, count: s.outputCount), idx = [Int32](repeating: -1, count: s.outputCount)
        MaxPool2D.forward(shape: s, input: x, output: &y, indices: &idx)
        x.withUnsafeBufferPointer { xp in
            for p in 0..<4 {
                for yy in 0..<5 {
                    for xx in 0..<20 {
                        let (v, i) = MaxPool2D.one(s, xp.baseAddress! + p * 100, yy, xx)
                        let o = p * 100 + yy * 20 + xx
                        #expect((v == y[o] || (v.isNaN && y[o].isNaN)) && i == idx[o], "plane \(p) (\(yy), \(xx))")
                    }
                }
            }
        }
    }

    @Test func halvingMaxPoolMatchesTheGenericLoop() {
        // 2x2 stride 2 on 7 x 9 planes (the last row and column are dropped), with ties and NaNs: the unrolled window
        // gives the generic loop's values and argmax indices.
        let s = Pool2DShape(batch: 2, channels: 3, inHeight: 7, inWidth: 9, kernel: (2, 2), stride: (2, 2))
        #expect(MaxPool2D.isHalving(s) && s.outHeight == 3 && s.outWidth == 4)
        var rng = TestRNG(seed: 21)
        var x = rng.floats(s.inputCount)
        for i in stride(from: 1, to: x.count, by: 5) { x[i] = x[i - 1] }
        x[10] = .nan
        for i in [22, 23, 31, 32] { x[i] = -.infinity }   // the whole window of output (1, 2) in plane 0
        var y = [Float](repeating: 0, count: s.outputCount), idx = [Int32](repeating: -1, count: s.outputCount)
        MaxPool2D.forward(shape: s, input: x, output: &y, indices: &idx)
        var gy = [Float](repeating: 0, count: s.outputCount), gidx = [Int32](repeating: -1, count: s.outputCount)
        x.withUnsafeBufferPointer { xp in gy.withUnsafeMutableBufferPointer { yp in gidx.withUnsafeMutableBufferPointer { ip in
            for p in 0..<6 { MaxPool2D.genericPlane(s, xp.baseAddress! + p * 63, yp.baseAddress! + p * 12, ip.baseAddress! + p * 12) }
        } } }
        #expect(idx == gidx)
        #expect(zip(y, gy).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(y.contains { $0.isNaN } && y.contains(-.infinity))
    }

    @Test func poolingBatchNormAndPointwiseGiveTheSameBitsOnSeveralWorkers() {
        var rng = TestRNG(seed: 9)
        let ps = Pool2DShape(batch: 3, channels: 4, inHeight: 7, inWidth: 8, kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        let x = rng.floats(ps.inputCount), gy = rng.floats(ps.outputCount)
        let pools = both {
            var y = [Float](repeating: .nan, count: ps.outputCount), idx = [Int32](repeating: -1, count: ps.outputCount)
            var ya = y, gx = [Float](repeating: .nan, count: ps.inputCount), gxa = gx
            MaxPool2D.forward(shape: ps, input: x, output: &y, indices: &idx)
            MaxPool2D.backward(shape: ps, gradOutput: gy, indices: idx, gradInput: &gx)
            AvgPool2D.forward(shape: ps, countIncludePad: false, input: x, output: &ya)
            AvgPool2D.backward(shape: ps, countIncludePad: false, gradOutput: gy, gradInput: &gxa)
            return [y, gx, ya, gxa]
        }
        #expect(pools.one == pools.many)
        expectClose(pools.many[0], Ref.maxPool(ps, x: doubles(x)).y, "max pool")
        expectClose(pools.many[2], Ref.avgPool(ps, includePad: false, x: doubles(x)), "avg pool")

        let bs = BatchNormShape(batch: 3, channels: 5, spatial: 6)
        let bx = rng.floats(bs.count, offset: 0.5), bg = rng.floats(bs.count), gamma = rng.floats(5, offset: 1), beta = rng.floats(5)
        let bn = both {
            var y = [Float](repeating: .nan, count: bs.count), gx = y, rm = [Float](repeating: 0, count: 5), rv = [Float](repeating: 1, count: 5)
            var mean = rm, inv = rm, gg = rm, gb = rm, yi = y
            BatchNorm.forwardTraining(shape: bs, input: bx, gamma: gamma, beta: beta, output: &y, runningMean: &rm, runningVar: &rv,
                                      momentum: 0.1, epsilon: 1e-5, savedMean: &mean, savedInvStd: &inv)
            BatchNorm.backwardTraining(shape: bs, input: bx, gradOutput: bg, gamma: gamma, savedMean: mean, savedInvStd: inv,
                                       gradInput: &gx, gradGamma: &gg, gradBeta: &gb)
            BatchNorm.forwardInference(shape: bs, input: bx, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv,
                                       epsilon: 1e-5, output: &yi)
            var gsum = [Float](repeating: .nan, count: 5)
            ChannelReduce.sumPerChannel(bg, batch: 3, channels: 5, spatial: 6, into: &gsum, accumulate: false)
            var gap = [Float](repeating: .nan, count: 15), gapBack = [Float](repeating: .nan, count: bs.count)
            GlobalAvgPool.forward(batch: 3, channels: 5, spatial: 6, input: bx, output: &gap)
            GlobalAvgPool.backward(batch: 3, channels: 5, spatial: 6, gradOutput: gap, gradInput: &gapBack)
            return [y, gx, gg, gb, yi, rm, rv, gsum, gap, gapBack]
        }
        #expect(bn.one == bn.many)
        expectClose(bn.many[0], Ref.batchNormTrain(bs, x: doubles(bx), gamma: doubles(gamma), beta: doubles(beta), eps: 1e-5), "bn")

        let n = 1000
        let a = rng.floats(n), b = rng.floats(n)
        let ew = both {
            var sum = [Float](repeating: .nan, count: n), prod = sum, relu = sum, reluBack = sum, copy = sum
            Elementwise.add(a, b, output: &sum, count: n)
            Elementwise.mul(a, b, output: &prod, count: n)
            Activation.forward(.relu, input: a, output: &relu, count: n)
            Activation.backward(.relu, input: a, output: relu, gradOutput: b, gradInput: &reluBack, count: n)
            Elementwise.copyOrAccumulate(a, into: &copy, count: n, accumulate: false)
            Elementwise.copyOrAccumulate(b, into: &copy, count: n, accumulate: true)
            return [sum, prod, relu, reluBack, copy]
        }
        #expect(ew.one == ew.many)
        #expect(ew.many[0] == (0..<n).map { a[$0] + b[$0] } && ew.many[3] == (0..<n).map { a[$0] > 0 ? b[$0] : 0 })
        #expect(ew.many[4] == (0..<n).map { a[$0] + b[$0] })
    }

    @Test func weightedSumMatchesNaiveAndIsTheSameOnEveryThreadCount() {
        var rng = TestRNG(seed: 12)
        let count = 3 * WeightedSum.block + 123
        let xs = (0..<4).map { _ in rng.floats(count) }, w = rng.floats(4), gy = rng.floats(count)
        func run() -> [[Float]] {
            var y = [Float](repeating: .nan, count: count)
            var g = (0..<4).map { _ in [Float](repeating: .nan, count: count) }, gw = [Float](repeating: .nan, count: 4)
            let gptrs = (0..<4).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: count) }
            defer { gptrs.forEach { $0.deallocate() } }
            xs[0].withUnsafeBufferPointer { x0 in xs[1].withUnsafeBufferPointer { x1 in
                xs[2].withUnsafeBufferPointer { x2 in xs[3].withUnsafeBufferPointer { x3 in
                    let ins = [x0, x1, x2, x3].map { $0.baseAddress! }
                    WeightedSum.forward(inputs: ins, weights: w, output: &y, count: count)
                    WeightedSum.backward(inputs: ins, weights: w, gradOutput: gy, gradInputs: gptrs.map { Optional($0) },
                                         gradWeights: &gw, count: count)
                } }
            } }
            for k in 0..<4 { g[k] = Array(UnsafeBufferPointer(start: gptrs[k], count: count)) }
            return [y, gw] + g
        }
        let one = Kernels.withThreads(1) { run() }
        for t in [2, 3] { #expect(Kernels.withThreads(t, smallChunks: true) { run() } == one) }
        let y = (0..<count).map { i in (0..<4).reduce(0.0) { $0 + Double(w[$1]) * Double(xs[$1][i]) } }
        expectClose(one[0], y, "weighted sum forward")
        expectClose(one[1], (0..<4).map { k in (0..<count).reduce(0.0) { $0 + Double(xs[k][$1]) * Double(gy[$1]) } }, "alpha gradient")
        for k in 0..<4 { expectClose(one[2 + k], gy.map { Double(w[k]) * Double($0) }, "input gradient \(k)") }
    }
}
