// OneShotSchedule: the per-epoch learning rate of a one-shot strategy's supernet weights (constant or cosine).
import NASCRuntime

/// Per-epoch learning rates for supernet weight training, as PyTorch's `CosineAnnealingLR(T_max = epochs,
/// eta_min)` stepped once per epoch (NNI's ENAS example: `eta_min = 0.001`), or constant.
public enum OneShotSchedule {
    /// The learning rate of `epoch` (0-based) of `epochs`.
    public static func learningRate(epoch: Int, epochs: Int, base: Double, cosine: Bool, minimum: Double) throws -> Double {
        guard cosine, epochs > 0 else { return base }
        return try LRSchedule(baseLearningRate: base, decay: .cosine(tMax: epochs, etaMin: min(minimum, base))).learningRate(at: epoch)
    }
}
