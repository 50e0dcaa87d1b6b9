// OneShotWeightOverrides: the supernet weight-training settings a user gave explicitly; the others keep the strategy's defaults.
import NASCStrategies

/// Weight-training settings for a one-shot search given on the command line. `nil` keeps the strategy's own
/// documented default (DARTS/GumbelDARTS/Proxyless weight lr 0.025, SPOS and ENAS 0.05, each strategy's epochs,
/// batch size, momentum and weight decay), so a CLI default never silently replaces it.
public struct OneShotWeightOverrides: Sendable, Hashable {
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Double?
    public var momentum: Double?
    public var weightDecay: Double?

    /// Overrides for the given settings only.
    public init(epochs: Int? = nil, batchSize: Int? = nil, learningRate: Double? = nil, momentum: Double? = nil,
                weightDecay: Double? = nil) {
        self.epochs = epochs; self.batchSize = batchSize; self.learningRate = learningRate
        self.momentum = momentum; self.weightDecay = weightDecay
    }

    /// Every setting taken from `options` (library callers and `nasc oneshot`, whose flags always carry a value).
    public static func all(from options: TrainOptions) -> OneShotWeightOverrides {
        OneShotWeightOverrides(epochs: options.epochs, batchSize: options.batchSize, learningRate: options.learningRate,
                               momentum: options.momentum, weightDecay: options.weightDecay)
    }

    /// Sets the given settings on `config`; returns the names of those that were given.
    func apply<C: OneShotTrainingSettings>(to config: inout C) -> Set<String> {
        var given = Set<String>()
        if let v = epochs { config.epochs = v; given.insert("epochs") }
        if let v = batchSize { config.batchSize = v; given.insert("batch_size") }
        if let v = learningRate { config.weightLearningRate = v; given.insert("lr") }
        if let v = momentum { config.momentum = v; given.insert("momentum") }
        if let v = weightDecay { config.weightDecay = v; given.insert("weight_decay") }
        return given
    }
}

/// The settings a one-shot search runs with, as printed at its start and stored in `DIR/settings.json`.
public struct OneShotEffectiveSettings: Sendable {
    /// The strategy name.
    public var strategy: String
    /// Setting name -> value, in print order (`epochs`, `batch_size`, `lr`, `momentum`, `weight_decay`, `seed`,
    /// `max_batches`, then the strategy's own settings such as `schedule` or `grad_clip`).
    public var values: [(String, String)]
    /// The names whose value came from a flag or `--strategy-option` (the rest are the strategy's defaults).
    public var given: Set<String>

    /// One line: `settings: spos epochs 10, batch_size 64, lr 0.05, ... (given: lr; the rest are spos defaults)`.
    public var line: String {
        let list = values.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        let g = given.sorted()
        return "settings: \(strategy) \(list) (" + (g.isEmpty ? "all \(strategy) defaults" : "given: \(g.joined(separator: ", ")); the rest are \(strategy) defaults") + ")"
    }

    /// The settings as a JSON object: `{"strategy": ..., "settings": {name: value}, "given": [names]}`; numbers and
    /// booleans stay JSON numbers and booleans.
    public var json: String {
        func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        func value(_ s: String) -> String {
            if s == "true" || s == "false" || s == "null" { return s }
            if let d = Double(s), d.isFinite, !s.hasPrefix("+") { return s }
            return quote(s)
        }
        let settings = values.map { "  " + quote($0.0) + ": " + value($0.1) }.joined(separator: ",\n")
        return "{\n\"strategy\": \(quote(strategy)),\n\"settings\": {\n\(settings)\n},\n\"given\": ["
            + given.sorted().map(quote).joined(separator: ", ") + "]\n}\n"
    }
}
