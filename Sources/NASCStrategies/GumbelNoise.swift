// GumbelNoise: writes fresh Gumbel(0, 1) noise, the temperature and (hard GumbelDARTS) the straight-through offsets into
// a gumbel supernet's state tensors.
import Foundation
import NASCPasses
import NASCData
import NASCRuntime

extension Executor {
    /// Draws fresh Gumbel(0, 1) noise `-log(-log(u))` into every Gumbel noise control tensor and sets every
    /// inverse-temperature control tensor to `1 / temperature`. The noise depends only on the executor's seed, the
    /// draw number and the tensor name, so a search is reproducible. Returns the number of noise tensors written.
    @discardableResult
    public func drawGumbelNoise(temperature: Double, draw: Int) throws -> Int {
        var written = 0
        for s in plan.slots where s.role == .state {
            guard let c = s.control else { continue }
            if c.kind == .gumbelNoise {
                let label = c.label
                let n = parameter(s.name)?.count ?? 0
                var rng = SeededGenerator(seed: SeededGenerator.derive(seed, 0x6B, draw, OneShotExport.stableHash(label)))
                let g: [Float] = (0..<n).map { _ in
                    // u in (0, 1): 53 random bits, offset by half a step so neither log sees 0 or 1.
                    let u = (Double(rng.next() >> 11) + 0.5) / 9_007_199_254_740_992
                    return Float(-Foundation.log(-Foundation.log(u)))
                }
                try setParameter(s.name, g)
                written += 1
            } else if c.kind == .gumbelInverseTemperature {
                let n = parameter(s.name)?.count ?? 0
                try setParameter(s.name, [Float](repeating: Float(1 / temperature), count: n))
            }
        }
        try writeHardOffsets()
        return written
    }

    /// Hard (straight-through) GumbelDARTS: sets every hard-offset control tensor to `onehot(argmax(w)) - w`,
    /// `w = softmax((alpha + noise) * inv_tau)` computed from the current tensors in the same float operations as the
    /// plan's kernels, so the plan's `w + offset` is the one-hot sample (up to one rounding of `w + (1 - w)`), while
    /// its gradient is the soft sample's. A plan without these tensors is left alone.
    public func writeHardOffsets() throws {
        for s in plan.slots where s.role == .state {
            guard let c = s.control, c.kind == .gumbelHardOffset,
                  let alpha = controlParameterName(.architecture, label: c.label).flatMap(parameter),
                  let noise = controlParameterName(.gumbelNoise, label: c.label).flatMap(parameter),
                  let invTau = controlParameterName(.gumbelInverseTemperature, label: c.label).flatMap(parameter),
                  alpha.count == noise.count, alpha.count == invTau.count, !alpha.isEmpty else { continue }
            let w = Self.gumbelWeights(alpha: alpha, noise: noise, inverseTemperature: invTau)
            let best = w.indices.max { w[$0] < w[$1] || (w[$0] == w[$1] && $0 > $1) } ?? 0
            try setParameter(s.name, w.indices.map { ($0 == best ? 1 : 0) - w[$0] })
        }
    }

    /// `softmax((alpha + noise) * inv_tau)` in float, max-subtracted, as the plan's add, mul and softmax kernels.
    static func gumbelWeights(alpha: [Float], noise: [Float], inverseTemperature: [Float]) -> [Float] {
        let x = alpha.indices.map { (alpha[$0] + noise[$0]) * inverseTemperature[$0] }
        let m = x.max() ?? 0
        var sum: Float = 0
        var e = [Float](repeating: 0, count: x.count)
        for i in x.indices { e[i] = expf(x[i] - m); sum += e[i] }
        let inv = 1 / sum
        return e.map { $0 * inv }
    }
}
