// LRSchedule: learning-rate schedules (constant, cosine annealing, step decay) with optional linear warmup.
import Foundation
import NASCIR

/// A learning-rate schedule evaluated in closed form at any scheduler step, so a resumed run needs only the
/// step count. Matches PyTorch's `CosineAnnealingLR`, `StepLR` and, with warmup,
/// `SequentialLR([LinearLR(start_factor, total_iters: warmup), main], milestones: [warmup])`.
/// Whether a scheduler step is an epoch or an iteration is the caller's choice.
public struct LRSchedule: Sendable, Hashable {
    /// How the learning rate decays after warmup.
    public enum Decay: Sendable, Hashable {
        /// The base learning rate throughout.
        case constant
        /// `etaMin + (base - etaMin) * (1 + cos(pi * t / tMax)) / 2` (periodic past `tMax`, as in PyTorch).
        case cosine(tMax: Int, etaMin: Double)
        /// `base * gamma^(t / stepSize)` with integer division.
        case step(stepSize: Int, gamma: Double)
    }

    /// The learning rate before decay (the optimizer's configured rate).
    public var baseLearningRate: Double
    /// The decay after warmup.
    public var decay: Decay
    /// Number of warmup steps (0 for none); the decay's own step count starts after them.
    public var warmupSteps: Int
    /// The warmup's starting fraction of the base rate (PyTorch's `LinearLR` default is 1/3).
    public var warmupStartFactor: Double

    /// Creates a schedule.
    ///
    /// - Throws: ``DiagnosticError`` for a negative rate, a non-positive `tMax` or `stepSize`, negative warmup,
    ///   or a start factor outside `(0, 1]`.
    public init(baseLearningRate: Double, decay: Decay = .constant, warmupSteps: Int = 0,
                warmupStartFactor: Double = 1.0 / 3.0) throws {
        try OptimizerCheck.require(baseLearningRate >= 0, "invalid learning rate \(baseLearningRate): must not be negative")
        switch decay {
        case .constant: break
        case .cosine(let tMax, _):
            try OptimizerCheck.require(tMax > 0, "cosine schedule needs a positive T_max, got \(tMax)")
        case .step(let stepSize, _):
            try OptimizerCheck.require(stepSize > 0, "step schedule needs a positive step size, got \(stepSize)")
        }
        try OptimizerCheck.require(warmupSteps >= 0, "warmup steps must not be negative, got \(warmupSteps)")
        try OptimizerCheck.require(warmupStartFactor > 0 && warmupStartFactor <= 1,
                                   "warmup start factor must be in (0, 1], got \(warmupStartFactor)")
        self.baseLearningRate = baseLearningRate
        self.decay = decay
        self.warmupSteps = warmupSteps
        self.warmupStartFactor = warmupStartFactor
    }

    /// The learning rate at scheduler step `t` (0 = before the first scheduler step).
    public func learningRate(at t: Int) -> Double {
        let base = baseLearningRate
        if t < warmupSteps {
            let f = warmupStartFactor + (1 - warmupStartFactor) * Double(t) / Double(warmupSteps)
            return base * f
        }
        let s = t - warmupSteps
        switch decay {
        case .constant:
            return base
        case .cosine(let tMax, let etaMin):
            return etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(s) / Double(tMax))) / 2
        case .step(let stepSize, let gamma):
            return base * pow(gamma, Double(s / stepSize))
        }
    }
}
