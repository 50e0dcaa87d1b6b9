// ElementwiseTests: add/mul, channel concat/split and dropout, forward and backward.
import Testing
@testable import NASCKernels

@Suite struct ElementwiseTests {
    @Test func addAndMulWithBackward() {
        var rng = TestRNG(seed: 61)
        let n = 37
        let a = rng.floats(n), b = rng.floats(n), gy = rng.floats(n)
        var y = [Float](repeating: .nan, count: n)
        Elementwise.add(a, b, output: &y, count: n)
        #expect(y == (0..<n).map { a[$0] + b[$0] })
        Elementwise.mul(a, b, output: &y, count: n)
        #expect(y == (0..<n).map { a[$0] * b[$0] })
        var ga = [Float](repeating: .nan, count: n), gb = ga
        Elementwise.addBackward(gradOutput: gy, gradA: &ga, gradB: &gb, count: n)
        #expect(ga == gy && gb == gy)
        Elementwise.addBackward(gradOutput: gy, gradA: &ga, gradB: nil, count: n, accumulate: true)
        #expect(ga == gy.map { 2 * $0 } && gb == gy)
        Elementwise.mulBackward(a, b, gradOutput: gy, gradA: &ga, gradB: &gb, count: n)
        #expect(ga == (0..<n).map { gy[$0] * b[$0] })
        #expect(gb == (0..<n).map { gy[$0] * a[$0] })
        let ga1 = ga
        Elementwise.mulBackward(a, b, gradOutput: gy, gradA: &ga, gradB: nil, count: n, accumulate: true)
        #expect(ga == (0..<n).map { ga1[$0] + gy[$0] * b[$0] })
    }

    @Test func concatAndSplitAlongChannels() {
        let batch = 2, spatial = 3
        let channels = [2, 1, 3]
        var rng = TestRNG(seed: 63)
        let parts = channels.map { rng.floats(batch * $0 * spatial) }
        let total = ChannelConcat.totalChannels(channels)
        var y = [Float](repeating: .nan, count: batch * total * spatial)
        parts[0].withUnsafeBufferPointer { p0 in
            parts[1].withUnsafeBufferPointer { p1 in
                parts[2].withUnsafeBufferPointer { p2 in
                    ChannelConcat.concat([p0.baseAddress!, p1.baseAddress!, p2.baseAddress!], channels: channels,
                                         batch: batch, spatial: spatial, output: &y)
                }
            }
        }
        // Naive: output[n, c, i] comes from the part owning channel c.
        var naive: [Float] = []
        for n in 0..<batch {
            for (k, ck) in channels.enumerated() {
                for c in 0..<ck { for i in 0..<spatial { naive.append(parts[k][(n * ck + c) * spatial + i]) } }
            }
        }
        #expect(y == naive)
        // Split (the backward of concat) recovers the parts; accumulate adds.
        var o0 = [Float](repeating: .nan, count: batch * channels[0] * spatial)
        var o1 = [Float](repeating: .nan, count: batch * channels[1] * spatial)
        var o2 = [Float](repeating: .nan, count: batch * channels[2] * spatial)
        func runSplit(accumulate: Bool) {
            o0.withUnsafeMutableBufferPointer { p0 in
                o1.withUnsafeMutableBufferPointer { p1 in
                    o2.withUnsafeMutableBufferPointer { p2 in
                        ChannelConcat.concatBackward(gradOutput: y, channels: channels, batch: batch, spatial: spatial,
                                                     gradInputs: [p0.baseAddress!, p1.baseAddress!, p2.baseAddress!],
                                                     accumulate: accumulate)
                    }
                }
            }
        }
        runSplit(accumulate: false)
        #expect([o0, o1, o2] == parts)
        runSplit(accumulate: true)
        #expect([o0, o1, o2] == parts.map { $0.map { 2 * $0 } })
    }

    @Test func dropoutMaskIsSeededScaledAndReused() {
        let n = 100_000, p: Float = 0.3
        var mask = [Float](repeating: .nan, count: n), again = mask, other = mask
        Dropout.makeMask(probability: p, seed: 1234, mask: &mask, count: n)
        Dropout.makeMask(probability: p, seed: 1234, mask: &again, count: n)
        Dropout.makeMask(probability: p, seed: 1235, mask: &other, count: n)
        #expect(mask == again)
        #expect(mask != other)
        let scale = 1 / (1 - p)
        #expect(mask.allSatisfy { $0 == 0 || $0 == scale })
        let dropped = Double(mask.filter { $0 == 0 }.count) / Double(n)
        #expect(abs(dropped - Double(p)) < 0.01, "dropped fraction \(dropped)")
        var rng = TestRNG(seed: 65)
        let x = rng.floats(n), gy = rng.floats(n)
        var y = [Float](repeating: .nan, count: n), gx = y
        Dropout.forward(input: x, mask: mask, output: &y, count: n)
        #expect(y == (0..<n).map { x[$0] * mask[$0] })
        Dropout.backward(gradOutput: gy, mask: mask, gradInput: &gx, count: n)
        #expect(gx == (0..<n).map { gy[$0] * mask[$0] })
    }

    @Test func dropoutEdgeProbabilities() {
        var mask = [Float](repeating: .nan, count: 64)
        Dropout.makeMask(probability: 0, seed: 1, mask: &mask, count: 64)
        #expect(mask.allSatisfy { $0 == 1 })
        Dropout.makeMask(probability: 1, seed: 1, mask: &mask, count: 64)
        #expect(mask.allSatisfy { $0 == 0 })
    }
}
