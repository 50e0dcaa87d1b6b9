// GumbelNoise: writes fresh Gumbel(0, 1) noise and the temperature into a gumbel supernet's state tensors.
import Foundation
import NASCPasses
import NASCData
import NASCRuntime

extension Executor {
    /// Draws fresh Gumbel(0, 1) noise `-log(-log(u))` into every `gumbel:noise:<label>` tensor and sets every
    /// `gumbel:inv_tau:<label>` tensor to `1 / temperature`. The noise depends only on the executor's seed, the
    /// draw number and the tensor name, so a search is reproducible. Returns the number of noise tensors written.
    @discardableResult
    public func drawGumbelNoise(temperature: Double, draw: Int) throws -> Int {
        var written = 0
        for s in plan.slots where s.role == .state {
            if let label = SupernetParameterNames.label(of: s.name, prefix: "gumbel:noise:") {
                let n = parameter(s.name)?.count ?? 0
                var rng = SeededGenerator(seed: SeededGenerator.derive(seed, 0x6B, draw, OneShotExport.stableHash(label)))
                let g: [Float] = (0..<n).map { _ in
                    // u in (0, 1): 53 random bits, offset by half a step so neither log sees 0 or 1.
                    let u = (Double(rng.next() >> 11) + 0.5) / 9_007_199_254_740_992
                    return Float(-Foundation.log(-Foundation.log(u)))
                }
                try setParameter(s.name, g)
                written += 1
            } else if s.name.hasPrefix("gumbel:inv_tau:") {
                let n = parameter(s.name)?.count ?? 0
                try setParameter(s.name, [Float](repeating: Float(1 / temperature), count: n))
            }
        }
        return written
    }
}
