// RecurrentKernelTests: the LSTM and GRU kernels (forward and backpropagation through time, one and two directions)
// against a naive Double reference and its finite differences, against PyTorch's nn.LSTM / nn.GRU fixtures, and the
// vectorized exp/sigmoid/tanh against the C library's.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import NASCKernels
@testable import NASCRecurrentKernels

@Suite struct RecurrentKernelTests {
    /// Per direction, in PyTorch's order: weight_ih, weight_hh, bias_ih, bias_hh (flattened, directions concatenated).
    static func parameterCounts(_ s: RecurrentShape) -> [Int] {
        let g = s.gateRows
        return [g * s.inputSize, g * s.hidden, g, g]
    }

    /// Runs the kernels: forward, then backward from `gy`; `params` and the returned `gp` use the flat layout above.
    struct Run {
        var y: [Float], gx: [Float], gp: [Float]

        init(_ s: RecurrentShape, x: [Float], params: [Float], gy: [Float]) {
            let counts = RecurrentKernelTests.parameterCounts(s), per = counts.reduce(0, +)
            var y = [Float](repeating: .nan, count: s.batch * s.length * s.outputWidth)
            var saved = [Float](repeating: .nan, count: s.batch * s.savedPerSample)
            var ws = [Float](repeating: .nan, count: s.batch * s.workspacePerSample)
            var gx = [Float](repeating: .nan, count: x.count), gp = [Float](repeating: .nan, count: params.count)
            params.withUnsafeBufferPointer { pb in
                let p = pb.baseAddress!
                func at(_ dir: Int, _ k: Int) -> UnsafePointer<Float> { p + dir * per + counts[..<k].reduce(0, +) }
                let dirs = 0..<s.directions
                y.withUnsafeMutableBufferPointer { yb in
                    saved.withUnsafeMutableBufferPointer { sb in
                        RecurrentLayer.forward(shape: s, input: x, weightIH: dirs.map { at($0, 0) }, weightHH: dirs.map { at($0, 1) },
                                               biasIH: dirs.map { at($0, 2) }, biasHH: dirs.map { at($0, 3) },
                                               output: yb.baseAddress!, saved: sb.baseAddress!)
                    }
                }
                gp.withUnsafeMutableBufferPointer { gb in
                    let g = gb.baseAddress!
                    func gat(_ dir: Int, _ k: Int) -> UnsafeMutablePointer<Float> { g + dir * per + counts[..<k].reduce(0, +) }
                    RecurrentLayer.backward(shape: s, input: x, output: y, saved: saved, weightIH: dirs.map { at($0, 0) },
                                            weightHH: dirs.map { at($0, 1) }, gradOutput: gy, gradInput: &gx,
                                            gradWeightIH: dirs.map { gat($0, 0) }, gradWeightHH: dirs.map { gat($0, 1) },
                                            gradBiasIH: dirs.map { gat($0, 2) }, gradBiasHH: dirs.map { gat($0, 3) }, workspace: &ws)
                }
            }
            self.y = y; self.gx = gx; self.gp = gp
        }
    }

    /// The definition, in Double, step by step as PyTorch documents nn.LSTM and nn.GRU.
    static func naive(_ s: RecurrentShape, x: [Double], params: [Double]) -> [Double] {
        let (t0, d, h, g) = (s.length, s.inputSize, s.hidden, s.gateRows)
        let per = parameterCounts(s).reduce(0, +)
        func sig(_ v: Double) -> Double { 1 / (1 + libmExp(-v)) }
        var y = [Double](repeating: 0, count: s.batch * t0 * s.outputWidth)
        for dir in 0..<s.directions {
            let base = dir * per, wih = base, whh = wih + g * d, bih = whh + g * h, bhh = bih + g
            for n in 0..<s.batch {
                var hs = [Double](repeating: 0, count: h), cs = [Double](repeating: 0, count: h)
                for step in 0..<t0 {
                    let t = dir == 0 ? step : t0 - 1 - step
                    var gi = [Double](repeating: 0, count: g), gh = [Double](repeating: 0, count: g)
                    for r in 0..<g {
                        var a = params[bih + r], b = params[bhh + r]
                        for k in 0..<d { a += params[wih + r * d + k] * x[(n * t0 + t) * d + k] }
                        for k in 0..<h { b += params[whh + r * h + k] * hs[k] }
                        gi[r] = a; gh[r] = b
                    }
                    for j in 0..<h {
                        if s.cell == .lstm {
                            let i = sig(gi[j] + gh[j]), f = sig(gi[h + j] + gh[h + j])
                            let gg = libmTanh(gi[2 * h + j] + gh[2 * h + j]), o = sig(gi[3 * h + j] + gh[3 * h + j])
                            cs[j] = f * cs[j] + i * gg
                            hs[j] = o * libmTanh(cs[j])
                        } else {
                            let r = sig(gi[j] + gh[j]), z = sig(gi[h + j] + gh[h + j])
                            let nn = libmTanh(gi[2 * h + j] + r * gh[2 * h + j])
                            hs[j] = (1 - z) * nn + z * hs[j]
                        }
                    }
                    for j in 0..<h { y[(n * t0 + t) * s.outputWidth + dir * h + j] = hs[j] }
                }
            }
        }
        return y
    }

    static let shapes: [RecurrentShape] = [
        RecurrentShape(cell: .lstm, batch: 2, length: 4, inputSize: 3, hidden: 11, directions: 1),
        RecurrentShape(cell: .lstm, batch: 2, length: 3, inputSize: 5, hidden: 8, directions: 2),
        RecurrentShape(cell: .gru, batch: 2, length: 4, inputSize: 3, hidden: 11, directions: 1),
        RecurrentShape(cell: .gru, batch: 2, length: 3, inputSize: 5, hidden: 8, directions: 2),
        RecurrentShape(cell: .lstm, batch: 1, length: 1, inputSize: 2, hidden: 1, directions: 2),
    ]

    /// Forward against the naive reference; every gradient (input and parameters) against central finite differences
    /// of the reference's `sum(y * gy)`.
    @Test(arguments: shapes) func matchesNaiveReferenceAndFiniteDifferences(_ s: RecurrentShape) {
        var rng = TestRNG(seed: UInt64(s.hidden * 31 + s.directions * 7 + (s.cell == .gru ? 1 : 0)))
        let per = Self.parameterCounts(s).reduce(0, +)
        let x = rng.floats(s.batch * s.length * s.inputSize), params = rng.floats(per * s.directions, scale: 0.5)
        let gy = rng.floats(s.batch * s.length * s.outputWidth)
        let r = Run(s, x: x, params: params, gy: gy)
        let px = doubles(x), pp = doubles(params), dgy = doubles(gy)
        expectClose(r.y, Self.naive(s, x: px, params: pp), "\(s.cell) forward")
        let gxRef = numericGradient(px) { dot(Self.naive(s, x: $0, params: pp), dgy) }
        let gpRef = numericGradient(pp) { dot(Self.naive(s, x: px, params: $0), dgy) }
        expectClose(r.gx, gxRef, "\(s.cell) grad input")
        expectClose(r.gp, gpRef, "\(s.cell) grad parameters")
    }

    static let torchCases = ["lstm", "lstm_bi", "gru", "gru_bi"]

    /// Forward and all gradients against PyTorch (fixtures from scripts/torch_fixtures.py, PyTorch's own init).
    @Test(arguments: torchCases) func matchesTorch(_ name: String) {
        var f = FixtureCase(name)
        let c = f.config()
        let s = RecurrentShape(cell: c[0] == 1 ? .gru : .lstm, batch: c[1], length: c[2], inputSize: c[3], hidden: c[4],
                               directions: c[5] == 1 ? 2 : 1)
        let keys = ["w_ih", "w_hh", "b_ih", "b_hh"]
        let params = (0..<s.directions).flatMap { dir in keys.flatMap { f.tensor("d\(dir)_\($0)") } }
        let r = Run(s, x: f.tensor("x"), params: params, gy: f.tensor("gy"))
        f.check(r.y, "y"); f.check(r.gx, "gx")
        var offset = 0
        for dir in 0..<s.directions {
            for (k, count) in zip(keys, Self.parameterCounts(s)) {
                f.check(Array(r.gp[offset..<(offset + count)]), "d\(dir)_g\(k)"); offset += count
            }
        }
        f.report()
    }

    /// The vector exp, sigmoid and tanh against the C library's in Double, over [-30, 30] and around 0 and the
    /// polynomial/exp switch of tanh: within 1e-6 absolute for sigmoid and tanh, 4e-7 relative for exp.
    @Test func vectorMathMatchesLibm() {
        var xs: [Float] = stride(from: Float(-30), through: 30, by: 0.000_37).map { $0 }
        xs += [0, -0, 1e-8, -1e-8, 0.625, -0.625, 0.624_999_9, 87, -87, 88, 100, -100]
        while xs.count % 8 != 0 { xs.append(0.5) }
        var worst = (exp: 0.0, sigmoid: 0.0, tanh: 0.0)
        for k in stride(from: 0, to: xs.count, by: 8) {
            let v = xs.withUnsafeBufferPointer { VectorMath.load($0.baseAddress! + k, 8) }
            let e = VectorMath.exp(v), sg = VectorMath.sigmoid(v), th = VectorMath.tanh(v)
            for l in 0..<8 {
                let x = Double(v[l])
                if abs(x) < 87 { worst.exp = max(worst.exp, abs(Double(e[l]) - libmExp(x)) / libmExp(x)) }
                worst.sigmoid = max(worst.sigmoid, abs(Double(sg[l]) - 1 / (1 + libmExp(-x))))
                worst.tanh = max(worst.tanh, abs(Double(th[l]) - libmTanh(x)))
            }
        }
        print("vector math vs libm: exp relative \(worst.exp), sigmoid absolute \(worst.sigmoid), tanh absolute \(worst.tanh)")
        #expect(worst.exp <= 4e-7 && worst.sigmoid <= 1e-6 && worst.tanh <= 1e-6)
    }

    /// A tail narrower than 8 lanes loads and stores only its own elements.
    @Test func partialChunksTouchOnlyTheirLanes() {
        var buffer = [Float](repeating: -1, count: 11)
        var seen: [(Int, Int)] = []
        VectorMath.chunks(11) { j, w in seen.append((j, w)) }
        #expect(seen.map(\.0) == [0, 8] && seen.map(\.1) == [8, 3])
        buffer.withUnsafeMutableBufferPointer { b in
            VectorMath.store(SIMD8(repeating: 2), b.baseAddress! + 8, 2)
        }
        #expect(buffer[8] == 2 && buffer[9] == 2 && buffer[10] == -1 && buffer[7] == -1)
    }
}

private func libmExp(_ x: Double) -> Double { exp(x) }
private func libmTanh(_ x: Double) -> Double { tanh(x) }
