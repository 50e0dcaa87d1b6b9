// OneShotTrainingSettings: the supernet-weight training settings every one-shot strategy's configuration shares.

/// What DARTS, GumbelDARTS, Proxyless, SPOS and ENAS configurations have in common: how long and how the supernet's
/// weights train. Front ends set these once for any strategy (see `OneShotTool`).
public protocol OneShotTrainingSettings {
    /// Supernet training epochs.
    var epochs: Int { get set }
    /// Batch size of the weight (and architecture) steps.
    var batchSize: Int { get set }
    /// Learning rate of the weights' SGD.
    var weightLearningRate: Double { get set }
    /// SGD momentum of the weights.
    var momentum: Double { get set }
    /// Weight decay of the weights.
    var weightDecay: Double { get set }
    /// Limits the batches per epoch (0 = a whole epoch).
    var maxBatchesPerEpoch: Int { get set }
    /// Seed of sampling, initialization and data order.
    var seed: UInt64 { get set }
}

extension DartsConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { weightLR } set { weightLR = newValue } }
}

extension ProxylessConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { weightLR } set { weightLR = newValue } }
}

extension SPOSConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { lr } set { lr = newValue } }
}

extension ENASConfig: OneShotTrainingSettings {
    public var weightLearningRate: Double { get { lr } set { lr = newValue } }
}
