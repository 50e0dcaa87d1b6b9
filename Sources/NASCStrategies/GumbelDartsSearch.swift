// GumbelDartsSearch: GumbelDARTS — DARTS on a gumbel supernet with the temperature annealed 1.0 -> 0.33.
import NASCIR
import NASCPasses

/// GumbelDARTS (NNI `GumbelDARTS`): the DARTS loop of ``DartsSearch`` on a `gumbel` supernet. Every forward pass
/// weights the candidates by `softmax((alpha + g) / tau)` with fresh Gumbel(0, 1) noise `g` drawn from the
/// executor's seed, and `tau` follows NNI's LinearTemperatureScheduler per epoch (defaults 1.0 -> 0.33, in
/// ``DartsConfig/temperatureInit`` and ``DartsConfig/temperatureMin``). The export is the argmax of alpha.
/// With ``DartsConfig/hard`` (default off, as NNI's `GumbelSoftmax.hard`) the forward pass uses the one-hot argmax
/// of each sample and the backward pass the soft sample's gradient (straight-through; see
/// ``NASCRuntime/Executor/writeHardOffsets()``).
public enum GumbelDartsSearch {
    /// A GumbelDARTS search of `space`.
    public static func make(space: ModelSpace, config: DartsConfig = DartsConfig()) throws -> DartsSearch {
        try DartsSearch(space: space, config: config, mode: .gumbel)
    }
}
