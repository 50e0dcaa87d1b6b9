// Recurrent: one LSTM or GRU layer over batch-first [N,T,D] sequences (PyTorch nn.LSTM / nn.GRU numerics, optionally
// bidirectional): the input projection of all steps as one sgemm, one recurrent sgemm per step, gate math on SIMD8,
// and backpropagation through time.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS
import NASCKernels

/// The cell of a recurrent layer as the kernels see it.
public enum RecurrentKernelCell: Sendable, Hashable {
    /// Gates `i, f, g, o`.
    case lstm
    /// Gates `r, z, n`.
    case gru

    /// Gate blocks per weight.
    public var gates: Int { self == .lstm ? 4 : 3 }
}

/// Geometry of a recurrent layer: `batch` sequences of `length` steps of `inputSize` features, `hidden` units per
/// direction.
public struct RecurrentShape: Sendable, Hashable {
    public var cell: RecurrentKernelCell
    public var batch: Int, length: Int, inputSize: Int, hidden: Int, directions: Int

    /// Creates a geometry.
    public init(cell: RecurrentKernelCell, batch: Int, length: Int, inputSize: Int, hidden: Int, directions: Int) {
        self.cell = cell; self.batch = batch; self.length = length; self.inputSize = inputSize; self.hidden = hidden
        self.directions = directions
    }

    /// Rows of every weight, `G H`.
    public var gateRows: Int { cell.gates * hidden }
    /// Saved floats per step and direction: the activated gates, then the LSTM's cell state or the GRU's
    /// `W_hn h + b_hn`.
    public var savedStride: Int { (cell.gates + 1) * hidden }
    /// Saved floats per sample (all steps and directions).
    public var savedPerSample: Int { directions * length * savedStride }
    /// Backward workspace floats per sample.
    public var workspacePerSample: Int { length * (2 * gateRows + hidden) + 2 * hidden }
    /// The width of an output row, `directions * hidden`.
    public var outputWidth: Int { directions * hidden }
}

/// One recurrent layer, PyTorch's layout: per direction `weightIH [G H, D]`, `weightHH [G H, H]`, `biasIH`,
/// `biasHH [G H]`, gate blocks in PyTorch's order. Zero initial state; the reverse direction runs from the last step
/// to the first and fills the second half of each output row.
public enum RecurrentLayer {
    /// Forward: writes `output` (`[N, T, dirs H]`) and `saved` (``RecurrentShape/savedPerSample`` floats per sample).
    public static func forward(shape s: RecurrentShape, input: UnsafePointer<Float>, weightIH: [UnsafePointer<Float>],
                               weightHH: [UnsafePointer<Float>], biasIH: [UnsafePointer<Float>], biasHH: [UnsafePointer<Float>],
                               output: UnsafeMutablePointer<Float>, saved: UnsafeMutablePointer<Float>) {
        let n0 = s.batch, t0 = s.length, h = s.hidden, gh = s.gateRows, st = s.savedStride, y = s.outputWidth
        for dir in 0..<s.directions {
            let sv = saved + dir * n0 * t0 * st, wih = weightIH[dir], whh = weightHH[dir], bih = biasIH[dir], bhh = biasHH[dir]
            // Biases (the LSTM's two add; the GRU keeps b_hn apart, in the last block), then x W_ih^T for all steps.
            var bias = [Float](repeating: 0, count: st)
            for j in 0..<gh { bias[j] = bih[j] + (s.cell == .lstm || j < 2 * h ? bhh[j] : 0) }
            if s.cell == .gru { for j in 0..<h { bias[3 * h + j] = bhh[2 * h + j] } }
            bias.withUnsafeBufferPointer { b in
                for row in 0..<(n0 * t0) { (sv + row * st).update(from: b.baseAddress!, count: st) }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n0 * t0), Int32(gh), Int32(s.inputSize), 1, input,
                        Int32(s.inputSize), wih, Int32(s.inputSize), 1, sv, Int32(st))
            for step in 0..<t0 {
                let t = dir == 0 ? step : t0 - 1 - step, tp = dir == 0 ? t - 1 : t + 1
                let hp = step > 0 ? UnsafePointer(output + tp * y + dir * h) : nil
                if let hp {
                    let c = sv + t * st
                    if s.cell == .lstm {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n0), Int32(gh), Int32(h), 1, hp, Int32(t0 * y),
                                    whh, Int32(h), 1, c, Int32(t0 * st))
                    } else {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n0), Int32(2 * h), Int32(h), 1, hp, Int32(t0 * y),
                                    whh, Int32(h), 1, c, Int32(t0 * st))
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n0), Int32(h), Int32(h), 1, hp, Int32(t0 * y),
                                    whh + 2 * h * h, Int32(h), 1, c + 3 * h, Int32(t0 * st))
                    }
                }
                for n in 0..<n0 {
                    let g = sv + (n * t0 + t) * st, out = output + (n * t0 + t) * y + dir * h
                    let prev = hp.map { $0 + n * t0 * y }
                    if s.cell == .lstm {
                        lstmCell(g, previousCell: step > 0 ? UnsafePointer(sv + (n * t0 + tp) * st + 4 * h) : nil, out, hidden: h)
                    } else {
                        gruCell(g, previous: prev, out, hidden: h)
                    }
                }
            }
        }
    }

    /// LSTM gate math in place: pre-activations `[i f g o]` become activations, `c = f c' + i g` goes to `g[4H...]`,
    /// `h = o tanh c` to `out`.
    @inline(__always)
    static func lstmCell(_ g: UnsafeMutablePointer<Float>, previousCell: UnsafePointer<Float>?, _ out: UnsafeMutablePointer<Float>,
                         hidden h: Int) {
        VectorMath.chunks(h) { j, w in
            let i = VectorMath.sigmoid(VectorMath.load(g + j, w)), f = VectorMath.sigmoid(VectorMath.load(g + h + j, w))
            let gg = VectorMath.tanh(VectorMath.load(g + 2 * h + j, w)), o = VectorMath.sigmoid(VectorMath.load(g + 3 * h + j, w))
            let cp = previousCell.map { VectorMath.load($0 + j, w) } ?? .zero
            let c = f * cp + i * gg
            VectorMath.store(i, g + j, w); VectorMath.store(f, g + h + j, w)
            VectorMath.store(gg, g + 2 * h + j, w); VectorMath.store(o, g + 3 * h + j, w)
            VectorMath.store(c, g + 4 * h + j, w)
            VectorMath.store(o * VectorMath.tanh(c), out + j, w)
        }
    }

    /// GRU gate math in place: pre-activations `[r z n]` (with `W_hn h + b_hn` in `g[3H...]`) become activations,
    /// `h = (1 - z) n + z h'` goes to `out`.
    @inline(__always)
    static func gruCell(_ g: UnsafeMutablePointer<Float>, previous: UnsafePointer<Float>?, _ out: UnsafeMutablePointer<Float>,
                        hidden h: Int) {
        VectorMath.chunks(h) { j, w in
            let r = VectorMath.sigmoid(VectorMath.load(g + j, w)), z = VectorMath.sigmoid(VectorMath.load(g + h + j, w))
            let nn = VectorMath.tanh(VectorMath.load(g + 2 * h + j, w) + r * VectorMath.load(g + 3 * h + j, w))
            let hp = previous.map { VectorMath.load($0 + j, w) } ?? .zero
            VectorMath.store(r, g + j, w); VectorMath.store(z, g + h + j, w); VectorMath.store(nn, g + 2 * h + j, w)
            VectorMath.store((1 - z) * nn + z * hp, out + j, w)
        }
    }

    /// Backward through time: from `gradOutput` (`[N, T, dirs H]`) and what ``forward`` saved, writes `gradInput` and
    /// every parameter gradient (overwriting them). `workspace` holds ``RecurrentShape/workspacePerSample`` floats per
    /// sample.
    public static func backward(shape s: RecurrentShape, input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                saved: UnsafePointer<Float>, weightIH: [UnsafePointer<Float>], weightHH: [UnsafePointer<Float>],
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>,
                                gradWeightIH: [UnsafeMutablePointer<Float>], gradWeightHH: [UnsafeMutablePointer<Float>],
                                gradBiasIH: [UnsafeMutablePointer<Float>], gradBiasHH: [UnsafeMutablePointer<Float>],
                                workspace: UnsafeMutablePointer<Float>) {
        let n0 = s.batch, t0 = s.length, h = s.hidden, gh = s.gateRows, st = s.savedStride, y = s.outputWidth
        let rows = n0 * t0, d = s.inputSize
        let gi = workspace, gHH = s.cell == .lstm ? gi : gi + rows * gh, hprev = gi + 2 * rows * gh
        let carriedH = hprev + rows * h, carriedC = carriedH + n0 * h
        for dir in 0..<s.directions {
            let sv = saved + dir * rows * st, whh = weightHH[dir]
            carriedH.update(repeating: 0, count: n0 * h)
            carriedC.update(repeating: 0, count: n0 * h)
            for step in (0..<t0).reversed() {
                let t = dir == 0 ? step : t0 - 1 - step, tp = dir == 0 ? t - 1 : t + 1
                if step < t0 - 1 {
                    // The recurrent part of dh: the next step's hidden-side gate gradients through W_hh.
                    let tn = dir == 0 ? t + 1 : t - 1
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n0), Int32(h), Int32(gh), 1, gHH + tn * gh,
                                Int32(t0 * gh), whh, Int32(h), 1, carriedH, Int32(h))
                }
                for n in 0..<n0 {
                    let row = n * t0 + t, g = sv + row * st
                    let gy = gradOutput + row * y + dir * h, hp = hprev + row * h
                    let previous = step > 0 ? output + (n * t0 + tp) * y + dir * h : nil
                    if let previous { hp.update(from: previous, count: h) } else { hp.update(repeating: 0, count: h) }
                    if s.cell == .lstm {
                        lstmCellBackward(g, previousCell: step > 0 ? sv + (n * t0 + tp) * st + 4 * h : nil, gradOutput: gy,
                                         carriedH: carriedH + n * h, carriedC: carriedC + n * h, gradGates: gi + row * gh, hidden: h)
                    } else {
                        gruCellBackward(g, previous: UnsafePointer(hp), gradOutput: gy, carriedH: carriedH + n * h,
                                        gradInputGates: gi + row * gh, gradHiddenGates: gHH + row * gh, hidden: h)
                    }
                }
            }
            // Weight and bias gradients over all steps at once, and the input's gradient (summed over directions).
            let ih = LinearShape(batch: rows, inFeatures: d, outFeatures: gh), hh = LinearShape(batch: rows, inFeatures: h, outFeatures: gh)
            Linear.backwardWeight(shape: ih, input: input, gradOutput: gi, gradWeight: gradWeightIH[dir])
            Linear.backwardBias(shape: ih, gradOutput: gi, gradBias: gradBiasIH[dir])
            Linear.backwardWeight(shape: hh, input: hprev, gradOutput: gHH, gradWeight: gradWeightHH[dir])
            Linear.backwardBias(shape: hh, gradOutput: gHH, gradBias: gradBiasHH[dir])
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(d), Int32(gh), 1, gi, Int32(gh),
                        weightIH[dir], Int32(d), dir == 0 ? 0 : 1, gradInput, Int32(d))
        }
    }

    /// One LSTM step backward for one sample: `dh = gy + carriedH`, `dc = carriedC + dh o (1 - tanh^2 c)`; writes the
    /// pre-activation gate gradients and carries `dc f` (the recurrent part of `dh` is added by the caller's sgemm).
    @inline(__always)
    static func lstmCellBackward(_ g: UnsafePointer<Float>, previousCell: UnsafePointer<Float>?, gradOutput: UnsafePointer<Float>,
                                 carriedH: UnsafeMutablePointer<Float>, carriedC: UnsafeMutablePointer<Float>,
                                 gradGates: UnsafeMutablePointer<Float>, hidden h: Int) {
        VectorMath.chunks(h) { j, w in
            let i = VectorMath.load(g + j, w), f = VectorMath.load(g + h + j, w)
            let gg = VectorMath.load(g + 2 * h + j, w), o = VectorMath.load(g + 3 * h + j, w)
            let tc = VectorMath.tanh(VectorMath.load(g + 4 * h + j, w))
            let cp = previousCell.map { VectorMath.load($0 + j, w) } ?? .zero
            let dh = VectorMath.load(gradOutput + j, w) + VectorMath.load(carriedH + j, w)
            let dc = VectorMath.load(carriedC + j, w) + dh * o * (1 - tc * tc)
            VectorMath.store(dc * gg * i * (1 - i), gradGates + j, w)
            VectorMath.store(dc * cp * f * (1 - f), gradGates + h + j, w)
            VectorMath.store(dc * i * (1 - gg * gg), gradGates + 2 * h + j, w)
            VectorMath.store(dh * tc * o * (1 - o), gradGates + 3 * h + j, w)
            VectorMath.store(dc * f, carriedC + j, w)
            VectorMath.store(.zero, carriedH + j, w)
        }
    }

    /// One GRU step backward for one sample: `dh = gy + carriedH`; writes the input-side gate gradients
    /// `[dr dz dn]` (pre-activation) and the hidden-side ones `[dr dz r dn]`, and carries `dh z`.
    @inline(__always)
    static func gruCellBackward(_ g: UnsafePointer<Float>, previous: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                carriedH: UnsafeMutablePointer<Float>, gradInputGates: UnsafeMutablePointer<Float>,
                                gradHiddenGates: UnsafeMutablePointer<Float>, hidden h: Int) {
        VectorMath.chunks(h) { j, w in
            let r = VectorMath.load(g + j, w), z = VectorMath.load(g + h + j, w)
            let nn = VectorMath.load(g + 2 * h + j, w), hn = VectorMath.load(g + 3 * h + j, w)
            let hp = VectorMath.load(previous + j, w)
            let dh = VectorMath.load(gradOutput + j, w) + VectorMath.load(carriedH + j, w)
            let dn = dh * (1 - z) * (1 - nn * nn)
            let dr = dn * hn * r * (1 - r), dz = dh * (hp - nn) * z * (1 - z)
            VectorMath.store(dr, gradInputGates + j, w); VectorMath.store(dz, gradInputGates + h + j, w)
            VectorMath.store(dn, gradInputGates + 2 * h + j, w)
            VectorMath.store(dr, gradHiddenGates + j, w); VectorMath.store(dz, gradHiddenGates + h + j, w)
            VectorMath.store(dn * r, gradHiddenGates + 2 * h + j, w)
            VectorMath.store(dh * z, carriedH + j, w)
        }
    }
}
