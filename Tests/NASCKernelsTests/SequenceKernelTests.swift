// SequenceKernelTests: the embedding lookup and the padding-masked sequence pools against naive references and
// PyTorch fixtures (F.embedding; masked mean and amax over time), forward and backward.
import NASCKernels
import Testing

@Suite struct SequenceKernelTests {
    @Test func embeddingMatchesTorch() throws {
        var f = FixtureCase("embedding")
        let c = f.config()
        let (n, t, v, d) = (c[0], c[1], c[2], c[3])
        let ids = f.tensor("ids").map { Int64($0) }, w = f.tensor("w"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: n * t * d), gw = [Float](repeating: .nan, count: v * d)
        try Embedding.forward(count: n * t, vocab: v, dim: d, ids: ids, weight: w, output: &y)
        Embedding.backward(count: n * t, vocab: v, dim: d, ids: ids, gradOutput: gy, gradWeight: &gw)
        f.check(y, "y"); f.check(gw, "gw")
        f.report()
        // With several workers the scatter-add gives the same sums.
        var gw2 = [Float](repeating: .nan, count: v * d)
        Kernels.withThreads(2, smallChunks: true) {
            Embedding.backward(count: n * t, vocab: v, dim: d, ids: ids, gradOutput: gy, gradWeight: &gw2)
        }
        #expect(gw2 == gw)
    }

    @Test func embeddingRejectsIdsOutsideTheTable() {
        let ids: [Int64] = [0, 3, 4], w = [Float](repeating: 1, count: 8)
        var y = [Float](repeating: 0, count: 6)
        #expect(throws: KernelError.tokenOutOfRange(index: 2, token: 4, vocab: 4)) {
            try Embedding.forward(count: 3, vocab: 4, dim: 2, ids: ids, weight: w, output: &y)
        }
        #expect(throws: KernelError.tokenOutOfRange(index: 0, token: -1, vocab: 4)) {
            try Embedding.forward(count: 1, vocab: 4, dim: 2, ids: [-1], weight: w, output: &y)
        }
    }

    @Test(arguments: [("seqpool_mean", SequencePoolKind.mean), ("seqpool_max", .max)])
    func sequencePoolMatchesTorch(_ name: String, _ kind: SequencePoolKind) {
        var f = FixtureCase(name)
        let c = f.config()
        let s = SequencePoolShape(batch: c[0], length: c[1], features: c[2])
        let x = f.tensor("x"), ids = f.tensor("ids").map { Int64($0) }, gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: s.batch * s.features), gx = [Float](repeating: .nan, count: x.count)
        var idx = [Int32](repeating: 0, count: s.batch * s.features)
        SequencePool.forward(kind, shape: s, input: x, ids: ids, output: &y, indices: &idx)
        SequencePool.backward(kind, shape: s, gradOutput: gy, ids: ids, indices: idx, gradInput: &gx)
        f.check(y, "y"); f.check(gx, "gx")
        f.report()
    }

    /// A naive reference without a mask (every step counts), and a sequence that is all padding pools to 0.
    @Test func sequencePoolWithoutMaskAndEmptySequences() {
        let s = SequencePoolShape(batch: 2, length: 3, features: 2)
        let x: [Float] = [1, -2, 3, 5, -1, 0,   4, 4, -3, 2, 0, 9]
        var y = [Float](repeating: .nan, count: 4), idx = [Int32](repeating: 0, count: 4)
        SequencePool.forward(.mean, shape: s, input: x, ids: nil, output: &y, indices: nil)
        #expect(y == [1, 1, 1.0 / 3, 5])
        SequencePool.forward(.max, shape: s, input: x, ids: nil, output: &y, indices: &idx)
        #expect(y == [3, 5, 4, 9] && idx == [1, 1, 0, 2])
        let ids: [Int64] = [0, 0, 0, 7, 0, 7]
        SequencePool.forward(.max, shape: s, input: x, ids: ids, output: &y, indices: &idx)
        #expect(y == [0, 0, 4, 9] && idx == [-1, -1, 0, 2])
        var gx = [Float](repeating: .nan, count: 12)
        SequencePool.backward(.max, shape: s, gradOutput: [1, 1, 1, 1], ids: ids, indices: idx, gradInput: &gx)
        #expect(gx == [0, 0, 0, 0, 0, 0,   1, 0, 0, 0, 0, 1])
        SequencePool.forward(.mean, shape: s, input: x, ids: ids, output: &y, indices: nil)
        #expect(y == [0, 0, 2, 6.5])
        SequencePool.backward(.mean, shape: s, gradOutput: [1, 1, 2, 4], ids: ids, indices: nil, gradInput: &gx)
        #expect(gx == [0, 0, 0, 0, 0, 0,   1, 2, 0, 0, 1, 2])
    }
}
