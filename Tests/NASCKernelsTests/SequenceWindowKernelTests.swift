// SequenceWindowKernelTests: conv1d, pooling over windows of time (padding masked) and transpose against naive
// references and PyTorch fixtures (F.conv1d on [N,C,T]; masked F.max_pool1d / windowed masked means), forward and backward.
import NASCKernels
import Testing

@Suite struct SequenceWindowKernelTests {
    static let convCases = ["conv1d_same", "conv1d_strided", "conv1d_pointwise", "conv1d_wide"]
    static let poolCases = ["pool1d_max_masked", "pool1d_avg_masked", "pool1d_max_strided", "pool1d_avg_strided"]

    /// The textbook loops: `y[n,t,o] = b[o] + sum_{c in group, j} w[o, c - g*cg, j] * x[n, t*s - p + j*d, c]`.
    static func naiveConv(_ s: Conv1DShape, _ x: [Float], _ w: [Float], _ b: [Float]?) -> [Float] {
        let to = s.outLength, cg = s.inChannels / s.groups, og = s.outChannels / s.groups
        var y = [Float](repeating: 0, count: s.batch * to * s.outChannels)
        for n in 0..<s.batch { for t in 0..<to { for o in 0..<s.outChannels {
            var acc = b?[o] ?? 0
            let g = o / og
            for ci in 0..<cg { for j in 0..<s.kernel {
                let ti = t * s.stride - s.padding + j * s.dilation
                guard ti >= 0, ti < s.length else { continue }
                acc += w[(o * cg + ci) * s.kernel + j] * x[(n * s.length + ti) * s.inChannels + g * cg + ci]
            } }
            y[(n * to + t) * s.outChannels + o] = acc
        } } }
        return y
    }

    static func shape(_ c: [Int]) -> Conv1DShape {
        Conv1DShape(batch: c[0], length: c[1], inChannels: c[2], outChannels: c[3], kernel: c[4], stride: c[5], padding: c[6],
                    dilation: c[7], groups: c[8])
    }

    @Test(arguments: convCases) func conv1dMatchesTorch(_ name: String) {
        var f = FixtureCase(name)
        let c = f.config(), s = Self.shape(c), hasBias = c[9] == 1
        let x = f.tensor("x"), w = f.tensor("w"), gy = f.tensor("gy"), b = hasBias ? f.tensor("b") : nil
        for threads in [1, 2] {
            var y = [Float](repeating: .nan, count: s.batch * s.outLength * s.outChannels)
            var gx = [Float](repeating: .nan, count: x.count), gw = [Float](repeating: .nan, count: w.count)
            Kernels.withThreads(threads, smallChunks: true) {
                Conv1D.forward(shape: s, input: x, weight: w, bias: b, output: &y)
                Conv1D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx)
                Conv1D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw)
            }
            f.check(y, "y"); f.check(gx, "gx"); f.check(gw, "gw")
            // The naive loops agree with the sgemm path.
            let naive = Self.naiveConv(s, x, w, b)
            #expect(zip(naive, y).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($0)) }, "\(name): naive vs sgemm")
        }
        if hasBias {
            // The bias gradient (a linear-bias step over every output step) is the sum of gy over N and T'.
            var gb = [Float](repeating: 0, count: s.outChannels)
            for r in 0..<(s.batch * s.outLength) { for o in 0..<s.outChannels { gb[o] += gy[r * s.outChannels + o] } }
            f.check(gb, "gb")
        }
        f.report()
    }

    /// Accumulating variants add to what is there.
    @Test func conv1dAccumulates() {
        let s = Conv1DShape(batch: 2, length: 6, inChannels: 2, outChannels: 3, kernel: 3, padding: 1)
        let x = (0..<24).map { Float($0 % 7) - 3 }, w = (0..<18).map { Float($0 % 5) * 0.25 - 0.5 }
        let gy = (0..<36).map { Float($0 % 3) - 1 }
        var gx = [Float](repeating: 0, count: 24), gw = [Float](repeating: 0, count: 18)
        Conv1D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx)
        Conv1D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw)
        var gx2 = [Float](repeating: 1, count: 24), gw2 = [Float](repeating: 1, count: 18)
        Conv1D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx2, accumulate: true)
        Conv1D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw2, accumulate: true)
        #expect(gx2 == gx.map { $0 + 1 } && gw2 == gw.map { $0 + 1 })
        #expect(gx.contains { $0 != 0 } && gw.contains { $0 != 0 })
    }

    @Test(arguments: poolCases) func pool1dMatchesTorch(_ name: String) {
        var f = FixtureCase(name)
        let c = f.config()
        let s = Pool1DShape(batch: c[0], length: c[1], channels: c[2], kernel: c[3], stride: c[4], padding: c[5])
        let kind: SequencePoolKind = name.contains("max") ? .max : .mean
        let x = f.tensor("x"), gy = f.tensor("gy"), ids = c[6] == 1 ? f.tensor("ids").map { Int64($0) } : nil
        let out = s.batch * s.outLength * s.channels
        var y = [Float](repeating: .nan, count: out), gx = [Float](repeating: .nan, count: x.count)
        var idx = [Int32](repeating: 0, count: out)
        idx.withUnsafeMutableBufferPointer { ib in
            let indices = kind == .max ? ib.baseAddress : nil
            Pool1D.forward(kind, shape: s, input: x, ids: ids, output: &y, indices: indices)
            Pool1D.backward(kind, shape: s, gradOutput: gy, ids: ids, indices: indices.map { UnsafePointer($0) }, gradInput: &gx)
        }
        f.check(y, "y"); f.check(gx, "gx")
        f.report()
    }

    /// A naive reference: windows of 2 with stride 1, a padded step on each side, padding token at step 1.
    @Test func pool1dNaive() {
        let s = Pool1DShape(batch: 1, length: 3, channels: 1, kernel: 2, stride: 1, padding: 1)
        let x: [Float] = [2, 9, -4], ids: [Int64] = [5, 0, 6]
        var y = [Float](repeating: .nan, count: 4), idx = [Int32](repeating: 0, count: 4)
        Pool1D.forward(.max, shape: s, input: x, ids: ids, output: &y, indices: &idx)
        #expect(y == [2, 2, -4, -4] && idx == [0, 0, 2, 2])
        Pool1D.forward(.max, shape: s, input: x, ids: nil, output: &y, indices: &idx)
        #expect(y == [2, 9, 9, -4])
        Pool1D.forward(.mean, shape: s, input: x, ids: ids, output: &y, indices: nil)
        #expect(y == [2, 2, -4, -4])
        Pool1D.forward(.mean, shape: s, input: x, ids: nil, output: &y, indices: nil)
        #expect(y == [2, 5.5, 2.5, -4])
        var gx = [Float](repeating: .nan, count: 3)
        Pool1D.backward(.mean, shape: s, gradOutput: [1, 2, 4, 8], ids: nil, indices: nil, gradInput: &gx)
        #expect(gx == [2, 3, 10])
        // A window of padding only gives 0 and no gradient.
        Pool1D.forward(.max, shape: Pool1DShape(batch: 1, length: 3, channels: 1, kernel: 1, stride: 1), input: x, ids: ids,
                       output: &y, indices: &idx)
        #expect(Array(y[0..<3]) == [2, 0, -4] && Array(idx[0..<3]) == [0, -1, 2])
    }

    @Test func transposeSwapsAxes() {
        // [2, 3, 4] with axes 1 and 2 swapped, and [2, 2, 3, 2] with axes 0 and 2 swapped, against index arithmetic.
        let x = (0..<24).map(Float.init)
        var y = [Float](repeating: .nan, count: 24)
        Transpose.swap(shape: [2, 3, 4], axis0: 1, axis1: 2, input: x, output: &y)
        for n in 0..<2 { for t in 0..<3 { for c in 0..<4 { #expect(y[(n * 4 + c) * 3 + t] == x[(n * 3 + t) * 4 + c]) } } }
        Transpose.swap(shape: [2, 2, 3, 2], axis0: 0, axis1: 2, input: x, output: &y)
        for a in 0..<2 { for m in 0..<2 { for b in 0..<3 { for i in 0..<2 {
            #expect(y[((b * 2 + m) * 2 + a) * 2 + i] == x[((a * 2 + m) * 3 + b) * 2 + i])
        } } } }
        var back = [Float](repeating: .nan, count: 24)
        Transpose.swap(shape: [3, 2, 2, 2], axis0: 0, axis1: 2, input: y, output: &back)
        #expect(back == x)
    }
}
