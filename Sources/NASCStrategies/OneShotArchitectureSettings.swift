// OneShotArchitectureSettings: what the DARTS/GumbelDARTS and Proxyless configurations share beyond the weight
// training — the architecture optimizer (Adam) and the alpha initialization — and the weight optimizer's plan options.
import NASCPasses
import NASCRuntime

/// The architecture-weight settings of the gradient-based one-shot strategies (``DartsConfig``,
/// ``ProxylessConfig``): Adam with `archLR`, betas `(archBeta1, archBeta2)` and weight decay `archWeightDecay` on the
/// alphas, which start as `alphaInitStd * randn`. Each configuration keeps its own defaults (NNI's: DARTS lr 3e-4,
/// Proxyless lr 1e-3).
public protocol OneShotArchitectureSettings: OneShotTrainingSettings {
    var archLR: Double { get set }
    var archBeta1: Double { get set }
    var archBeta2: Double { get set }
    var archWeightDecay: Double { get set }
    var alphaInitStd: Double { get set }
}

extension OneShotArchitectureSettings {
    /// The Adam optimizer of the architecture weights.
    public func architectureOptimizer() throws -> Adam {
        try Adam(learningRate: archLR, beta1: archBeta1, beta2: archBeta2, weightDecay: archWeightDecay)
    }
}

extension OneShotTrainingSettings {
    /// Plan options of the supernet weights' optimizer: SGD with the learning rate, momentum and weight decay.
    public var weightOptimizerOptions: PlanOptions {
        .sgd(lr: weightLearningRate, momentum: momentum, weightDecay: weightDecay)
    }
}

extension DartsConfig: OneShotArchitectureSettings {}

extension ProxylessConfig: OneShotArchitectureSettings {}
