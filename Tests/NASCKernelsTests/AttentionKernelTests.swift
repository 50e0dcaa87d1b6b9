// AttentionKernelTests: multi-head self-attention against PyTorch fixtures (nn.MultiheadAttention, batch first, with
// and without a key padding mask: output and the gradients of the input and all four parameters), against a naive
// reference written from the definition, and layer_norm over the last dimension of an [N,T,D] sequence.
import Foundation
import NASCKernels
import Testing

@Suite struct AttentionKernelTests {
    /// Everything one attention call reads and writes.
    struct Run {
        var y: [Float], gx: [Float], gwIn: [Float], gbIn: [Float], gwOut: [Float], gbOut: [Float]

        init(_ s: AttentionShape, x: [Float], ids: [Int64]?, wIn: [Float], bIn: [Float], wOut: [Float], bOut: [Float], gy: [Float]) {
            let n = s.batch
            var qkv = [Float](repeating: .nan, count: n * s.qkvPerSample)
            var p = [Float](repeating: .nan, count: n * s.probabilitiesPerSample)
            var ctx = [Float](repeating: .nan, count: n * s.length * s.dim), ws = [Float](repeating: .nan, count: n * s.workspacePerSample)
            y = [Float](repeating: .nan, count: x.count); gx = y
            gwIn = [Float](repeating: .nan, count: wIn.count); gbIn = [Float](repeating: .nan, count: bIn.count)
            gwOut = [Float](repeating: .nan, count: wOut.count); gbOut = [Float](repeating: .nan, count: bOut.count)
            ids.withUnsafeBufferPointerOrNil { idp in
                MultiheadAttention.forward(shape: s, input: x, ids: idp, inWeight: wIn, inBias: bIn, outWeight: wOut, outBias: bOut,
                                           qkv: &qkv, probabilities: &p, context: &ctx, output: &y)
            }
            MultiheadAttention.backward(shape: s, input: x, inWeight: wIn, outWeight: wOut, qkv: qkv, probabilities: p, context: ctx,
                                        gradOutput: gy, gradInput: &gx, gradInWeight: &gwIn, gradInBias: &gbIn,
                                        gradOutWeight: &gwOut, gradOutBias: &gbOut, workspace: &ws)
        }
    }

    @Test(arguments: ["mha", "mha_masked", "mha_one_head"]) func attentionMatchesTorch(_ name: String) {
        var f = FixtureCase(name)
        let c = f.config()
        let s = AttentionShape(batch: c[0], length: c[1], dim: c[2], heads: c[3])
        #expect(s.isValid)
        let ids = c[4] == 1 ? f.tensor("ids").map { Int64($0) } : nil
        let x = f.tensor("x"), wIn = f.tensor("w_in"), bIn = f.tensor("b_in"), wOut = f.tensor("w_out"), bOut = f.tensor("b_out")
        let gy = f.tensor("gy")
        let r = Run(s, x: x, ids: ids, wIn: wIn, bIn: bIn, wOut: wOut, bOut: bOut, gy: gy)
        f.check(r.y, "y"); f.check(r.gx, "gx")
        f.check(r.gwIn, "gw_in"); f.check(r.gbIn, "gb_in"); f.check(r.gwOut, "gw_out"); f.check(r.gbOut, "gb_out")
        f.report()
        // Split over two workers (one (sample, head) pair per chunk): the same results as one worker up to rounding
        // (the projections split their rows over the workers, and OpenBLAS may round the rows of a smaller sgemm
        // differently: seen on an AVX2-only EPYC), and the same bits on every 2-worker run.
        let two = { Kernels.withThreads(2, smallChunks: true) { Run(s, x: x, ids: ids, wIn: wIn, bIn: bIn, wOut: wOut, bOut: bOut, gy: gy) } }
        let r2 = two(), r3 = two()
        #expect(r3.y == r2.y && r3.gx == r2.gx && r3.gwIn == r2.gwIn && r3.gbIn == r2.gbIn && r3.gwOut == r2.gwOut && r3.gbOut == r2.gbOut)
        for (a, b, what) in [(r2.y, r.y, "y"), (r2.gx, r.gx, "gx"), (r2.gwIn, r.gwIn, "gw_in"), (r2.gbIn, r.gbIn, "gb_in"),
                             (r2.gwOut, r.gwOut, "gw_out"), (r2.gbOut, r.gbOut, "gb_out")] {
            expectClose(a, b, "\(name) on 2 workers: \(what)")
        }
    }

    /// The definition, in Double: per sample and head, softmax over the real keys of q k^T / sqrt(head dim), times v.
    static func naive(_ s: AttentionShape, x: [Float], ids: [Int64]?, wIn: [Float], bIn: [Float], wOut: [Float], bOut: [Float]) -> [Float] {
        let (t0, d, hd) = (s.length, s.dim, s.headDim)
        var y = [Float](repeating: 0, count: x.count)
        for n in 0..<s.batch {
            var qkv = [Double](repeating: 0, count: t0 * 3 * d)
            for t in 0..<t0 { for o in 0..<(3 * d) {
                var a = Double(bIn[o])
                for i in 0..<d { a += Double(x[(n * t0 + t) * d + i]) * Double(wIn[o * d + i]) }
                qkv[t * 3 * d + o] = a
            } }
            var ctx = [Double](repeating: 0, count: t0 * d)
            for h in 0..<s.heads { for i in 0..<t0 {
                let keys = (0..<t0).filter { ids == nil || ids![n * t0 + $0] != 0 }
                guard !keys.isEmpty else { continue }
                let scores = keys.map { j in
                    (0..<hd).reduce(0.0) { $0 + qkv[i * 3 * d + h * hd + $1] * qkv[j * 3 * d + d + h * hd + $1] } / Double(hd).squareRoot()
                }
                let m = scores.max()!, e = scores.map { exp($0 - m) }, z = e.reduce(0, +)
                for (k, j) in keys.enumerated() { for c in 0..<hd { ctx[i * d + h * hd + c] += e[k] / z * qkv[j * 3 * d + 2 * d + h * hd + c] } }
            } }
            for t in 0..<t0 { for o in 0..<d {
                var a = Double(bOut[o])
                for i in 0..<d { a += ctx[t * d + i] * Double(wOut[o * d + i]) }
                y[(n * t0 + t) * d + o] = Float(a)
            } }
        }
        return y
    }

    @Test func attentionMatchesTheNaiveDefinition() {
        let s = AttentionShape(batch: 3, length: 9, dim: 16, heads: 4)
        var g = TestRNG(seed: 16)
        let x = g.floats(3 * 9 * 16), wIn = g.floats(48 * 16, scale: 0.5), bIn = g.floats(48)
        let wOut = g.floats(256, scale: 0.5), bOut = g.floats(16)
        // Sample 0 unmasked, sample 1 with padding inside and at the end, sample 2 all padding (context 0: y = out bias).
        var ids = [Int64](repeating: 5, count: 27)
        ids[9 + 2] = 0; ids[9 + 7] = 0; ids[9 + 8] = 0
        for t in 18..<27 { ids[t] = 0 }
        let r = Run(s, x: x, ids: ids, wIn: wIn, bIn: bIn, wOut: wOut, bOut: bOut, gy: g.floats(x.count))
        expectClose(r.y, Self.naive(s, x: x, ids: ids, wIn: wIn, bIn: bIn, wOut: wOut, bOut: bOut), "attention vs naive")
        #expect(Array(r.y[(18 * 16)..<(19 * 16)]) == bOut)
        #expect(r.gx.allSatisfy(\.isFinite) && r.gwIn.allSatisfy(\.isFinite))
        let unmasked = Run(s, x: x, ids: nil, wIn: wIn, bIn: bIn, wOut: wOut, bOut: bOut, gy: r.y)
        expectClose(unmasked.y, Self.naive(s, x: x, ids: nil, wIn: wIn, bIn: bIn, wOut: wOut, bOut: bOut), "unmasked attention vs naive")
    }

    @Test func layerNormOverTheLastDimensionOfASequence() {
        var f = FixtureCase("layernorm_ntd")
        let c = f.config()
        let s = LayerNormShape(rows: c[0] * c[1], features: c[2])
        let x = f.tensor("x"), gamma = f.tensor("gamma"), beta = f.tensor("beta"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: x.count), gx = y
        var mean = [Float](repeating: .nan, count: s.rows), invStd = mean
        var gGamma = [Float](repeating: .nan, count: s.features), gBeta = gGamma
        LayerNorm.forward(shape: s, input: x, gamma: gamma, beta: beta, epsilon: 1e-5, output: &y, savedMean: &mean, savedInvStd: &invStd)
        LayerNorm.backward(shape: s, input: x, gradOutput: gy, gamma: gamma, savedMean: mean, savedInvStd: invStd,
                           gradInput: &gx, gradGamma: &gGamma, gradBeta: &gBeta)
        f.check(y, "y"); f.check(gx, "gx"); f.check(gGamma, "ggamma"); f.check(gBeta, "gbeta")
        f.report()
    }
}

extension Optional where Wrapped == [Int64] {
    /// Calls `body` with a pointer to the ids, or `nil`.
    func withUnsafeBufferPointerOrNil<R>(_ body: (UnsafePointer<Int64>?) -> R) -> R {
        guard let a = self else { return body(nil) }
        return a.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
